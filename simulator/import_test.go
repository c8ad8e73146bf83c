package simulator

import (
	"net/http"
	"testing"
)

// TestImportRejectsBadResources: a resource Okta cannot address (no
// string id) or match (no string userName) fails the import with the
// catalog's type message and opens a task, instead of importing a user
// with an empty id.
func TestImportRejectsBadResources(t *testing.T) {
	const prefix = "Import of users from app Cortex failed: Error while importing users: "
	cases := []struct {
		name, resource string
		want           string
	}{
		{"no id", `{"userName":"a@example.com"}`, `Cannot deserialize value of field "id": expected string, got nothing`},
		{"empty id", `{"id":"","userName":"a@example.com"}`, `Cannot deserialize value of field "id": expected string, got empty string`},
		{"null id", `{"id":null,"userName":"a@example.com"}`, `Cannot deserialize value of field "id": expected string, got null`},
		{"number id", `{"id":7,"userName":"a@example.com"}`, `Cannot deserialize value of field "id": expected string, got number`},
		{"no userName", `{"id":"u-1"}`, `Cannot deserialize value of field "userName": expected string, got nothing`},
		{"number userName", `{"id":"u-1","userName":42}`, `Cannot deserialize value of field "userName": expected string, got number`},
		{"object userName", `{"id":"u-1","userName":{"v":"a"}}`, `Cannot deserialize value of field "userName": expected string, got object`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			ft.setOverride(answer("GET", "/Users", http.StatusOK, ctSCIM,
				`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"Resources":[`+
					`{"id":"u-0","userName":"ok@example.com"},`+tc.resource+`]}`))
			res, err := org.Import(bg)
			if err != nil {
				t.Fatal(err)
			}
			wantID := MsgWrongType
			if res.OK || res.MessageID != wantID || res.Message != prefix+tc.want {
				t.Errorf("import = ok %v id %s message %q, want %s %q", res.OK, res.MessageID, res.Message, wantID, prefix+tc.want)
			}
			if open := org.OpenTasks(); len(open) != 1 || open[0].ID != res.TaskID || open[0].MessageID != wantID {
				t.Errorf("open tasks = %+v, want the import task", open)
			}
		})
	}
}
