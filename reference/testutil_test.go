package reference

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/store"
)

// testClock is a settable clock for tests.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

// newTestServer builds a server with SCIM on and the given faults.
func newTestServer(t testing.TB, faults ...string) *Server {
	t.Helper()
	clk := &testClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	s, err := New(Config{EnableSCIM: true, Faults: faults, AdminKey: "test-admin-key", Now: clk.now})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// resp is a recorded response with helpers.
type resp struct {
	t      testing.TB
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a map (fails the test if it is not JSON).
func (r resp) json() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		r.t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// do sends a request to the server's handler with the given bearer token.
func do(t testing.TB, s *Server, token, method, path string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", scimwire.MediaType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return resp{t: t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// scim sends a SCIM request with the admin key.
func scim(t testing.TB, s *Server, method, path string, body any, hdr ...string) resp {
	t.Helper()
	return do(t, s, s.AdminKey(), method, "/scim/v2"+path, body, hdr...)
}

// admin sends an admin API request with the admin key.
func admin(t testing.TB, s *Server, method, path string, body any) resp {
	t.Helper()
	return do(t, s, s.AdminKey(), method, "/api/v1"+path, body)
}

// oktaUser is a create body shaped like Okta's (SPEC §2.2).
func oktaUser(userName, given, family string) map[string]any {
	return map[string]any{
		"schemas":  []string{scimwire.UserSchema},
		"userName": userName,
		"name":     map[string]any{"givenName": given, "familyName": family},
		"emails": []any{map[string]any{
			"primary": true, "value": userName, "type": "work",
		}},
		"displayName": given + " " + family,
		"locale":      "en-US",
		"externalId":  "00u1abcd",
		"groups":      []any{},
		"password":    "xK9!pQ2z",
		"active":      true,
	}
}

// mustCreate creates a user and returns its id.
func mustCreate(t testing.TB, s *Server, userName string) string {
	t.Helper()
	r := scim(t, s, "POST", "/Users", oktaUser(userName, "Ana", "Lima"))
	if r.status != http.StatusCreated {
		t.Fatalf("create %s: status %d: %s", userName, r.status, r.body)
	}
	return r.json()["id"].(string)
}

// wantSCIMError asserts a SCIM error response (RFC 7644 §3.12).
func wantSCIMError(t testing.TB, r resp, status int, scimType string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != scimwire.MediaType {
		t.Fatalf("Content-Type = %q, want %s", ct, scimwire.MediaType)
	}
	m := r.json()
	if s, _ := m["schemas"].([]any); len(s) != 1 || s[0] != scimwire.ErrorSchema {
		t.Fatalf("schemas = %v, want [%s]", m["schemas"], scimwire.ErrorSchema)
	}
	if m["status"] != itoa64(int64(status)) {
		t.Fatalf("status field = %#v, want string %q", m["status"], itoa64(int64(status)))
	}
	if d, _ := m["detail"].(string); d == "" {
		t.Fatalf("detail missing: %s", r.body)
	}
	got, _ := m["scimType"].(string)
	if got != scimType {
		t.Fatalf("scimType = %q, want %q; detail %v", got, scimType, m["detail"])
	}
}

// patchBody wraps operations in a PatchOp message.
func patchBody(ops ...map[string]any) map[string]any {
	list := make([]any, len(ops))
	for i, o := range ops {
		list[i] = o
	}
	return map[string]any{"schemas": []string{scimwire.PatchOpSchema}, "Operations": list}
}

// storeData shortens store.Data in tests.
type storeData = store.Data

// doHandler sends a request to any handler.
func doHandler(t testing.TB, h http.Handler, token, method, path string) resp {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return resp{t: t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// doFrom sends a request with the admin key from the socket address remote
// ("ip:port"), for allowlist tests.
func doFrom(t testing.TB, s *Server, remote, method, path string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = remote
	req.Header.Set("Authorization", "Bearer "+s.AdminKey())
	if body != nil {
		req.Header.Set("Content-Type", scimwire.MediaType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return resp{t: t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}
