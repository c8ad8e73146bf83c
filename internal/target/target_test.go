package target

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleProfilesLoad: the shipped examples (features/targets) load and
// validate, so a vendor copying one starts from a working file.
func TestExampleProfilesLoad(t *testing.T) {
	files, err := filepath.Glob("../../features/targets/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("example profiles: %v %v", files, err)
	}
	for _, f := range files {
		p, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(p.EffectiveProbes()) < len(ProbeNames()) {
			t.Errorf("%s: %d probes, want the full built-in set", f, len(p.EffectiveProbes()))
		}
	}
}

func TestLoadJSONAndYAMLAgree(t *testing.T) {
	dir := t.TempDir()
	y := "name: acme\nbaseURL: https://acme.example/scim/v2\nauth: {mode: header, secretEnv: ACME_TOKEN}\ntraffic: aiw\ncleanup: true\ncapabilities: {groups: false}\ncontainer: {image: acme:dev, port: 8080, healthPath: /healthz, startupTimeout: 30s}\n"
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(filepath.Join(dir, "a.yaml"))
	if err == nil || !strings.Contains(err.Error(), "alternatives") {
		t.Fatalf("baseURL plus container: err = %v, want 'alternatives'", err)
	}
	y = strings.Replace(y, "baseURL: https://acme.example/scim/v2\n", "", 1)
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	py, err := Load(filepath.Join(dir, "a.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if py.Traffic != TrafficAIW || py.Auth.Mode != AuthHeader || py.Container.Image != "acme:dev" || py.Container.StartupTimeout.Seconds() != 30 || py.Capabilities[CapGroups] || !py.Cleanup {
		t.Errorf("yaml profile = %+v", py)
	}
	j := `{"name":"acme","auth":{"mode":"header","secretEnv":"ACME_TOKEN"},"traffic":"aiw","cleanup":true,"capabilities":{"groups":false},"container":{"image":"acme:dev","port":8080,"healthPath":"/healthz","startupTimeout":"30s"}}`
	if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte(j), 0o600); err != nil {
		t.Fatal(err)
	}
	pj, err := Load(filepath.Join(dir, "a.json"))
	if err != nil {
		t.Fatal(err)
	}
	if pj.Traffic != py.Traffic || pj.Cleanup != py.Cleanup || pj.Container.Image != py.Container.Image || pj.Container.StartupTimeout != py.Container.StartupTimeout || pj.Container.HealthPath != py.Container.HealthPath {
		t.Errorf("json and yaml differ: %+v vs %+v", pj, py)
	}
}

