package selftest

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

func TestRunJudgesEachFaultAgainstTheCleanRun(t *testing.T) {
	suite := &fakeSuite{
		clean: record(passing("A"), passing("B"), passing("C")),
		byFault: map[string]reports.Run{
			"checks-a":   record(failing("A"), passing("B"), passing("C")),
			"breaks-b":   record(passing("A"), failingInGiven("B"), passing("C")),
			"skips-c":    record(passing("A"), passing("B"), skipped("C")),
			"hook-fails": record(fakeScenario{"A", reports.StatusFailed, ""}, passing("B"), passing("C")),
		},
		errs: map[string]error{"no-start": errors.New("target unreachable")},
	}
	var progress bytes.Buffer
	rep, err := Run(t.Context(), Config{
		Runner:   suite.run,
		Faults:   faults("skips-c", "checks-a", "unnoticed", "no-start", "breaks-b", "hook-fails"),
		Progress: &progress,
	})
	if err != nil {
		t.Fatal(err)
	}

	want := map[string]struct {
		caught                  bool
		failed, inSetup, notRun []string
		err                     bool
	}{
		"breaks-b":   {caught: false, failed: []string{"B"}, inSetup: []string{"B"}}, // only a Given broke
		"checks-a":   {caught: true, failed: []string{"A"}},
		"hook-fails": {caught: false, failed: []string{"A"}, inSetup: []string{"A"}},
		"no-start":   {err: true},
		"skips-c":    {notRun: []string{"C"}},
		"unnoticed":  {},
	}
	var names []string
	for _, o := range rep.Outcomes {
		names = append(names, o.Fault.Name)
		w, ok := want[o.Fault.Name]
		if !ok {
			t.Errorf("unexpected outcome for %q", o.Fault.Name)
			continue
		}
		if o.Caught() != w.caught || !sameStrings(o.Failed, w.failed) || !sameStrings(o.InSetup, w.inSetup) ||
			!sameStrings(o.NotRun, w.notRun) || (o.Err != nil) != w.err {
			t.Errorf("%s: caught=%v failed=%v inSetup=%v notRun=%v err=%v; want %+v",
				o.Fault.Name, o.Caught(), o.Failed, o.InSetup, o.NotRun, o.Err, w)
		}
		if o.Fault.Description != "the "+o.Fault.Name+" bug" {
			t.Errorf("%s: description %q not carried over", o.Fault.Name, o.Fault.Description)
		}
	}
	if wantOrder := []string{"breaks-b", "checks-a", "hook-fails", "no-start", "skips-c", "unnoticed"}; !reflect.DeepEqual(names, wantOrder) {
		t.Errorf("outcomes in order %v, want sorted %v", names, wantOrder)
	}
	if caught, total := rep.Detection(); caught != 1 || total != 6 {
		t.Errorf("Detection() = %d/%d, want 1/6", caught, total)
	}
	if got := rep.DetectionRate(); got != 1.0/6 {
		t.Errorf("DetectionRate() = %v, want 1/6", got)
	}
	if !rep.CleanPassed() || rep.OK() {
		t.Errorf("CleanPassed=%v OK=%v, want true, false (faults missed)", rep.CleanPassed(), rep.OK())
	}
	if got := rep.Unexercised(); !sameStrings(got, []string{"C"}) {
		t.Errorf("Unexercised() = %v, want [C] (A and B failed under some fault)", got)
	}
	if o, ok := rep.Outcome("checks-a"); !ok || o.Fault.Name != "checks-a" {
		t.Errorf("Outcome(checks-a) = %+v, %v", o, ok)
	}
	if _, ok := rep.Outcome("nope"); ok {
		t.Error("Outcome(nope) found something")
	}
	for key, n := range suite.calls {
		if n != 1 {
			t.Errorf("runner called %d times for %q, want once", n, key)
		}
	}
	if len(suite.calls) != 7 {
		t.Errorf("runner called for %d distinct fault sets, want 7 (clean + 6)", len(suite.calls))
	}
	if lines := strings.Count(progress.String(), "\n"); lines != 7 {
		t.Errorf("%d progress lines, want one per run (7):\n%s", lines, progress.String())
	}
	if !strings.Contains(progress.String(), "fault no-start") || !strings.Contains(progress.String(), "target unreachable") {
		t.Errorf("progress does not report the failed run:\n%s", progress.String())
	}
}

