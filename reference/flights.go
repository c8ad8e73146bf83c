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

// WriteTimeout is the longest a request may take, from the end of its
// headers to the end of its response. `scimulator serve` sets it as
// http.Server.WriteTimeout, so a response not written by then cannot reach
// the client; and a deprovision waits at most this long for the user's
// in-flight requests. A request in flight when the deprovision committed
// started before the commit, so its write deadline falls within this bound:
// when the wait ends, each such request has either answered (after its
// re-check, so not with success) or can no longer answer at all.
const WriteTimeout = 60 * time.Second

// wait blocks until at most allow requests of userID are in flight (allow is
// 1 when the waiting request itself uses one of the user's credentials). It
// reports false when ctx ended or limit passed first.
func (f *flights) wait(ctx context.Context, userID string, allow int, limit time.Duration) bool {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		f.mu.Lock()
		n, ch := f.n[userID], f.changed
		f.mu.Unlock()
		if n <= allow {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		case <-timer.C:
			return false
		}
	}
}

// inFlight returns how many requests of userID are in flight.
func (f *flights) inFlight(userID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n[userID]
}
