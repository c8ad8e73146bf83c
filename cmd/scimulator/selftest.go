package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/scimulator/scimulator/internal/selftest"
	"github.com/scimulator/scimulator/reference"
)

// maxSelftestConcurrency bounds --concurrency: each suite run already runs
// its scenarios concurrently, so more runs at once only add contention.
const maxSelftestConcurrency = 64

// selftestConfig is everything `scimulator selftest` needs, parsed once.
type selftestConfig struct {
	faults      []reference.Fault
	concurrency int
	json        bool
}

// parseSelftest reads the flags of `scimulator selftest`.
func parseSelftest(args []string, stderr io.Writer) (selftestConfig, error) {
	var c selftestConfig
	fs := flag.NewFlagSet("selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	faults := fs.String("faults", "", "comma-separated fault `names` to inject, each alone (default: every fault)")
	fs.IntVar(&c.concurrency, "concurrency", selftest.DefaultConcurrency, "suite runs at once (each runs its scenarios concurrently)")
	fs.BoolVar(&c.json, "json", false, "print the result as JSON instead of a table")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator selftest [--faults a,b] [--concurrency N] [--json]")
		fmt.Fprintln(stderr, "\nRuns the suite against the clean in-process reference server and against each fault switch")
		fmt.Fprintln(stderr, "alone, and prints fault → scenarios that failed → caught or missed, with the detection rate.")
		fmt.Fprintln(stderr, "Exit 0 only when the clean run passes every scenario and every injected fault is caught.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
		printFaults(stderr)
	}
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	if c.concurrency < 1 || c.concurrency > maxSelftestConcurrency {
		return c, usageError("--concurrency %d: want 1 to %d", c.concurrency, maxSelftestConcurrency)
	}
	var err error
	if c.faults, err = selftest.SelectFaults(*faults); err != nil {
		return c, usageError("--faults: %v", err)
	}
	return c, nil
}

// runSelftest runs `scimulator selftest`: progress on stderr, the table (or
// JSON) on stdout, exit 1 unless the clean run passed and every injected
// fault was caught. Differences from the expectation file compiled into the
// binary are printed but do not change the exit code; the Go test enforces
// them.
func runSelftest(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	cfg, err := parseSelftest(args, stderr)
	if err != nil {
		return err
	}
	rep, err := selftest.Run(ctx, selftest.Config{
		Runner:      selftest.SuiteRunner(0),
		Faults:      cfg.faults,
		Concurrency: cfg.concurrency,
		Progress:    stderr,
	})
	if err != nil {
		return err
	}
	var probs []selftest.Problem
	if exp, err := selftest.Expected(); err != nil {
		fmt.Fprintf(stderr, "scimulator selftest: expectations not compared: %v\n", err)
	} else {
		probs = exp.Check(rep)
	}
	if cfg.json {
		err = selftest.WriteJSON(stdout, rep, probs)
	} else {
		err = selftest.WriteText(stdout, rep, probs)
	}
	if err != nil {
		return err
	}
	if rep.OK() {
		return nil
	}
	var why []string
	if !rep.CleanPassed() {
		why = append(why, "the clean run did not pass every scenario")
	}
	if caught, total := rep.Detection(); caught < total {
		why = append(why, fmt.Sprintf("%d of %d faults missed", total-caught, total))
	}
	return &exitError{code: 1, err: errors.New(strings.Join(why, "; "))}
}
