package reference

import (
	"context"
	"sync"
	"time"
)

// flights counts requests in flight per user, for requests authenticated
// with a credential that belongs to a user (a session or a personal API key).
//
// A deprovision commits the revocation and then waits until that user's
// in-flight requests have finished. Each of them re-checks its credential
// before writing a response, so once the deprovision has returned no request
// with a revoked credential can still answer with success (SPEC §1.4).
type flights struct {
	mu      sync.Mutex
	n       map[string]int
	changed chan struct{} // closed and replaced whenever a request leaves
}

func newFlights() *flights {
	return &flights{n: map[string]int{}, changed: make(chan struct{})}
}

func (f *flights) enter(userID string) {
	f.mu.Lock()
	f.n[userID]++
	f.mu.Unlock()
}

func (f *flights) leave(userID string) {
	f.mu.Lock()
	if f.n[userID]--; f.n[userID] <= 0 {
		delete(f.n, userID)
	}
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

// maxDrainWait bounds how long a deprovision waits for in-flight requests.
const maxDrainWait = 10 * time.Second

// wait blocks until at most allow requests of userID are in flight (allow is
// 1 when the waiting request itself uses one of the user's credentials), ctx
// ends, or maxDrainWait passes.
func (f *flights) wait(ctx context.Context, userID string, allow int) {
	timer := time.NewTimer(maxDrainWait)
	defer timer.Stop()
	for {
		f.mu.Lock()
		n, ch := f.n[userID], f.changed
		f.mu.Unlock()
		if n <= allow {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return
		case <-timer.C:
			return
		}
	}
}
