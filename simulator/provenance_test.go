package simulator

import (
	"fmt"
	"strings"
	"testing"
)

// TestLinkProvenance checks the provenance of every exchange of the link
// flows against SPEC §2.2 and doc.go: the existence check is documented,
// what OIN sends after linking an existing user (PATCH, GET, PUT) is
// inferred, the AIW GET + PUT is observed, and linking an existing group
// then replacing its members is inferred.
func TestLinkProvenance(t *testing.T) {
	cases := []struct {
		name    string
		profile TrafficProfile
		active  bool
		group   bool
		want    []string // "step=provenance"
	}{
		{name: "OIN user, active on the target", profile: ProfileOIN, active: true,
			want: []string{"existence check=documented", "read user before update=inferred", "update user=inferred"}},
		{name: "OIN user, inactive on the target", profile: ProfileOIN, active: false,
			want: []string{"existence check=documented", "reactivate user=inferred", "read user before update=inferred", "update user=inferred"}},
		{name: "AIW user", profile: ProfileAIW, active: true,
			want: []string{"existence check=documented", "read user before update=observed", "update user=observed"}},
		{name: "OIN group", profile: ProfileOIN, group: true,
			want: []string{"group existence check=documented", "replace group members=inferred"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, tc.profile)
			a := org.AddUser(ana())
			if tc.group {
				must(t, "assign")(org.Assign(bg, a.ID))
				ft.mu.Lock()
				ft.groups = append(ft.groups, map[string]any{"id": "g-existing", "displayName": "Engineering", "members": []any{}})
				ft.mu.Unlock()
			} else {
				ft.seedUser("ana@example.com", "Ana", "Old", tc.active)
			}
			mark := org.Transcript().LastSeq()
			if tc.group {
				g, _ := org.AddGroup("Engineering", a.ID)
				must(t, "push group")(org.PushGroup(bg, g.ID))
			} else {
				must(t, "assign")(org.Assign(bg, a.ID))
			}
			var got []string
			for _, ex := range org.Transcript().Since(mark) {
				got = append(got, ex.Step+"="+string(ex.Provenance))
				if ex.Source == "" || (ex.Provenance == Inferred) != strings.HasPrefix(ex.Source, srcInferred) {
					t.Errorf("%s: provenance %s, source %q", ex.Step, ex.Provenance, ex.Source)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("exchanges = %v\nwant        %v", got, tc.want)
			}
		})
	}
}
