package selftest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/steps"
)

// SuiteRunner is the Runner that runs the real suite (steps.Run, the full
// cortex profile, then the entra profile: Okta's and Entra's scenarios)
// against the in-process reference server, a fresh server per scenario
// with the faults switched on. scenarioConcurrency is how many
// scenarios of one run go at once; 0 means steps' default.
func SuiteRunner(scenarioConcurrency int) Runner {
	return suiteRunner(nil, scenarioConcurrency, nil)
}

// SuiteRunnerOn is SuiteRunner over the given feature files (nil: the
// embedded features/) with the suite's progress lines (one per finished
// scenario, see steps.Config.Progress) written to progress. The mutation
// worker runs only the features that reach a mutant.
func SuiteRunnerOn(features fs.FS, scenarioConcurrency int, progress io.Writer) Runner {
	return suiteRunner(features, scenarioConcurrency, progress)
}

// suiteRunner is SuiteRunner over the given feature files (nil: the
// embedded features/), so a test can run a deliberately weakened suite.
func suiteRunner(features fs.FS, scenarioConcurrency int, progress io.Writer) Runner {
	return func(ctx context.Context, faults []string) (reports.Run, error) {
		// An unknown name would make every scenario fail in set-up (the
		// server refuses to start), which would look like a caught fault.
		if err := reference.CheckFaults(faults); err != nil {
			return reports.Run{}, fmt.Errorf("run suite: %w", err)
		}
		p := target.Default()
		p.InProcess = &target.InProcessSpec{Faults: slices.Clone(faults)}
		var all reports.Run
		ran := false
		for _, prof := range []steps.SuiteProfile{steps.ProfileCortex, steps.ProfileEntraCortex} {
			run, err := steps.Run(ctx, steps.Config{
				Target:      p,
				Profile:     prof,
				Concurrency: scenarioConcurrency,
				Features:    features,
				Progress:    progress,
			})
			if errors.Is(err, steps.ErrNoScenarios) {
				continue // a feature subset (mutation analysis) without this IdP's scenarios
			}
			if err != nil {
				return reports.Run{}, err
			}
			all = mergeRuns(all, run, ran)
			ran = true
		}
		if !ran {
			return reports.Run{}, fmt.Errorf("run suite: %w", steps.ErrNoScenarios)
		}
		return all, nil
	}
}

// mergeRuns appends b's scenarios to a (the first run's record keeps its
// target, profile and start; durations add up).
func mergeRuns(a, b reports.Run, haveA bool) reports.Run {
	if !haveA {
		return b
	}
	a.Scenarios = append(a.Scenarios, b.Scenarios...)
	a.Duration += b.Duration
	a.Tags += "," + b.Tags
	a.CleanupWarnings = append(a.CleanupWarnings, b.CleanupWarnings...)
	return a
}