// TestUnknownFieldsSuggestTheClosest: an unknown field is named without Go
// type names, with the closest known field of its section when one is
// near (case or a typo), in YAML and JSON.
func TestUnknownFieldsSuggestTheClosest(t *testing.T) {
	tests := []struct {
		name, ext, doc, want string
	}{
		{"case, nested yaml", ".yaml", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\nadmin:\n  clientIpHeader: X-Forwarded-For\n",
			"line 4: unknown field clientIpHeader (did you mean clientIPHeader?)"},
		{"typo, top level yaml", ".yaml", "baseUrl: https://x/scim/v2\nauth: {secretEnv: T}\ntrafic: OIN\n",
			"line 1: unknown field baseUrl (did you mean baseURL?)"},
		{"second typo also explained", ".yaml", "baseUrl: https://x/scim/v2\nauth: {secretEnv: T}\ntrafic: OIN\n",
			"line 3: unknown field trafic (did you mean traffic?)"},
		{"auth section", ".yaml", "baseURL: https://x/scim/v2\nauth: {secretenv: T}\n",
			"unknown field secretenv (did you mean secretEnv?)"},
		{"nothing close: the section's fields", ".yaml", "baseURL: https://x/scim/v2\nauth: {secretEnv: T, zzzzzz: 1}\n",
			"unknown field zzzzzz (known here: mode, secretEnv, username)"},
		{"json", ".json", `{"baseURL": "https://x/scim/v2", "auth": {"secretEnv": "T"}, "trafic": "OIN"}`,
			"unknown field trafic (did you mean traffic?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), tt.ext)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want containing %q", err, tt.want)
			}
			for _, goName := range []string{"target.", "in type", "not found"} {
				if strings.Contains(err.Error(), goName) {
					t.Errorf("err %q still speaks Go (%q)", err, goName)
				}
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"trafic", "traffic", 1}, {"kitten", "sitting", 3}, {"same", "same", 0}} {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func TestValidationErrorsAreActionable(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"no target", "name: x\n", "no target: set baseURL"},
		{"http", "baseURL: http://x/scim/v2\nauth: {secretEnv: T}\n", "--allow-http"},
		{"no secret env", "baseURL: https://x/scim/v2\n", "secretEnv: name the environment variable"},
		{"secret in url", "baseURL: https://u:p@x/scim/v2\nauth: {secretEnv: T}\n", "no credentials in the URL"},
		{"bad mode", "baseURL: https://x/scim/v2\nauth: {mode: oauth, secretEnv: T}\n", "want bearer, header or basic"},
		{"bad traffic", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\ntraffic: scim\n", "want OIN"},
		{"unknown field", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\nsecret: hunter2\n", "unknown field secret (known here: "},
		{"unknown capability", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\ncapabilities: {bulk: true}\n", `unknown capability "bulk"`},
		{"unknown probe", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\nprobes: {grantAll: {requests: [{method: GET, path: /x}]}}\n", `unknown probe "grantAll"`},
		{"probe without request", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\nprobes: {readRoles: {pick: roles}}\n", "needs at least one request"},
		{"half client ip", "baseURL: https://x/scim/v2\nauth: {secretEnv: T}\nadmin: {baseURL: https://x/api, clientIP: 1.2.3.4}\n", "clientIPHeader and clientIP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.yaml), ".yaml")
			if err == nil {
				_, err = p.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want containing %q", err, tt.want)
			}
		})
	}
}

// TestFromFlagsErrorsNameTheFlags: errors about flag values name the flag,
// never the profile field the flag fills in.
func TestFromFlagsErrorsNameTheFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    Flags
		want string
	}{
		{"basic without username", Flags{URL: "https://x/scim/v2", TokenEnv: "T", Auth: "basic"}, "--auth basic needs --username"},
		{"http without allow-http", Flags{URL: "http://x/scim/v2", TokenEnv: "T"}, `--url "http://x/scim/v2" uses http`},
		{"not absolute", Flags{URL: "x/scim/v2", TokenEnv: "T"}, `--url "x/scim/v2": want an absolute https:// URL`},
		{"credentials in the URL", Flags{URL: "https://u:pw@x/scim/v2", TokenEnv: "T"}, "--url: put no credentials in the URL"},
		{"query", Flags{URL: "https://x/scim/v2?a=b", TokenEnv: "T"}, `--url "https://x/scim/v2?a=b" must not have a query`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromFlags(tt.f)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want starting %q", err, tt.want)
			}
			for _, field := range []string{"auth.username", "baseURL", "baseUrl", "target profile"} {
				if strings.Contains(err.Error(), field) {
					t.Errorf("err %q names the profile field %s", err, field)
				}
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Errorf("err %q shows the URL's password", err)
			}
		})
	}
}

