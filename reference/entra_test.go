package reference

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every request shape Microsoft Entra ID's provisioning service sends
// (issue 10; the shapes of simulator/entra's golden files), and what the
// reference server answers: accepted, or refused with the Cortex rule that
// refuses it.

// entraCreate is the tutorial's "Create User" body.
func entraCreate(userName string) map[string]any {
	return map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
		"externalId": "ana", "userName": userName, "active": true,
		"emails":      []any{map[string]any{"primary": true, "type": "work", "value": userName}},
		"meta":        map[string]any{"resourceType": "User"},
		"name":        map[string]any{"formatted": "Ana Lima", "familyName": "Lima", "givenName": "Ana"},
		"displayName": "Ana Lima",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"employeeNumber": "E-1", "department": "Sales"},
		"roles": []any{},
	}
}

func TestEntraTestConnectionQuery(t *testing.T) {
	s := newTestServer(t)
	q := url.Values{"filter": {`userName eq "6c6e1697-fd73-40d0-b3a6-ec7ff76dcd41"`}}.Encode()
	r := scim(t, s, "GET", "/Users?"+q, nil)
	if r.status != http.StatusOK || r.json()["totalResults"] != float64(0) {
		t.Fatalf("Test Connection query: %d %s (Entra wants 200 and an empty ListResponse)", r.status, r.body)
	}
}

func TestEntraCreateAndExistenceQuery(t *testing.T) {
	s := newTestServer(t)
	r := scim(t, s, "POST", "/Users", entraCreate("ana@contoso.example"))
	if r.status != http.StatusCreated {
		t.Fatalf("Entra's create body refused: %d %s", r.status, r.body)
	}
	u := r.json()
	if u["externalId"] != "ana" || u["userName"] != "ana@contoso.example" || u["active"] != true {
		t.Fatalf("created %v", u)
	}
	if _, kept := u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]; kept {
		t.Errorf("the enterprise extension is not kept, but the answer echoes it: %s", r.body)
	}
	// Entra's form-encoded existence query finds it (space as "+").
	q := url.Values{"filter": {`userName eq "ana@contoso.example"`}}.Encode()
	l := scim(t, s, "GET", "/Users?"+q, nil)
	if l.status != http.StatusOK || l.json()["totalResults"] != float64(1) {
		t.Fatalf("existence query: %d %s", l.status, l.body)
	}
}

