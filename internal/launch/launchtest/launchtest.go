// Package launchtest holds what tests need around internal/launch: the
// Docker requirement gate and Use, which starts a container for the length
// of a function. It imports testing, so the scimulator binary, which links
// internal/launch, never does.
package launchtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/launch"
)

// logsTimeout bounds reading the final logs after the caller's context has ended.
const logsTimeout = 30 * time.Second

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

// Use starts the container described by spec, passes it to fn and always
// terminates it afterwards, even when ctx is already cancelled. When anything
// failed — the container did not become healthy, fn returned an error, or fn
// reported failed (for example a scenario of the suite failed) — the
// container's logs are written to logsTo (when not nil) under a header line,
// and returned, so the caller can attach them to its report as well.
func Use(ctx context.Context, spec launch.ContainerSpec, logsTo io.Writer, fn func(context.Context, *launch.Running) (failed bool, err error)) (string, error) {
	r, err := launch.Start(ctx, spec)
	defer func() {
		w := logsTo
		if w == nil {
			w = os.Stderr
		}
		_ = r.TerminateReporting(ctx, w) // nil-safe; a failure is reported to w
	}()
	var failed bool
	if err == nil {
		failed, err = fn(ctx, r)
	}
	if (err == nil && !failed) || r == nil {
		return "", err
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logsTimeout)
	defer cancel()
	logs, lerr := r.FinalLogs(lctx)
	if logsTo != nil {
		why := "a scenario failed"
		if err != nil {
			why = err.Error()
		}
		fmt.Fprintf(logsTo, "---- logs of container %s (%s) because %s ----\n%s\n---- end of container logs ----\n",
			r.ShortID(), r.Image(), why, logs)
	}
	return logs, errors.Join(err, lerr)
}
