package simulator

import (
	"context"
	"errors"
	"sync"
)

// barrier lets the copies of a Duplicate operation meet before their
// state-changing request, so every existence check runs before any write.
type barrier struct {
	mu        sync.Mutex
	remaining int
	open      chan struct{}
	// succeeded is set when any copy has written its success to the app
	// user; guarded by the Org's mu (only read and written under it).
	succeeded bool
}

func newBarrier(n int) *barrier {
	return &barrier{remaining: n, open: make(chan struct{})}
}

func (b *barrier) arriveOnce() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.remaining--
	if b.remaining == 0 {
		close(b.open)
	}
}

// barrierToken is one copy's handle: it arrives at most once, either at
// the sync point or when the copy ends without reaching it.
type barrierToken struct {
	b       *barrier
	arrived bool
}

// wait arrives and waits for the other copies (or ctx).
func (t *barrierToken) wait(ctx context.Context) {
	if t.arrived {
		return
	}
	t.arrived = true
	t.b.arriveOnce()
	select {
	case <-t.b.open:
	case <-ctx.Done():
	}
}

// leave arrives without waiting, so copies that never reach the sync point
// cannot block the others.
func (t *barrierToken) leave() {
	if !t.arrived {
		t.arrived = true
		t.b.arriveOnce()
	}
}

type barrierKey struct{}

func withBarrier(ctx context.Context, t *barrierToken) context.Context {
	return context.WithValue(ctx, barrierKey{}, t)
}

// tokenOf returns the Duplicate copy ctx belongs to, nil outside Duplicate.
func tokenOf(ctx context.Context) *barrierToken {
	t, _ := ctx.Value(barrierKey{}).(*barrierToken)
	return t
}

// syncPoint is called just before a state-changing request; it waits for
// the other copies of a Duplicate and is a no-op otherwise.
func syncPoint(ctx context.Context) {
	if t, ok := ctx.Value(barrierKey{}).(*barrierToken); ok {
		t.wait(ctx)
	}
}

// joinErrors joins the non-nil errors, nil if there are none.
func joinErrors(errs []error) error {
	return errors.Join(errs...)
}
