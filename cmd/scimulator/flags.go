package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/scimulator/scimulator/reference"
)

// parseFlags parses a subcommand's args into fs, the same way for every
// command: -h returns flag.ErrHelp (the usage is printed, exit 0); a bad
// flag or any positional argument is a usage error (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%v", err)
	}
	if fs.NArg() > 0 {
		return usageError("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}

// printFaults writes the "Faults:" block of a usage text: every fault
// switch of the reference server with its description.
func printFaults(w io.Writer) {
	fmt.Fprintln(w, "\nFaults:")
	for _, f := range reference.KnownFaults() {
		fmt.Fprintf(w, "  %-28s %s\n", f.Name, f.Description)
	}
}
