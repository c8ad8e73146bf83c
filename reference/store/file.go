package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// File is a Store that keeps the workspace in memory and writes it to a JSON
// file after every successful Write, so state survives a restart (SPEC §1.6).
// The file is replaced atomically (write to a temporary file, then rename).
// It holds API key and session hashes, never secrets.
type File struct {
	path string
	mu   sync.RWMutex
	d    *Data
}

// OpenFile loads path if it exists, or starts an empty workspace. Seeding
// an empty workspace, and what a loaded one keeps, is the server's job
// (reference.New).
func OpenFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &File{path: path, d: NewData()}, nil
	case err != nil:
		return nil, fmt.Errorf("open store file: %w", err)
	}
	d := NewData()
	if err := json.Unmarshal(b, d); err != nil {
		return nil, fmt.Errorf("open store file %s: %w", filepath.Base(path), err)
	}
	return &File{path: path, d: d}, nil
}

// Read runs fn under the shared lock.
func (f *File) Read(fn func(d *Data) error) error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return fn(f.d)
}

// Write runs fn under the exclusive lock and saves the workspace when fn
// succeeds.
func (f *File) Write(fn func(d *Data) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := fn(f.d); err != nil {
		return err
	}
	return f.save()
}

// Close saves the workspace a last time.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.save()
}

func (f *File) save() error {
	b, err := json.Marshal(f.d)
	if err != nil {
		return fmt.Errorf("save store file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".scimulator-store-*")
	if err != nil {
		return fmt.Errorf("save store file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save store file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save store file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("save store file: %w", err)
	}
	return nil
}