func TestRunOKWhenEveryFaultIsCaught(t *testing.T) {
	suite := &fakeSuite{
		clean:   record(passing("A"), passing("B")),
		byFault: map[string]reports.Run{"x": record(failing("A"), passing("B")), "y": record(passing("A"), failing("B"))},
	}
	rep, err := Run(t.Context(), Config{Runner: suite.run, Faults: faults("x", "y")})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.DetectionRate() != 1 {
		t.Errorf("OK=%v rate=%v, want true, 1", rep.OK(), rep.DetectionRate())
	}
}

func TestRunScenarioFailingCleanDoesNotCountAsDetection(t *testing.T) {
	suite := &fakeSuite{
		clean:   record(failing("broken"), passing("B")),
		byFault: map[string]reports.Run{"x": record(failing("broken"), passing("B"))},
	}
	rep, err := Run(t.Context(), Config{Runner: suite.run, Faults: faults("x")})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := rep.Outcome("x")
	if o.Caught() || len(o.Failed) != 0 {
		t.Errorf("a scenario failing on the clean server too caught the fault: %+v", o)
	}
	if rep.CleanPassed() || rep.OK() {
		t.Errorf("CleanPassed=%v OK=%v with a failing clean scenario, want false, false", rep.CleanPassed(), rep.OK())
	}
}

