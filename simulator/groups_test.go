package simulator

import "testing"

// TestGroupCreateAnswers: POST /Groups answered badly fails the push with
// the catalog message.
func TestGroupCreateAnswers(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		want       MessageID
	}{
		{"empty body", "", 201, MsgEmptyGroup},
		{"no id", `{"displayName":"Engineering"}`, 201, MsgEmptyGroup},
		{"text", "Created", 201, MsgUnrecognizedToken},
		{"409", scimError("409", "Group exists"), 409, MsgHTTPError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			g, _ := org.AddGroup("Engineering")
			ft.setOverride(answer("POST", "/Groups", tc.status, ctSCIM, tc.body))
			res, err := org.PushGroup(bg, g.ID)
			if err != nil || res.OK || res.MessageID != tc.want {
				t.Fatalf("push = %+v, %v; want %s", res, err, tc.want)
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
