package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
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
	// mutants selects the mutation analysis (issue 9) instead of the
	// fault switches; files and workers configure it.
	mutants bool
	files   []string
	workers int
}

// parseSelftest reads the flags of `scimulator selftest`.
func parseSelftest(args []string, stderr io.Writer) (selftestConfig, error) {
	var c selftestConfig
	fs := flag.NewFlagSet("selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	faults := fs.String("faults", "", "comma-separated fault `names` to inject, each alone (default: every fault)")
	fs.IntVar(&c.concurrency, "concurrency", selftest.DefaultConcurrency, "suite runs at once (each runs its scenarios concurrently)")
	fs.BoolVar(&c.json, "json", false, "print the result as JSON instead of a table")
	fs.BoolVar(&c.mutants, "mutants", false, "mutation analysis of reference/ instead of the fault switches (run from a checkout: it builds the source)")
	files := fs.String("files", "", "with --mutants: comma-separated `globs` of the files to mutate, like reference/patch.go or reference/filter/*.go (default: all)")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "with --mutants: mutants run at once")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator selftest [--faults a,b] [--concurrency N] [--json]")
		fmt.Fprintln(stderr, "       scimulator selftest --mutants [--files GLOB,...] [--workers N] [--json]")
		fmt.Fprintln(stderr, "\nRuns the suite against the clean in-process reference server and against each fault switch")
		fmt.Fprintln(stderr, "alone, and prints fault → scenarios that failed → caught or missed, with the detection rate.")
		fmt.Fprintln(stderr, "Exit 0 only when the clean run passes every scenario and every injected fault is caught.")
		fmt.Fprintln(stderr, "\nWith --mutants: mutates the reference server's source (reference/ outside container, store and")
		fmt.Fprintln(stderr, "logging), runs the suite against each mutant, and prints the kill rate per file and every surviving")
		fmt.Fprintln(stderr, "mutant. Exit 0 only when every survivor is declared in internal/selftest/mutants.json.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
		printFaults(stderr)
	}
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.mutants {
		if set["faults"] || set["concurrency"] {
			return c, usageError("--faults and --concurrency are for the fault self-test, not --mutants")
		}
		if c.workers < 1 || c.workers > maxSelftestConcurrency {
			return c, usageError("--workers %d: want 1 to %d", c.workers, maxSelftestConcurrency)
		}
		if *files != "" {
			for _, g := range strings.Split(*files, ",") {
				c.files = append(c.files, strings.TrimSpace(g))
			}
		}
		if err := selftest.CheckGlobs(c.files); err != nil {
			return c, usageError("--files: %v", err)
		}
		return c, nil
	}
	if set["files"] || set["workers"] {
		return c, usageError("--files and --workers need --mutants")
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
	if cfg.mutants {
		return runMutants(ctx, cfg, stdout, stderr)
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

// runMutants runs `scimulator selftest --mutants`: progress on stderr, the
// report on stdout, exit 1 when a survivor is not declared in mutants.json
// or the list is stale, and an error when the clean suite does not pass.
func runMutants(ctx context.Context, cfg selftestConfig, stdout, stderr io.Writer) error {
	list, err := selftest.DeclaredMutants()
	if err != nil {
		return err
	}
	root, err := selftest.FindModuleRoot(".")
	if err != nil {
		return usageError("--mutants: %v", err)
	}
	rep, err := selftest.RunMutants(ctx, selftest.MutationConfig{
		Root: root, Files: cfg.files, Workers: cfg.workers, Progress: stderr,
	})
	if err != nil {
		return err
	}
	probs, notes := list.Check(rep, func(file string) bool { return selftest.InMutationScope(file, cfg.files) })
	if cfg.json {
		err = selftest.WriteMutantsJSON(stdout, rep, probs, notes)
	} else {
		err = selftest.WriteMutantsText(stdout, rep, list, probs, notes)
	}
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d problems with %s (listed above)", len(probs), selftest.MutantsFile)}
	}
	return nil
}
