package steps

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// groupScenarios runs the @group-writes scenarios of a profile against p
// and returns their records by name.
func groupScenarios(t *testing.T, p target.Profile, profile SuiteProfile) map[string]reports.Scenario {
	t.Helper()
	run, err := Run(context.Background(), Config{Target: p, Profile: profile, Tags: string(TagGroupWrites)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]reports.Scenario{}
	for _, s := range run.Scenarios {
		out[s.Name] = s
	}
	return out
}

// failureText joins a scenario's failures for a test message.
func failureText(s reports.Scenario) string {
	var parts []string
	for _, f := range s.Failures {
		parts = append(parts, "expected "+f.Expected+", got "+f.Actual)
	}
	for _, st := range s.Steps {
		if st.Error != "" {
			parts = append(parts, st.Text+": "+st.Error)
		}
	}
	if s.SkipReason != "" {
		parts = append(parts, "skipped: "+s.SkipReason)
	}
	return strings.Join(parts, "; ")
}

// TestGroupScenariosPassOnATargetThatKeepsGroups: against a correct
// groups-keeping server every Okta Group Push scenario and the Entra group
// scenario pass, each variant run, none skipped.
func TestGroupScenariosPassOnATargetThatKeepsGroups(t *testing.T) {
	for _, tc := range []struct {
		profile SuiteProfile
		want    int
	}{{ProfileOkta, 8}, {ProfileEntra, 2}} {
		t.Run(string(tc.profile), func(t *testing.T) {
			got := groupScenarios(t, newGroupsTarget(t), tc.profile)
			if len(got) != tc.want {
				t.Errorf("%d group scenarios ran, want %d", len(got), tc.want)
			}
			for name, s := range got {
				if s.Status != reports.StatusPassed {
					t.Errorf("%s: %s (%s)", name, s.Status, failureText(s))
				}
			}
		})
	}
}

// TestGroupScenariosCatchGroupBugs: each group bug a real server could
// ship (a 200 that drops part of a PATCH, a PUT that keeps the old
// members, a delete that keeps the group…) fails the scenario whose rule
// it breaks.
func TestGroupScenariosCatchGroupBugs(t *testing.T) {
	for _, tc := range []struct {
		fault   string
		profile SuiteProfile
		fails   string
	}{
		{faultIgnoreRemove, ProfileOkta, "A membership change removes and adds in one push; the group then holds exactly the new members (OIN)"},
		{faultPutKeeps, ProfileOkta, "A membership change removes and adds in one push; the group then holds exactly the new members (AIW)"},
		{faultRenameDrops, ProfileOkta, "Renaming a pushed group renames the target's group and keeps its members (OIN)"},
		{faultEmptyReplace, ProfileOkta, `"Push Now" on an emptied group replaces the target's members with none`},
		{faultDeleteKeeps, ProfileOkta, `Unlinking a pushed group with "Delete the group in the target app" deletes it`},
		{faultDeleteHides, ProfileOkta, `Unlinking a pushed group with "Delete the group in the target app" deletes it`},
		{faultAddIgnored, ProfileOkta, `"Push Now" on an emptied group replaces the target's members with none`},
		{faultLegacyRemove, ProfileEntra, "A target that keeps groups gets Entra's group with exactly its members, and a member removed in Entra leaves it (legacy)"},
		{faultIgnoreRemove, ProfileEntra, "A target that keeps groups gets Entra's group with exactly its members, and a member removed in Entra leaves it (compliant)"},
	} {
		t.Run(tc.fault+"/"+string(tc.profile), func(t *testing.T) {
			got := groupScenarios(t, newGroupsTarget(t, tc.fault), tc.profile)
			s, ok := got[tc.fails]
			if !ok {
				t.Fatalf("no scenario %q ran", tc.fails)
			}
			if s.Status != reports.StatusFailed {
				t.Errorf("%s: %s, want failed", tc.fails, s.Status)
			}
		})
	}
}

// TestLegacyEntraRemoveIsJudgedByWhatEntraMeans: legacy Entra's remove
// (path members, a value list) is not defined by RFC 7644, which without a
// filter removes every member. A target doing just that breaks Entra, so
// the read-back fails at IdP level with Microsoft's citation, not as an RFC
// MUST; the compliant filter form stays an RFC rule.
func TestLegacyEntraRemoveIsJudgedByWhatEntraMeans(t *testing.T) {
	const scenario = "A target that keeps groups gets Entra's group with exactly its members, and a member removed in Entra leaves it (%s)"
	for _, tc := range []struct {
		fault, mode string
		level       reports.Level
		cites       string
	}{
		{faultRemoveAll, "legacy", reports.LevelOkta, "Microsoft SCIM known issues"},
		{faultIgnoreRemove, "compliant", reports.LevelMust, "RFC 7644 §3.5.2"},
	} {
		got := groupScenarios(t, newGroupsTarget(t, tc.fault), ProfileEntra)
		s := got[fmt.Sprintf(scenario, tc.mode)]
		if s.Status != reports.StatusFailed || s.Failure == nil {
			t.Fatalf("%s under %s: %s (%s), want failed", tc.mode, tc.fault, s.Status, failureText(s))
		}
		if f := s.Failure; f.Level != tc.level || !strings.HasPrefix(f.Citation, tc.cites) {
			t.Errorf("%s under %s: failed as %s (%s), want %s citing %s", tc.mode, tc.fault, f.Level, f.Citation, tc.level, tc.cites)
		}
	}
}

// TestSameMembersCountsEachMemberOnce: the read-back counts members, so a
// group holding a member twice (an add that appends a member already
// there) is not taken for the right membership.
func TestSameMembersCountsEachMemberOnce(t *testing.T) {
	for _, tc := range []struct {
		got, want []string
		ok        bool
	}{
		{[]string{"a", "b"}, []string{"b", "a"}, true},
		{nil, nil, true},
		{[]string{"a", "a", "b"}, []string{"a", "b"}, false},
		{[]string{"a"}, []string{"a", "b"}, false},
		{[]string{"a", "c"}, []string{"a", "b"}, false},
	} {
		if got := sameMembers(tc.got, tc.want); got != tc.ok {
			t.Errorf("sameMembers(%v, %v) = %t, want %t", tc.got, tc.want, got, tc.ok)
		}
	}
}

// TestGroupScenariosAreNotSupportedOnTheReference: the Cortex reference
// keeps no groups (its /Groups is an empty list), so under the generic
// profiles the group scenarios are reported not supported with the
// reason, never passed; the Cortex profiles do not select them.
func TestGroupScenariosAreNotSupportedOnTheReference(t *testing.T) {
	for _, profile := range []SuiteProfile{ProfileCortex, ProfileEntraCortex} {
		_, err := Run(context.Background(), Config{Target: target.Default(), Profile: profile, Tags: string(TagGroupWrites)})
		if err == nil || !strings.Contains(err.Error(), "no scenario selected") {
			t.Errorf("%s selects group-writes scenarios (error %v): Cortex keeps no groups", profile, err)
		}
	}
	for _, profile := range []SuiteProfile{ProfileOkta, ProfileEntra} {
		got := groupScenarios(t, target.Default(), profile)
		if len(got) == 0 {
			t.Fatalf("%s: no group scenario selected", profile)
		}
		for name, s := range got {
			if s.Status != reports.StatusNotSupported || !strings.Contains(s.SkipReason, "Group entry in /ResourceTypes") {
				t.Errorf("%s: %s (%q), want not supported for lack of a Group resource type", name, s.Status, s.SkipReason)
			}
		}
	}
}

// TestCleanupDeletesTheGroupsScenariosCreated: on a shared target with
// clean-up on, the groups Okta and Entra created are deleted after each
// scenario, as the users are.
func TestCleanupDeletesTheGroupsScenariosCreated(t *testing.T) {
	for _, profile := range []SuiteProfile{ProfileOkta, ProfileEntra} {
		p, gt := startGroupsTarget(t)
		p.Cleanup = true
		run, err := Run(context.Background(), Config{Target: p, Profile: profile, Tags: string(TagGroupWrites)})
		if err != nil {
			t.Fatal(err)
		}
		if len(run.Scenarios) == 0 {
			t.Fatalf("%s: no scenario ran", profile)
		}
		if n := gt.groupCount(); n != 0 {
			t.Errorf("%s: %d groups left on the target after clean-up", profile, n)
		}
	}
}

// TestGroupScenariosAreNotSupportedWhereGroupsAreReadOnly: a target that
// lists Group in /ResourceTypes but answers POST /Groups with 501 keeps no
// groups anyone can push: its group scenarios are not supported, with the
// profile setting that says so, not failed.
func TestGroupScenariosAreNotSupportedWhereGroupsAreReadOnly(t *testing.T) {
	for _, profile := range []SuiteProfile{ProfileOkta, ProfileEntra} {
		got := groupScenarios(t, newGroupsTarget(t, faultNoCreate), profile)
		if len(got) == 0 {
			t.Fatalf("%s: no group scenario ran", profile)
		}
		for name, s := range got {
			if s.Status != reports.StatusNotSupported || !strings.Contains(s.SkipReason, "group-writes: false") {
				t.Errorf("%s: %s (%s), want not supported naming the profile setting", name, s.Status, failureText(s))
			}
		}
	}
}

// TestCleanupWithoutGroupDeleteWarnsOnce: a target whose DELETE /Groups
// answers 405 gets one clean-up line for the run naming the groups left,
// not a warning per group.
func TestCleanupWithoutGroupDeleteWarnsOnce(t *testing.T) {
	p, gt := startGroupsTarget(t, faultNoDelete)
	p.Cleanup = true
	run, err := Run(context.Background(), Config{Target: p, Profile: ProfileOkta, Tags: string(TagGroupWrites)})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, w := range run.CleanupWarnings {
		if strings.Contains(w, "/Groups") {
			lines = append(lines, w)
		}
	}
	want := fmt.Sprintf("does not support DELETE /Groups (HTTP 405): %d groups were left", gt.groupCount())
	if len(lines) != 1 || !strings.Contains(lines[0], want) {
		t.Errorf("clean-up warnings about groups %q, want one saying %q", lines, want)
	}
}
