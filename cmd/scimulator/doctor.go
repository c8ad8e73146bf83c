package main

import (
	"context"
	"errors"
	"io"
)

// runDoctor is a placeholder until its issue lands.
func runDoctor(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("doctor: not implemented yet")
}
