package reference

import (
	"encoding/json"
	"net/http"
	"testing"
)

// okStatuses are the answers a bad or good body may get; a 500 or a panic
// means input reached a place that did not expect it.
var okStatuses = map[int]bool{200: true, 201: true, 400: true, 404: true, 409: true, 412: true, 413: true, 415: true}

func FuzzPatchBody(f *testing.F) {
	for _, seed := range []string{
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"emails[type eq \"work\"].value","value":"x@y.z"}]}`,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"name.givenName"},{"op":"replace","path":"name","value":{"familyName":null}}]}`,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"name.givenName":1,"emails":[{"value":"a@example.com"}]}}]}`,
		`{"Operations":null}`, `[]`, `{"schemas":[1],"Operations":[null]}`,
	} {
		f.Add(seed)
	}
	s := newTestServer(f)
	id := mustCreate(f, s, "fuzz@example.com")
	f.Fuzz(func(t *testing.T, body string) {
		r := scim(t, s, "PATCH", "/Users/"+id, body)
		checkFuzzAnswer(t, r)
	})
}

func FuzzCreateBody(f *testing.F) {
	for _, seed := range []string{
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","name":{"givenName":"A"},"emails":[{"value":"a@example.com","primary":true}],"active":true}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com","emails":[1,{"primary":"yes"}]}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"UserName":"b@example.com","NAME":{"GIVENNAME":true}}`,
		`{}`, `null`, `"x"`,
	} {
		f.Add(seed)
	}
	s := newTestServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		checkFuzzAnswer(t, scim(t, s, "POST", "/Users", body))
	})
}

func checkFuzzAnswer(t *testing.T, r resp) {
	t.Helper()
	if !okStatuses[r.status] {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if r.status >= 400 {
		var m map[string]any
		if err := json.Unmarshal(r.body, &m); err != nil || m["detail"] == "" {
			t.Fatalf("error body not a SCIM error: %s", r.body)
		}
	} else if r.status != http.StatusNoContent && !json.Valid(r.body) {
		t.Fatalf("body not JSON: %s", r.body)
	}
}
