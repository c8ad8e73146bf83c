package reference

import (
	"net/http"
	"testing"
)

// TestPatchTable covers add/replace/remove with and without paths, Okta's
// path-less shape, case-insensitive ops, the Cortex immutability rules and
// bad operations. Every refused PATCH must leave the user unchanged.
func TestPatchTable(t *testing.T) {
	type want struct {
		status   int
		scimType string
		given    string
		family   string
		active   bool
		extID    string
	}
	ok := func(given, family string, active bool, ext string) want {
		return want{status: 200, given: given, family: family, active: active, extID: ext}
	}
	bad := func(status int, scimType string) want { return want{status: status, scimType: scimType} }
	tests := []struct {
		name string
		ops  []map[string]any
		raw  any // a whole body instead of ops
		want want
	}{
		{"replace givenName by path", []map[string]any{{"op": "replace", "path": "name.givenName", "value": "Bia"}}, nil, ok("Bia", "Lima", true, "00u1abcd")},
		{"op and path case-insensitive", []map[string]any{{"op": "Replace", "path": "NAME.GIVENNAME", "value": "Bia"}}, nil, ok("Bia", "Lima", true, "00u1abcd")},
		{"add familyName", []map[string]any{{"op": "add", "path": "name.familyName", "value": "Souza"}}, nil, ok("Ana", "Souza", true, "00u1abcd")},
		{"replace name object merges", []map[string]any{{"op": "replace", "path": "name", "value": map[string]any{"familyName": "Souza"}}}, nil, ok("Ana", "Souza", true, "00u1abcd")},
		{"remove givenName", []map[string]any{{"op": "remove", "path": "name.givenName"}}, nil, ok("", "Lima", true, "00u1abcd")},
		{"path-less replace (Okta)", []map[string]any{{"op": "replace", "value": map[string]any{"name": map[string]any{"givenName": "Bia"}, "locale": "pt-BR"}}}, nil, ok("Bia", "Lima", true, "00u1abcd")},
		{"path-less dotted keys", []map[string]any{{"op": "replace", "value": map[string]any{"name.familyName": "Souza"}}}, nil, ok("Ana", "Souza", true, "00u1abcd")},
		{"path-less deactivate (Okta)", []map[string]any{{"op": "replace", "value": map[string]any{"active": false}}}, nil, ok("Ana", "Lima", false, "00u1abcd")},
		{"deactivate by path", []map[string]any{{"op": "replace", "path": "active", "value": false}}, nil, ok("Ana", "Lima", false, "00u1abcd")},
		{"replace externalId", []map[string]any{{"op": "replace", "path": "externalId", "value": "00uNEW"}}, nil, ok("Ana", "Lima", true, "00uNEW")},
		{"remove externalId", []map[string]any{{"op": "remove", "path": "externalId"}}, nil, ok("Ana", "Lima", true, "")},
		{"same email is a no-op", []map[string]any{{"op": "replace", "path": `emails[type eq "work"].value`, "value": "ANA@example.com"}}, nil, ok("Ana", "Lima", true, "00u1abcd")},
		{"path-less displayName ignored (derived)", []map[string]any{{"op": "replace", "value": map[string]any{"displayName": "Zed", "name": map[string]any{"formatted": "Zed"}}}}, nil, ok("Ana", "Lima", true, "00u1abcd")},
		{"path-less name.formatted ignored (derived)", []map[string]any{{"op": "replace", "value": map[string]any{"name.formatted": "Zed"}}}, nil, ok("Ana", "Lima", true, "00u1abcd")},
		{"name object with formatted: formatted ignored", []map[string]any{{"op": "replace", "path": "name", "value": map[string]any{"givenName": "Bia", "formatted": "Zed"}}}, nil, ok("Bia", "Lima", true, "00u1abcd")},
		{"several ops in order", []map[string]any{
			{"op": "replace", "path": "name.givenName", "value": "X"},
			{"op": "replace", "path": "name.givenName", "value": "Y"},
			{"op": "add", "path": "name.familyName", "value": "Z"},
		}, nil, ok("Y", "Z", true, "00u1abcd")},

		{"userName change", []map[string]any{{"op": "replace", "path": "userName", "value": "new@example.com"}}, nil, bad(400, "mutability")},
		{"email change by value path", []map[string]any{{"op": "replace", "path": `emails[type eq "work"].value`, "value": "new@example.com"}}, nil, bad(400, "mutability")},
		{"email change path-less", []map[string]any{{"op": "replace", "value": map[string]any{"emails": []any{map[string]any{"value": "new@example.com", "primary": true}}}}}, nil, bad(400, "mutability")},
		{"remove emails", []map[string]any{{"op": "remove", "path": "emails"}}, nil, bad(400, "mutability")},
		{"value filter matches nothing", []map[string]any{{"op": "replace", "path": `emails[type eq "home"].value`, "value": "x@example.com"}}, nil, bad(400, "noTarget")},
		{"atomic: good op then bad op", []map[string]any{
			{"op": "replace", "path": "name.givenName", "value": "Changed"},
			{"op": "replace", "path": "userName", "value": "other@example.com"},
		}, nil, bad(400, "mutability")},
		{"unknown op", []map[string]any{{"op": "move", "path": "name.givenName", "value": "x"}}, nil, bad(400, "invalidSyntax")},
		{"unknown attribute path", []map[string]any{{"op": "replace", "path": "title", "value": "x"}}, nil, bad(400, "invalidPath")},
		{"unknown sub-attribute", []map[string]any{{"op": "replace", "path": "name.middle", "value": "x"}}, nil, bad(400, "invalidPath")},
		{"malformed path", []map[string]any{{"op": "replace", "path": "emails[type eq", "value": "x"}}, nil, bad(400, "invalidPath")},
		{"enterprise extension path ignored", []map[string]any{{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "x"}}, nil, ok("Ana", "Lima", true, "00u1abcd")},
		{"other extension path", []map[string]any{{"op": "replace", "path": "urn:example:params:scim:schemas:extension:acme:2.0:User:badge", "value": "x"}}, nil, bad(400, "invalidPath")},
		{"remove without path", []map[string]any{{"op": "remove"}}, nil, bad(400, "noTarget")},
		{"replace without value", []map[string]any{{"op": "replace", "path": "name.givenName"}}, nil, bad(400, "invalidValue")},
		{"active as Entra's legacy string", []map[string]any{{"op": "Replace", "path": "active", "value": "False"}}, nil, ok("Ana", "Lima", false, "00u1abcd")},
		{"active as another string", []map[string]any{{"op": "replace", "path": "active", "value": "no"}}, nil, bad(400, "invalidValue")},
		{"givenName as number", []map[string]any{{"op": "replace", "path": "name.givenName", "value": 3}}, nil, bad(400, "invalidValue")},
		{"path-less value not an object", []map[string]any{{"op": "replace", "value": "x"}}, nil, bad(400, "invalidValue")},
		{"read-only displayName by path", []map[string]any{{"op": "replace", "path": "displayName", "value": "Zed"}}, nil, bad(400, "mutability")},
		{"read-only displayName add", []map[string]any{{"op": "add", "path": "DISPLAYNAME", "value": "Zed"}}, nil, bad(400, "mutability")},
		{"read-only displayName remove", []map[string]any{{"op": "remove", "path": "displayName"}}, nil, bad(400, "mutability")},
		{"read-only name.formatted by path", []map[string]any{{"op": "replace", "path": "name.formatted", "value": "Zed"}}, nil, bad(400, "mutability")},
		{"read-only id", []map[string]any{{"op": "replace", "path": "id", "value": "x"}}, nil, bad(400, "mutability")},
		{"remove active", []map[string]any{{"op": "remove", "path": "active"}}, nil, bad(400, "mutability")},
		{"no schemas", nil, map[string]any{"Operations": []any{map[string]any{"op": "replace", "path": "active", "value": false}}}, bad(400, "invalidSyntax")},
		{"empty Operations", nil, map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": []any{}}, bad(400, "invalidSyntax")},
		{"Operations not array", nil, map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": map[string]any{}}, bad(400, "invalidSyntax")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			r0 := scim(t, s, "POST", "/Users", oktaUser("ana@example.com", "Ana", "Lima"))
			id := r0.json()["id"].(string)
			before := scim(t, s, "GET", "/Users/"+id, nil)
			body := tc.raw
			if body == nil {
				body = patchBody(tc.ops...)
			}
			r := scim(t, s, "PATCH", "/Users/"+id, body)
			if tc.want.status != 200 {
				wantSCIMError(t, r, tc.want.status, tc.want.scimType)
				after := scim(t, s, "GET", "/Users/"+id, nil)
				if string(after.body) != string(before.body) {
					t.Fatalf("refused PATCH changed the user:\nbefore %s\nafter  %s", before.body, after.body)
				}
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			u := scim(t, s, "GET", "/Users/"+id, nil).json()
			name, _ := u["name"].(map[string]any)
			given, _ := name["givenName"].(string)
			family, _ := name["familyName"].(string)
			ext, _ := u["externalId"].(string)
			if given != tc.want.given || family != tc.want.family || u["active"] != tc.want.active || ext != tc.want.extID {
				t.Fatalf("got given=%q family=%q active=%v ext=%q, want %+v", given, family, u["active"], ext, tc.want)
			}
			if u["userName"] != "ana@example.com" {
				t.Fatalf("userName = %v", u["userName"])
			}
			if want := tc.want.given + " " + tc.want.family; (given != "" && family != "") && u["displayName"] != want {
				t.Fatalf("displayName = %v, want derived %q", u["displayName"], want)
			}
		})
	}
}

// TestPatchReactivationRefused: source article, "Users can only be
// reactivated via a PUT operation".
func TestPatchReactivationRefused(t *testing.T) {
	s := newTestServer(t)
	id := mustCreate(t, s, "r@example.com")
	scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
	for _, ops := range [][]map[string]any{
		{{"op": "replace", "value": map[string]any{"active": true}}},
		{{"op": "replace", "path": "active", "value": true}},
		{{"op": "add", "path": "name.givenName", "value": "New"}, {"op": "replace", "path": "active", "value": true}},
	} {
		r := scim(t, s, "PATCH", "/Users/"+id, patchBody(ops...))
		wantSCIMError(t, r, 400, "mutability")
		if d := r.json()["detail"].(string); !contains(d, "PUT") {
			t.Errorf("detail %q does not say reactivation needs PUT", d)
		}
		u := scim(t, s, "GET", "/Users/"+id, nil).json()
		if u["active"] != false || u["name"].(map[string]any)["givenName"] != "Ana" {
			t.Fatalf("user changed: %v", u)
		}
	}
	// PATCH on an inactive user that does not reactivate is fine.
	if r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": "Ina"})); r.status != 200 {
		t.Fatalf("rename of inactive user: %d %s", r.status, r.body)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
