package reference

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInput: each kind of bad request gets the RFC 7644 status and
// scimType, a SCIM error body with a detail, and changes nothing.
func TestBadInput(t *testing.T) {
	big := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"big@example.com","x":"` + strings.Repeat("a", 2<<20) + `"}`
	tests := []struct {
		name     string
		method   string
		path     string // {id} is replaced by an existing user's id
		body     any
		hdr      []string
		status   int
		scimType string
	}{
		{"malformed JSON", "POST", "/Users", `{"userName": "a@example.com",`, nil, 400, "invalidSyntax"},
		{"not JSON at all", "POST", "/Users", `userName=a@example.com`, nil, 400, "invalidSyntax"},
		{"JSON array body", "POST", "/Users", `[]`, nil, 400, "invalidSyntax"},
		{"trailing garbage", "POST", "/Users", `{"userName":"a@example.com"} {}`, nil, 400, "invalidSyntax"},
		{"empty body", "POST", "/Users", ``, nil, 400, "invalidSyntax"},
		{"duplicate attribute in other case", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","USERNAME":"b@example.com"}`, nil, 400, "invalidSyntax"},
		{"duplicate attribute, exact", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","userName":"b@example.com"}`, nil, 400, "invalidSyntax"},
		{"duplicate sub-attribute", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","name":{"givenName":"A","givenName":"B"}}`, nil, 400, "invalidSyntax"},
		{"duplicate member in a PATCH operation", "PATCH", "/Users/{id}", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false,"value":true}]}`, nil, 400, "invalidSyntax"},
		{"duplicate member in PUT emails", "PUT", "/Users/{id}", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"keep@example.com","emails":[{"value":"keep@example.com","value":"x@example.com"}]}`, nil, 400, "invalidSyntax"},
		{"wrong type: emails object", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","emails":{"value":"a@example.com"}}`, nil, 400, "invalidValue"},
		{"wrong type: schemas string", "POST", "/Users", `{"schemas":"urn:ietf:params:scim:schemas:core:2.0:User","userName":"a@example.com"}`, nil, 400, "invalidValue"},
		{"wrong type: externalId number", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","externalId":5}`, nil, 400, "invalidValue"},
		{"oversized body", "POST", "/Users", big, nil, 413, ""},
		{"unsupported media type", "POST", "/Users", `{}`, []string{"Content-Type", "text/xml"}, 415, ""},
		{"unsupported media type on PATCH", "PATCH", "/Users/{id}", `{}`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, ""},
		{"startIndex not a number", "GET", "/Users?startIndex=one", nil, nil, 400, "invalidValue"},
		{"count not a number", "GET", "/Users?count=1.5", nil, nil, 400, "invalidValue"},
		{"unknown id GET", "GET", "/Users/00000000-0000-4000-8000-000000000000", nil, nil, 404, ""},
		{"unknown id PUT", "PUT", "/Users/nope", oktaUser("a@example.com", "A", "B"), nil, 404, ""},
		{"unknown id PATCH", "PATCH", "/Users/nope", patchBody(map[string]any{"op": "replace", "path": "active", "value": false}), nil, 404, ""},
		{"unknown id DELETE", "DELETE", "/Users/nope", nil, nil, 404, ""},
		{"unknown PATCH op", "PATCH", "/Users/{id}", patchBody(map[string]any{"op": "copy", "path": "active", "value": false}), nil, 400, "invalidSyntax"},
		{"unknown PATCH path", "PATCH", "/Users/{id}", patchBody(map[string]any{"op": "add", "path": "nickName", "value": "x"}), nil, 400, "invalidPath"},
		{"method not allowed", "DELETE", "/Users", nil, nil, 405, ""},
		{"unknown endpoint", "GET", "/Widgets", nil, nil, 404, ""},
		{"unknown schema", "GET", "/Schemas/urn:nope", nil, nil, 404, ""},
		{"unknown group", "GET", "/Groups/g1", nil, nil, 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			id := mustCreate(t, s, "keep@example.com")
			before := scim(t, s, "GET", "/Users", nil)
			r := scim(t, s, tc.method, strings.ReplaceAll(tc.path, "{id}", id), tc.body, tc.hdr...)
			wantSCIMError(t, r, tc.status, tc.scimType)
			if tc.status == http.StatusMethodNotAllowed && r.header.Get("Allow") != "GET, POST" {
				t.Errorf("405 Allow = %q", r.header.Get("Allow"))
			}
			if after := scim(t, s, "GET", "/Users", nil); string(after.body) != string(before.body) {
				t.Fatalf("bad request changed state:\n%s\n%s", before.body, after.body)
			}
		})
	}
}

