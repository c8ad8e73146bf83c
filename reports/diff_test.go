package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// diffRun is a run with the given name → status scenarios, each with a
// step so that its Cucumber JSON shows the outcome.
func diffRun(pairs ...string) Run {
	var run Run
	for i := 0; i+1 < len(pairs); i += 2 {
		st := Status(pairs[i+1])
		step := Step{Keyword: "Then ", Text: "it holds", Status: StatusPassed}
		s := Scenario{Feature: "F", Name: pairs[i], Line: 10 + i, Status: st, Steps: []Step{step}}
		switch st {
		case StatusFailed:
			s.Steps[0].Status = StatusFailed
			s.Failure = &Failure{Step: "it holds", Expected: "a", Actual: "b"}
		case StatusSkipped, StatusNotSupported:
			s.SkipReason = "no probe"
		case StatusWaived:
			s.Steps[0].Status = StatusFailed
			s.Failure = &Failure{Step: "it holds", Expected: "a", Actual: "b"}
			s.Waiver = &AppliedWaiver{Waiver: Waiver{Scenario: pairs[i], Reason: "r", Owner: "o"}}
		}
		run.Scenarios = append(run.Scenarios, s)
	}
	return run
}

// baselineOf writes run's cucumber.json into a folder and loads it back.
func baselineOf(t *testing.T, run Run) Baseline {
	t.Helper()
	dir := t.TempDir()
	if _, err := WriteAll(dir, run, nil); err != nil {
		t.Fatal(err)
	}
	b, err := LoadBaseline(dir) // a folder: its cucumber.json
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func names(entries []DiffEntry) string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Name+":"+e.Transition())
	}
	return strings.Join(out, ", ")
}

// TestCucumberRoundTrip: every outcome written to cucumber.json reads back
// as itself.
func TestCucumberRoundTrip(t *testing.T) {
	run := diffRun("p", "passed", "f", "failed", "s", "skipped", "n", "not-supported", "w", "waived")
	b := baselineOf(t, run)
	if b.Len() != 5 {
		t.Fatalf("baseline holds %d scenarios", b.Len())
	}
	for i, o := range b.outcomes {
		if o.Status != run.Scenarios[i].Status || o.Name != run.Scenarios[i].Name || o.Feature != "F" {
			t.Errorf("scenario %d read back as %+v, want %s", i, o, run.Scenarios[i].Status)
		}
	}
}

func TestDiff(t *testing.T) {
	before := diffRun("same pass", "passed", "breaks", "passed", "fixed", "failed", "still fails", "failed",
		"now skipped", "passed", "removed", "passed", "skip then fail", "skipped", "waived then fails", "waived")
	after := diffRun("same pass", "passed", "breaks", "failed", "fixed", "passed", "still fails", "failed",
		"now skipped", "skipped", "added failing", "failed", "added passing", "passed", "skip then fail", "failed",
		"waived then fails", "failed")
	after.Diff = baselineOf(t, before).Compare(after)
	d := after.Diff
	for _, tc := range []struct{ list, got, want string }{
		{"newly failing", names(d.NewlyFailing), "breaks:passed → failed, skip then fail:skipped → failed"},
		{"newly passing", names(d.NewlyPassing), "fixed:failed → passed"},
		{"new", names(d.New), "added failing:new: failed, added passing:new: passed"},
		{"gone", names(d.Gone), "removed:gone (was passed)"},
		{"changed", names(d.Changed), "now skipped:passed → skipped"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.list, tc.got, tc.want)
		}
	}
	// New failures: newly failing or new and failed; not "still fails" nor
	// "waived then fails" (the baseline had them failing).
	var newFail []string
	for _, s := range after.Scenarios {
		if d.NewFailure(s) {
			newFail = append(newFail, s.Name)
		}
	}
	if got := strings.Join(newFail, ", "); got != "breaks, added failing, skip then fail" || d.NewFailures() != 3 {
		t.Errorf("new failures = %q (%d)", got, d.NewFailures())
	}

	// --fail-on-new-only: the run still fails for its new failures...
	after.NewOnly = true
	if after.Passed() {
		t.Error("new-only run with new failures passed")
	}
	// ...and passes when the only failures are old ones and a skip.
	old := diffRun("still fails", "failed", "now skipped", "skipped", "fixed", "passed")
	old.Diff, old.NewOnly = baselineOf(t, before).Compare(old), true
	if !old.Passed() {
		t.Errorf("new-only run with only old failures failed; blocking: %v", old.Blocking())
	}
	old.NewOnly = false
	if old.Passed() {
		t.Error("without new-only an old failure passed")
	}
	// A waiver problem blocks even under new-only.
	old.NewOnly = true
	old.Scenarios[0].Waiver = &AppliedWaiver{Problem: "expired"}
	if old.Passed() {
		t.Error("an expired waiver passed under new-only")
	}
}

