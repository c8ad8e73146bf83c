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
		"FAILED  4 scenarios: 1 passed, 1 failed, 1 skipped, 1 not supported  in 3.25s\n",
		"target: acme staging https://" + Redacted + "@cortex.example.com/scim/v2\nprofile cortex · Okta OIN · tags @okta,@cortex\n",
		"  ✗ Reactivate users › PATCH active:true is rejected and the user stays inactive\n",
		"      expected status 400 with scimType mutability, got " + specialMessage + "\n",
		"      Okta admin sees: " + adminMessage + "\n",
		"  - no probe for team membership in the target profile (1): Groups push keeps members\n",
		"  - not supported: target does not advertise @etag (1): Deprovision revokes personal API keys\n",
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
		"  - reason 0 (4): skipped 0; skipped 10; skipped 20; skipped 30\n",
		"… and 20 more skipped scenarios for other reasons",
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