// TestMediaTypes: application/json and application/scim+json (with
// parameters) are both accepted; responses are application/scim+json.
func TestMediaTypes(t *testing.T) {
	s := newTestServer(t)
	for i, ct := range []string{"application/json", "application/scim+json; charset=utf-8", "application/json;charset=UTF-8", ""} {
		r := scim(t, s, "POST", "/Users", oktaUser("m"+itoa64(int64(i))+"@example.com", "A", "B"), "Content-Type", ct)
		if r.status != http.StatusCreated {
			t.Fatalf("Content-Type %q: %d %s", ct, r.status, r.body)
		}
		if got := r.header.Get("Content-Type"); got != "application/scim+json" {
			t.Fatalf("response Content-Type %q", got)
		}
	}
}

// TestAdminBadInput: the admin API answers {"error","status"} JSON.
func TestAdminBadInput(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", "/roles", `{"name":`, 400},
		{"POST", "/roles", map[string]any{"name": "R", "permissions": []string{"FLY"}}, 400},
		{"POST", "/roles", map[string]any{"name": "admin", "permissions": []string{}}, 409},
		{"DELETE", "/roles/Admin", nil, 400},
		{"DELETE", "/roles/Nope", nil, 404},
		{"GET", "/users/nobody@example.com", nil, 404},
		{"POST", "/teams", map[string]any{"name": ""}, 400},
		{"POST", "/teams/none/members", map[string]any{"email": "a@example.com"}, 404},
		{"POST", "/entities", map[string]any{"name": "svc", "owners": []string{"not-an-email"}}, 400},
		{"GET", "/entities/nope", nil, 404},
		{"POST", "/api-keys", map[string]any{"name": "k", "role": "Nope"}, 400},
		{"POST", "/api-keys", map[string]any{"name": "k", "role": "User", "owner": "ghost@example.com"}, 404},
		{"DELETE", "/api-keys/bootstrap", nil, 400},
		{"DELETE", "/api-keys/nope", nil, 404},
		{"POST", "/sessions", map[string]any{"email": "ghost@example.com"}, 404},
		{"GET", "/nothing-here", nil, 404},
		{"PUT", "/settings", map[string]any{}, 405},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := admin(t, s, tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			m := r.json()
			if m["status"] != float64(tc.status) || m["error"] == "" || r.header.Get("Content-Type") != "application/json" {
				t.Fatalf("error body %s (%s)", r.body, r.header.Get("Content-Type"))
			}
		})
	}
}

