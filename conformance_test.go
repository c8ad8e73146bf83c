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

// TestConformance runs the whole suite — Okta's scenarios (the cortex
// profile) and Entra's (the entra profile) — against the in-process
// reference server (a fresh one per scenario) and fails with the failing
// scenarios.
func TestConformance(t *testing.T) {
	for _, p := range []steps.SuiteProfile{steps.ProfileCortex, steps.ProfileEntraCortex} {
		run, err := steps.Run(context.Background(), steps.Config{Target: target.Default(), Profile: p})
		if err != nil {
			t.Fatalf("run suite (%s): %v", p, err)
		}
		c := run.Counts()
		t.Logf("%s: %d scenarios: %d passed, %d failed, %d skipped, %d not supported", p, c.Total, c.Passed, c.Failed, c.Skipped, c.NotSupported)
		if !run.Passed() {
			t.Fatalf("the %s suite did not pass against the embedded reference:\n%s", p, summary(run))
		}
	}
}

// BenchmarkSuite reports the full suite's wall time in-process: Okta's
// scenarios, Entra's, and both one after the other (issue 10: under 2 s).
func BenchmarkSuite(b *testing.B) {
	for _, bc := range []struct {
		name     string
		profiles []steps.SuiteProfile
	}{
		{"okta", []steps.SuiteProfile{steps.ProfileCortex}},
		{"entra", []steps.SuiteProfile{steps.ProfileEntraCortex}},
		{"both", []steps.SuiteProfile{steps.ProfileCortex, steps.ProfileEntraCortex}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				n := 0
				for _, p := range bc.profiles {
					run, err := steps.Run(context.Background(), steps.Config{Target: target.Default(), Profile: p})
					if err != nil {
						b.Fatalf("run suite: %v", err)
					}
					if !run.Passed() {
						b.Fatalf("suite failed:\n%s", summary(run))
					}
					n += len(run.Scenarios)
				}
				b.ReportMetric(float64(n), "scenarios/op")
			}
		})
	}
}

// BenchmarkReports writes every report for one real run of the default
// profile: the second half of `scimulator run`'s wall time, on the
// exchanges the suite really records (SCIM bodies with meta.location URLs,
// credentials to scrub), not a synthetic sample.
func BenchmarkReports(b *testing.B) {
	run, err := steps.Run(context.Background(), steps.Config{Target: target.Default(), Profile: steps.ProfileCortex})
	if err != nil {
		b.Fatalf("run suite: %v", err)
	}
	dir := b.TempDir()
	for b.Loop() {
		if _, err := reports.WriteAll(dir, run, nil); err != nil {
			b.Fatal(err)
		}
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
