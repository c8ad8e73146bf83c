package reference

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// mintKey creates an API key through the admin API and returns its secret.
func mintKey(t testing.TB, s *Server, role, owner string) (id, secret string) {
	t.Helper()
	r := admin(t, s, "POST", "/api-keys", map[string]any{"name": "k-" + role, "role": role, "owner": owner})
	if r.status != http.StatusCreated {
		t.Fatalf("mint key: %d %s", r.status, r.body)
	}
	m := r.json()
	return m["id"].(string), m["secret"].(string)
}

// TestSCIMAuthCauses: each 401/403 cause of SPEC §1.1–1.2, with a detail
// that names it (the text Okta shows after "Forbidden from remote server").
func TestSCIMAuthCauses(t *testing.T) {
	s, err := New(Config{AdminKey: "admin-secret"}) // SCIM off: the default
	if err != nil {
		t.Fatal(err)
	}
	admin(t, s, "POST", "/roles", map[string]any{"name": "ScimPartial", "permissions": []string{"CONFIGURE_OIDC_AND_SCIM"}})
	admin(t, s, "POST", "/roles", map[string]any{"name": "ScimFull", "permissions": []string{"CONFIGURE_OIDC_AND_SCIM", "EDIT_ROLES", "MANAGE_IDENTITY_MAPPINGS"}})
	_, viewer := mintKey(t, s, "Viewer", "")
	_, partial := mintKey(t, s, "ScimPartial", "")
	_, full := mintKey(t, s, "ScimFull", "")

	get := func(token string, hdr ...string) resp {
		return do(t, s, token, "GET", "/scim/v2/Users?startIndex=1&count=2", nil, hdr...)
	}
	// SCIM off: a valid key gets 403 naming the setting.
	r := get(full)
	wantSCIMError(t, r, 403, "")
	if d := r.json()["detail"].(string); !strings.Contains(d, "SCIM is disabled") {
		t.Errorf("detail %q does not name the SCIM setting", d)
	}
	// Bad credentials are 401 even while SCIM is off.
	wantSCIMError(t, get(""), 401, "")
	wantSCIMError(t, get("wrong"), 401, "")
	wantSCIMError(t, do(t, s, "", "GET", "/scim/v2/Users", nil, "Authorization", "Basic dXNlcjpwYXNz"), 401, "")
	// RFC 6750 §3, §3.1: error="invalid_token" only when a token was sent.
	for token, want := range map[string]string{
		"":      `Bearer realm="scimulator"`,
		"wrong": `Bearer realm="scimulator", error="invalid_token"`,
	} {
		if got := get(token).header.Get("WWW-Authenticate"); got != want {
			t.Errorf("token %q: WWW-Authenticate %q, want %q", token, got, want)
		}
	}

	admin(t, s, "PATCH", "/settings", map[string]any{"scimEnabled": true})
	if r := get(full); r.status != 200 {
		t.Fatalf("custom role with the three permissions: %d %s", r.status, r.body)
	}
	if r := get(s.AdminKey()); r.status != 200 {
		t.Fatalf("admin key: %d", r.status)
	}
	for _, tc := range []struct {
		token   string
		missing []string
	}{
		{viewer, []string{"CONFIGURE_OIDC_AND_SCIM", "EDIT_ROLES", "MANAGE_IDENTITY_MAPPINGS"}},
		{partial, []string{"EDIT_ROLES", "MANAGE_IDENTITY_MAPPINGS"}},
	} {
		r := get(tc.token)
		wantSCIMError(t, r, 403, "")
		d := r.json()["detail"].(string)
		for _, p := range tc.missing {
			if !strings.Contains(d, p) {
				t.Errorf("detail %q does not name missing %s", d, p)
			}
		}
		if strings.Contains(d, "CONFIGURE_OIDC_AND_SCIM") && len(tc.missing) == 2 {
			t.Errorf("detail %q names a permission the role has", d)
		}
	}
	// Scheme is case-insensitive (RFC 6750 §2.1 via RFC 7235).
	if r := do(t, s, "", "GET", "/scim/v2/Users", nil, "Authorization", "bearer "+full); r.status != 200 {
		t.Fatalf("lower-case scheme: %d", r.status)
	}
}

