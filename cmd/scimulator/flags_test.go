package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/reference"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantHelp bool
		wantCode int // exit code of a usage error; 0 for success
		wantMsg  string
	}{
		{"flags only", []string{"--n", "3"}, false, 0, ""},
		{"help", []string{"-h"}, true, 0, ""},
		{"unknown flag", []string{"--nope"}, false, 2, "flag provided but not defined: -nope"},
		{"positional arguments", []string{"--n", "1", "a", "b"}, false, 2, "unexpected arguments: a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.SetOutput(&bytes.Buffer{})
			fs.Int("n", 0, "a number")
			err := parseFlags(fs, tt.args)
			if tt.wantHelp != errors.Is(err, flag.ErrHelp) {
				t.Fatalf("err = %v, want ErrHelp %t", err, tt.wantHelp)
			}
			var ee *exitError
			switch {
			case tt.wantCode == 0 && !tt.wantHelp && err != nil:
				t.Fatalf("err = %v, want nil", err)
			case tt.wantCode != 0 && (!errors.As(err, &ee) || ee.code != tt.wantCode || !strings.Contains(err.Error(), tt.wantMsg)):
				t.Fatalf("err = %v, want exit %d with %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

// TestHelpTexts: -h of every command prints its usage line (exit 0), and
// the commands that take fault names list every fault.
func TestHelpTexts(t *testing.T) {
	for _, tc := range []struct {
		cmd, usage string
		faults     bool
	}{
		{"serve", "usage: scimulator serve [flags]", true},
		{"selftest", "usage: scimulator selftest ", true},
		{"run", "usage: scimulator run ", false},
		{"doctor", "usage: scimulator doctor --url URL --token-env VAR [flags]", false},
		{"version", "usage: scimulator version", false},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{tc.cmd, "-h"}, mapEnv(nil), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr.String())
			}
			if !strings.HasPrefix(stderr.String(), tc.usage) {
				t.Fatalf("help does not start with %q:\n%s", tc.usage, stderr.String())
			}
			for _, f := range reference.KnownFaults() {
				if got := strings.Contains(stderr.String(), "\n  "+f.Name+" "); got != tc.faults {
					t.Fatalf("help lists fault %s: %t, want %t", f.Name, got, tc.faults)
				}
			}
		})
	}
}
