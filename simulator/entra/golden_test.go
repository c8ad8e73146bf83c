package entra

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the simulator's requests")

var bg = context.Background()

// goldenCase is one admin action whose requests are pinned by a golden
// file per mode. source names where the expected wire shape comes from.
type goldenCase struct {
	name   string
	source map[Mode]string // "" key: both modes
	setup  func(t *testing.T, tn *Tenant, ft *fakeTarget)
	action func(t *testing.T, tn *Tenant, ft *fakeTarget)
}

const (
	gTutorial = "documented: " + srcTutorial
	gKnown    = "documented: " + srcKnown
)

func ana() User {
	return User{UserPrincipalName: "ana@contoso.example", Mail: "ana@contoso.example", MailNickname: "ana",
		GivenName: "Ana", Surname: "Lopez", DisplayName: "Ana Lopez", AccountEnabled: true}
}

func ben() User {
	return User{UserPrincipalName: "ben@contoso.example", Mail: "ben@contoso.example", MailNickname: "ben",
		GivenName: "Ben", Surname: "Okafor", DisplayName: "Ben Okafor", AccountEnabled: true}
}

// newTenant returns a tenant whose app points at ft, in mode.
func newTenant(t *testing.T, ft *fakeTarget, mode Mode, groups bool) *Tenant {
	t.Helper()
	tn := NewTenant(Options{Seed: 7})
	if err := tn.ConfigureApp(AppConfig{Name: "SCIM app", TenantURL: ft.url(), SecretToken: "test-token", Mode: mode, ProvisionGroups: groups}); err != nil {
		t.Fatal(err)
	}
	return tn
}

// provisioned adds and assigns u and runs the initial cycle.
func provisioned(t *testing.T, tn *Tenant, u User) string {
	t.Helper()
	nu := tn.AddUser(u)
	if err := tn.Assign(nu.ID); err != nil {
		t.Fatal(err)
	}
	cycle(t, tn)
	return nu.ID
}

