package launch

import (
	"context"
	"os"
	"testing"
)

// needDocker is launchtest.RequireDocker for this package's internal
// tests, which cannot import launchtest (it imports launch): skip without a
// Docker engine, fail instead when SCIMULATOR_REQUIRE_DOCKER=1.
func needDocker(tb testing.TB) {
	tb.Helper()
	err := CheckDocker(context.Background())
	switch {
	case err == nil:
	case os.Getenv(EnvRequireDocker) == "1":
		tb.Fatalf("%s=1 but no Docker engine is usable: %v", EnvRequireDocker, err)
	default:
		tb.Skipf("skipping: no Docker engine is usable (%v); set %s=1 to make this a failure", err, EnvRequireDocker)
	}
}
