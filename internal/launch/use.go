package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// terminateTimeout bounds clean-up after the caller's context has ended.
const terminateTimeout = 30 * time.Second

// stopGrace is how long a container may shut down gracefully (and log that)
// before it is killed, when Use stops it to read complete logs.
const stopGrace = 5 * time.Second

// Use starts the container described by spec, passes it to fn and always
// terminates it afterwards, even when ctx is already cancelled. When anything
// failed — the container did not become healthy, fn returned an error, or fn
// reported failed (for example a scenario of the suite failed) — the
// container's logs are written to logsTo (when not nil) under a header line,
// and returned, so the caller can attach them to its report as well.
func Use(ctx context.Context, spec ContainerSpec, logsTo io.Writer, fn func(context.Context, *Running) (failed bool, err error)) (string, error) {
	r, err := Start(ctx, spec)
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), terminateTimeout)
		defer cancel()
		_ = r.Terminate(cctx) // nil-safe; a failed removal leaves it to `make clean`
	}()
	var failed bool
	if err == nil {
		failed, err = fn(ctx, r)
	}
	if (err == nil && !failed) || r == nil {
		return "", err
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), terminateTimeout)
	defer cancel()
	logs, lerr := r.FinalLogs(lctx)
	if logsTo != nil {
		why := "a scenario failed"
		if err != nil {
			why = err.Error()
		}
		fmt.Fprintf(logsTo, "---- logs of container %s (%s) because %s ----\n%s\n---- end of container logs ----\n",
			shortID(r.ID()), r.Image(), why, logs)
	}
	return logs, errors.Join(err, lerr)
}

// FinalLogs stops the container (gracefully, then killed after a few
// seconds) and returns everything it wrote. Docker copies a running
// container's output to its log store asynchronously, so only a stopped
// container's logs are complete: call this, not Logs, when attaching logs to
// a report after a failure, then Terminate.
func (r *Running) FinalLogs(ctx context.Context) (string, error) {
	stopTimeout := stopGrace
	if err := r.ctr.Stop(ctx, &stopTimeout); err != nil {
		logs, lerr := r.Logs(ctx) // most of the output is readable anyway
		return logs, errors.Join(fmt.Errorf("stop container %s: %w", shortID(r.ID()), err), lerr)
	}
	return r.Logs(ctx)
}
