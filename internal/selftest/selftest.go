// Package selftest proves that the conformance suite catches real bugs
// (issue 6): it runs the suite against the clean in-process reference server
// and against the reference with each fault switch of reference.KnownFaults
// turned on alone, and reports, for every fault, the scenarios that failed
// and whether the fault was caught.
//
// The suite itself is injected as a Runner, so the bookkeeping here is tested
// with a fake runner and wired to steps.Run by SuiteRunner.
package selftest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// Runner runs the whole suite against a fresh in-process reference server
// with the named fault switches turned on; nil or empty faults is the clean
// server. Its error is for configuration or infrastructure problems only;
// failing scenarios are in the returned record.
type Runner func(ctx context.Context, faults []string) (reports.Run, error)

// DefaultConcurrency is how many suite runs go at once when Config leaves it
// zero. Each run already runs its scenarios concurrently, so two runs keep a
// small machine busy without starving it.
const DefaultConcurrency = 2

// Config configures one self-test.
type Config struct {
	// Runner runs the suite; required.
	Runner Runner
	// Faults are the faults to inject, each alone; nil means every fault of
	// reference.KnownFaults.
	Faults []reference.Fault
	// Concurrency is how many suite runs (the clean one included) go at
	// once; 0 means DefaultConcurrency.
	Concurrency int
	// Progress receives one line per finished run; nil is quiet.
	Progress io.Writer
}

// Outcome is what the suite did under one fault.
type Outcome struct {
	// Fault is the injected fault.
	Fault reference.Fault
	// Failed are the scenarios that failed under the fault but not on the
	// clean server, sorted. A fault is caught when this is not empty.
	Failed []string
	// InSetup is the part of Failed whose failing step was a Given (or a
	// hook before any step): the fault broke a precondition of the
	// scenario rather than the rule it checks. Sorted.
	InSetup []string
	// NotRun are the scenarios that passed on the clean server but were
	// skipped or not supported under the fault, sorted. They do not count
	// as catching the fault: a skip names no broken rule.
	NotRun []string
	// Err is the runner's error when the suite could not run at all; the
	// fault then counts as missed.
	Err error
	// Duration is the run's wall time.
	Duration time.Duration
}

// Caught reports whether at least one scenario failed because of the fault
// outside its set-up: a scenario that only failed in a Given broke on a
// precondition, not on the rule it checks, so it proves no detection.
func (o Outcome) Caught() bool { return o.Err == nil && len(o.Checked()) > 0 }

// Checked is Failed without InSetup: the scenarios whose When or Then
// failed under the fault, sorted.
func (o Outcome) Checked() []string {
	setup := map[string]bool{}
	for _, n := range o.InSetup {
		setup[n] = true
	}
	var out []string
	for _, n := range o.Failed {
		if !setup[n] {
			out = append(out, n)
		}
	}
	return out
}

// Report is the result of a self-test.
type Report struct {
	// Clean is the suite's record against the clean server.
	Clean reports.Run
	// Outcomes holds one entry per injected fault, sorted by fault name.
	Outcomes []Outcome
	// Duration is the self-test's wall time.
	Duration time.Duration
}

// CleanPassed reports whether every scenario passed on the clean server.
// Skipped or not-supported scenarios make it false: against the in-process
// reference every probe and capability exists, so nothing may be skipped.
// Unlike Run.Passed it ignores --fail-on: the reference must not fail even
// a should-level check.
func (r Report) CleanPassed() bool {
	c := r.Clean.Counts()
	return c.Total > 0 && c.Passed == c.Total
}

// Detection returns how many of the injected faults were caught and how
// many were injected.
func (r Report) Detection() (caught, total int) {
	for _, o := range r.Outcomes {
		if o.Caught() {
			caught++
		}
	}
	return caught, len(r.Outcomes)
}

// DetectionRate is the caught share of injected faults, from 0 to 1; 0 when
// no fault was injected.
func (r Report) DetectionRate() float64 {
	caught, total := r.Detection()
	if total == 0 {
		return 0
	}
	return float64(caught) / float64(total)
}

// OK reports whether the self-test succeeded: the clean run fully passed,
// at least one fault was injected, and every injected fault was caught.
func (r Report) OK() bool {
	caught, total := r.Detection()
	return r.CleanPassed() && total > 0 && caught == total
}

