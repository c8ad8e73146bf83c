package selftest

import (
	"context"
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
// cortex profile) against the in-process reference server, a fresh server
// per scenario with the faults switched on. scenarioConcurrency is how many
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
		return steps.Run(ctx, steps.Config{
			Target:      p,
			Profile:     steps.ProfileCortex,
			Concurrency: scenarioConcurrency,
			Features:    features,
			Progress:    progress,
		})
	}
}
