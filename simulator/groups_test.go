package simulator

import "testing"

// TestGroupCreateAnswers: POST /Groups answered badly fails the push with
// the catalog message.
func TestGroupCreateAnswers(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		wantID     MessageID
	}{
		{name: "empty body", body: "", status: 201, wantID: MsgEmptyGroup},
		{name: "no id", body: `{"displayName":"Engineering"}`, status: 201, wantID: MsgEmptyGroup},
		{name: "text", body: "Created", status: 201, wantID: MsgUnrecognizedToken},
		{name: "409", body: scimError("409", "Group exists"), status: 409, wantID: MsgHTTPError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			g, _ := org.AddGroup("Engineering")
			ft.setOverride(answer("POST", "/Groups", tc.status, ctSCIM, tc.body))
			res, err := org.PushGroup(bg, g.ID)
			if err != nil || res.OK || res.MessageID != tc.wantID {
				t.Fatalf("push = %+v, %v; want %s", res, err, tc.wantID)
			}
			if gr, _ := org.Group(g.ID); gr.Pushed {
				t.Error("group must not be linked after a failed create")
			}
		})
	}
}

// TestGroupPushLinksExisting: a filter hit links the group and replaces
// its membership (Push Now semantics, inferred), and operations need Push
// groups on.
func TestGroupPushLinksExisting(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	ft.mu.Lock()
	ft.groups = append(ft.groups, map[string]any{"id": "g-existing", "displayName": "Engineering", "members": []any{}})
	ft.mu.Unlock()
	a := org.AddUser(ana())
	must(t, "assign")(org.Assign(bg, a.ID))
	g, _ := org.AddGroup("Engineering", a.ID)
	before := len(ft.requests())
	must(t, "push")(org.PushGroup(bg, g.ID))
	reqs := ft.requests()[before:]
	if len(reqs) != 2 || reqs[1].Method != "PATCH" || reqs[1].RequestURI != fakeBase+"/Groups/g-existing" {
		t.Fatalf("sent %s", dump(reqs))
	}
	want := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"members","value":[{"value":"u-0001","display":"ana@example.com"}]}]}`
	if string(reqs[1].Body) != want {
		t.Errorf("body = %s", reqs[1].Body)
	}
	reconfigure(t, org, func(c *AppConfig) { c.Provisioning.PushGroups = false })
	if _, err := org.PushNow(bg, g.ID); err == nil {
		t.Error("Push Now with Push groups off: want an error")
	}
}

// TestInferredProvenanceRecorded: the OIN reactivation PATCH is inferred,
// and the transcript says so.
func TestInferredProvenanceRecorded(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	u := org.AddUser(ana())
	must(t, "assign")(org.Assign(bg, u.ID))
	must(t, "unassign")(org.Unassign(bg, u.ID))
	mark := org.Transcript().LastSeq()
	must(t, "reassign")(org.Assign(bg, u.ID))
	ex := org.Transcript().Since(mark)
	if len(ex) != 1 || ex[0].Provenance != Inferred || ex[0].Step != "reactivate user" || ex[0].Source == "" {
		t.Errorf("reactivation exchange = %+v", ex)
	}
}

// TestLinkHitWithoutID: a filter hit without a usable id cannot be linked.
// For a group it fails the push with a task instead of creating a second
// group of the same name; for a user it fails the same way.
func TestLinkHitWithoutID(t *testing.T) {
	hits := []struct{ name, resource, got string }{
		{"no id", `{"displayName":"Engineering","userName":"ana@example.com"}`, "nothing"},
		{"empty id", `{"id":"","displayName":"Engineering","userName":"ana@example.com"}`, "empty string"},
		{"null id", `{"id":null,"displayName":"Engineering","userName":"ana@example.com"}`, "null"},
		{"number id", `{"id":12,"displayName":"Engineering","userName":"ana@example.com"}`, "number"},
	}
	for _, h := range hits {
		list := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":[` + h.resource + `]}`
		reason := `Cannot deserialize value of field "id": expected string, got ` + h.got
		t.Run("group "+h.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			g, _ := org.AddGroup("Engineering")
			ft.setOverride(answer("GET", "/Groups", 200, ctSCIM, list))
			res, err := org.PushGroup(bg, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantID := MsgWrongType
			want := "Failed to push group Engineering to app Cortex: Error while creating group Engineering: " + reason
			if res.OK || res.MessageID != wantID || res.Message != want {
				t.Errorf("push = ok %v id %s %q, want %q", res.OK, res.MessageID, res.Message, want)
			}
			for _, r := range ft.requests() {
				if r.Method != "GET" {
					t.Errorf("sent %s %s; a hit without an id must not create a group", r.Method, r.RequestURI)
				}
			}
			if gr, _ := org.Group(g.ID); gr.Pushed || len(org.OpenTasks()) != 1 {
				t.Errorf("group = %+v, open tasks %d", gr, len(org.OpenTasks()))
			}
		})
		t.Run("user "+h.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			u := org.AddUser(ana())
			ft.setOverride(answer("GET", "/Users", 200, ctSCIM, list))
			res, err := org.Assign(bg, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantID := MsgWrongType
			want := "Automatic provisioning of user Ana Lopez to app Cortex failed: Error while verifying if user Ana Lopez exists: " + reason
			if res.OK || res.MessageID != wantID || res.Message != want || len(ft.requests()) != 1 {
				t.Errorf("assign = ok %v id %s %q (%d requests), want %q", res.OK, res.MessageID, res.Message, len(ft.requests()), want)
			}
		})
	}
}
