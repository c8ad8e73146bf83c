package selftest

import (
	"context"
	"fmt"
	"sync"

	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// fakeScenario is one scenario of a fake suite run: its name, status and,
// for a failure, the keyword of the step that failed ("" = no step ran).
type fakeScenario struct {
	name    string
	status  reports.Status
	keyword string
}

// passing, failing, failingInGiven and skipped build fake scenarios.
func passing(name string) fakeScenario { return fakeScenario{name, reports.StatusPassed, ""} }
func failing(name string) fakeScenario { return fakeScenario{name, reports.StatusFailed, "Then "} }
func failingInGiven(name string) fakeScenario {
	return fakeScenario{name, reports.StatusFailed, "Given "}
}
func skipped(name string) fakeScenario { return fakeScenario{name, reports.StatusSkipped, ""} }

// record turns fake scenarios into a result record whose failed scenarios
// have steps: a Given, then (for a Then failure) a When, with the failing
// step marked and the next one skipped, as godog records them.
func record(scs ...fakeScenario) reports.Run {
	var run reports.Run
	for _, f := range scs {
		s := reports.Scenario{Name: f.name, Status: f.status}
		switch {
		case f.status == reports.StatusPassed:
			s.Steps = []reports.Step{{Keyword: "Given ", Text: "set-up", Status: reports.StatusPassed},
				{Keyword: "Then ", Text: "check", Status: reports.StatusPassed}}
		case f.status == reports.StatusFailed && f.keyword == "Given ":
			s.Steps = []reports.Step{{Keyword: "Given ", Text: "an org", Status: reports.StatusPassed},
				{Keyword: "And ", Text: "a user is provisioned", Status: reports.StatusFailed, Error: "boom"},
				{Keyword: "Then ", Text: "check", Status: reports.StatusSkipped}}
			s.Failure = &reports.Failure{Step: "a user is provisioned", Expected: "201", Actual: "500"}
		case f.status == reports.StatusFailed && f.keyword != "":
			s.Steps = []reports.Step{{Keyword: "Given ", Text: "an org", Status: reports.StatusPassed},
				{Keyword: "When ", Text: "it acts", Status: reports.StatusPassed},
				{Keyword: f.keyword, Text: "the rule holds", Status: reports.StatusFailed, Error: "no"},
				{Keyword: "And ", Text: "more", Status: reports.StatusSkipped}}
			s.Failure = &reports.Failure{Step: "the rule holds", Expected: "the rule", Actual: "not the rule"}
		case f.status == reports.StatusFailed:
			s.Failure = &reports.Failure{Step: "(set-up)", Actual: "server did not start"}
		}
		run.Scenarios = append(run.Scenarios, s)
	}
	return run
}

// fakeSuite is a Runner over canned records: clean for no faults, and per
// fault either a record or an error. It counts calls per fault and the
// most runs in flight at once.
type fakeSuite struct {
	clean    reports.Run
	cleanErr error
	byFault  map[string]reports.Run
	errs     map[string]error
	// gate, when set, holds every run until it is closed.
	gate chan struct{}

	mu          sync.Mutex
	calls       map[string]int
	inFlight    int
	maxInFlight int
}

func (f *fakeSuite) run(ctx context.Context, faults []string) (reports.Run, error) {
	key := ""
	switch len(faults) {
	case 0:
	case 1:
		key = faults[0]
	default:
		return reports.Run{}, fmt.Errorf("fake suite: want one fault at a time, got %v", faults)
	}
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[key]++
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return reports.Run{}, ctx.Err()
		}
	}
	if key == "" {
		return f.clean, f.cleanErr
	}
	if err := f.errs[key]; err != nil {
		return reports.Run{}, err
	}
	if run, ok := f.byFault[key]; ok {
		return run, nil
	}
	return f.clean, nil
}

// faults makes reference.Fault values with a description derived from the
// name.
func faults(names ...string) []reference.Fault {
	out := make([]reference.Fault, len(names))
	for i, n := range names {
		out[i] = reference.Fault{Name: n, Description: "the " + n + " bug"}
	}
	return out
}
