package reports

import (
	"fmt"
	"strings"
)

// Level says how serious a failed check is, so a vendor knows what to fix
// first and a CI gate what to block on (issue 12).
type Level string

// The levels, worst first. Every check the suite makes carries one, with a
// citation of the rule it enforces.
const (
	// LevelError is a failure the harness could not attribute to a rule: a
	// scenario error, a failed set-up, an undefined step. Nothing was
	// checked, so it always fails the run, whatever --fail-on says.
	LevelError Level = "error"
	// LevelOkta means the identity provider's provisioning would fail or
	// do the wrong thing: Okta's, or Entra's in @entra scenarios (issue
	// 10). The citation names Okta's or Microsoft's documentation, a step
	// of Okta's published test suites, or the capture the behaviour was
	// inferred from. "idp" is accepted as another name for it.
	LevelOkta Level = "okta"
	// LevelMust means an RFC 7643/7644 MUST or SHALL, or the Cortex SPEC,
	// is violated; the citation names the section.
	LevelMust Level = "must"
	// LevelShould is advice: an RFC SHOULD or RECOMMENDED, or common
	// practice. It never fails a run under the default --fail-on must, and
	// is always listed.
	LevelShould Level = "should"
)

// Levels are the levels a check can declare, worst first (LevelError is
// the harness's own and not among them).
var Levels = []Level{LevelOkta, LevelMust, LevelShould}

// rank orders the levels: higher is worse; an unknown level ranks as an
// error, so a producer bug can never look like advice.
func (l Level) rank() int {
	switch l {
	case LevelShould:
		return 1
	case LevelMust:
		return 2
	case LevelOkta:
		return 3
	}
	return 4
}

// Worse reports whether l is a worse level than m.
func (l Level) Worse(m Level) bool { return l.rank() > m.rank() }

// Fails reports whether a failure at level l fails a run gated at failOn
// (--fail-on): at failOn or worse. An empty failOn means LevelMust.
func (l Level) Fails(failOn Level) bool {
	if failOn == "" {
		failOn = LevelMust
	}
	return l.rank() >= failOn.rank()
}

