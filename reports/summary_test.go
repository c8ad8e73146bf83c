package reports

import (
	"fmt"
	"strings"
	"testing"
)

func renderSummary(t *testing.T, run Run, paths Paths) string {
	t.Helper()
	var b strings.Builder
	if err := WriteSummary(&b, run, paths); err != nil {
		t.Fatalf("WriteSummary: %v", err)
	}
	return b.String()
}

func TestWriteSummary(t *testing.T) {
	paths := Paths{Dir: "out", HTML: "out/report.html", JUnit: "out/junit.xml"}
	got := renderSummary(t, sampleRun(), paths)
	for _, want := range []string{
		"FAILED  4 scenarios: 1 passed, 1 failed (1 must), 1 skipped, 1 not supported  in 3.25s\n",
		"target: acme staging (https://" + Redacted + "@cortex.example.com/scim/v2)\nprofile cortex · Okta OIN · tags @okta,@cortex · fail-on must\n",
		"\nfailed:\n  ✗ [must] Reactivate users › PATCH active:true is rejected and the user stays inactive\n",
		"      expected status 400 with scimType mutability, got " + specialMessage + "\n",
		"      rule: SPEC §1.3 (PATCH active true is 400 mutability)\n",
		"      Okta admin sees: " + adminMessage + "\n",
		"\nskipped:\n  - Groups push keeps members (1)\n      why: no probe for team membership in the target profile\n",
		"\nnot supported:\n  - Deprovision revokes personal API keys (1)\n      why: target does not advertise @etag\n",
		"reports:\n  out/report.html\n  out/junit.xml\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q\n---\n%s", want, got)
		}
	}
	for i, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > summaryWidth {
			t.Errorf("line %d is %d runes, over %d: %q", i, n, summaryWidth, line)
		}
	}
}

func TestWriteSummaryStaysOnOneScreen(t *testing.T) {
	var run Run
	for i := range 40 {
		run.Scenarios = append(run.Scenarios,
			Scenario{Feature: "F", Name: fmt.Sprintf("failing %d", i), Status: StatusFailed, Failure: &Failure{Expected: "201", Actual: "500"}},
			Scenario{Feature: "F", Name: fmt.Sprintf("skipped %d", i), Status: StatusSkipped, SkipReason: fmt.Sprintf("reason %d", i%10)},
		)
	}
	got := renderSummary(t, run, Paths{})
	lines := strings.Count(got, "\n")
	if lines > 30 {
		t.Errorf("summary is %d lines for 80 scenarios, want one screen:\n%s", lines, got)
	}
	for _, want := range []string{
		"… and 35 more failed scenarios (see the HTML report)",
		"  - skipped 0; skipped 10; skipped 20; skipped 30 (4)\n      why: reason 0\n",
		"… and 20 more skipped scenarios for 5 other reasons",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q\n%s", want, got)
		}
	}
	if strings.Contains(got, "reports:") {
		t.Errorf("zero Paths still printed a reports section")
	}
}

func TestWriteSummaryPassedAndEmpty(t *testing.T) {
	got := renderSummary(t, Run{Scenarios: []Scenario{{Feature: "f", Name: "n", Status: StatusPassed}}}, Paths{})
	if !strings.HasPrefix(got, "PASSED  1 scenarios: 1 passed") || strings.Contains(got, "failed:") {
		t.Errorf("passing summary = %q", got)
	}
	got = renderSummary(t, Run{}, Paths{})
	if !strings.HasPrefix(got, "FAILED  0 scenarios") || !strings.Contains(got, "no scenario ran") {
		t.Errorf("empty summary = %q", got)
	}
}

// TestWriteSummaryNamesBeforeLongReasons: a long probe reason never hides
// the scenario names, and a --url target's URL is printed once.
func TestWriteSummaryNamesBeforeLongReasons(t *testing.T) {
	long := "the target profile has no admin API for probes (needs " + strings.Repeat("readSettings, restoreSettings, setSCIM, ", 4) + "mintRoleKey)"
	run := Run{Target: Target{Name: "https://app.example.com/scim/v2", BaseURL: "https://app.example.com/scim/v2"}, Scenarios: []Scenario{
		{Feature: "F", Name: "Deprovisioning removes the user's roles", Status: StatusSkipped, SkipReason: long},
		{Feature: "F", Name: "Deprovisioning removes team memberships", Status: StatusSkipped, SkipReason: long},
	}}
	got := renderSummary(t, run, Paths{})
	if !strings.Contains(got, "  - Deprovisioning removes the user's roles; Deprovisioning removes team memberships (2)\n") {
		t.Errorf("skipped names are not shown in full first:\n%s", got)
	}
	if n := strings.Count(got, "https://app.example.com/scim/v2"); n != 1 {
		t.Errorf("the target URL is printed %d times, want once:\n%s", n, got)
	}
}

