// Command scimulator is the conformance harness and Okta simulator for SCIM
// provisioning. It is deliberately thin: each subcommand parses its flags and
// environment once, builds one config and hands it to a package.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// env looks up an environment variable; tests pass a map-backed one so that
// no command reads the process environment directly.
type env func(string) string

// command is one subcommand of scimulator.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error
}

// commands lists every subcommand. Each lives in its own file.
var commands = map[string]command{
	"serve":    {"run the reference SCIM server (Cortex semantics)", runServe},
	"run":      {"run the conformance suite against a target", runSuite},
	"doctor":   {"diagnose Okta's Test API Credentials against a URL", runDoctor},
	"report":   {"compare two stored runs: report diff BASELINE CURRENT", runReport},
	"selftest": {"prove the suite catches every fault of the reference server", runSelftest},
	"version":  {"print scimulator's version and the Go version it was built with", runVersion},
}

// exitError carries a specific process exit code out of a subcommand.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks bad flags, arguments or configuration: exit code 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and turns its error into an exit code:
// 0 success, 1 failure, 2 bad usage or configuration.
func run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "scimulator: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return 2
	}
	err := cmd.run(ctx, args[1:], getenv, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintf(stderr, "scimulator %s: %s\n", args[0], termsafe.Lines(ee.err.Error(), 0))
		}
		return ee.code
	}
	// An error can quote a target (a header, a body, a name it chose).
	fmt.Fprintf(stderr, "scimulator %s: %s\n", args[0], termsafe.Lines(err.Error(), 0))
	return 1
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: scimulator <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'scimulator <command> -h' for the flags of one command.")
}