// TestIPAllowlist: SPEC §1.1 — single addresses and CIDR ranges, IPv4 and
// IPv6, on SCIM and admin API alike; the client IP header setting.
func TestIPAllowlist(t *testing.T) {
	s := newTestServer(t)
	from := func(remote, path string, hdr ...string) int {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = remote
		req.Header.Set("Authorization", "Bearer "+s.AdminKey())
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code == 403 && !strings.Contains(rec.Body.String(), "allowlist") {
			t.Errorf("403 detail does not name the allowlist: %s", rec.Body)
		}
		return rec.Code
	}
	// Empty allowlist: everyone.
	if c := from("198.51.100.7:5000", "/scim/v2/Users"); c != 200 {
		t.Fatalf("empty allowlist: %d", c)
	}
	r := doFrom(t, s, "192.0.2.10:1", "PATCH", "/api/v1/settings", map[string]any{"ipAllowlist": []string{"192.0.2.10", "203.0.113.0/24", "2001:db8::/32"}})
	if r.status != 200 {
		t.Fatalf("set allowlist: %d %s", r.status, r.body)
	}
	tests := []struct {
		remote string
		want   int
	}{
		{"192.0.2.10:1", 200},
		{"192.0.2.11:1", 403},
		{"203.0.113.200:1", 200},
		{"203.0.114.1:1", 403},
		{"[2001:db8::1]:1", 200},
		{"[2001:db9::1]:1", 403},
		{"[::ffff:192.0.2.10]:1", 200}, // IPv4-mapped IPv6
	}
	for _, tc := range tests {
		for _, path := range []string{"/scim/v2/Users", "/api/v1/settings"} {
			if c := from(tc.remote, path); c != tc.want {
				t.Errorf("%s %s: %d, want %d", tc.remote, path, c, tc.want)
			}
		}
	}
	// Behind a proxy: the header's first address counts, the socket does not.
	from("192.0.2.10:1", "/api/v1/settings")
	req := httptest.NewRequest("PATCH", "/api/v1/settings", strings.NewReader(`{"clientIpHeader":"X-Forwarded-For"}`))
	req.RemoteAddr = "192.0.2.10:1"
	req.Header.Set("Authorization", "Bearer "+s.AdminKey())
	req.Header.Set("X-Forwarded-For", "203.0.113.9") // the new header must admit the caller
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("set header: %d %s", rec.Code, rec.Body)
	}
	if c := from("192.0.2.10:1", "/scim/v2/Users", "X-Forwarded-For", "198.51.100.1, 192.0.2.10"); c != 403 {
		t.Errorf("header outside: %d", c)
	}
	if c := from("198.51.100.1:1", "/scim/v2/Users", "X-Forwarded-For", "203.0.113.5, 10.0.0.1"); c != 200 {
		t.Errorf("header inside: %d", c)
	}
	if c := from("192.0.2.10:1", "/scim/v2/Users"); c != 403 {
		t.Errorf("header missing must fail closed: %d", c)
	}
	// healthz is outside the allowlist.
	if c := from("198.51.100.1:1", "/healthz"); c != 200 {
		t.Errorf("healthz: %d", c)
	}
}

func TestSettingsValidation(t *testing.T) {
	s := newTestServer(t)
	for _, body := range []map[string]any{
		{"ipAllowlist": []string{"10.0.0.0/33"}},
		{"ipAllowlist": []string{"not-an-ip"}},
		{"defaultRole": "Nobody"},
		{"clientIpHeader": "X Bad"},
		{"scimEnabled": "yes"},
		{"unknownField": true},
	} {
		r := admin(t, s, "PATCH", "/settings", body)
		if r.status != 400 || r.json()["status"] != float64(400) || r.json()["error"] == "" {
			t.Errorf("%v: %d %s", body, r.status, r.body)
		}
	}
	got := admin(t, s, "GET", "/settings", nil).json()
	if got["scimEnabled"] != true || got["defaultRole"] != "User" || len(got["ipAllowlist"].([]any)) != 0 || got["clientIpHeader"] != "" || got["keepDeprovisionedInTeams"] != false {
		t.Fatalf("settings changed by refused PATCHes: %v", got)
	}
}

// TestAdminAuth: the admin API wants an Admin-role key.
func TestAdminAuth(t *testing.T) {
	s := newTestServer(t)
	_, userKey := mintKey(t, s, "User", "")
	for _, tc := range []struct {
		token string
		want  int
	}{{"", 401}, {"nope", 401}, {userKey, 403}, {s.AdminKey(), 200}} {
		r := do(t, s, tc.token, "GET", "/api/v1/settings", nil)
		if r.status != tc.want {
			t.Errorf("token %q...: %d, want %d", tc.token[:min(3, len(tc.token))], r.status, tc.want)
		}
		if r.status != 200 && (r.json()["status"] != float64(tc.want) || r.json()["error"] == "") {
			t.Errorf("admin error body: %s", r.body)
		}
	}
	_, personalAdmin := func() (string, string) {
		mustCreate(t, s, "boss@example.com")
		return mintKey(t, s, "Admin", "boss@example.com")
	}()
	if r := do(t, s, personalAdmin, "GET", "/api/v1/settings", nil); r.status != 200 {
		t.Errorf("personal Admin key: %d", r.status)
	}
}

