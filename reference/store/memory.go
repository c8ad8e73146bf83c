package store

import "sync"

// Memory is the in-memory Store. It is safe for concurrent use.
type Memory struct {
	mu sync.RWMutex
	d  *Data
}

// NewMemory returns a Memory store holding d (a fresh workspace when nil).
func NewMemory(d *Data) *Memory {
	if d == nil {
		d = NewData()
	}
	return &Memory{d: d}
}

// Read runs fn under the shared lock.
func (m *Memory) Read(fn func(d *Data) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(m.d)
}

// Write runs fn under the exclusive lock.
func (m *Memory) Write(fn func(d *Data) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn(m.d)
}

// Close does nothing; it exists to satisfy Store.
func (m *Memory) Close() error { return nil }
