// Package launchtest holds what tests need around internal/launch: the
// Docker requirement gate. It imports testing, so the scimulator binary,
// which links internal/launch, never does.
package launchtest

import (
	"context"
	"os"
	"testing"

	"github.com/scimulator/scimulator/internal/launch"
)

// RequireDocker skips the test with the reason when no Docker engine answers,
// or fails it when SCIMULATOR_REQUIRE_DOCKER=1 (as .ci/run sets).
func RequireDocker(tb testing.TB) {
	tb.Helper()
	requireDocker(tb, launch.CheckDocker(context.Background()), os.Getenv(launch.EnvRequireDocker) == "1")
}

// requireDocker is RequireDocker's decision, given the engine check's result.
func requireDocker(tb testing.TB, engineErr error, required bool) {
	tb.Helper()
	if engineErr == nil {
		return
	}
	if required {
		tb.Fatalf("%s=1 but no Docker engine is usable: %v", launch.EnvRequireDocker, engineErr)
		return
	}
	tb.Skipf("skipping: no Docker engine is usable (%v); set %s=1 to make this a failure", engineErr, launch.EnvRequireDocker)
}