// cycle runs the initial cycle the first time, then incremental ones, and
// fails the test on any failed entry.
func cycle(t *testing.T, tn *Tenant) CycleResult {
	t.Helper()
	var res CycleResult
	var err error
	if tn.Job().Status == JobNotStarted {
		res, err = tn.StartProvisioning(bg)
	} else {
		res, err = tn.RunCycle(bg)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Entries {
		if e.Status == StatusFailure {
			t.Fatalf("cycle: %s", e.Message)
		}
	}
	return res
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// softDeleted provisions ana, soft-deletes her and runs the cycle.
func softDeleted(t *testing.T, tn *Tenant, _ *fakeTarget) {
	provisioned(t, tn, ana())
	check(t, tn.SoftDelete(tn.order[0]))
	cycle(t, tn)
}

// pushedGroup pushes an empty assigned group "Sales".
func pushedGroup(t *testing.T, tn *Tenant, _ *fakeTarget) {
	g, err := tn.AddGroup("Sales")
	check(t, err)
	check(t, tn.Assign(g.ID))
	cycle(t, tn)
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{name: "test_connection", source: map[Mode]string{"": gTutorial + ", \"Integrate your SCIM endpoint\": a filter on a random GUID, expecting 200 and an empty ListResponse"},
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				r, err := tn.TestConnection(bg)
				if err != nil || !r.OK {
					t.Fatalf("test connection: %v %+v", err, r)
				}
			}},
		{name: "create_user", source: map[Mode]string{"": gTutorial + ", \"Get User by query - Zero results\" then \"Create User\" (displayName, title and extension placement inferred)"},
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				u := ana()
				u.Department, u.EmployeeID = "Sales", "E-1001"
				provisioned(t, tn, u)
			}},
		{name: "match_existing", source: map[Mode]string{
			ModeCompliant: gTutorial + ", \"Get User by query\"; " + gKnown + ": several attributes in one path-less replace",
			ModeLegacy:    gTutorial + ", \"Get User by query\"; " + gKnown + ": one \"Replace\" per attribute"},
			setup: func(t *testing.T, tn *Tenant, ft *fakeTarget) { ft.seedUser("ana@contoso.example", "Ana", "Old", true) },
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				provisioned(t, tn, ana())
			}},
		{name: "update_user", source: map[Mode]string{
			ModeCompliant: "inferred: the incremental cycle's match query; " + gKnown + ": replace of several attributes path-less, add of a missing single value with its path",
			ModeLegacy:    "inferred: the incremental cycle's match query; " + gKnown + ": \"Replace\" per attribute, a missing single value added as \"Add\" with [{\"value\": …}]"},
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				id := provisioned(t, tn, ana())
				check(t, tn.UpdateUser(id, func(u *User) { u.Surname, u.JobTitle = "Lima", "Engineer" }))
				cycle(t, tn)
			}},
		{name: "disable_user", source: map[Mode]string{
			ModeCompliant: gKnown + ", \"with the feature flag\": op replace, path active, JSON false",
			ModeLegacy:    gKnown + ", \"without the feature flag\": op Replace, value the string \"False\""},
			setup: func(t *testing.T, tn *Tenant, ft *fakeTarget) { provisioned(t, tn, ana()) },
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.UpdateUser(tn.order[0], func(u *User) { u.AccountEnabled = false }))
				cycle(t, tn)
			}},
		{name: "unassign_user", source: map[Mode]string{"": gTutorial + ", \"Disable User\"; unassigned users are disabled, not deleted (" + srcHowWorks + ")"},
			setup: func(t *testing.T, tn *Tenant, ft *fakeTarget) { provisioned(t, tn, ana()) },
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.Unassign(tn.order[0]))
				cycle(t, tn)
			}},
		{name: "soft_delete", source: map[Mode]string{"": "documented: " + srcHowWorks + ": a soft-deleted user is disabled (PATCH active false)"},
			setup: func(t *testing.T, tn *Tenant, ft *fakeTarget) { provisioned(t, tn, ana()) },
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.SoftDelete(tn.order[0]))
				cycle(t, tn)
			}},
		{name: "restore_user", source: map[Mode]string{"": "inferred: a restored user is matched again and enabled with the mode's active PATCH"},
			setup: softDeleted,
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.Restore(tn.order[0]))
				cycle(t, tn)
			}},
		{name: "hard_delete", source: map[Mode]string{"": gTutorial + ", \"Delete User\"; a hard-deleted user is deleted (" + srcHowWorks + ")"},
			setup: softDeleted,
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.HardDelete(tn.order[0]))
				cycle(t, tn)
			}},
		{name: "provision_on_demand", source: map[Mode]string{"": "documented: Microsoft Learn, \"On-demand provisioning in Microsoft Entra ID\" (import, scope, match, action); requests as in create_user"},
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				u := tn.AddUser(ana())
				check(t, tn.Assign(u.ID))
				e, err := tn.ProvisionOnDemand(bg, u.ID)
				if err != nil || e.Status != StatusSuccess {
					t.Fatalf("on demand: %v %+v", err, e)
				}
			}},
		{name: "push_group", source: map[Mode]string{
			ModeCompliant: gTutorial + ", \"Get Group by displayName\", \"Create Group\"; inferred: add members with a lower-case op and no \"$ref\"",
			ModeLegacy:    gTutorial + ", \"Get Group by displayName\", \"Create Group\", \"Update Group [Add Members]\""},
			setup: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				provisioned(t, tn, ana())
				b := tn.AddUser(ben())
				check(t, tn.Assign(b.ID))
				cycle(t, tn)
			},
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				g, err := tn.AddGroup("Sales", tn.order[0], tn.order[1])
				check(t, err)
				check(t, tn.Assign(g.ID))
				cycle(t, tn)
			}},
		{name: "group_member_remove", source: map[Mode]string{
			ModeCompliant: gKnown + ", \"with the feature flag\": remove with a members[value eq …] path",
			ModeLegacy:    gKnown + ", \"without the feature flag\": Remove with a value list"},
			setup: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				provisioned(t, tn, ana())
				b := tn.AddUser(ben())
				check(t, tn.Assign(b.ID))
				g, err := tn.AddGroup("Sales", tn.order[0], b.ID)
				check(t, err)
				check(t, tn.Assign(g.ID))
				cycle(t, tn)
			},
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.RemoveMember(tn.gorder[0], tn.order[1]))
				cycle(t, tn)
			}},
		{name: "rename_group", source: map[Mode]string{"": gTutorial + ", \"Update Group [Non-member attributes]\" (op case per mode)"},
			setup: pushedGroup,
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				tn.groups[tn.gorder[0]].DisplayName = "Sales EMEA"
				tn.dirty[tn.gorder[0]] = true
				cycle(t, tn)
			}},
		{name: "unassign_group", source: map[Mode]string{"": "inferred: a group leaving the scope is deleted; " + gTutorial + ", \"Delete Group\""},
			setup: pushedGroup,
			action: func(t *testing.T, tn *Tenant, ft *fakeTarget) {
				check(t, tn.Unassign(tn.gorder[0]))
				cycle(t, tn)
			}},
	}
}

// TestGolden pins every Entra request, per mode, in testdata/golden.
func TestGolden(t *testing.T) {
	for _, mode := range []Mode{ModeCompliant, ModeLegacy} {
		for _, gc := range goldenCases() {
			t.Run(string(mode)+"/"+gc.name, func(t *testing.T) {
				ft := newFakeTarget(t)
				tn := newTenant(t, ft, mode, true)
				if gc.setup != nil {
					gc.setup(t, tn, ft)
				}
				from := ft.count()
				gc.action(t, tn, ft)
				reqs := ft.requests(from)
				if gc.name == "update_user" {
					// The action provisions first; keep only the update's
					// requests (the last cycle's two).
					reqs = ft.requests(ft.count() - 2)
				}
				src := gc.source[mode]
				if src == "" {
					src = gc.source[""]
				}
				if src == "" {
					t.Fatal("golden case without a source")
				}
				var b strings.Builder
				b.WriteString("# operation: " + gc.name + " (" + string(mode) + " mode)\n")
				b.WriteString("# source: " + src + "\n")
				b.WriteString("# requests as the target received them; Host left out\n\n")
				b.WriteString(strings.Join(reqs, "----\n"))
				b.WriteString("----\n")
				path := filepath.Join("testdata", "golden", string(mode), gc.name+".golden")
				if *update {
					check(t, os.WriteFile(path, []byte(b.String()), 0o644))
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./simulator/entra -run TestGolden -update)", err)
				}
				if string(want) != b.String() {
					t.Errorf("%s differs from the simulator's requests:\n--- want\n%s\n--- got\n%s", path, want, b.String())
				}
			})
		}
	}
}
