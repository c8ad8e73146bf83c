package launch

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// stopGrace is how long a container may shut down gracefully (and log that)
// before it is killed, when FinalLogs stops it to read complete logs.
const stopGrace = 5 * time.Second

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
