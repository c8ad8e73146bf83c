package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimulator/scimulator/simulator"
)

const testToken = "s3cr3t-token-value"

// listOK is a valid empty ListResponse.
const listOK = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`

func scimErrorBody(status int, detail string) string {
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"%d","detail":%q}`, status, detail)
}

// answer returns a handler that answers every request with status and body.
func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// tlsServer starts an HTTPS test server and returns it with a pool that
// trusts its certificate.
func tlsServer(t *testing.T, h http.Handler) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, pool
}

// run runs doctor against url. The default timeouts are generous, so that
// a TLS handshake on a loaded CI machine (-race, packages testing in
// parallel) never looks like a timeout; tests about timeouts set their own,
// and no healthy test server makes doctor wait for them.
func run(t *testing.T, cfg Config) Report {
	t.Helper()
	if cfg.Auth.Mode == "" {
		cfg.Auth = simulator.Auth{Mode: simulator.AuthBearer, Secret: testToken}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), testToken) {
		t.Fatalf("the report shows the token:\n%s", text.String())
	}
	var js strings.Builder
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(js.String(), testToken) {
		t.Fatalf("the JSON report shows the token:\n%s", js.String())
	}
	t.Logf("doctor output:\n%s", text.String())
	return rep
}

// find returns the first finding with code.
func find(rep Report, code Code) (Finding, bool) {
	for _, f := range rep.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func codes(rep Report) []Code {
	var out []Code
	for _, f := range rep.Findings {
		out = append(out, f.Code)
	}
	return out
}

// TestDiagnoses runs doctor against one HTTPS server per case and checks
// the verdict, the finding and a key phrase of its explanation.
func TestDiagnoses(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.Handler
		wantOK   bool
		wantCode Code
		wantSev  Severity
		wantText string // in the finding's title, evidence, why or fix
		wantOkta string // in Okta's message
	}{
		{name: "success", handler: answer(200, "application/scim+json", listOK),
			wantOK: true, wantCode: CodeVerified, wantSev: SeverityInfo, wantOkta: "verified successfully"},
		{name: "401 unknown key", handler: answer(401, "application/scim+json", scimErrorBody(401, "invalid credentials")),
			wantCode: CodeUnauthorized, wantSev: SeverityError, wantText: "invalid credentials", wantOkta: "Unauthorized"},
		{name: "403 SCIM disabled", handler: answer(403, "application/scim+json", scimErrorBody(403, "SCIM is disabled for this workspace: turn on SCIM in Settings before connecting Okta")),
			wantCode: CodeSCIMDisabled, wantSev: SeverityError, wantText: "turn SCIM", wantOkta: "Forbidden from remote server"},
		{name: "403 missing permissions", handler: answer(403, "application/scim+json", scimErrorBody(403, `the API key's role "Viewer" is missing permissions required for SCIM: CONFIGURE_OIDC_AND_SCIM, EDIT_ROLES`)),
			wantCode: CodeMissingPermissions, wantSev: SeverityError, wantText: "Configure Open ID Connector & SCIM, Edit Roles", wantOkta: "Forbidden from remote server"},
		{name: "403 IP allowlist", handler: answer(403, "application/scim+json", scimErrorBody(403, "client IP 198.51.100.7 is not in the workspace IP allowlist")),
			wantCode: CodeIPNotAllowed, wantSev: SeverityError, wantText: "egress IP", wantOkta: "Forbidden from remote server"},
		{name: "403 without a reason", handler: answer(403, "application/scim+json", scimErrorBody(403, "Forbidden")),
			wantCode: CodeForbiddenUnknown, wantSev: SeverityError, wantText: "three known causes", wantOkta: "Forbidden from remote server"},
		{name: "redirect", handler: http.RedirectHandler("https://elsewhere.example/api/scim/v2/Users?startIndex=1&count=2", http.StatusMovedPermanently),
			wantCode: CodeRedirect, wantSev: SeverityError, wantText: "https://elsewhere.example/api/scim/v2"},
		{name: "HTML page", handler: answer(200, "text/html", "<!doctype html><html><body>Sign in</body></html>"),
			wantCode: CodeNotJSON, wantSev: SeverityError, wantText: "login page"},
		{name: "JSON but not a ListResponse", handler: answer(200, "application/json", `{"users":[]}`),
			wantCode: CodeNotListResponse, wantText: "ListResponse"},
		{name: "string counts", handler: answer(200, "application/scim+json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":"0","startIndex":"1","itemsPerPage":"0","Resources":[]}`),
			wantCode: CodeStringCounts, wantText: `totalResults="0"`},
		{name: "server error", handler: answer(500, "application/scim+json", scimErrorBody(500, "database unavailable")),
			wantCode: CodeHTTPError, wantSev: SeverityError, wantText: "database unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, pool := tlsServer(t, tt.handler)
			rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool})
			if rep.OK != tt.wantOK {
				t.Fatalf("OK = %t, want %t (findings %v)", rep.OK, tt.wantOK, codes(rep))
			}
			f, ok := find(rep, tt.wantCode)
			if !ok {
				t.Fatalf("no %s finding; got %v", tt.wantCode, codes(rep))
			}
			if tt.wantSev != "" && f.Severity != tt.wantSev {
				t.Fatalf("%s severity = %s, want %s", tt.wantCode, f.Severity, tt.wantSev)
			}
			all := f.Title + "\n" + f.Evidence + "\n" + f.Why + "\n" + strings.Join(f.Fix, "\n")
			if !strings.Contains(all, tt.wantText) {
				t.Fatalf("%s finding lacks %q:\n%s", tt.wantCode, tt.wantText, all)
			}
			if !strings.Contains(rep.Okta.Message, tt.wantOkta) {
				t.Fatalf("Okta message %q lacks %q", rep.Okta.Message, tt.wantOkta)
			}
			if !tt.wantOK && rep.Okta.Verified && tt.wantSev == SeverityError {
				t.Fatalf("Okta verified the connection but doctor found an error")
			}
		})
	}
}

func TestForbiddenWithoutReasonListsAllThreeWithChecks(t *testing.T) {
	srv, pool := tlsServer(t, answer(403, "text/plain", ""))
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool})
	for _, c := range []Code{CodeForbiddenUnknown, CodeSCIMDisabled, CodeMissingPermissions, CodeIPNotAllowed} {
		f, ok := find(rep, c)
		if !ok {
			t.Fatalf("no %s finding; got %v", c, codes(rep))
		}
		if c != CodeForbiddenUnknown && (len(f.Fix) == 0 || !strings.HasPrefix(f.Fix[0], "Check:")) {
			t.Fatalf("%s candidate does not start with how to check it: %v", c, f.Fix)
		}
	}
	if rep.OK {
		t.Fatal("OK after a 403")
	}
}

func TestNotFoundFindsTheSCIMBasePath(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /scim/v2/Users", answer(200, "application/scim+json", listOK))
	srv, pool := tlsServer(t, mux)
	rep := run(t, Config{URL: srv.URL, RootCAs: pool}) // base URL without /scim/v2
	f, ok := find(rep, CodeNotFound)
	if !ok {
		t.Fatalf("no %s finding; got %v", CodeNotFound, codes(rep))
	}
	want := "Use " + srv.URL + "/scim/v2 as the base URL"
	if !strings.Contains(strings.Join(f.Fix, "\n"), want) {
		t.Fatalf("fix does not say %q: %v", want, f.Fix)
	}
	if rep.OK {
		t.Fatal("OK after a 404")
	}
}

func TestNotFoundBaseEndingInUsers(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /scim/v2/Users", answer(200, "application/scim+json", listOK))
	srv, pool := tlsServer(t, mux)
	rep := run(t, Config{URL: srv.URL + "/scim/v2/Users", RootCAs: pool})
	f, ok := find(rep, CodeNotFound)
	if !ok {
		t.Fatalf("no %s finding; got %v", CodeNotFound, codes(rep))
	}
	if !strings.Contains(strings.Join(f.Fix, "\n"), "ends in /Users") {
		t.Fatalf("fix does not point at the trailing /Users: %v", f.Fix)
	}
}

func TestTLS11OnlyServer(t *testing.T) {
	srv := httptest.NewUnstartedServer(answer(200, "application/scim+json", listOK))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool})
	f, ok := find(rep, CodeTLSVersion)
	if !ok {
		t.Fatalf("no %s finding; got %v", CodeTLSVersion, codes(rep))
	}
	if !strings.Contains(f.Evidence, "TLS 1.1") || strings.Contains(f.Evidence, "TLS 1.2") {
		t.Fatalf("evidence does not show the scan found TLS 1.1 only: %s", f.Evidence)
	}
	if rep.OK || rep.Okta.Verified {
		t.Fatal("OK against a TLS 1.1 server")
	}
}

func TestUntrustedCertificate(t *testing.T) {
	srv := httptest.NewTLSServer(answer(200, "application/scim+json", listOK))
	t.Cleanup(srv.Close)
	rep := run(t, Config{URL: srv.URL + "/scim/v2"}) // system roots only
	f, ok := find(rep, CodeTLSUntrusted)
	if !ok {
		t.Fatalf("no %s finding; got %v", CodeTLSUntrusted, codes(rep))
	}
	if !strings.Contains(strings.Join(f.Fix, " "), "public CA") {
		t.Fatalf("fix does not mention a public CA: %v", f.Fix)
	}
	if rep.OK {
		t.Fatal("OK with an untrusted certificate")
	}
}

func TestPlainHTTP(t *testing.T) {
	srv := httptest.NewServer(answer(200, "application/scim+json", listOK))
	t.Cleanup(srv.Close)
	rep := run(t, Config{URL: srv.URL + "/scim/v2"})
	f, ok := find(rep, CodePlainHTTP)
	if !ok || f.Severity != SeverityError {
		t.Fatalf("plain-http finding = %+v, %t; want an error", f, ok)
	}
	if rep.OK {
		t.Fatal("OK over plain HTTP")
	}
	// Okta refuses to save an http:// URL: the report must not claim that
	// Okta verified it, only that doctor's own run over HTTP got through.
	if rep.Okta.Verified || !strings.Contains(rep.Okta.Message, "not https://") || rep.Okta.Provenance != ProvenanceDoctor {
		t.Fatalf("Okta result over plain HTTP = %+v; want not verified, doctor's https-required explanation", rep.Okta)
	}
	if o := rep.Okta.OverHTTP; o == nil || !o.Verified {
		t.Fatalf("the rest of the diagnosis did not run over HTTP: %+v", rep.Okta.OverHTTP)
	}
	if !strings.Contains(strings.Join(f.Fix, " "), strings.Replace(srv.URL, "http://", "https://", 1)) {
		t.Fatalf("fix does not show the https URL: %v", f.Fix)
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(text.String(), "\n") {
		if strings.HasPrefix(line, "Okta shows:") && (strings.Contains(line, "verified successfully") || !strings.Contains(line, "doctor's explanation")) {
			t.Fatalf("over plain HTTP the report says %q; want doctor's explanation that Okta refuses http://", line)
		}
	}
	if strings.Contains(text.String(), "Okta would verify") || strings.Contains(text.String(), "Okta sent") || !strings.Contains(text.String(), "Okta would NOT accept") {
		t.Fatalf("the text claims success over plain HTTP:\n%s", text.String())
	}

	rep = run(t, Config{URL: srv.URL + "/scim/v2", AllowHTTP: true})
	if f, _ := find(rep, CodePlainHTTP); f.Severity != SeverityWarning || !rep.OK {
		t.Fatalf("with AllowHTTP: OK %t, plain-http severity %s; want OK and a warning", rep.OK, f.Severity)
	}
	if !rep.Okta.Verified || rep.Okta.OverHTTP != nil {
		t.Fatalf("with AllowHTTP the Okta result is the test's own: %+v", rep.Okta)
	}
}

func TestHangingServerReadTimeout(t *testing.T) {
	release := make(chan struct{})
	srv, pool := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // hang until the client gives up or the test ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer close(release)
	start := time.Now()
	// The timeout covers the whole exchange, TLS handshake included: keep it
	// well above a handshake's time on a loaded CI machine (-race, parallel
	// packages), or the run is classified as a connect problem instead.
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool, Timeout: 2 * time.Second})
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("doctor took %s against a hanging server with a 2s timeout", d)
	}
	if _, ok := find(rep, CodeReadTimeout); !ok {
		t.Fatalf("no %s finding; got %v", CodeReadTimeout, codes(rep))
	}
	if rep.OK {
		t.Fatal("OK against a hanging server")
	}
}

func TestConnectionRefused(t *testing.T) {
	// Port 1 (tcpmux) has no listener; a port freed by closing a test
	// server can be taken at once by another package's test under go test ./...
	rep := run(t, Config{URL: "https://127.0.0.1:1/scim/v2"})
	if _, ok := find(rep, CodeConnectRefused); !ok {
		t.Fatalf("no %s finding; got %v", CodeConnectRefused, codes(rep))
	}
}

func TestRunRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"", "ftp://x/scim", "https:///scim/v2", "https://x/scim/v2?x=1", "://"} {
		if _, err := Run(context.Background(), Config{URL: u, Auth: simulator.Auth{Mode: simulator.AuthBearer, Secret: "x"}}); err == nil {
			t.Errorf("Run(%q) = nil error", u)
		}
	}
}

func TestGroupsEndpointMissing(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /scim/v2/Users", answer(200, "application/scim+json", listOK))
	srv, pool := tlsServer(t, mux) // no /Groups: 404
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool, Groups: true})
	if len(rep.Exchanges) != 2 || !strings.Contains(rep.Exchanges[1].URL, "/Groups?startIndex=1&count=100") {
		t.Fatalf("exchanges = %+v, want Okta's /Users then /Groups", rep.Exchanges)
	}
	if _, ok := find(rep, CodeGroupsUnsupported); !ok || rep.OK {
		t.Fatalf("OK %t, findings %v; want a failure with %s", rep.OK, codes(rep), CodeGroupsUnsupported)
	}
	// Without Push groups, Okta never asks for /Groups and the test passes.
	if rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool}); !rep.OK || len(rep.Exchanges) != 1 {
		t.Fatalf("without Groups: OK %t, %d exchanges", rep.OK, len(rep.Exchanges))
	}
}

func TestUnauthorizedHints(t *testing.T) {
	srv, pool := tlsServer(t, answer(401, "application/scim+json", scimErrorBody(401, "invalid credentials")))
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool,
		Auth: simulator.Auth{Mode: simulator.AuthBearer, Secret: "Bearer " + testToken}})
	f, _ := find(rep, CodeUnauthorized)
	if !strings.Contains(strings.Join(f.Fix, " "), "Bearer Bearer") {
		t.Fatalf("bearer mode with a Bearer-prefixed token: fix %v does not explain the doubled scheme", f.Fix)
	}
	rep = run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool,
		Auth: simulator.Auth{Mode: simulator.AuthHeader, Secret: testToken}})
	f, _ = find(rep, CodeUnauthorized)
	if !strings.Contains(strings.Join(f.Fix, " "), `put "Bearer " before the key`) {
		t.Fatalf("header mode with a bare key: fix %v does not suggest the Bearer prefix", f.Fix)
	}
}

func TestCertificateForAnotherName(t *testing.T) {
	srv, pool := tlsServer(t, answer(200, "application/scim+json", listOK))
	// httptest's certificate names example.com and 127.0.0.1, not localhost.
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	rep := run(t, Config{URL: url + "/scim/v2", RootCAs: pool})
	f, ok := find(rep, CodeTLSHostname)
	if !ok {
		t.Fatalf("no %s finding; got %v", CodeTLSHostname, codes(rep))
	}
	if !strings.Contains(f.Evidence, "example.com") || !strings.Contains(f.Title, "localhost") {
		t.Fatalf("finding does not show the names: %+v", f)
	}
	if rep.OK {
		t.Fatal("OK with a certificate for another name")
	}
}

func TestRateLimited(t *testing.T) {
	var attempts atomic.Int32
	srv, pool := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	start := time.Now()
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: pool})
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("doctor waited %s for Okta's back-off", d)
	}
	f, ok := find(rep, CodeRateLimited)
	if !ok || rep.OK {
		t.Fatalf("OK %t, findings %v; want a failure with %s", rep.OK, codes(rep), CodeRateLimited)
	}
	// SPEC §2.3: Retry-After, doubled on each further 429, 10 attempts.
	if attempts.Load() != 10 || !strings.Contains(f.Evidence, "Okta tried 10 times, waiting 30s, 1m0s, 2m0s") {
		t.Fatalf("%d attempts, evidence %q; want Okta's 10-attempt doubling schedule", attempts.Load(), f.Evidence)
	}
}

func TestRunRefusesUserinfoWithoutPrintingIt(t *testing.T) {
	const password = "UserinfoPass999"
	tests := []struct{ name, url string }{
		{"http with user and password", "http://u:" + password + "@127.0.0.1:18301/echo"},
		{"https with user and password", "https://u:" + password + "@api.example.com/scim/v2"},
		{"bare user part", "https://" + password + "@api.example.com/scim/v2"}, // a credential too
		{"wrong scheme", "ftp://u:" + password + "@api.example.com/scim/v2"},
		{"unparseable", "https://u:" + password + "@api.example.com/scim/%zz"}, // url.Error would quote it
	}
	for _, tt := range tests {
		raw := tt.url
		t.Run(tt.name, func(t *testing.T) { // names without the password: -v prints them
			rep, err := Run(context.Background(), Config{URL: raw, Auth: simulator.Auth{Mode: simulator.AuthBearer, Secret: testToken}})
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Run(%s) = %+v, %v; want a *ConfigError", raw, rep, err)
			}
			if strings.Contains(err.Error(), password) {
				t.Fatalf("the error shows the URL's password: %v", err)
			}
			if rep.URL != "" || len(rep.Exchanges) != 0 {
				t.Fatalf("a report was made: %+v", rep)
			}
		})
	}
	_, err := Run(context.Background(), Config{URL: "https://u:" + password + "@api.example.com/scim/v2"})
	if err == nil || !strings.Contains(err.Error(), "--auth basic --username") {
		t.Fatalf("error %v does not say how to pass the credential instead", err)
	}
}
