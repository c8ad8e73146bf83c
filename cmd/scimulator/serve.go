package main

import (
	"context"
	"errors"
	"io"
)

// runServe is a placeholder until its issue lands.
func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("serve: not implemented yet")
}
