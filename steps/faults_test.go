package steps

import (
	"context"
	"sort"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// TestEveryFaultFailsAScenario turns on each reference fault switch
// (contract C3) and checks that at least one scenario fails, so no rule of
// SPEC §1 goes unchecked. The selftest command keeps the exact expectations.
func TestEveryFaultFailsAScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite once per fault")
	}
	for _, f := range reference.KnownFaults() {
		t.Run(f.Name, func(t *testing.T) {
			p := target.Default()
			p.InProcess = &target.InProcessSpec{Faults: []string{f.Name}}
			run, err := Run(context.Background(), Config{Target: p})
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			var failed []string
			for _, s := range run.Scenarios {
				if s.Status == reports.StatusFailed {
					failed = append(failed, s.Name)
				}
			}
			sort.Strings(failed)
			if len(failed) == 0 {
				t.Fatalf("fault %s (%s): no scenario failed", f.Name, f.Description)
			}
			t.Logf("fault %s: %d failed: %q", f.Name, len(failed), failed)
		})
	}
}