// TestWriteSummaryGroupsSkipsByReason: skips whose reasons differ only in
// their per-scenario detail (which probes each needs) are one group, with
// the details merged; names that do not fit are counted "with the same
// reason", never called "other reasons".
func TestWriteSummaryGroupsSkipsByReason(t *testing.T) {
	const general = `the target profile has no admin API for probes, see README.md "Writing a target profile"`
	// The last is long enough that a reason cut at 160 runes loses its ")".
	needs := []string{"grantRole, readRoles", "readSettings, restoreSettings, setSCIM", "mintRoleKey", "readRoles",
		"grantTeam, readTeams, teamMembers, readSettings, restoreSettings, keepInTeams, mintAPIKey"}
	var run Run
	for i := range 18 {
		run.Scenarios = append(run.Scenarios, Scenario{Feature: "F", Name: fmt.Sprintf("a scenario with a fairly long name number %d", i),
			Status: StatusSkipped, SkipReason: general + " (needs " + needs[i%len(needs)] + ")"})
	}
	got := renderSummary(t, run, Paths{})
	if n := strings.Count(got, "\n  - "); n != 1 {
		t.Errorf("%d skip groups for one reason, want 1:\n%s", n, got)
	}
	if strings.Contains(got, "other reasons") {
		t.Errorf("one reason reported as several:\n%s", got)
	}
	for _, want := range []string{
		" (18)\n",
		"more with the same reason\n",
		"why: " + general + " (needs grantRole, readRoles, readSettings, restoreSettings, setSCIM, mintRoleKey, grantTeam,",
	} {
		// The why line wraps: compare with the continuation indents removed.
		if !strings.Contains(strings.ReplaceAll(got, "\n           ", " "), want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	// Shown names plus the counted rest are all 18.
	var shown, rest int
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, "  - ") {
			shown = strings.Count(line, "a scenario with")
		}
		fmt.Sscanf(strings.TrimSpace(line), "… and %d more with the same reason", &rest)
	}
	if shown == 0 || shown+rest != 18 {
		t.Errorf("%d names shown and %d counted, want 18 in all:\n%s", shown, rest, got)
	}
}

func TestSplitAndMergeDetails(t *testing.T) {
	for _, tt := range []struct{ in, general, detail string }{
		{"no probes (needs a, b)", "no probes", "needs a, b"},
		{"no reason", "no reason", ""},
		{"calls f(x)", "calls f(x)", ""},
		{"outer (needs (x) a)", "outer", "needs (x) a"},
	} {
		if g, d := splitDetail(tt.in); g != tt.general || d != tt.detail {
			t.Errorf("splitDetail(%q) = %q, %q; want %q, %q", tt.in, g, d, tt.general, tt.detail)
		}
	}
	for _, tt := range []struct {
		in   []string
		want string
		ok   bool
	}{
		{[]string{"needs a", "needs a"}, "needs a", true},
		{[]string{"needs a, b", "needs b, c"}, "needs a, b, c", true},
		{[]string{"needs a; see x", "needs b; see x"}, "needs a, b; see x", true},
		{[]string{"needs a", "missing b"}, "", false},
		{[]string{"", "needs b"}, "", false},
	} {
		if got, ok := mergeDetails(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("mergeDetails(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestWriteSummaryLevels: failures that fail the run come first, worst
// level first; should-level advice under --fail-on must is listed in its
// own section and the run still passes (issue 12).
func TestWriteSummaryLevels(t *testing.T) {
	run := Run{Scenarios: []Scenario{
		{Feature: "F", Name: "ok", Status: StatusPassed},
		failedAt(LevelShould),
	}}
	got := renderSummary(t, run, Paths{})
	for _, want := range []string{
		"PASSED  2 scenarios: 1 passed, 1 failed (1 should), 0 skipped, 0 not supported",
		"\nfail-on must\n",
		"\nbelow --fail-on must (listed, not failing the run):\n  ✗ [should] f › failed at should\n      expected x, got y\n      rule: RFC 7644 §3.12\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q\n---\n%s", want, got)
		}
	}
	if strings.Contains(got, "\nfailed:") {
		t.Errorf("advice listed as failing the run:\n%s", got)
	}

	run.Scenarios = append(run.Scenarios, failedAt(LevelMust), failedAt(LevelOkta))
	got = renderSummary(t, run, Paths{})
	okta, must := strings.Index(got, "[okta]"), strings.Index(got, "[must]")
	if !strings.HasPrefix(got, "FAILED") || okta < 0 || must < okta {
		t.Errorf("want FAILED with okta listed before must:\n%s", got)
	}
	if !strings.Contains(got, "3 failed (1 okta, 1 must, 1 should)") {
		t.Errorf("per-level counts missing:\n%s", got)
	}

	run.FailOn = LevelShould
	got = renderSummary(t, run, Paths{})
	if strings.Contains(got, "below --fail-on") || !strings.Contains(got, "[should]") {
		t.Errorf("--fail-on should lists advice as failing:\n%s", got)
	}
}

// TestWriteSummaryCountsAgreeWithLists: each list under the counts holds
// exactly the scenarios its count says; a not-supported scenario is never
// listed under "skipped:" above which the header says 0 skipped.
func TestWriteSummaryCountsAgreeWithLists(t *testing.T) {
	run := Run{Scenarios: []Scenario{
		{Feature: "F", Name: "ok", Status: StatusPassed},
		{Feature: "F", Name: "etag one", Status: StatusNotSupported, SkipReason: "target does not advertise @etag"},
	}}
	got := renderSummary(t, run, Paths{})
	if !strings.Contains(got, "0 skipped, 1 not supported") || strings.Contains(got, "skipped:") ||
		!strings.Contains(got, "\nnot supported:\n  - etag one (1)\n") {
		t.Errorf("counts and lists disagree:\n%s", got)
	}
}

// TestWriteSummaryNeverCutsAdvice: past the first few, advice is still
// named, one line each, never counted away.
func TestWriteSummaryNeverCutsAdvice(t *testing.T) {
	var run Run
	for i := range 9 {
		s := failedAt(LevelShould)
		s.Name = fmt.Sprintf("advice %d", i)
		run.Scenarios = append(run.Scenarios, s)
	}
	got := renderSummary(t, run, Paths{})
	for i := range 9 {
		if !strings.Contains(got, fmt.Sprintf("✗ [should] f › advice %d\n", i)) {
			t.Errorf("advice %d not listed:\n%s", i, got)
		}
	}
	if strings.Contains(got, "… and") {
		t.Errorf("advice counted away:\n%s", got)
	}
}
