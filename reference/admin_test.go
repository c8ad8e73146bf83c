package reference

import (
	"net/http"
	"testing"
)

func TestAdminRolesAndKeys(t *testing.T) {
	s := newTestServer(t)
	roles := admin(t, s, "GET", "/roles", nil).json()["roles"].([]any)
	if len(roles) != 3 || roles[0].(map[string]any)["name"] != "Admin" || roles[0].(map[string]any)["builtIn"] != true {
		t.Fatalf("built-in roles: %v", roles)
	}
	r := admin(t, s, "POST", "/roles", map[string]any{"name": "SCIM Bot", "permissions": []string{"EDIT_ROLES", "EDIT_ROLES"}})
	if r.status != 201 || len(r.json()["permissions"].([]any)) != 1 || r.json()["builtIn"] != false {
		t.Fatalf("create role: %d %s", r.status, r.body)
	}
	if again := admin(t, s, "POST", "/roles", map[string]any{"name": "SCIM Bot", "permissions": []string{"EDIT_ROLES"}}); again.status != 200 {
		t.Fatalf("same role again must be idempotent: %d", again.status)
	}
	if other := admin(t, s, "POST", "/roles", map[string]any{"name": "SCIM Bot", "permissions": []string{"VIEW_CATALOG"}}); other.status != 409 {
		t.Fatalf("same name, other permissions: %d", other.status)
	}
	id, secret := mintKey(t, s, "SCIM Bot", "")
	if r := admin(t, s, "DELETE", "/roles/SCIM%20Bot", nil); r.status != 409 {
		t.Fatalf("delete role in use: %d", r.status)
	}
	if r := do(t, s, secret, "GET", "/api/v1/whoami", nil); r.status != 200 || r.json()["kind"] != "apiKey" || r.json()["userId"] != nil {
		t.Fatalf("whoami workspace key: %d %s", r.status, r.body)
	}
	if r := admin(t, s, "DELETE", "/api-keys/"+id, nil); r.status != 204 {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := do(t, s, secret, "GET", "/api/v1/whoami", nil); r.status != 401 {
		t.Fatalf("whoami revoked key: %d", r.status)
	}
	if r := admin(t, s, "DELETE", "/roles/SCIM%20Bot", nil); r.status != 204 {
		t.Fatalf("delete role: %d %s", r.status, r.body)
	}
	keys := admin(t, s, "GET", "/api-keys", nil).json()["apiKeys"].([]any)
	if len(keys) != 1 || keys[0].(map[string]any)["id"] != "bootstrap" {
		t.Fatalf("keys: %v", keys)
	}
}

func TestAdminUsersTeamsSessions(t *testing.T) {
	s := newTestServer(t)
	id := mustCreate(t, s, "Ana@Example.com")
	v := admin(t, s, "GET", "/users/ana@example.com", nil)
	if v.status != 200 || v.json()["id"] != id || v.json()["email"] != "Ana@Example.com" {
		t.Fatalf("user by email, case-insensitive: %d %s", v.status, v.body)
	}
	if r := admin(t, s, "POST", "/users/"+id+"/roles", map[string]any{"role": "Viewer"}); r.status != 200 || len(r.json()["roles"].([]any)) != 2 {
		t.Fatalf("grant: %s", r.body)
	}
	if r := admin(t, s, "DELETE", "/users/"+id+"/roles/Viewer", nil); r.status != 200 || len(r.json()["roles"].([]any)) != 1 {
		t.Fatalf("revoke: %s", r.body)
	}
	if r := admin(t, s, "DELETE", "/users/"+id+"/roles/Viewer", nil); r.status != 404 {
		t.Fatalf("revoke again: %d", r.status)
	}
	team := admin(t, s, "POST", "/teams", map[string]any{"name": "SRE"})
	if team.status != 201 {
		t.Fatalf("team: %d", team.status)
	}
	if r := admin(t, s, "POST", "/teams", map[string]any{"name": "sre"}); r.status != 409 {
		t.Fatalf("duplicate team: %d", r.status)
	}
	tid := team.json()["id"].(string)
	admin(t, s, "POST", "/teams/"+tid+"/members", map[string]any{"email": "ana@example.com"})
	admin(t, s, "POST", "/teams/SRE/members", map[string]any{"email": "ghost@example.com"})
	members := admin(t, s, "GET", "/teams/SRE", nil).json()["members"].([]any)
	if len(members) != 2 || members[0].(map[string]any)["userId"] != id || members[1].(map[string]any)["userId"] != nil {
		t.Fatalf("members: %v", members)
	}
	if r := admin(t, s, "DELETE", "/teams/SRE/members/ghost@example.com", nil); r.status != 200 || len(r.json()["members"].([]any)) != 1 {
		t.Fatalf("remove member: %d %s", r.status, r.body)
	}
	sess := admin(t, s, "POST", "/sessions", map[string]any{"email": "ANA@example.com"})
	if sess.status != http.StatusCreated || sess.json()["userId"] != id {
		t.Fatalf("session: %d %s", sess.status, sess.body)
	}
	who := do(t, s, sess.json()["token"].(string), "GET", "/api/v1/whoami", nil).json()
	if who["kind"] != "session" || who["userId"] != id || who["email"] != "Ana@Example.com" {
		t.Fatalf("whoami: %v", who)
	}
	// A session is not an API key: it does not open SCIM or the admin API.
	if r := do(t, s, sess.json()["token"].(string), "GET", "/scim/v2/Users", nil); r.status != 401 {
		t.Fatalf("session on SCIM: %d", r.status)
	}
	view := admin(t, s, "GET", "/users/"+id, nil).json()
	if view["activeSessions"] != float64(1) || view["teams"].([]any)[0] != "SRE" || view["status"] != "active" {
		t.Fatalf("view: %v", view)
	}
	if list := admin(t, s, "GET", "/users", nil).json()["users"].([]any); len(list) != 1 {
		t.Fatalf("users: %v", list)
	}
	ent := admin(t, s, "POST", "/entities", map[string]any{"name": "svc", "owners": []string{"ana@example.com", "x@example.com"}})
	if ent.status != 201 {
		t.Fatalf("entity: %d", ent.status)
	}
	if list := admin(t, s, "GET", "/entities", nil).json()["entities"].([]any); len(list) != 1 {
		t.Fatalf("entities: %v", list)
	}
}

// TestDiscovery: the discovery endpoints tell the truth (SPEC §1.3).
func TestDiscovery(t *testing.T) {
	s := newTestServer(t)
	spc := scim(t, s, "GET", "/ServiceProviderConfig", nil)
	if spc.status != 200 || spc.header.Get("Content-Type") != "application/scim+json" {
		t.Fatalf("SPC: %d", spc.status)
	}
	m := spc.json()
	flag := func(k string) any { return m[k].(map[string]any)["supported"] }
	if flag("patch") != true || flag("filter") != true || flag("etag") != true || flag("bulk") != false ||
		flag("sort") != false || flag("changePassword") != false {
		t.Fatalf("SPC flags: %v", m)
	}
	if m["filter"].(map[string]any)["maxResults"] != float64(MaxPageSize) {
		t.Fatal("maxResults")
	}
	rt := scim(t, s, "GET", "/ResourceTypes", nil).json()
	if rt["totalResults"] != float64(1) || rt["Resources"].([]any)[0].(map[string]any)["endpoint"] != "/Users" {
		t.Fatalf("ResourceTypes: %v", rt)
	}
	sch := scim(t, s, "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", nil)
	if sch.status != 200 {
		t.Fatalf("schema: %d", sch.status)
	}
	for _, a := range sch.json()["attributes"].([]any) {
		am := a.(map[string]any)
		if am["name"] == "userName" && am["mutability"] != "immutable" {
			t.Fatalf("userName mutability %v", am["mutability"])
		}
	}
	g := scim(t, s, "GET", "/Groups?startIndex=1&count=100", nil).json()
	if g["totalResults"] != float64(0) || len(g["Resources"].([]any)) != 0 {
		t.Fatalf("Groups: %v", g)
	}
}
