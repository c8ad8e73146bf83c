package reference

import (
	"net/http"
	"testing"
)

// okta echo: a PUT body as Okta builds it from the target's own GET with
// its values merged in (SPEC Appendix B).
func echoBody(t *testing.T, s *Server, id string, edit func(u map[string]any)) map[string]any {
	t.Helper()
	u := scim(t, s, "GET", "/Users/"+id, nil).json()
	u["password"] = "Secret123"
	u["locale"] = "en-US"
	edit(u)
	return u
}

func TestPutTable(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(u map[string]any)
		status   int
		scimType string
		check    func(t *testing.T, u map[string]any)
	}{
		{"names change, echoed read-only attributes tolerated", func(u map[string]any) {
			u["name"] = map[string]any{"givenName": "Bia", "familyName": "Souza", "formatted": "whatever"}
			u["emails"].([]any)[0].(map[string]any)["display"] = "Ana"
		}, 200, "", func(t *testing.T, u map[string]any) {
			n := u["name"].(map[string]any)
			if n["givenName"] != "Bia" || n["familyName"] != "Souza" || u["displayName"] != "Bia Souza" {
				t.Fatalf("names not updated: %v", u)
			}
		}},
		{"userName case change is no change", func(u map[string]any) { u["userName"] = "ANA@EXAMPLE.COM" }, 200, "", func(t *testing.T, u map[string]any) {
			if u["userName"] != "ana@example.com" {
				t.Fatalf("stored case changed: %v", u["userName"])
			}
		}},
		{"userName change", func(u map[string]any) { u["userName"] = "new@example.com" }, 400, "mutability", nil},
		{"email change", func(u map[string]any) {
			u["emails"] = []any{map[string]any{"value": "new@example.com", "primary": true, "type": "work"}}
		}, 400, "mutability", nil},
		{"id in body differs: ignored", func(u map[string]any) { u["id"] = "other" }, 200, "", nil},
		{"deactivate", func(u map[string]any) { u["active"] = false }, 200, "", func(t *testing.T, u map[string]any) {
			if u["active"] != false {
				t.Fatal("still active")
			}
		}},
		{"active wrong type", func(u map[string]any) { u["active"] = "false" }, 400, "invalidValue", nil},
		{"userName missing", func(u map[string]any) { delete(u, "userName") }, 400, "invalidValue", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			id := mustCreate(t, s, "ana@example.com")
			before := scim(t, s, "GET", "/Users/"+id, nil)
			r := scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, tc.edit))
			if tc.status != 200 {
				wantSCIMError(t, r, tc.status, tc.scimType)
				if after := scim(t, s, "GET", "/Users/"+id, nil); string(after.body) != string(before.body) {
					t.Fatalf("refused PUT changed the user")
				}
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if contains(string(r.body), "Secret123") {
				t.Fatal("password echoed")
			}
			if tc.check != nil {
				tc.check(t, scim(t, s, "GET", "/Users/"+id, nil).json())
			}
		})
	}
}

// TestPutReactivation: PUT active:true reactivates with the same id and the
// default role (SPEC §1.3).
func TestPutReactivation(t *testing.T) {
	s := newTestServer(t)
	id := mustCreate(t, s, "re@example.com")
	admin(t, s, "POST", "/users/"+id+"/roles", map[string]any{"role": "Admin"})
	r := scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(u map[string]any) { u["active"] = false }))
	if r.status != 200 || r.json()["active"] != false {
		t.Fatalf("deactivate: %d %s", r.status, r.body)
	}
	if roles := admin(t, s, "GET", "/users/"+id, nil).json()["roles"].([]any); len(roles) != 0 {
		t.Fatalf("roles after deprovision: %v", roles)
	}
	r = scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(u map[string]any) { u["active"] = true }))
	if r.status != 200 || r.json()["active"] != true || r.json()["id"] != id {
		t.Fatalf("reactivate: %d %s", r.status, r.body)
	}
	v := admin(t, s, "GET", "/users/"+id, nil).json()
	if roles := v["roles"].([]any); len(roles) != 1 || roles[0] != "User" || v["status"] != "active" {
		t.Fatalf("after reactivation: %v", v)
	}
}
