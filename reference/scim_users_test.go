package reference

import (
	"net/http"
	"strings"
	"testing"
)

func TestCreateAndGetUser(t *testing.T) {
	s := newTestServer(t)
	r := scim(t, s, "POST", "/Users", oktaUser("Ana.Lima@Example.com", "Ana", "Lima"))
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	u := r.json()
	id, _ := u["id"].(string)
	if id == "" {
		t.Fatal("no id")
	}
	if u["userName"] != "Ana.Lima@Example.com" {
		t.Errorf("userName = %v, want case preserved", u["userName"])
	}
	if _, ok := u["password"]; ok || strings.Contains(string(r.body), "xK9!pQ2z") {
		t.Error("password echoed")
	}
	if u["externalId"] != "00u1abcd" {
		t.Errorf("externalId = %v", u["externalId"])
	}
	loc := r.header.Get("Location")
	if !strings.HasSuffix(loc, "/scim/v2/Users/"+id) {
		t.Errorf("Location = %q", loc)
	}
	if r.header.Get("ETag") == "" {
		t.Error("no ETag")
	}
	meta := u["meta"].(map[string]any)
	for _, k := range []string{"resourceType", "created", "lastModified", "location", "version"} {
		if meta[k] == nil || meta[k] == "" {
			t.Errorf("meta.%s missing", k)
		}
	}
	g := scim(t, s, "GET", "/Users/"+id, nil)
	if g.status != http.StatusOK || g.json()["id"] != id {
		t.Fatalf("get: %d %s", g.status, g.body)
	}
	if g.header.Get("ETag") != r.header.Get("ETag") {
		t.Errorf("ETag changed between create and get")
	}
}

func TestGetUnknownUser(t *testing.T) {
	s := newTestServer(t)
	wantSCIMError(t, scim(t, s, "GET", "/Users/nope", nil), http.StatusNotFound, "")
}

func TestHealthz(t *testing.T) {
	s := newTestServer(t)
	if r := do(t, s, "", "GET", "/healthz", nil); r.status != http.StatusOK {
		t.Fatalf("healthz %d", r.status)
	}
}
