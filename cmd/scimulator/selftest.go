package main

import (
	"context"
	"errors"
	"io"
)

// runSelftest is a placeholder until its issue lands.
func runSelftest(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("selftest: not implemented yet")
}
