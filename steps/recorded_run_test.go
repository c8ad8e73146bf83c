package steps

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

var record = flag.Bool("record", false, "rewrite reports/testdata/recorded-run.json from a real run")

// recordedRunPath is the real run the reports package renders in Chromium.
var recordedRunPath = filepath.Join("..", "reports", "testdata", "recorded-run.json")

// recordedRun is a small real run with every outcome: the @etag scenarios
// of the @okta features against the reference with If-Match ignored
// (failures with their exchanges and Okta views), PATCH turned off (not
// supported). versions.feature's @etag scenarios are left out to keep the
// recording small.
func recordedRun(t *testing.T) reports.Run {
	t.Helper()
	p := target.Default()
	p.InProcess = &target.InProcessSpec{Faults: []string{"etag-ignored"}}
	p.Capabilities[target.CapPatch] = false
	run, err := Run(context.Background(), Config{Target: p, Tags: string(TagETag) + "&&" + string(TagOkta), Version: "recorded"})
	if err != nil {
		t.Fatal(err)
	}
	c := run.Counts()
	if c.Passed == 0 || c.Failed == 0 || c.NotSupported == 0 {
		t.Fatalf("the recorded run should hold every outcome: %+v", c)
	}
	return run
}

// TestRecordedRunIsARealRun keeps reports/testdata/recorded-run.json a run
// of the current suite: same scenarios with the same outcomes. Rewrite it
// with: go test ./steps -run TestRecordedRunIsARealRun -record
func TestRecordedRunIsARealRun(t *testing.T) {
	run := recordedRun(t)
	if *record {
		b, err := json.MarshalIndent(run.Redact(), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(recordedRunPath, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(recordedRunPath)
	if err != nil {
		t.Fatalf("%v (write it with -record)", err)
	}
	var saved reports.Run
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	outcome := func(r reports.Run) map[string]reports.Status {
		m := map[string]reports.Status{}
		for _, s := range r.Scenarios {
			m[s.Name] = s.Status
		}
		return m
	}
	got, want := outcome(saved), outcome(run)
	if len(got) != len(want) {
		t.Fatalf("recorded run has %d scenarios, a run now has %d: rewrite it with -record", len(got), len(want))
	}
	for name, st := range want {
		if got[name] != st {
			t.Errorf("%q: recorded %s, now %s: rewrite it with -record", name, got[name], st)
		}
	}
}
