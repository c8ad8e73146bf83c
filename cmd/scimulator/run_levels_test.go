package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// failedLevels is the "(2 okta, 1 must)" of the summary's count line.
var failedLevels = regexp.MustCompile(`\d+ failed \(([^)]*)\)`)

// TestRunLevelsMatchTheFault is issue 12's proof, one reference fault per
// level: the level the summary prints is the fault's nature, and the exit
// code follows --fail-on. html-errors breaks Okta's parser (okta);
// errors-as-plain-json breaks only RFC 7644 §3.8's media type (must);
// optional-scimtype-omitted leaves out only an OPTIONAL scimType (should),
// so the default --fail-on must passes and lists the advice.
func TestRunLevelsMatchTheFault(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		fault, failOn string
		code          int
		worst         string   // the worst level printed
		absent        []string // levels that must not appear
		out           []string
	}{
		{"html-errors", "must", 1, "okta", nil, []string{"[okta]", "which Okta cannot parse", "fail-on must"}},
		{"html-errors", "okta", 1, "okta", nil, []string{"--fail-on okta"}},
		{"errors-as-plain-json", "must", 1, "must", []string{"okta", "should"}, []string{"[must]", "rule: RFC 7644 §3.8"}},
		{"errors-as-plain-json", "okta", 0, "must", []string{"okta", "should"}, []string{"PASSED", "below --fail-on okta (listed, not failing the run):"}},
		{"optional-scimtype-omitted", "", 0, "should", []string{"okta", "must"}, []string{
			"PASSED", "below --fail-on must (listed, not failing the run):", "FAILED should Malformed JSON answers 400 invalidSyntax",
			// The advice list shows the first few should-level failures
			// (more scenarios check scimType than fit); any one will do.
			"[should] ",
			"rule: RFC 7644 §3.12 (scimType is OPTIONAL",
		}},
		{"optional-scimtype-omitted", "should", 1, "should", []string{"okta", "must"}, []string{"FAILED", "--fail-on should"}},
	}
	for i, tt := range tests {
		t.Run(tt.fault+"/fail-on "+tt.failOn, func(t *testing.T) {
			args := []string{"run", "--report-dir", filepath.Join(dir, string(rune('a'+i))), "--fault", tt.fault}
			if tt.failOn != "" {
				args = append(args, "--fail-on", tt.failOn)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
			all := stdout.String() + stderr.String()
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, all)
			}
			m := failedLevels.FindStringSubmatch(all)
			if m == nil {
				t.Fatalf("no per-level failure count in the summary:\n%s", all)
			}
			if !strings.Contains(m[1], " "+tt.worst) {
				t.Errorf("levels %q lack %s", m[1], tt.worst)
			}
			for _, l := range tt.absent {
				if strings.Contains(m[1], " "+l) {
					t.Errorf("levels %q include %s, which the fault does not break", m[1], l)
				}
			}
			for _, want := range tt.out {
				if !strings.Contains(all, want) {
					t.Errorf("output lacks %q:\n%s", want, all)
				}
			}
		})
	}
}

func TestRunFailOnRejectsUnknownLevels(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "--fail-on", "may"}, func(string) string { return "" }, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--fail-on: unknown level \"may\" (want okta, must or should") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestRunFailOnFromProfile: a target profile's failOn sets the gate;
// --fail-on overrides it; an unknown level in the file is a usage error.
func TestRunFailOnFromProfile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, failOn string) string {
		path := filepath.Join(dir, name)
		body := "name: advice only\ninProcess:\n  faults: [optional-scimtype-omitted]\nbuiltinProbes: reference\nfailOn: " + failOn + "\n"
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	strict, bad := write("strict.yaml", "should"), write("bad.yaml", "sometimes")
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"run", "--target", strict, "--tags", "@filter"}, 1, "--fail-on should"},
		{[]string{"run", "--target", strict, "--tags", "@filter", "--fail-on", "must"}, 0, "below --fail-on must"},
		{[]string{"run", "--target", bad}, 2, `failOn: unknown level "sometimes"`},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{tc.args[0], "--report-dir", filepath.Join(dir, "r")}, tc.args[1:]...)
		code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
		if all := stdout.String() + stderr.String(); code != tc.code || !strings.Contains(all, tc.out) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", tc.args, code, tc.code, tc.out, all)
		}
	}
}