// TestDuplicateMembers: the token pass finds exact duplicate member names at
// every nesting level and names the member; the same name in different
// objects is fine.
func TestDuplicateMembers(t *testing.T) {
	tests := []struct {
		body, member string // member "" means accepted
	}{
		{`{"a":1,"b":2}`, ""},
		{`{"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]}`, ""},
		{`{"a":1,"A":2}`, ""}, // case variants: left to the SCIM attribute rules
		{`{"a":1,"a":2}`, "a"},
		{`{"a":{"x":1,"y":{"z":1,"z":2}}}`, "a.y.z"},
		{`{"Operations":[{"op":"add"},{"op":"add","op":"remove"}]}`, "Operations[1].op"},
		{`{"m":[[1,{"k":1}],[{"k":1,"k":2}]]}`, "m[1][0].k"},
		{`{"a":[],"b":{},"a":3}`, "a"},
	}
	for _, tc := range tests {
		err := checkJSONMembers([]byte(tc.body))
		if tc.member == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.body, err)
			}
			continue
		}
		ae, ok := err.(*apiError)
		if !ok || ae.status != 400 || ae.scimType != "invalidSyntax" || !strings.Contains(ae.detail, `"`+tc.member+`"`) {
			t.Errorf("%s: err %v, want 400 invalidSyntax naming %q", tc.body, err, tc.member)
		}
	}
	// Through the handler, and on the admin API too.
	s := newTestServer(t)
	r := scim(t, s, "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","userName":"b@example.com"}`)
	wantSCIMError(t, r, 400, "invalidSyntax")
	if d := r.json()["detail"].(string); !strings.Contains(d, `"userName"`) {
		t.Fatalf("detail does not name the member: %s", d)
	}
	if r := admin(t, s, "PATCH", "/settings", `{"scimEnabled":false,"scimEnabled":true}`); r.status != 400 {
		t.Fatalf("admin duplicate: %d %s", r.status, r.body)
	}
}

// TestInputGaps: the edges of query and body parsing, one rule per row.
func TestInputGaps(t *testing.T) {
	const userSchema = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
	tests := []struct {
		name     string
		method   string
		path     string // {id}: an existing user's id (3 users exist)
		body     any
		hdr      []string
		status   int
		scimType string // for errors
		items    int    // for 200 lists: itemsPerPage; -1 = not checked
		detail   string // a fragment the error detail must hold
	}{
		{"empty count is absent", "GET", "/Users?count=", nil, nil, 200, "", 3, ""},
		{"blank count is absent", "GET", "/Users?count=%20", nil, nil, 200, "", 3, ""},
		{"empty startIndex is absent", "GET", "/Users?startIndex=&count=2", nil, nil, 200, "", 2, ""},
		{"count beyond int64 is capped", "GET", "/Users?count=99999999999999999999999", nil, nil, 200, "", 3, ""},
		{"count below int64 means 0", "GET", "/Users?count=-99999999999999999999999", nil, nil, 200, "", 0, ""},
		{"startIndex beyond int64: empty page", "GET", "/Users?startIndex=99999999999999999999999", nil, nil, 200, "", 0, ""},
		{"startIndex below int64 means 1", "GET", "/Users?startIndex=-99999999999999999999999", nil, nil, 200, "", 3, ""},
		{"count still must be an integer", "GET", "/Users?count=ten", nil, nil, 400, "invalidValue", -1, `"ten"`},
		{"charset latin1 refused", "POST", "/Users", oktaUser("n1@example.com", "A", "B"), []string{"Content-Type", "application/json; charset=latin1"}, 415, "", -1, `charset "latin1"`},
		{"charset iso-8859-1 on scim+json refused", "PATCH", "/Users/{id}", patchBody(map[string]any{"op": "replace", "path": "active", "value": false}), []string{"Content-Type", "application/scim+json; charset=ISO-8859-1"}, 415, "", -1, "UTF-8"},
		{"charset UTF-8 in any case accepted", "POST", "/Users", oktaUser("n2@example.com", "A", "B"), []string{"Content-Type", "application/scim+json; charset=UTF-8"}, 201, "", -1, ""},
		{"charset utf8 accepted", "POST", "/Users", oktaUser("n3@example.com", "A", "B"), []string{"Content-Type", "application/json;charset=utf8"}, 201, "", -1, ""},
		{"body null", "POST", "/Users", `null`, nil, 400, "invalidSyntax", -1, "got null"},
		{"body null on PUT", "PUT", "/Users/{id}", ` null `, nil, 400, "invalidSyntax", -1, "JSON object"},
		{"body a string", "PATCH", "/Users/{id}", `"x"`, nil, 400, "invalidSyntax", -1, "string"},
		{"invalid UTF-8 in a value", "POST", "/Users", "{" + userSchema + `,"userName":"a@example.com","name":{"givenName":"Ana` + "\xff\xfe" + `"}}`, nil, 400, "invalidValue", -1, `"name.givenName"`},
		{"invalid UTF-8 in an array value", "POST", "/Users", "{" + userSchema + `,"userName":"a@example.com","emails":[{"value":"a` + "\xc3" + `@example.com"}]}`, nil, 400, "invalidValue", -1, `"emails[0].value"`},
		{"invalid UTF-8 in a member name", "POST", "/Users", "{" + userSchema + `,"userName":"a@example.com","x` + "\xff" + `":1}`, nil, 400, "invalidValue", -1, "member name"},
		{"invalid UTF-8 in PATCH value", "PATCH", "/Users/{id}", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.familyName","value":"L` + "\xed\xa0\x80" + `"}]}`, nil, 400, "invalidValue", -1, `"Operations[0].value"`},
		{"valid UTF-8 kept", "POST", "/Users", oktaUser("n4@example.com", "Zoë", "Ñúñez"), nil, 201, "", -1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			id := mustCreate(t, s, "keep1@example.com")
			mustCreate(t, s, "keep2@example.com")
			mustCreate(t, s, "keep3@example.com")
			before := scim(t, s, "GET", "/Users", nil)
			r := scim(t, s, tc.method, strings.ReplaceAll(tc.path, "{id}", id), tc.body, tc.hdr...)
			if tc.status >= 400 {
				wantSCIMError(t, r, tc.status, tc.scimType)
				if d := r.json()["detail"].(string); !strings.Contains(d, tc.detail) {
					t.Fatalf("detail %q lacks %s", d, tc.detail)
				}
				if after := scim(t, s, "GET", "/Users", nil); string(after.body) != string(before.body) {
					t.Fatalf("bad request changed state")
				}
				return
			}
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.items >= 0 {
				if got := r.json()["itemsPerPage"]; got != float64(tc.items) {
					t.Fatalf("itemsPerPage %v, want %d", got, tc.items)
				}
			}
			if tc.name == "valid UTF-8 kept" {
				if n := r.json()["name"].(map[string]any); n["givenName"] != "Zoë" || n["familyName"] != "Ñúñez" {
					t.Fatalf("names changed: %v", n)
				}
			}
		})
	}
}