// ParseLevel parses a --fail-on value or a declared level: okta, must or
// should.
func ParseLevel(s string) (Level, error) {
	if strings.EqualFold(strings.TrimSpace(s), "idp") {
		return LevelOkta, nil
	}
	for _, l := range Levels {
		if strings.EqualFold(strings.TrimSpace(s), string(l)) {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown level %q (want okta, must or should; idp is another name for okta)", s)
}

// Describe says what a level means, in a vendor's words.
func (l Level) Describe() string {
	switch l {
	case LevelOkta:
		return "the IdP's provisioning breaks (Okta; Entra in @entra scenarios)"
	case LevelMust:
		return "an RFC 7643/7644 MUST or the SPEC is violated"
	case LevelShould:
		return "advice: a SHOULD or common practice"
	}
	return "the harness could not check the rule"
}

// LevelCounts tallies failed scenarios by the level of their failure.
type LevelCounts struct {
	Error, Okta, Must, Should int
}

// add counts one failed scenario at level l.
func (c *LevelCounts) add(l Level) {
	switch l {
	case LevelOkta:
		c.Okta++
	case LevelMust:
		c.Must++
	case LevelShould:
		c.Should++
	default:
		c.Error++
	}
}

// Of returns the count for level l.
func (c LevelCounts) Of(l Level) int {
	switch l {
	case LevelOkta:
		return c.Okta
	case LevelMust:
		return c.Must
	case LevelShould:
		return c.Should
	}
	return c.Error
}

// String is "2 okta, 1 must, 3 should", with zero counts left out and
// harness errors first; "" when nothing failed.
func (c LevelCounts) String() string {
	var parts []string
	for _, l := range append([]Level{LevelError}, Levels...) {
		if n := c.Of(l); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
		}
	}
	return strings.Join(parts, ", ")
}

// FailureLevel is the level a failed scenario counts at: its failure's,
// or LevelError when it has none.
func (s Scenario) FailureLevel() Level {
	if s.Failure == nil || s.Failure.Level == "" {
		return LevelError
	}
	return s.Failure.Level
}

// Blocks reports whether the scenario makes the run fail. It is the one
// place the exit code is decided, scenario by scenario: a failure at the
// run's --fail-on level or worse blocks; so does a scenario that was
// skipped or not supported, which never counts as passed (SPEC §3.4). A
// should-level failure under --fail-on must does not block, but every
// report still lists it.
func (r Run) Blocks(s Scenario) bool {
	switch s.Status {
	case StatusPassed, StatusWaived:
		// A waived failure is excused by its waiver (issue 13).
		return false
	}
	if s.Waiver != nil && s.Waiver.Problem != "" {
		// An expired or stale waiver always blocks: stale waivers never
		// linger, whatever the gate.
		return true
	}
	if r.NewOnly && r.Diff != nil && !r.Diff.NewFailure(s) {
		// --fail-on-new-only: a failure the baseline already had, or a
		// skip, does not block; a new failure still meets --fail-on.
		return false
	}
	if s.Status == StatusFailed {
		return s.FailureLevel().Fails(r.FailOn)
	}
	return true
}

// Blocking returns the scenarios that make the run fail, in order.
func (r Run) Blocking() []Scenario {
	var out []Scenario
	for _, s := range r.Scenarios {
		if r.Blocks(s) {
			out = append(out, s)
		}
	}
	return out
}

// FailReason says why a run did not pass, for the exit error: how many
// scenarios block it and at which levels, under which --fail-on.
func FailReason(r Run) string {
	blocking := r.Blocking()
	if len(r.Scenarios) == 0 {
		return "no scenario ran"
	}
	var failed LevelCounts
	var skipped, unsupported int
	for _, s := range blocking {
		switch s.Status {
		case StatusSkipped:
			skipped++
		case StatusNotSupported:
			unsupported++
		default:
			failed.add(s.FailureLevel())
		}
	}
	failOn := r.FailOn
	if failOn == "" {
		failOn = LevelMust
	}
	var parts []string
	if f := failed.String(); f != "" {
		parts = append(parts, "failed: "+f)
	}
	if skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", skipped))
	}
	if unsupported > 0 {
		parts = append(parts, fmt.Sprintf("%d not supported", unsupported))
	}
	gate := "--fail-on " + string(failOn)
	if r.NewOnly && r.Diff != nil {
		gate += " --fail-on-new-only (new failures and waiver problems only)"
	}
	if w := r.Counts().Waived; w > 0 {
		parts = append(parts, fmt.Sprintf("%d waived, not counted", w))
	}
	msg := fmt.Sprintf("%d of %d scenarios fail the run under %s (%s)", len(blocking), len(r.Scenarios), gate, strings.Join(parts, "; "))
	for _, s := range blocking {
		if s.Waiver != nil && s.Waiver.Problem != "" {
			// What the vendor must change: say it in the exit message.
			msg += "\n  " + s.Name + ": " + s.Waiver.Problem
		}
	}
	return msg
}

// OtherFailures are the scenario's failed checks besides Failure, the
// worst one: advice recorded before or alongside it, or further failures
// of one step. Reports list them so that no failed check is hidden.
func (s Scenario) OtherFailures() []Failure {
	var out []Failure
	skipped := false
	for _, f := range s.Failures {
		if !skipped && s.Failure != nil && f.Step == s.Failure.Step && f.Level == s.Failure.Level &&
			f.Expected == s.Failure.Expected && f.Actual == s.Failure.Actual {
			skipped = true
			continue
		}
		out = append(out, f)
	}
	return out
}

// Brief is one line for a failed check: "[should] expected X, got Y".
func (f Failure) Brief() string {
	l := f.Level
	if l == "" {
		l = LevelError
	}
	return "[" + string(l) + "] expected " + f.Expected + ", got " + f.Actual
}
