package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/scimulator/scimulator/internal/version"
)

// runVersion prints scimulator's module version (from the binary's build
// information; "(devel)" for a build without one) and the Go version it
// was built with. The harness's User-Agent carries the same version.
func runVersion(_ context.Context, args []string, _ env, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator version")
		fmt.Fprintln(stderr, "\nPrints scimulator's module version and the Go version it was built with.")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "scimulator %s\n%s\nUser-Agent of harness requests: %s\n", version.Version(), version.GoVersion(), version.UserAgent())
	return nil
}
