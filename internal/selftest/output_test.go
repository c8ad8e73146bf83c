package selftest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/reports"
)

// sampleReport has a clean run with one failure and one skip, and one
// fault of each kind: caught in a check, caught only in set-up with a
// scenario no longer run, missed, and unable to run.
func sampleReport() Report {
	clean := record(passing("A"), failing("Broken"), skipped("Skipped"))
	clean.Scenarios[2].SkipReason = "no team probe configured"
	clean.Duration = 1500 * time.Millisecond
	return Report{
		Clean: clean,
		Outcomes: []Outcome{
			{Fault: faults("caught-fault")[0], Failed: []string{"A"}},
			{Fault: faults("setup-fault")[0], Failed: []string{"A"}, InSetup: []string{"A"}, NotRun: []string{"Skipped"}},
			{Fault: faults("missed-fault")[0]},
			{Fault: faults("error-fault")[0], Err: errors.New("start: Authorization: Bearer sk_live_abcdef123456")},
		},
		Duration: 3 * time.Second,
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	probs := []Problem{{Fault: "caught-fault", Scenario: "Gone", Kind: UnknownScenario}}
	if err := WriteText(&buf, sampleReport(), probs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"clean run FAILED: 3 scenarios, 1 passed, 1 failed, 1 not run in 1.5s",
		"  FAILED        Broken\n                step the rule holds; expected the rule; got not the rule\n",
		"  SKIPPED       Skipped\n                no team probe configured\n",
		"FAULT         RESULT  SCENARIOS THAT FAILED\n",
		"caught-fault  caught  A\n",
		"setup-fault   MISSED  A (failed in set-up)\n                      not run: Skipped\n",
		"missed-fault  MISSED  (none)\n",
		"error-fault   MISSED  error: start: Authorization: Bearer [REDACTED]",
		"detection rate: 1/4 faults caught (25.0%); clean run failed; 3s",
		`caught-fault: scenario "Gone": expected scenario is not in the suite`,
		"scenarios no injected fault made fail (their checks are not proven by a fault):\n  Broken\n  Skipped\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sk_live_abcdef123456") {
		t.Errorf("table leaks a secret:\n%s", out)
	}
}

func TestWriteTextWithoutProblemsHasNoDifferencesSection(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, sampleReport(), nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "differences from") {
		t.Errorf("differences section printed without problems:\n%s", buf.String())
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	probs := []Problem{{Fault: "missed-fault", Kind: NotExpected}}
	if err := WriteJSON(&buf, sampleReport(), probs); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "sk_live_abcdef123456") {
		t.Errorf("JSON leaks a secret:\n%s", buf.String())
	}
	var got JSONReport
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.OK || got.Caught != 1 || got.Total != 4 || got.DetectionRate != 0.25 || got.DurationMS != 3000 {
		t.Errorf("summary = ok %v caught %d/%d rate %v duration %d", got.OK, got.Caught, got.Total, got.DetectionRate, got.DurationMS)
	}
	wantClean := JSONClean{Passed: false, Total: 3, PassedCount: 1, Failed: 1, Skipped: 1, NotPassing: []string{"Broken", "Skipped"}}
	if !jsonEqual(got.Clean, wantClean) {
		t.Errorf("clean = %+v, want %+v", got.Clean, wantClean)
	}
	if len(got.Faults) != 4 {
		t.Fatalf("%d faults, want 4", len(got.Faults))
	}
	setup := got.Faults[1]
	if setup.Name != "setup-fault" || setup.Caught || setup.Description != "the setup-fault bug" ||
		!sameStrings(setup.Failed, []string{"A"}) || !sameStrings(setup.InSetup, []string{"A"}) || !sameStrings(setup.NotRun, []string{"Skipped"}) {
		t.Errorf("setup-fault row = %+v", setup)
	}
	if missed := got.Faults[2]; missed.Caught || missed.Failed == nil || len(missed.Failed) != 0 {
		t.Errorf("missed-fault row = %+v, want caught false and failed [] (not null)", missed)
	}
	if e := got.Faults[3]; e.Caught || !strings.Contains(e.Error, reports.Redacted) {
		t.Errorf("error-fault row = %+v, want the redacted error", e)
	}
	if !sameStrings(got.Unexercised, []string{"Broken", "Skipped"}) {
		t.Errorf("unexercised = %q, want [Broken Skipped]", got.Unexercised)
	}
	if len(got.ExpectationProblems) != 1 || got.ExpectationProblems[0] != "missed-fault: fault missing from the expectation file" {
		t.Errorf("expectationProblems = %q", got.ExpectationProblems)
	}
}

func TestOneLine(t *testing.T) {
	if got := oneLine("a\n  b\tc", 10); got != "a b c" {
		t.Errorf("oneLine collapsed to %q", got)
	}
	if got := oneLine("ääääääääää", 5); got != "ääää…" {
		t.Errorf("oneLine trimmed to %q, want 5 runes ending in …", got)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
