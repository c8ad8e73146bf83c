package steps

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/reports"
)

// Rule is the level and citation of a check (issue 12): how serious its
// failure is and which rule it enforces. Every step definition is
// registered with one (stepDefs.Step), and every failure a step reports
// carries it, so a vendor can tell "Okta breaks" from "the RFC is
// violated" from advice. See LEVELS in the README.
type Rule struct {
	Level reports.Level
	// Cite names the rule: "RFC 7644 §3.12", "SPEC §1.3", "Okta SCIM 2.0
	// spec test step 6", … (citePattern).
	Cite string
}

// levelScenario marks ScenarioRule; it is never written to a report.
const levelScenario reports.Level = "scenario"

// ScenarioRule is the rule of a generic step (a status, a body path), whose
// meaning depends on the scenario using it: its level and citation are
// the scenario's "Level:" line in the feature file.
var ScenarioRule = Rule{Level: levelScenario}

// harnessRule is the rule of failures that are nobody's rule: a probe
// request that could not run, settings that could not be restored.
var harnessRule = Rule{Level: reports.LevelError, Cite: "harness"}

// Constructors keep the step tables short.
func okta(cite string) Rule   { return Rule{Level: reports.LevelOkta, Cite: cite} }
func must(cite string) Rule   { return Rule{Level: reports.LevelMust, Cite: cite} }
func should(cite string) Rule { return Rule{Level: reports.LevelShould, Cite: cite} }

// citePattern is what a citation starts with: an RFC section, the SPEC
// (a section or an appendix), Okta's or Microsoft's material, or the
// Cortex article.
var citePattern = regexp.MustCompile(`^(RFC \d{4} §\d+(\.\d+)*|SPEC (§\d+(\.\d+)*|Appendix [AB])|Okta \S.*|Entra \S.*|Microsoft \S.*|Cortex \S.*)`)

// check reports what is wrong with a rule a step or scenario declares.
func (r Rule) check() error {
	switch r.Level {
	case levelScenario:
		return nil
	case reports.LevelOkta, reports.LevelMust, reports.LevelShould:
	default:
		return fmt.Errorf("level %q is not okta, must or should", r.Level)
	}
	if !citePattern.MatchString(r.Cite) {
		return fmt.Errorf("citation %q does not start with \"RFC 7644 §…\", \"SPEC §…\", \"Okta …\", \"Entra …\", \"Microsoft …\" or \"Cortex …\"", r.Cite)
	}
	return nil
}

// stepDef is one registered step definition.
type stepDef struct {
	pattern string
	rule    Rule
}

// stepDefs registers step definitions with their rules. It is the only
// way to bind a step: the register functions get a stepDefs, not godog's
// ScenarioContext, so a step without a rule does not compile.
type stepDefs struct {
	sc *godog.ScenarioContext // nil when only listing (allStepDefs)
	// defs collects every definition, for the enforcement test.
	defs *[]stepDef
	// patterns holds each pattern compiled once per run (pattern →
	// *regexp.Regexp). godog registers every step for every scenario, and
	// compiling some 200 patterns each time was half the in-process
	// suite's CPU; a compiled Regexp is safe for concurrent use.
	patterns *sync.Map
}

// Step binds pattern to fn, a func(context.Context, …) error as godog
// wants, with the rule each failure of the step carries.
func (d stepDefs) Step(pattern string, r Rule, fn any) {
	if d.defs != nil {
		*d.defs = append(*d.defs, stepDef{pattern: pattern, rule: r})
	}
	if d.sc != nil {
		d.sc.Step(d.compiled(pattern), withRule(r, fn))
	}
}

// compiled returns pattern compiled, from the run's cache when there is one.
func (d stepDefs) compiled(pattern string) *regexp.Regexp {
	if d.patterns == nil {
		return regexp.MustCompile(pattern)
	}
	if re, ok := d.patterns.Load(pattern); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := d.patterns.LoadOrStore(pattern, regexp.MustCompile(pattern))
	return re.(*regexp.Regexp)
}

var ctxType = reflect.TypeFor[context.Context]()

// withRule returns fn with the same signature, setting the World's current
// rule before fn runs. A definition without a leading context is a
// programming error, found by every test that registers the steps.
func withRule(r Rule, fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumIn() == 0 || t.In(0) != ctxType {
		panic(fmt.Sprintf("step definition %T must take a context.Context first", fn))
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		if w := worldFrom(args[0].Interface().(context.Context)); w != nil {
			w.rule = r
		}
		return v.Call(args)
	}).Interface()
}

// allStepDefs lists every step definition with its rule, without godog.
func allStepDefs() []stepDef {
	var defs []stepDef
	registerStepDefs(stepDefs{defs: &defs})
	return defs
}

// levelLine is a scenario's declaration in its description, the line
// under "Scenario:": "Level: must, RFC 7644 §3.6".
var levelLine = regexp.MustCompile(`^Level:\s*(\S+?),\s*(.+)$`)

// parseScenarioRule reads the "Level:" line of a scenario description;
// ok is false when there is none, and a malformed one is an error.
func parseScenarioRule(description string) (Rule, bool, error) {
	for _, line := range strings.Split(description, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "Level:") {
			continue
		}
		m := levelLine.FindStringSubmatch(line)
		if m == nil {
			return Rule{}, false, fmt.Errorf("%q: want \"Level: okta|must|should, <citation>\"", line)
		}
		l, err := reports.ParseLevel(m[1])
		if err != nil {
			return Rule{}, false, fmt.Errorf("%q: %w", line, err)
		}
		r := Rule{Level: l, Cite: strings.TrimSpace(m[2])}
		if err := r.check(); err != nil {
			return Rule{}, false, fmt.Errorf("%q: %w", line, err)
		}
		return r, true, nil
	}
	return Rule{}, false, nil
}

// undeclared is the rule of a generic step in a scenario without a
// "Level:" line (a user's own feature file): counted as a MUST, and saying
// so.
var undeclared = Rule{Level: reports.LevelMust, Cite: "SPEC §3.1 (the scenario declares no Level line; counted as must)"}

// currentRule is the rule a failure reported now carries: the step's, or
// harnessRule outside any step. failAs resolves ScenarioRule.
func (w *World) currentRule() Rule {
	if w.rule.Level == "" {
		return harnessRule
	}
	return w.rule
}

// scenarioRuleOrDefault is the scenario's "Level:" line, or undeclared.
func (w *World) scenarioRuleOrDefault() Rule {
	if w.scenarioRule.Level != "" {
		return w.scenarioRule
	}
	return undeclared
}

// hasTag reports whether the scenario carries tag (its own or its
// feature's).
func (w *World) hasTag(tag Tag) bool {
	for _, t := range w.tags {
		if Tag(t) == tag {
			return true
		}
	}
	return false
}