func TestResolveReadsSecretsFromTheNamedVariables(t *testing.T) {
	p, err := FromFlags(Flags{URL: "https://x/scim/v2", TokenEnv: "TOK"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Resolve(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "TOK is empty") {
		t.Fatalf("unset variable: %v", err)
	}
	r, err := p.Resolve(func(k string) string { return map[string]string{"TOK": "s3cret-token"}[k] })
	if err != nil || r.Auth.Authorization() != "Bearer s3cret-token" {
		t.Fatalf("resolve: %v %q", err, r.Auth.Authorization())
	}
	b, _ := json.Marshal(r)
	if strings.Contains(string(b), "s3cret") {
		t.Fatalf("secret serialised: %s", b)
	}
}

func TestExpand(t *testing.T) {
	vars := Vars{"email": S(`a"b@x.com`), "cidrs": J([]string{"10.0.0.0/8"}), "team": S("a b/c")}
	if got := expand(`{"email":"{email}","list":{cidrs},"x":"{unknown}"}`, vars, jsonEscape); got != `{"email":"a\"b@x.com","list":["10.0.0.0/8"],"x":"{unknown}"}` {
		t.Errorf("body expand = %s", got)
	}
	if got := expand("/teams/{team}/members", vars, pathEscape); got != "/teams/a%20b%2Fc/members" {
		t.Errorf("path expand = %s", got)
	}
}

// TestProberAgainstAnAdminAPI runs grants and observations against a fake
// admin API and checks auth, client IP, picks, validity and redaction.
func TestProberAgainstAnAdminAPI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Forwarded-For") != "192.0.2.10" {
			http.Error(w, "no client ip", http.StatusForbidden)
			return
		}
		switch {
		case r.Method == "POST" && r.URL.Path == "/api-keys":
			b, _ := io.ReadAll(r.Body)
			if !strings.Contains(string(b), `"owner":"ana@x.com"`) || r.Header.Get("Authorization") != "Bearer admin-secret" {
				http.Error(w, "bad", http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"secret":"minted-key-123"}`)
		case r.URL.Path == "/whoami":
			if r.Header.Get("Authorization") == "Bearer minted-key-123" {
				io.WriteString(w, `{"kind":"apiKey","email":"ana@x.com"}`)
				return
			}
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/users/ana@x.com":
			io.WriteString(w, `{"roles":["User","Viewer"]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var recorded []Exchange
	p := &Prober{Client: srv.Client(), Probes: ReferenceProbes(),
		Admin:  Admin{BaseURL: srv.URL, Auth: Auth{Mode: AuthBearer, Secret: "admin-secret"}, ClientIPHeader: "X-Forwarded-For", ClientIP: "192.0.2.10"},
		Record: func(e Exchange) { recorded = append(recorded, e) }, Secrets: func() []string { return []string{"minted-key-123"} }}
	ctx := context.Background()
	res, err := p.Run(ctx, MintAPIKey, Vars{"email": S("ana@x.com"), "keyName": S("k")})
	if err != nil || res.Picked.String() != "minted-key-123" {
		t.Fatalf("mint: %v %q", err, res.Picked.String())
	}
	for secret, valid := range map[string]bool{"minted-key-123": true, "revoked": false} {
		res, err := p.Run(ctx, KeyValid, Vars{"secret": S(secret)})
		if err != nil || res.Valid != valid {
			t.Errorf("keyValid(%s) = %t, %v; want %t", secret, res.Valid, err, valid)
		}
		// A validity probe picks too: whose credential it is.
		if want := map[bool]string{true: "ana@x.com"}[valid]; res.Picked.String() != want {
			t.Errorf("keyValid(%s) picked %q, want %q", secret, res.Picked.String(), want)
		}
	}
	res, err = p.Run(ctx, ReadRoles, Vars{"email": S("ana@x.com")})
	if err != nil || len(res.Picked.Array()) != 2 {
		t.Fatalf("readRoles: %v %s", err, res.Picked.Raw)
	}
	if _, err := p.Run(ctx, ReadTeams, Vars{"email": S("nobody@x.com")}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("readTeams of unknown user: %v, want the 404 named", err)
	}
	for _, e := range recorded {
		all := e.RequestBody + e.ResponseBody + e.URL + strings.Join(e.RequestHeaders.Values("Authorization"), "")
		if strings.Contains(all, "minted-key-123") || strings.Contains(all, "admin-secret") {
			t.Errorf("secret in recorded exchange: %+v", e)
		}
	}
	if _, err := p.Run(ctx, "nosuch", nil); err == nil {
		t.Error("unknown probe ran")
	}
}

func TestInferCapabilities(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ServiceProviderConfig":
			io.WriteString(w, `{"patch":{"supported":true},"filter":{"supported":true},"etag":{"supported":false}}`)
		case "/ResourceTypes":
			io.WriteString(w, `{"Resources":[{"name":"User","endpoint":"/Users"}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	caps, err := Infer(context.Background(), srv.Client(), srv.URL, "Bearer x", map[Capability]bool{CapImport: false})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Capability]bool{CapPatch: true, CapFilter: true, CapETag: false, CapGroups: false, CapDiscovery: true, CapImport: false, CapForceSync: true}
	for c, v := range want {
		if caps.Has(c) != v {
			t.Errorf("%s = %t, want %t", c, caps.Has(c), v)
		}
	}
	if r := caps.Reason(CapImport); !strings.Contains(r, "profile turns") {
		t.Errorf("reason for an override: %q", r)
	}
	if r := caps.Reason(CapETag); !strings.Contains(r, "does not advertise") {
		t.Errorf("reason for inferred: %q", r)
	}
}

// TestInferGroupWrites: a Group entry in /ResourceTypes says the target
// keeps groups; a /Groups that only answers a ListResponse (as Okta's SPEC
// test asks of every app) serves group reads, not the groups Okta pushes.
func TestInferGroupWrites(t *testing.T) {
	for _, tc := range []struct {
		name, resourceTypes string
		groupsList          bool
		groups, writes      bool
	}{
		{"declared", `{"Resources":[{"name":"User","endpoint":"/Users"},{"name":"Group","endpoint":"/Groups"}]}`, false, true, true},
		{"list only", `{"Resources":[{"name":"User","endpoint":"/Users"}]}`, true, true, false},
		{"none", `{"Resources":[{"name":"User","endpoint":"/Users"}]}`, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/ServiceProviderConfig":
					io.WriteString(w, `{"patch":{"supported":true}}`)
				case r.URL.Path == "/ResourceTypes":
					io.WriteString(w, tc.resourceTypes)
				case r.URL.Path == "/Groups" && tc.groupsList:
					io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			caps, err := Infer(context.Background(), srv.Client(), srv.URL, "Bearer x", nil)
			if err != nil {
				t.Fatal(err)
			}
			if caps.Has(CapGroups) != tc.groups || caps.Has(CapGroupWrites) != tc.writes {
				t.Errorf("groups %t, group-writes %t; want %t, %t", caps.Has(CapGroups), caps.Has(CapGroupWrites), tc.groups, tc.writes)
			}
			if !tc.writes && !strings.Contains(caps.Reason(CapGroupWrites), "Group entry in /ResourceTypes") {
				t.Errorf("reason %q does not say what to advertise", caps.Reason(CapGroupWrites))
			}
		})
	}
}

func TestResolveContainerEnvFromEnvironment(t *testing.T) {
	p, err := Parse([]byte("name: c\nauth: {secretEnv: KEY}\ncontainer: {image: ref:dev, port: 8080, healthPath: /healthz, env: {SCIMULATOR_ADMIN_KEY: 'env:KEY', MODE: plain}}\n"), ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p, err = p.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := p.Resolve(func(k string) string { return map[string]string{"KEY": "k-123456"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	if r.Container.Env["SCIMULATOR_ADMIN_KEY"] != "k-123456" || r.Container.Env["MODE"] != "plain" || p.Container.Env["SCIMULATOR_ADMIN_KEY"] != "env:KEY" {
		t.Errorf("env = %v (original %v)", r.Container.Env, p.Container.Env)
	}
	if _, err := p.Resolve(func(string) string { return "" }); err == nil {
		t.Error("unset container env variable accepted")
	}
}

// TestSecretInFileGetsAHint: a token written into the profile is refused
// with the fix, in both formats.
func TestSecretInFileGetsAHint(t *testing.T) {
	for ext, doc := range map[string]string{
		".yaml": "name: x\nbaseURL: https://x/scim/v2\nauth:\n  mode: bearer\n  secret: abc\n",
		".json": `{"name":"x","baseURL":"https://x/scim/v2","auth":{"mode":"bearer","secret":"abc"}}`,
	} {
		_, err := Parse([]byte(doc), ext)
		if err == nil || !strings.Contains(err.Error(), "secrets are never read from the file: use secretEnv: NAME") {
			t.Errorf("%s: error %v, want the secretEnv hint", ext, err)
		}
	}
}

func TestIdPField(t *testing.T) {
	p := Default()
	p.IdP = "Entra"
	got, err := p.Validate()
	if err != nil || got.IdP != IdPEntra {
		t.Fatalf("idp Entra: %v %q", err, got.IdP)
	}
	p.IdP = ""
	if got, err = p.Validate(); err != nil || got.IdP != IdPOkta {
		t.Fatalf("idp empty: %v %q (want okta)", err, got.IdP)
	}
	p.IdP = "azure"
	if _, err := p.Validate(); err == nil || !strings.Contains(err.Error(), `unknown identity provider "azure"`) {
		t.Fatalf("idp azure: %v", err)
	}
}

func TestNegativeLimitsAreRefused(t *testing.T) {
	p := Default()
	p.Limits.FilterBytes = -1
	if _, err := p.Validate(); err == nil || !strings.Contains(err.Error(), "limits:") {
		t.Fatalf("Validate with filterBytes -1: %v, want an error naming limits", err)
	}
	if _, err := Default().Validate(); err != nil {
		t.Fatalf("Default: %v", err)
	}
}
