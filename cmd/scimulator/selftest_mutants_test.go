package main

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestParseSelftestMutants: --mutants takes --files (comma-separated
// globs) and --workers; the fault flags do not mix with it, and the
// mutation flags need it.
func TestParseSelftestMutants(t *testing.T) {
	c, err := parseSelftest([]string{"--mutants", "--files", "reference/patch.go, reference/filter/*.go", "--workers", "3"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.mutants || c.workers != 3 || !slices.Equal(c.files, []string{"reference/patch.go", "reference/filter/*.go"}) {
		t.Errorf("config = %+v", c)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mutants", "--faults", "no-auth"}, "--faults and --concurrency are for the fault self-test"},
		{[]string{"--mutants", "--concurrency", "2"}, "--faults and --concurrency are for the fault self-test"},
		{[]string{"--files", "reference/x.go"}, "--files and --workers need --mutants"},
		{[]string{"--workers", "2"}, "--files and --workers need --mutants"},
		{[]string{"--mutants", "--workers", "0"}, "--workers 0: want 1 to 64"},
		{[]string{"--mutants", "--files", "reference/[x"}, `file glob "reference/[x": syntax error in pattern`},
		{[]string{"--mutants", "--files", "a.go,,b.go"}, "empty file glob"},
	} {
		_, err := parseSelftest(tc.args, &bytes.Buffer{})
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseSelftest(%q) = %v, want exit 2 with %q", tc.args, err, tc.want)
		}
	}
}