// TestSecretsStoredHashed: the key secret appears once, at creation.
func TestSecretsStoredHashed(t *testing.T) {
	s := newTestServer(t)
	_, secret := mintKey(t, s, "Viewer", "")
	list := admin(t, s, "GET", "/api-keys", nil)
	if strings.Contains(string(list.body), secret) || strings.Contains(string(list.body), "secret") {
		t.Fatalf("list shows a secret: %s", list.body)
	}
	var found bool
	_ = s.st.Read(func(d *storeData) error {
		for k := range d.APIKeys() {
			if strings.Contains(string(k.Hash), secret) {
				t.Error("secret stored in clear")
			}
			found = found || len(k.Hash) == 32
		}
		return nil
	})
	if !found {
		t.Error("no hashed key stored")
	}
}

// TestSettingsLockout: a settings change under which the calling admin would
// be outside the allowlist is refused with 409 and changes nothing; the
// caller's address is resolved with the NEW clientIpHeader from the
// request's own headers (how the suite's probes keep their access).
func TestSettingsLockout(t *testing.T) {
	const lockoutFix = "add it to ipAllowlist, or send the request from an address on the list"
	tests := []struct {
		name   string
		remote string
		body   map[string]any
		hdr    []string
		want   int
		detail string // the whole 409 detail
	}{
		{"list without the caller", "192.0.2.1:1", map[string]any{"ipAllowlist": []string{"203.0.113.0/24"}}, nil, 409, "this allowlist would lock out the address you are calling from, 192.0.2.1 (the connection's address): " + lockoutFix},
		{"list with the caller", "192.0.2.1:1", map[string]any{"ipAllowlist": []string{"203.0.113.0/24", "192.0.2.1"}}, nil, 200, ""},
		{"caller in a range", "[2001:db8::5]:1", map[string]any{"ipAllowlist": []string{"2001:db8::/64"}}, nil, 200, ""},
		{"empty list admits everyone", "192.0.2.1:1", map[string]any{"ipAllowlist": []string{}}, nil, 200, ""},
		{"new header, its address on the list (suite probes)", "10.9.9.9:1",
			map[string]any{"ipAllowlist": []string{"203.0.113.0/24", "198.51.100.7"}, "clientIpHeader": "X-Forwarded-For"},
			[]string{"X-Forwarded-For", "198.51.100.7, 10.0.0.1"}, 200, ""},
		{"new header, its address off the list", "203.0.113.5:1",
			map[string]any{"ipAllowlist": []string{"203.0.113.0/24"}, "clientIpHeader": "X-Forwarded-For"},
			[]string{"X-Forwarded-For", "198.51.100.7"}, 409, "this allowlist would lock out the address you are calling from, 198.51.100.7 (the first address in the X-Forwarded-For header): " + lockoutFix},
		{"new header missing from the request", "203.0.113.5:1",
			map[string]any{"ipAllowlist": []string{"203.0.113.0/24"}, "clientIpHeader": "X-Real-IP"}, nil, 409,
			"this allowlist would lock out the address you are calling from, because this request's X-Real-IP header is missing or not an IP address: send X-Real-IP with an address on ipAllowlist"},
		{"old header ignored once cleared", "192.0.2.1:1",
			map[string]any{"ipAllowlist": []string{"198.51.100.7"}, "clientIpHeader": ""},
			[]string{"X-Forwarded-For", "198.51.100.7"}, 409, "this allowlist would lock out the address you are calling from, 192.0.2.1 (the connection's address): " + lockoutFix},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			before := string(doFrom(t, s, tc.remote, "GET", "/api/v1/settings", nil).body)
			r := doFrom(t, s, tc.remote, "PATCH", "/api/v1/settings", tc.body, tc.hdr...)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.want != 409 {
				return
			}
			e, _ := r.json()["error"].(string)
			// One sentence, each part said once (no nested parentheses).
			if e != tc.detail {
				t.Fatalf("409 detail:\n got %q\nwant %q", e, tc.detail)
			}
			if after := string(doFrom(t, s, tc.remote, "GET", "/api/v1/settings", nil).body); after != before {
				t.Fatalf("refused change was applied:\n%s\n%s", before, after)
			}
		})
	}
}