func TestEntraPatchShapes(t *testing.T) {
	const ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	tests := []struct {
		name      string
		ops       []map[string]any
		status    int
		scimType  string
		active    any
		family    string
		extID     string
		rationale string
	}{
		{name: "compliant disable", ops: []map[string]any{{"op": "replace", "path": "active", "value": false}}, status: 200, active: false, family: "Lima", extID: "ana"},
		{name: "legacy disable with the string False", ops: []map[string]any{{"op": "Replace", "path": "active", "value": "False"}}, status: 200, active: false, family: "Lima", extID: "ana",
			rationale: "accepted: unambiguous, and refusing it breaks every legacy Entra app"},
		{name: "compliant several attributes path-less, keyed by path", ops: []map[string]any{{"op": "replace", "value": map[string]any{
			"name.familyName": "Souza", "externalId": "ana2", `emails[type eq "work"].value`: "ana@contoso.example", ext + ":employeeNumber": "E-2"}}},
			status: 200, active: true, family: "Souza", extID: "ana2"},
		{name: "compliant path-less name.formatted and displayName are derived, ignored", ops: []map[string]any{{"op": "replace", "value": map[string]any{
			"name.familyName": "Souza", "name.formatted": "Ana Souza", "displayName": "Ana Souza"}}},
			status: 200, active: true, family: "Souza", extID: "ana"},
		{name: "legacy Replace per attribute", ops: []map[string]any{{"op": "Replace", "path": "name.familyName", "value": "Souza"}, {"op": "Replace", "path": "externalId", "value": "ana2"}},
			status: 200, active: true, family: "Souza", extID: "ana2"},
		{name: "legacy enterprise attribute by path", ops: []map[string]any{{"op": "Replace", "path": ext + ":department", "value": "Ops"}},
			status: 200, active: true, family: "Lima", extID: "ana", rationale: "ignored: the extension is not kept"},
		{name: "compliant add of a single value", ops: []map[string]any{{"op": "add", "path": "externalId", "value": "ana3"}}, status: 200, active: true, family: "Lima", extID: "ana3"},
		{name: "same work email by filtered path", ops: []map[string]any{{"op": "replace", "path": `emails[type eq "work"].value`, "value": "ANA@contoso.example"}}, status: 200, active: true, family: "Lima", extID: "ana"},

		{name: "changed work email by filtered path", ops: []map[string]any{{"op": "replace", "path": `emails[type eq "work"].value`, "value": "new@contoso.example"}},
			status: 400, scimType: "mutability", rationale: "Cortex: the email is immutable"},
		{name: "legacy name.formatted by path", ops: []map[string]any{{"op": "Replace", "path": "name.familyName", "value": "Souza"}, {"op": "Replace", "path": "name.formatted", "value": "Ana Souza"}},
			status: 400, scimType: "mutability", rationale: "Cortex: name.formatted is derived (readOnly in /Schemas)"},
		{name: "legacy displayName by path", ops: []map[string]any{{"op": "Replace", "path": "displayName", "value": "Ana Souza"}},
			status: 400, scimType: "mutability", rationale: "Cortex: displayName is derived"},
		{name: "legacy Add of a single value as a list", ops: []map[string]any{{"op": "Add", "path": "externalId", "value": []any{map[string]any{"value": "x"}}}},
			status: 400, scimType: "invalidValue", rationale: "RFC 7643 §2.3.1: externalId is a string; Microsoft fixed this shape with aadOptscim062020"},
		{name: "legacy title by path", ops: []map[string]any{{"op": "Add", "path": "title", "value": []any{map[string]any{"value": "Eng"}}}},
			status: 400, scimType: "invalidPath", rationale: "title is not in the server's schema"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			id := scim(t, s, "POST", "/Users", entraCreate("ana@contoso.example")).json()["id"].(string)
			r := scim(t, s, "PATCH", "/Users/"+id, patchBody(tc.ops...))
			if tc.status != 200 {
				wantSCIMError(t, r, tc.status, tc.scimType)
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", tc.rationale, r.status, r.body)
			}
			u := scim(t, s, "GET", "/Users/"+id, nil).json()
			if u["active"] != tc.active || u["name"].(map[string]any)["familyName"] != tc.family || u["externalId"] != tc.extID {
				t.Fatalf("got %v", u)
			}
		})
	}
}

// TestEntraReenableRefused: Entra enables with PATCH (either shape); the
// Cortex semantics allow reactivation only through PUT, so both are
// refused with mutability and a detail naming PUT.
func TestEntraReenableRefused(t *testing.T) {
	for _, v := range []any{true, "True"} {
		s := newTestServer(t)
		id := scim(t, s, "POST", "/Users", entraCreate("ana@contoso.example")).json()["id"].(string)
		scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
		r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "Replace", "path": "active", "value": v}))
		wantSCIMError(t, r, 400, "mutability")
		if d, _ := r.json()["detail"].(string); !strings.Contains(d, "PUT") {
			t.Errorf("detail %q does not say reactivation needs PUT", d)
		}
	}
}

// TestEntraDeleteAndGroups: DELETE is accepted; group writes are not
// (the server keeps no groups), so Entra's group provisioning fails here.
func TestEntraDeleteAndGroups(t *testing.T) {
	s := newTestServer(t)
	id := scim(t, s, "POST", "/Users", entraCreate("ana@contoso.example")).json()["id"].(string)
	if r := scim(t, s, "DELETE", "/Users/"+id, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	if r := scim(t, s, "GET", "/Users/"+id, nil); r.status != http.StatusNotFound {
		t.Fatalf("deleted user still readable: %d", r.status)
	}
	q := url.Values{"excludedAttributes": {"members"}, "filter": {`displayName eq "Sales"`}}.Encode()
	if r := scim(t, s, "GET", "/Groups?"+q, nil); r.status != http.StatusOK || r.json()["totalResults"] != float64(0) {
		t.Fatalf("group lookup: %d %s", r.status, r.body)
	}
	r := scim(t, s, "POST", "/Groups", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Sales"})
	if r.status < 400 {
		t.Fatalf("POST /Groups accepted (%d) by a server that keeps no groups", r.status)
	}
}
