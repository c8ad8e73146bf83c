package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/scimulator/scimulator/reports"
)

// runReport works on stored reports. Its one subcommand, diff, compares
// two runs offline, as `run --baseline` does live.
func runReport(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "usage: scimulator report diff [--out FILE] [--fail-on-new] BASELINE CURRENT")
		fmt.Fprintln(w, "\nBASELINE and CURRENT are runs' cucumber.json files or report folders.")
	}
	if len(args) == 0 {
		usage(stderr)
		return usageError("report: name a subcommand (diff)")
	}
	switch args[0] {
	case "diff":
		return runReportDiff(ctx, args[1:], getenv, stdout, stderr)
	case "-h", "--help", "help":
		usage(stderr)
		return flag.ErrHelp
	}
	usage(stderr)
	return usageError("report: unknown subcommand %q (want diff)", args[0])
}

// runReportDiff prints what changed between two stored runs — newly
// failing, newly passing, new, gone — and writes it as Markdown with
// --out. Exit 1 with --fail-on-new when CURRENT has failures BASELINE did
// not; 2 when either side cannot be read.
func runReportDiff(_ context.Context, args []string, _ env, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "also write the diff as Markdown to `file` (such as diff.md)")
	failOnNew := fs.Bool("fail-on-new", false, "exit 1 when CURRENT has failures BASELINE did not have")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator report diff [--out FILE] [--fail-on-new] BASELINE CURRENT")
		fmt.Fprintln(stderr, "\nCompares two runs (cucumber.json files or report folders) scenario by scenario: what newly fails, newly passes, is new or gone.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	// Flags may follow the two paths, as in `report diff A B --out diff.md`.
	var paths []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usageError("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(paths) != 2 {
		return usageError("report diff needs two runs, BASELINE and CURRENT (cucumber.json files or report folders); got %d", len(paths))
	}
	before, err := reports.LoadBaseline(paths[0])
	if err != nil {
		return usageError("%v", err)
	}
	after, err := reports.LoadBaseline(paths[1])
	if err != nil {
		return usageError("%v", err)
	}
	d := reports.CompareBaselines(before, after)
	if err := reports.WriteDiffText(stdout, d); err != nil {
		return err
	}
	if *out != "" {
		if err := writeFile(*out, func(w io.Writer) error { return reports.WriteDiffMarkdown(w, d) }); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		fmt.Fprintf(stdout, "\nwrote %s\n", *out)
	}
	if *failOnNew && d.NewFailures() > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d scenarios fail in %s that did not fail in %s", d.NewFailures(), after.Path, before.Path)}
	}
	return nil
}

// writeFile creates path (and its folder) and writes it with write.
func writeFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
