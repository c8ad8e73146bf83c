package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestParseWaivers(t *testing.T) {
	ws, err := ParseWaivers([]byte(`waivers:
  - scenario: "A name"
    reason: "known gap"
    owner: scim-team
    expires: 2027-03-31
  - scenario: "@groups"
    reason: no groups yet
    owner: ana
`), "w.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Waivers{
		{Scenario: "A name", Reason: "known gap", Owner: "scim-team", Expires: "2027-03-31", Source: "w.yaml:2"},
		{Scenario: "@groups", Reason: "no groups yet", Owner: "ana", Source: "w.yaml:6"},
	}
	if len(ws) != len(want) || ws[0] != want[0] || ws[1] != want[1] {
		t.Fatalf("got %+v\nwant %+v", ws, want)
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"not YAML", "waivers: [x", "not valid YAML"},
		{"empty", "", "empty"},
		{"a list at the top", "- scenario: x", `expected a mapping with a "waivers:" list`},
		{"unknown top field", "waiver: []", `unknown field "waiver"`},
		{"waivers not a list", "waivers: x", `"waivers" must be a list`},
		{"unknown field", "waivers:\n  - scenario: x\n    reason: r\n    owner: o\n    reasn: r", `line 5: unknown field "reasn"`},
		{"no owner", "waivers:\n  - scenario: x\n    reason: r", "line 2: the waiver has no owner"},
		{"no reason", "waivers:\n  - scenario: x\n    owner: o", "no reason"},
		{"bad date", "waivers:\n  - scenario: x\n    reason: r\n    owner: o\n    expires: 31/03/2027", `expires "31/03/2027" is not a date`},
		{"list value", "waivers:\n  - scenario: [a, b]\n    reason: r\n    owner: o", `"scenario" must be a single value`},
		{"entry not a mapping", "waivers:\n  - just a name", "a waiver is a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWaivers([]byte(tc.yaml), "w.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestWaiversCheck(t *testing.T) {
	names, tags := []string{"A name", "Other"}, []string{"@groups", "@okta"}
	good := Waivers{{Scenario: "A name"}, {Scenario: "@groups"}}
	if err := good.Check(names, tags); err != nil {
		t.Fatalf("known names and tags refused: %v", err)
	}
	bad := Waivers{{Scenario: "a name", Source: "w.yaml:2"}, {Scenario: "@group", Source: "w.yaml:6"}}
	err := bad.Check(names, tags)
	if err == nil || !strings.Contains(err.Error(), `w.yaml:2: no scenario is named "a name"`) || !strings.Contains(err.Error(), "w.yaml:6: no scenario has the tag @group") {
		t.Fatalf("err = %v", err)
	}
}

// waiverRun has a failing and a passing scenario in @groups, a failing one
// named alone, a passing one named alone and a skipped one named alone.
func waiverRun() Run {
	fail := &Failure{Step: "a step", Expected: "201", Actual: "500"}
	ok := []Step{{Keyword: "Then ", Text: "a step", Status: StatusPassed}}
	return Run{Scenarios: []Scenario{
		{Feature: "F", Name: "groups fail", Tags: []string{"@groups"}, Status: StatusFailed, Failure: fail},
		{Feature: "F", Name: "groups pass", Tags: []string{"@groups"}, Status: StatusPassed},
		{Feature: "F", Name: "fails", Tags: []string{"@okta"}, Status: StatusFailed, Failure: fail},
		{Feature: "F", Name: "passes", Tags: []string{"@okta"}, Status: StatusPassed, Steps: ok},
		{Feature: "F", Name: "skips", Tags: []string{"@okta"}, Status: StatusSkipped, SkipReason: "no probe"},
	}}
}

func statuses(run Run) string {
	var out []string
	for _, s := range run.Scenarios {
		out = append(out, string(s.Status))
	}
	return strings.Join(out, " ")
}

func TestApplyWaivers(t *testing.T) {
	today := time.Date(2027, 3, 31, 23, 0, 0, 0, time.UTC)
	w := func(scenario, expires string) Waiver {
		return Waiver{Scenario: scenario, Reason: "known", Owner: "team", Expires: expires, Source: "w.yaml:" + scenario}
	}
	for _, tc := range []struct {
		name    string
		ws      Waivers
		want    string
		problem map[string]string // scenario → text its waiver problem must hold
		passed  bool
	}{
		{"no waivers", nil, "failed passed failed passed skipped", nil, false},
		{"name waiver, valid through its last day", Waivers{w("fails", "2027-03-31")},
			"failed passed waived passed skipped", nil, false},
		{"expired the day after", Waivers{w("fails", "2027-03-30")},
			"failed passed failed passed skipped", map[string]string{"fails": "expired on 2027-03-30"}, false},
		{"tag waiver in use keeps its passing scenario passed", Waivers{w("@groups", ""), w("fails", "")},
			"waived passed waived passed skipped", nil, false}, // the skip still blocks
		{"stale name waiver fails its passing scenario", Waivers{w("passes", "")},
			"failed passed failed failed skipped", map[string]string{"passes": "passes now"}, false},
		// @okta names a failure ("fails"), so it is in use: "passes" stays passed.
		{"tag waiver naming a failure is not stale", Waivers{w("@okta", "")},
			"failed passed waived passed skipped", nil, false},
		{"a skipped scenario is left alone", Waivers{w("skips", "")},
			"failed passed failed passed skipped", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := tc.ws.Apply(waiverRun(), today)
			if got := statuses(run); got != tc.want {
				t.Fatalf("statuses = %s, want %s", got, tc.want)
			}
			for _, s := range run.Scenarios {
				want, ok := tc.problem[s.Name]
				switch {
				case ok && (s.Waiver == nil || !strings.Contains(s.Waiver.Problem, want)):
					t.Errorf("%s: waiver %+v, want a problem saying %q", s.Name, s.Waiver, want)
				case !ok && s.Waiver != nil && s.Waiver.Problem != "":
					t.Errorf("%s: unexpected waiver problem %q", s.Name, s.Waiver.Problem)
				}
				if s.Status == StatusWaived && (s.Waiver == nil || s.Failure == nil) {
					t.Errorf("%s: waived without its waiver or failure kept", s.Name)
				}
			}
			if got := run.Passed(); got != tc.passed {
				t.Errorf("Passed() = %t, want %t", got, tc.passed)
			}
		})
	}
	// A tag waiver whose scenarios all pass is stale, on each of them.
	fixed := waiverRun()
	fixed.Scenarios[0].Status, fixed.Scenarios[0].Failure = StatusPassed, nil
	run := Waivers{w("@groups", "")}.Apply(fixed, today)
	for _, s := range run.Scenarios[:2] {
		if s.Status != StatusFailed || s.Waiver == nil || !strings.Contains(s.Waiver.Problem, "every scenario tagged @groups passes now") {
			t.Errorf("%s: %s, waiver %+v", s.Name, s.Status, s.Waiver)
		}
	}
	// Apply leaves its input alone.
	in := waiverRun()
	_ = Waivers{w("fails", "")}.Apply(in, today)
	if in.Scenarios[2].Status != StatusFailed {
		t.Fatal("Apply changed its input")
	}
}

// TestWaivedInEveryReport: a waived failure is JUnit's skipped with the
// waiver, a skip in Cucumber whose message starts "waived", its own count,
// colour and column in HTML and Markdown, and a section in the summary.
func TestWaivedInEveryReport(t *testing.T) {
	run := Waivers{{Scenario: "fails", Reason: "ships in 2.4", Owner: "scim-team", Expires: "2099-01-01", Source: "w.yaml:2"}}.Apply(waiverRun(), time.Now())
	run.Scenarios = append(run.Scenarios[2:3], run.Scenarios[3]) // fails (waived), passes
	if !run.Passed() {
		t.Fatal("a run whose only failure is waived did not pass")
	}

	var junit bytes.Buffer
	if err := WriteJUnit(&junit, run); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(junit.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	tc := doc.Suites[0].Cases[0]
	if doc.Failures != 0 || doc.Skipped != 1 || tc.Failure != nil || tc.Skipped == nil ||
		tc.Skipped.Message != "waived (owner scim-team, until 2099-01-01: ships in 2.4)" {
		t.Errorf("junit: failures %d skipped %d case %+v", doc.Failures, doc.Skipped, tc)
	}

	var cuke bytes.Buffer
	if err := WriteCucumber(&cuke, run); err != nil {
		t.Fatal(err)
	}
	outs, err := parseCucumberOutcomes(cuke.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].Status != StatusWaived || outs[1].Status != StatusPassed {
		t.Errorf("cucumber read back as %+v", outs)
	}
	if strings.Contains(cuke.String(), `"status": "failed"`) {
		t.Errorf("cucumber has a failed result for a waived failure:\n%s", cuke.String())
	}

	page := renderHTML(t, run)
	for _, want := range []string{`<div class="card waived"><b>1</b>waived</div>`, `<h2 id="waived">Waived (1)</h2>`,
		`<td>scim-team</td><td>2099-01-01</td><td class="waiver-reason">ships in 2.4</td>`, `<span class="badge waived">waived</span>`,
		`.badge.waived { background:var(--waived); }`, `class="verdict pass">PASSED`} {
		if !strings.Contains(page, want) {
			t.Errorf("html lacks %q", want)
		}
	}

	md := renderMarkdown(t, run)
	for _, want := range []string{"| Scenarios | Passed | Failed | Waived |", "| 2 | 1 | 0 | 1 | 0 | 0 |", "### Waived",
		"| F › fails | scim-team | 2099-01-01 | ships in 2.4 | expected 201, got 500 |", "✅ PASSED"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q\n%s", want, md)
		}
	}

	var sum bytes.Buffer
	if err := WriteSummary(&sum, run, Paths{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PASSED  2 scenarios: 1 passed, 0 failed, 1 waived,", "waived (known failures; they do not fail the run):\n  ~ F › fails\n      owner scim-team, until 2099-01-01: ships in 2.4"} {
		if !strings.Contains(sum.String(), want) {
			t.Errorf("summary lacks %q\n%s", want, sum.String())
		}
	}
}

// TestWaiverProblemInReports: an expired waiver's failure says why in the
// summary, Markdown, HTML and JUnit.
func TestWaiverProblemInReports(t *testing.T) {
	run := Waivers{{Scenario: "fails", Reason: "ships in 2.4", Owner: "scim-team", Expires: "2020-01-01", Source: "w.yaml:2"}}.Apply(waiverRun(), time.Now())
	const why = "the waiver at w.yaml:2 (owner scim-team: ships in 2.4) expired on 2020-01-01"
	var sum, junit bytes.Buffer
	if err := WriteSummary(&sum, run, Paths{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(&junit, run); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"summary": strings.Join(strings.Fields(sum.String()), " "), "junit": junit.String(),
		"markdown": renderMarkdown(t, run), "html": renderHTML(t, run)} {
		if !strings.Contains(text, why) {
			t.Errorf("%s does not say %q:\n%s", name, why, text)
		}
	}
}
