package steps

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"
)

const twoScenarios = `Feature: index
  @okta
  Scenario: first
    Given nothing

  @cortex
  Scenario Outline: second <n>
    Given nothing

    Examples:
      | n |
      | 1 |
      | 2 |
`

// TestIndexCountsEachScenarioOnce: one read of the features gives the
// lines and the tags that every later count uses.
func TestIndexCountsEachScenarioOnce(t *testing.T) {
	var s suiteState
	if err := s.index(fstest.MapFS{"x.feature": {Data: []byte(twoScenarios)}}); err != nil {
		t.Fatal(err)
	}
	for expr, want := range map[string]int{"": 3, "@okta": 1, "@cortex": 2, "~@okta": 2, "@groups": 0} {
		e, err := ParseExpr(expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.countSelected(e); got != want {
			t.Errorf("countSelected(%q) = %d, want %d", expr, got, want)
		}
	}
	if s.features["x.feature"] != "index" || len(s.lines) == 0 {
		t.Fatalf("index kept no names or lines: %v %d", s.features, len(s.lines))
	}
}

// TestRunRefusesUnreadableFeatures: a feature file that does not parse is
// a configuration error from Run, never silently "nothing selected".
func TestRunRefusesUnreadableFeatures(t *testing.T) {
	_, err := Run(context.Background(), Config{Features: fstest.MapFS{"bad.feature": {Data: []byte("this is not gherkin\n")}}})
	if !errors.Is(err, ErrConfig) || errors.Is(err, ErrNoScenarios) {
		t.Fatalf("Run = %v, want a configuration error about the feature file", err)
	}
	t.Log(err)
}