func TestRunCleanSkipMeansCleanRunDidNotPass(t *testing.T) {
	suite := &fakeSuite{
		clean:   record(passing("A"), skipped("B")),
		byFault: map[string]reports.Run{"x": record(failing("A"), skipped("B"))},
	}
	rep, err := Run(t.Context(), Config{Runner: suite.run, Faults: faults("x")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CleanPassed() || rep.OK() {
		t.Error("a skipped scenario on the clean server must fail the self-test: nothing may be skipped in-process")
	}
	if o, _ := rep.Outcome("x"); !o.Caught() || len(o.NotRun) != 0 {
		t.Errorf("outcome %+v: want caught by A, B not listed as newly not run", o)
	}
}

func TestStatusesAggregateOutlineRowsAndUnknownStatuses(t *testing.T) {
	tests := []struct {
		name string
		run  reports.Run
		want result
	}{
		{"one row failed", record(passing("O"), failing("O")), result{outcome: failed}},
		{"failed row wins over skipped", record(skipped("O"), failingInGiven("O")), result{outcome: failed, setup: true}},
		{"set-up only if every failing row", record(failingInGiven("O"), failing("O")), result{outcome: failed}},
		{"set-up in every failing row", record(failingInGiven("O"), failingInGiven("O"), passing("O")), result{outcome: failed, setup: true}},
		{"skip wins over pass", record(passing("O"), skipped("O")), result{outcome: notRun}},
		{"not supported is not run", record(fakeScenario{"O", reports.StatusNotSupported, ""}), result{outcome: notRun}},
		{"unknown status is a failure", record(fakeScenario{"O", reports.Status("weird"), ""}), result{outcome: failed, setup: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := statuses(tt.run)
			if len(got) != 1 || got["O"] != tt.want {
				t.Errorf("statuses = %+v, want O: %+v", got, tt.want)
			}
		})
	}
}

func TestFailedInSetup(t *testing.T) {
	step := func(kw string, st reports.Status) reports.Step {
		return reports.Step{Keyword: kw, Text: "x", Status: st}
	}
	tests := []struct {
		name  string
		steps []reports.Step
		want  bool
	}{
		{"no steps: a Before hook failed", nil, true},
		{"failed Given", []reports.Step{step("Given ", reports.StatusFailed)}, true},
		{"failed And after Given", []reports.Step{step("Given ", reports.StatusPassed), step("And ", reports.StatusFailed)}, true},
		{"failed But after Given", []reports.Step{step("Given ", reports.StatusPassed), step("But ", reports.StatusFailed)}, true},
		{"undefined Given", []reports.Step{step("Given ", reports.StatusUndefined)}, true},
		{"failed When", []reports.Step{step("Given ", reports.StatusPassed), step("When ", reports.StatusFailed)}, false},
		{"failed And after Then", []reports.Step{step("When ", reports.StatusPassed), step("Then ", reports.StatusPassed), step("And ", reports.StatusFailed)}, false},
		{"every step passed: an after-check failed", []reports.Step{step("Given ", reports.StatusPassed), step("Then ", reports.StatusPassed)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := failedInSetup(reports.Scenario{Status: reports.StatusFailed, Steps: tt.steps}); got != tt.want {
				t.Errorf("failedInSetup = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunBoundsConcurrency(t *testing.T) {
	for _, limit := range []int{1, 3} {
		suite := &fakeSuite{clean: record(passing("A")), gate: make(chan struct{})}
		done := make(chan struct{})
		var rep Report
		var err error
		go func() {
			defer close(done)
			rep, err = Run(t.Context(), Config{Runner: suite.run, Faults: faults("a", "b", "c", "d", "e", "f", "g"), Concurrency: limit})
		}()
		// Wait until the pool is full, then let everything through.
		for {
			suite.mu.Lock()
			n := suite.inFlight
			suite.mu.Unlock()
			if n == limit {
				break
			}
			select {
			case <-done:
				t.Fatalf("Run returned before %d runs were in flight", limit)
			default:
				runtime.Gosched()
			}
		}
		close(suite.gate)
		<-done
		if err != nil {
			t.Fatal(err)
		}
		if suite.maxInFlight != limit {
			t.Errorf("concurrency %d: at most %d runs were in flight, want exactly %d", limit, suite.maxInFlight, limit)
		}
		if len(rep.Outcomes) != 7 {
			t.Errorf("concurrency %d: %d outcomes, want 7", limit, len(rep.Outcomes))
		}
	}
}

func TestRunDefaultsToEveryKnownFault(t *testing.T) {
	suite := &fakeSuite{clean: record(passing("A"))}
	rep, err := Run(t.Context(), Config{Runner: suite.run})
	if err != nil {
		t.Fatal(err)
	}
	known := reference.KnownFaults()
	if len(rep.Outcomes) != len(known) {
		t.Fatalf("%d outcomes, want one per known fault (%d)", len(rep.Outcomes), len(known))
	}
	for i, f := range known {
		if rep.Outcomes[i].Fault != f {
			t.Errorf("outcome %d is %+v, want %+v", i, rep.Outcomes[i].Fault, f)
		}
	}
}

func TestRunErrors(t *testing.T) {
	ok := (&fakeSuite{clean: record(passing("A"))}).run
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		cfg  Config
		want string
	}{
		{"no runner", context.Background(), Config{Faults: faults("x")}, "no suite runner"},
		{"repeated fault", context.Background(), Config{Runner: ok, Faults: faults("x", "x")}, `fault "x" listed twice`},
		{"empty fault name", context.Background(), Config{Runner: ok, Faults: faults("")}, "empty name"},
		{"clean run cannot run", context.Background(),
			Config{Runner: (&fakeSuite{cleanErr: errors.New("no scenario selected")}).run, Faults: faults("x")},
			"clean run: no scenario selected"},
		{"cancelled", cancelled, Config{Runner: ok, Faults: faults("x")}, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(tt.ctx, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "selftest: ") {
				t.Errorf("Run error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRunStopsFeedingWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	suite := &fakeSuite{clean: record(passing("A")), gate: make(chan struct{})}
	done := make(chan error)
	go func() {
		_, err := Run(ctx, Config{Runner: suite.run, Faults: faults("a", "b", "c", "d"), Concurrency: 1})
		done <- err
	}()
	for {
		suite.mu.Lock()
		n := suite.inFlight
		suite.mu.Unlock()
		if n == 1 {
			break
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
	suite.mu.Lock()
	defer suite.mu.Unlock()
	if total := len(suite.calls); total > 2 {
		t.Errorf("runner started %d runs after cancellation with one worker, want at most 2", total)
	}
}

func sameStrings(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
