package selftest

import (
	"context"
	"fmt"
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
	return suiteRunner(nil, scenarioConcurrency)
}

// suiteRunner is SuiteRunner over the given feature files (nil: the
// embedded features/), so a test can run a deliberately weakened suite.
func suiteRunner(features fs.FS, scenarioConcurrency int) Runner {
	known := map[string]bool{}
	for _, f := range reference.KnownFaults() {
		known[f.Name] = true
	}
	return func(ctx context.Context, faults []string) (reports.Run, error) {
		// An unknown name would make every scenario fail in set-up (the
		// server refuses to start), which would look like a caught fault.
		for _, f := range faults {
			if !known[f] {
				return reports.Run{}, fmt.Errorf("run suite: unknown fault %q", f)
			}
		}
		p := target.Default()
		p.InProcess = &target.InProcessSpec{Faults: slices.Clone(faults)}
		return steps.Run(ctx, steps.Config{
			Target:      p,
			Profile:     steps.ProfileCortex,
			Concurrency: scenarioConcurrency,
			Features:    features,
		})
	}
}
