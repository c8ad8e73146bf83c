package steps

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/features"
	"github.com/scimulator/scimulator/reports"
)

// TestEveryStepDeclaresARule is the enforcement of issue 12: every step
// definition carries a level (okta, must or should) and a citation, or
// defers to its scenario's "Level:" line (ScenarioRule).
func TestEveryStepDeclaresARule(t *testing.T) {
	defs := allStepDefs()
	if len(defs) < 100 {
		t.Fatalf("only %d step definitions listed: registerStepDefs no longer lists them all", len(defs))
	}
	seen := map[string]bool{}
	for _, d := range defs {
		if err := d.rule.check(); err != nil {
			t.Errorf("step %s: %v", d.pattern, err)
		}
		if d.rule.Level == "" {
			t.Errorf("step %s: no rule", d.pattern)
		}
		if seen[d.pattern] {
			t.Errorf("step %s is registered twice", d.pattern)
		}
		seen[d.pattern] = true
	}
}

// TestEveryScenarioDeclaresALevel checks that each scenario of the
// embedded features has a valid "Level:" line, the rule of its generic
// steps (a status, a body path).
func TestEveryScenarioDeclaresALevel(t *testing.T) {
	feats, err := (godog.TestSuite{Options: &godog.Options{FS: features.FS(), Paths: []string{"."}}}).RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range feats {
		for _, child := range f.GherkinDocument.Feature.Children {
			sc := child.Scenario
			if sc == nil {
				continue
			}
			n++
			r, ok, err := parseScenarioRule(sc.Description)
			switch {
			case err != nil:
				t.Errorf("%s:%d %q: %v", f.Uri, sc.Location.Line, sc.Name, err)
			case !ok:
				t.Errorf("%s:%d %q: no \"Level: okta|must|should, <citation>\" line under the Scenario line", f.Uri, sc.Location.Line, sc.Name)
			case r.Level == levelScenario:
				t.Errorf("%s:%d: a scenario cannot defer its level", f.Uri, sc.Location.Line)
			}
		}
	}
	if n == 0 {
		t.Fatal("no scenarios read")
	}
}

// TestStepsBindOnlyThroughStepDefs keeps godog's ScenarioContext out of
// the step files: a register function that took it could bind a step
// without a rule.
func TestStepsBindOnlyThroughStepDefs(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"hooks.go": true, "levels.go": true, "run.go": true}
	bind := regexp.MustCompile(`godog\.ScenarioContext|\.StepContext\(\)\.Step|ScenarioContext\)\.Step`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || allowed[f] {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := bind.FindIndex(b); loc != nil {
			t.Errorf("%s binds steps through godog directly (%q): register them with stepDefs.Step and a Rule", f, b[loc[0]:loc[1]])
		}
	}
}

func TestParseScenarioRule(t *testing.T) {
	for _, tc := range []struct {
		desc    string
		want    Rule
		ok, err bool
	}{
		{"  Level: must, RFC 7644 §3.6", must("RFC 7644 §3.6"), true, false},
		{"some text\n    Level: OKTA,   Okta SCIM 2.0 spec test step 6\n", okta("Okta SCIM 2.0 spec test step 6"), true, false},
		{"no level here", Rule{}, false, false},
		{"Level: maybe, RFC 7644 §3.6", Rule{}, false, true},
		{"Level: must RFC 7644 §3.6", Rule{}, false, true},
		{"Level: should, because I say so", Rule{}, false, true},
	} {
		got, ok, err := parseScenarioRule(tc.desc)
		if got != tc.want || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("parseScenarioRule(%q) = %v, %t, %v; want %v, %t, error %t", tc.desc, got, ok, err, tc.want, tc.ok, tc.err)
		}
	}
}

// TestFailCarriesTheRule checks the World side: a failure carries the
// running step's rule, a generic step's failure the scenario's, a
// should-level failure is recorded but does not stop the step, and the
// worst failure decides.
func TestFailCarriesTheRule(t *testing.T) {
	w := &World{}
	if err := w.fail("x", "y", nil, "", ""); err == nil || w.failures[0].Level != reports.LevelError {
		t.Fatalf("a failure outside any step: %v, %+v; want an error-level failure", err, w.failures)
	}
	w = &World{rule: ScenarioRule, scenarioRule: must("RFC 7644 §3.6")}
	if err := w.fail("204", "200", nil, "", ""); err == nil || !strings.Contains(err.Error(), "[must: RFC 7644 §3.6]") {
		t.Fatalf("generic step: %v; want the scenario's rule in the message", err)
	}
	w = &World{rule: ScenarioRule}
	_ = w.fail("204", "200", nil, "", "")
	if w.failures[0].Level != reports.LevelMust || !strings.Contains(w.failures[0].Citation, "no Level line") {
		t.Fatalf("generic step in a scenario without a Level line: %+v", w.failures[0])
	}
	w = &World{rule: should("RFC 7644 §3.12")}
	if err := w.fail("scimType", "missing", nil, "", ""); err != nil {
		t.Fatalf("a should-level failure stopped the step: %v", err)
	}
	if !w.stepFailed || len(w.advice) != 1 {
		t.Fatalf("a should-level failure was not recorded: %+v", w)
	}
	w.failAs(okta("Okta SCIM 2.0 spec test step 1"), "integers", "strings", nil, "", "")
	w.failAs(must("RFC 7644 §3.12"), "a", "b", nil, "", "")
	if f := worstFailure(w.failures); f == nil || f.Level != reports.LevelOkta || f.Expected != "integers" {
		t.Fatalf("worst failure = %+v, want the okta one", f)
	}
}
