// Command mutantworker runs the conformance suite once against the
// in-process reference server. It is what `scimulator selftest --mutants`
// builds with a `go build -overlay` that puts the mutants into reference/;
// built normally it holds no mutant and is the plain suite.
//
// Its arguments, when given, are the feature files (names in features/) to
// run; the default is all of them. It stops at the first failed scenario (a
// mutant needs one to be killed) and prints it as "FAILED <name>". Exit
// codes: 0 every scenario passed, 1 a scenario failed, 3 the suite could not
// run, 4 no scenario failed but some did not run (skipped or not supported,
// with "NOTRUN <name>" lines), 5 the files hold no scenario of the profile.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"regexp"
	"syscall"
	"testing/fstest"

	"github.com/scimulator/scimulator/features"
	"github.com/scimulator/scimulator/internal/selftest"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/steps"
)

// failedLine matches the suite's progress line for a failed scenario:
// "[12/79] FAILED  name" (or "  12 FAILED  name", the older form), with
// an optional level after FAILED.
var failedLine = regexp.MustCompile(`^\s*(?:\[\s*\d+(?:/\d+)?\]|\d+)\s+FAILED\b\s*(.*)$`)

// failFast watches the suite's progress lines and ends the process at the
// first failed scenario: the rest of the run cannot un-kill the mutant.
type failFast struct{ buf []byte }

func (f *failFast) Write(p []byte) (int, error) {
	f.buf = append(f.buf, p...)
	for {
		i := bytes.IndexByte(f.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(f.buf[:i])
		f.buf = f.buf[i+1:]
		if m := failedLine.FindStringSubmatch(line); m != nil {
			fmt.Printf("FAILED %s\n", m[1])
			os.Exit(1)
		}
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	fsys, err := selectFeatures(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutantworker:", err)
		os.Exit(3)
	}
	run, err := selftest.SuiteRunnerOn(fsys, 0, &failFast{})(ctx, nil)
	stop()
	if errors.Is(err, steps.ErrNoScenarios) {
		os.Exit(5)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutantworker:", reports.RedactText(err.Error()))
		os.Exit(3)
	}
	code := 0
	for _, s := range run.Scenarios {
		switch s.Status {
		case reports.StatusPassed:
		case reports.StatusSkipped, reports.StatusNotSupported:
			fmt.Printf("NOTRUN %s\n", s.Name)
			code = max(code, 4)
		default:
			fmt.Printf("FAILED %s\n", s.Name)
			code = 1
		}
	}
	os.Exit(code)
}

// selectFeatures returns the embedded feature files with only the named
// ones left (nil: all of them).
func selectFeatures(names []string) (fs.FS, error) {
	if len(names) == 0 {
		return nil, nil
	}
	all := features.FS()
	out := fstest.MapFS{}
	for _, n := range names {
		data, err := fs.ReadFile(all, n)
		if err != nil {
			return nil, fmt.Errorf("feature file %q: %w", n, err)
		}
		out[n] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return out, nil
}