// Unexercised lists, sorted, the scenarios of the clean run that no
// injected fault made fail: the self-test proves nothing about their
// checks, so each is a candidate for a new fault switch.
func (r Report) Unexercised() []string {
	failedSome := map[string]bool{}
	for _, o := range r.Outcomes {
		for _, n := range o.Failed {
			failedSome[n] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range r.Clean.Scenarios {
		if !failedSome[s.Name] && !seen[s.Name] {
			seen[s.Name] = true
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Outcome returns the outcome for the named fault.
func (r Report) Outcome(name string) (Outcome, bool) {
	for _, o := range r.Outcomes {
		if o.Fault.Name == name {
			return o, true
		}
	}
	return Outcome{}, false
}

// ErrNoRunner is returned by Run when Config.Runner is nil.
var ErrNoRunner = errors.New("no suite runner configured")

// Run runs the suite clean and once per fault, at most cfg.Concurrency runs
// at a time, and compares each fault's record with the clean one. Its error
// is for a bad configuration, a cancelled context, or a clean run that could
// not run at all (without it no fault can be judged); a fault whose run
// fails to start is recorded in its Outcome.
func Run(ctx context.Context, cfg Config) (Report, error) {
	started := time.Now()
	if cfg.Runner == nil {
		return Report{}, fmt.Errorf("selftest: %w", ErrNoRunner)
	}
	faults := cfg.Faults
	if faults == nil {
		faults = reference.KnownFaults()
	}
	if err := checkDistinct(faults); err != nil {
		return Report{}, fmt.Errorf("selftest: %w", err)
	}
	workers := cfg.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}

	// Job 0 is the clean run, then one job per fault. The clean run goes
	// first so a broken suite shows up early in the progress lines.
	type runResult struct {
		run reports.Run
		err error
		dur time.Duration
	}
	results := make([]runResult, len(faults)+1)
	var progressMu sync.Mutex
	progress := func(format string, args ...any) {
		if cfg.Progress == nil {
			return
		}
		progressMu.Lock()
		defer progressMu.Unlock()
		fmt.Fprintf(cfg.Progress, format+"\n", args...)
	}
	parallel(ctx, workers, len(results), func(i int) {
		var names []string
		label := "clean server"
		if i > 0 {
			names = []string{faults[i-1].Name}
			label = "fault " + faults[i-1].Name
		}
		t0 := time.Now()
		run, err := cfg.Runner(ctx, names)
		results[i] = runResult{run: run, err: err, dur: time.Since(t0)}
		c := run.Counts()
		if err != nil {
			progress("selftest: %-36s error after %s: %s", label, results[i].dur.Round(time.Millisecond),
				reports.RedactText(err.Error()))
		} else {
			progress("selftest: %-36s %d passed, %d failed, %d not run in %s", label,
				c.Passed, c.Failed, c.Skipped+c.NotSupported, results[i].dur.Round(time.Millisecond))
		}
	})
	if err := ctx.Err(); err != nil {
		return Report{}, fmt.Errorf("selftest: %w", err)
	}
	if err := results[0].err; err != nil {
		return Report{}, fmt.Errorf("selftest: clean run: %w", err)
	}

	rep := Report{Clean: results[0].run}
	clean := statuses(rep.Clean)
	for i, f := range faults {
		res := results[i+1]
		o := Outcome{Fault: f, Err: res.err, Duration: res.dur}
		if res.err == nil {
			o.Failed, o.InSetup, o.NotRun = compare(clean, statuses(res.run))
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	sort.Slice(rep.Outcomes, func(i, j int) bool { return rep.Outcomes[i].Fault.Name < rep.Outcomes[j].Fault.Name })
	rep.Duration = time.Since(started)
	return rep, nil
}

// checkDistinct rejects empty or repeated fault names.
func checkDistinct(faults []reference.Fault) error {
	seen := map[string]bool{}
	for _, f := range faults {
		switch {
		case f.Name == "":
			return errors.New("fault with an empty name")
		case seen[f.Name]:
			return fmt.Errorf("fault %q listed twice", f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// outcome is a scenario's result reduced to what detection needs.
type outcome int

const (
	passed outcome = iota
	notRun         // skipped or not supported
	failed
)

// result is one scenario name's outcome; setup says every failing row
// failed in set-up (see Outcome.InSetup).
type result struct {
	outcome outcome
	setup   bool
}

// statuses reduces a run to one result per scenario name. Rows of a
// scenario outline whose name has no placeholder share a name; the worst
// row wins, so "failed" means at least one row failed, and it failed in
// set-up only if every failing row did. An unknown status is a failure, as
// in reports.Run.Counts.
func statuses(run reports.Run) map[string]result {
	out := make(map[string]result, len(run.Scenarios))
	for _, s := range run.Scenarios {
		var r result
		switch s.Status {
		case reports.StatusPassed:
			r.outcome = passed
		case reports.StatusSkipped, reports.StatusNotSupported:
			r.outcome = notRun
		default:
			r = result{outcome: failed, setup: failedInSetup(s)}
		}
		prev, ok := out[s.Name]
		switch {
		case !ok || r.outcome > prev.outcome:
			out[s.Name] = r
		case r.outcome == failed && prev.outcome == failed:
			out[s.Name] = result{outcome: failed, setup: prev.setup && r.setup}
		}
	}
	return out
}

// failedInSetup reports whether a failed scenario failed in a Given step
// (an And or But after a Given is a Given too), or before its first step
// ran. Gherkin's Given states the context; When and Then do and check the
// thing the scenario is about (Gherkin reference, "Steps").
func failedInSetup(s reports.Scenario) bool {
	primary := ""
	for _, st := range s.Steps {
		switch kw := strings.TrimSpace(st.Keyword); kw {
		case "Given", "When", "Then":
			primary = kw
		}
		if st.Status == reports.StatusFailed || st.Status == reports.StatusUndefined {
			return primary == "Given"
		}
	}
	// No failing step: a Before hook failed (no step ran) or a check after
	// the steps failed (the steps ran, so the failure is the scenario's).
	return len(s.Steps) == 0
}

// compare lists the scenarios that fail under a fault but not on the clean
// server (and which of those failed in set-up), and those that passed clean
// but did not run under the fault. A scenario that only exists under the
// fault is judged against "passed".
func compare(clean, faulty map[string]result) (failedNames, setupNames, notRunNames []string) {
	for name, r := range faulty {
		base, ok := clean[name]
		if !ok {
			base = result{outcome: passed}
		}
		switch {
		case r.outcome == failed && base.outcome != failed:
			failedNames = append(failedNames, name)
			if r.setup {
				setupNames = append(setupNames, name)
			}
		case r.outcome == notRun && base.outcome == passed:
			notRunNames = append(notRunNames, name)
		}
	}
	sort.Strings(failedNames)
	sort.Strings(setupNames)
	sort.Strings(notRunNames)
	return failedNames, setupNames, notRunNames
}
