package reports

import (
	"strings"
	"testing"
)

func failedAt(l Level) Scenario {
	return Scenario{Feature: "f", Name: "failed at " + string(l), Status: StatusFailed, Level: l,
		Failure: &Failure{Level: l, Citation: "RFC 7644 §3.12", Expected: "x", Actual: "y"}}
}

// TestBlocksFollowsFailOn is the exit-code decision of issue 12: a failure
// blocks at --fail-on or worse; an unlevelled failure (a harness error)
// always blocks; skipped and not-supported scenarios always block.
func TestBlocksFollowsFailOn(t *testing.T) {
	cases := []struct {
		failOn Level
		s      Scenario
		blocks bool
	}{
		{"", failedAt(LevelShould), false},
		{"", failedAt(LevelMust), true},
		{"", failedAt(LevelOkta), true},
		{LevelOkta, failedAt(LevelMust), false},
		{LevelOkta, failedAt(LevelOkta), true},
		{LevelShould, failedAt(LevelShould), true},
		{LevelOkta, Scenario{Status: StatusFailed}, true},
		{LevelOkta, failedAt("bogus"), true},
		{LevelShould, Scenario{Status: StatusPassed}, false},
		{LevelOkta, Scenario{Status: StatusSkipped}, true},
		{LevelOkta, Scenario{Status: StatusNotSupported}, true},
	}
	for _, c := range cases {
		r := Run{FailOn: c.failOn, Scenarios: []Scenario{c.s}}
		if got := r.Blocks(c.s); got != c.blocks {
			t.Errorf("--fail-on %q, %s at %q: Blocks = %t, want %t", c.failOn, c.s.Status, c.s.FailureLevel(), got, c.blocks)
		}
		if got := r.Passed(); got != !c.blocks {
			t.Errorf("--fail-on %q, %s at %q: Passed = %t, want %t", c.failOn, c.s.Status, c.s.FailureLevel(), got, !c.blocks)
		}
	}
}

func TestLevelCountsAndFailReason(t *testing.T) {
	r := Run{Scenarios: []Scenario{failedAt(LevelShould), failedAt(LevelMust), failedAt(LevelOkta), failedAt(LevelOkta),
		{Status: StatusPassed}, {Status: StatusSkipped}, {Status: StatusFailed}}}
	c := r.Counts()
	if c.Levels != (LevelCounts{Error: 1, Okta: 2, Must: 1, Should: 1}) || c.Failed != 5 {
		t.Fatalf("Counts = %+v", c)
	}
	if got := c.Levels.String(); got != "1 error, 2 okta, 1 must, 1 should" {
		t.Errorf("LevelCounts.String() = %q", got)
	}
	got := FailReason(r)
	for _, want := range []string{"5 of 7 scenarios fail the run under --fail-on must", "failed: 1 error, 2 okta, 1 must", "1 skipped"} {
		if !strings.Contains(got, want) {
			t.Errorf("FailReason = %q, lacks %q", got, want)
		}
	}
	if strings.Contains(got, "should") {
		t.Errorf("FailReason = %q counts the advice as failing the run", got)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{"okta": LevelOkta, "IdP": LevelOkta, " MUST ": LevelMust, "should": LevelShould} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "error", "may"} {
		if _, err := ParseLevel(in); err == nil || !strings.Contains(err.Error(), "okta, must or should") {
			t.Errorf("ParseLevel(%q) error = %v", in, err)
		}
	}
}

// TestOtherFailuresListedAndRedacted: a scenario's further failed checks
// (advice next to its worst failure) appear in the summary, and are
// redacted like the failure itself.
func TestOtherFailuresListedAndRedacted(t *testing.T) {
	secret := "tok-other-failure-secret"
	worst := Failure{Step: "s", Level: LevelMust, Citation: "RFC 7644 §3.8", Expected: "application/scim+json", Actual: "application/json"}
	advice := Failure{Step: "s", Level: LevelShould, Citation: "RFC 7644 §3.12", Expected: "scimType invalidSyntax", Actual: "missing " + secret,
		Exchange: &Exchange{Method: "POST", URL: "https://x/scim/v2/Users", RequestHeaders: map[string][]string{"Authorization": {"Bearer " + secret}}}}
	s := Scenario{Feature: "f", Name: "n", Status: StatusFailed, Failure: &worst, Failures: []Failure{worst, advice}}
	if got := s.OtherFailures(); len(got) != 1 || got[0].Level != LevelShould {
		t.Fatalf("OtherFailures = %+v, want the advice only", got)
	}
	run := Run{Scenarios: []Scenario{s}}.Redact(secret)
	o := run.Scenarios[0].Failures[1]
	if strings.Contains(o.Actual, secret) || o.Exchange.RequestHeaders.Get("Authorization") != Redacted {
		t.Errorf("further failure not redacted: %+v %v", o, o.Exchange.RequestHeaders)
	}
	var b strings.Builder
	if err := WriteSummary(&b, run, Paths{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "also [should] expected scimType invalidSyntax, got missing") || strings.Contains(b.String(), secret) {
		t.Errorf("summary:\n%s", b.String())
	}
}