func TestDiffReports(t *testing.T) {
	before := diffRun("breaks", "passed", "fixed", "failed", "removed", "passed")
	after := diffRun("breaks", "failed", "fixed", "passed", "added", "passed")
	after.Diff = baselineOf(t, before).Compare(after)
	dir := t.TempDir()
	paths, err := WriteAll(dir, after, nil)
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, FileDiff))
	if err != nil || paths.Diff == "" {
		t.Fatalf("diff.md not written: %v", err)
	}
	for _, want := range []string{"## Changes since the baseline", "| **1** | 1 | 1 | 1 | 0 |",
		"### Newly failing (1)\n\n| Feature | Scenario | Change |\n|---|---|---|\n| F | breaks | passed → failed |",
		"### Newly passing (1)", "### New (1)", "| F | added | new: passed |", "### Gone (1)", "| F | removed | gone (was passed) |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("diff.md lacks %q\n%s", want, md)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, FileHTML))
	for _, want := range []string{`<h2 id="diff">Changes since the baseline</h2>`, `<table class="diff" data-section="Newly failing">`,
		`<td>breaks</td><td class="change">passed → failed</td>`, `data-section="Gone"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	var sum bytes.Buffer
	if err := WriteSummary(&sum, after, paths); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.String(), "  newly failing (1):\n    F › breaks  (passed → failed)\n") || !strings.Contains(sum.String(), filepath.Join(dir, FileDiff)) {
		t.Errorf("summary:\n%s", sum.String())
	}
	// Without a baseline there is no diff.md and no section.
	dir2 := t.TempDir()
	after.Diff = nil
	if p, _ := WriteAll(dir2, after, nil); p.Diff != "" {
		t.Error("diff.md written without a baseline")
	}
	if _, err := os.Stat(filepath.Join(dir2, FileDiff)); err == nil {
		t.Error("diff.md exists without a baseline")
	}
}

func TestLoadBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ name, path, want string }{
		{"missing file", filepath.Join(dir, "nope.json"), "no such file"},
		{"folder without cucumber.json", dir, "no such file"},
		{"not JSON", write("a.json", "<xml/>"), "not a Cucumber JSON report"},
		{"an object", write("b.json", `{"features":[]}`), "not a Cucumber JSON report"},
		{"no scenario", write("c.json", `[]`), "holds no scenario"},
		{"feature without a name", write("d.json", `[{"elements":[]}]`), "feature 1 has no name"},
		{"element without a name", write("e.json", `[{"name":"F","elements":[{"steps":[]}]}]`), "element 1 has no name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadBaseline(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestNewOnlyWithFailOn: --fail-on-new-only and --fail-on combine in
// Blocks: a new failure blocks only at the --fail-on level or worse; an
// old failure never does.
func TestNewOnlyWithFailOn(t *testing.T) {
	before := diffRun("old must", "failed", "new should", "passed", "new must", "passed")
	after := diffRun("old must", "failed", "new should", "failed", "new must", "failed")
	after.Scenarios[0].Failure.Level = LevelMust
	after.Scenarios[1].Failure.Level = LevelShould
	after.Scenarios[2].Failure.Level = LevelMust
	after.Diff, after.NewOnly = baselineOf(t, before).Compare(after), true
	var blocking []string
	for _, s := range after.Blocking() {
		blocking = append(blocking, s.Name)
	}
	if got := strings.Join(blocking, ", "); got != "new must" {
		t.Errorf("blocking under --fail-on must --fail-on-new-only: %q, want only the new must-level failure", got)
	}
	after.FailOn = LevelShould
	blocking = nil
	for _, s := range after.Blocking() {
		blocking = append(blocking, s.Name)
	}
	if got := strings.Join(blocking, ", "); got != "new should, new must" {
		t.Errorf("blocking under --fail-on should --fail-on-new-only: %q", got)
	}
}

// TestScenarioNamesSurviveRedaction: a scenario name that looks like a
// credential ("… empty Bearer answers 401") is written as it is, so a
// baseline read back matches the live run by name.
func TestScenarioNamesSurviveRedaction(t *testing.T) {
	run := diffRun("A key sent after an empty Bearer answers 401", "passed", "Basic dXNlcjpwYXNz is refused", "failed")
	b := baselineOf(t, run)
	d := b.Compare(run)
	if !d.Empty() {
		t.Errorf("a run differs from its own baseline: new %v, gone %v", names(d.New), names(d.Gone))
	}
	page := renderHTML(t, run)
	if !strings.Contains(page, "A key sent after an empty Bearer answers 401") {
		t.Error("the HTML report changed the scenario's name")
	}
}
