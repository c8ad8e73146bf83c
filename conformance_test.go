package scimulator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/steps"
)

// TestConformance runs the whole suite against the in-process reference
// server (a fresh one per scenario) and fails with the failing scenarios.
func TestConformance(t *testing.T) {
	run, err := steps.Run(context.Background(), steps.Config{Target: target.Default(), Profile: steps.ProfileCortex})
	if err != nil {
		t.Fatalf("run suite: %v", err)
	}
	c := run.Counts()
	t.Logf("%d scenarios: %d passed, %d failed, %d skipped, %d not supported", c.Total, c.Passed, c.Failed, c.Skipped, c.NotSupported)
	if !run.Passed() {
		t.Fatalf("the suite did not pass against the embedded reference:\n%s", summary(run))
	}
}

// BenchmarkSuite reports the full suite's wall time in-process.
func BenchmarkSuite(b *testing.B) {
	for b.Loop() {
		run, err := steps.Run(context.Background(), steps.Config{Target: target.Default(), Profile: steps.ProfileCortex})
		if err != nil {
			b.Fatalf("run suite: %v", err)
		}
		if !run.Passed() {
			b.Fatalf("suite failed:\n%s", summary(run))
		}
		b.ReportMetric(float64(len(run.Scenarios)), "scenarios/op")
	}
}

func summary(run reports.Run) string {
	var sb strings.Builder
	for _, s := range run.Scenarios {
		if s.Status == reports.StatusPassed {
			continue
		}
		fmt.Fprintf(&sb, "  %s: %s (%s)\n", s.Status, s.Name, s.URI)
		if s.SkipReason != "" {
			fmt.Fprintf(&sb, "      %s\n", s.SkipReason)
		}
		if f := s.Failure; f != nil {
			fmt.Fprintf(&sb, "      step: %s\n      expected: %s\n      actual: %s\n", f.Step, f.Expected, f.Actual)
			if f.AdminMessage != "" {
				fmt.Fprintf(&sb, "      Okta: %s\n", f.AdminMessage)
			}
			if f.Exchange != nil {
				fmt.Fprintf(&sb, "      %s %s → %d %s\n", f.Exchange.Method, f.Exchange.URL, f.Exchange.Status, trim(f.Exchange.ResponseBody))
			}
		}
	}
	return sb.String()
}

func trim(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
