package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/steps"
)

// TestRunSuiteExitCodes: 0 when every scenario passed, 1 when one failed
// (a reference fault), 2 on bad usage or configuration.
func TestRunSuiteExitCodes(t *testing.T) {
	dir := t.TempDir()
	noenv := func(name string) string {
		if name == "T" {
			return "tok"
		}
		return ""
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"embedded reference passes", []string{"run", "--tags", "@discovery"}, 0, "PASSED"},
		{"a fault fails its scenario", []string{"run", "--report-dir", filepath.Join(dir, "fault"), "--fault", "etag-ignored", "--tags", "@etag"}, 1, "If-Match with a stale ETag"},
		{"unknown tag", []string{"run", "--tags", "@nosuch"}, 2, `unknown tag "@nosuch"`},
		{"nothing selected", []string{"run", "--tags", "@groups&&~@groups"}, 2, "no scenario selected"},
		{"target and url", []string{"run", "--target", "x.yaml", "--url", "https://x"}, 2, "alternatives"},
		{"url without token env", []string{"run", "--url", "https://x/scim/v2"}, 2, "--token-env"},
		{"http without allow-http", []string{"run", "--url", "http://x/scim/v2", "--token-env", "T"}, 2, "--allow-http"},
		{"basic auth without username", []string{"run", "--url", "https://x/scim/v2", "--token-env", "T", "--auth", "basic"}, 2, "--auth basic needs --username"},
		{"token variable unset", []string{"run", "--url", "https://x/scim/v2", "--token-env", "UNSET"}, 2, "UNSET is empty"},
		{"bad profile", []string{"run", "--profile", "azure"}, 2, "unknown profile"},
		{"unknown fault", []string{"run", "--fault", "nosuch"}, 2, `unknown fault "nosuch"`},
		{"unreachable target", []string{"run", "--url", "http://127.0.0.1:1/scim/v2", "--token-env", "T", "--allow-http"}, 2, "cannot reach the target"},
		{"report dir under a file", []string{"run", "--report-dir", filepath.Join(dir, "afile", "sub"), "--tags", "@discovery"}, 2, "--report-dir"},
		{"url flag with target", []string{"run", "--target", "x.yaml", "--traffic", "aiw"}, 2, "--traffic applies to --url only"},
		{"insecure with target", []string{"run", "--target", "x.yaml", "--insecure"}, 2, "--insecure applies to --url only"},
	}
	if err := os.WriteFile(filepath.Join(dir, "afile"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every case gets its own report folder under the test's
			// temporary one (never ./scimulator-report in the source tree).
			args, reportDir := tt.args, ""
			if !slices.Contains(args, "--report-dir") {
				reportDir = filepath.Join(dir, fmt.Sprintf("case%d", i))
				args = append([]string{args[0], "--report-dir", reportDir}, args[1:]...)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, noenv, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			if all := stdout.String() + stderr.String(); !strings.Contains(all, tt.out) {
				t.Errorf("output lacks %q:\n%s", tt.out, all)
			}
			// A refused run (exit 2) leaves no report folder behind.
			if _, err := os.Stat(reportDir); reportDir != "" && tt.code == 2 && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("exit 2 but the report folder %s was created (stat: %v)", reportDir, err)
			}
		})
	}
	for _, f := range []string{"junit.xml", "cucumber.json", "report.html", "summary.md", "transcript.har"} {
		if _, err := os.Stat(filepath.Join(dir, "fault", f)); err != nil {
			t.Errorf("report %s not written: %v", f, err)
		}
	}
}

// TestChooseSuiteProfile: --idp, --profile and the target profile's idp
// field combine, and a combination that would silently ignore one of them
// is refused.
func TestChooseSuiteProfile(t *testing.T) {
	tests := []struct {
		idp, profile string
		profIdP      target.IdP
		want         steps.SuiteProfile
		err          string
	}{
		{want: steps.ProfileCortex},
		{idp: "entra", want: steps.ProfileEntraCortex},
		{profIdP: target.IdPEntra, want: steps.ProfileEntraCortex},
		{profile: "entra", want: steps.ProfileEntra},
		{profile: "entra-cortex", want: steps.ProfileEntraCortex},
		{idp: "entra", profile: "entra-cortex", want: steps.ProfileEntraCortex},
		{idp: "okta", profile: "entra-cortex", err: "drop one of them"},
		{profile: "okta", want: steps.ProfileOkta},
		{idp: "okta", profile: "cortex", profIdP: target.IdPEntra, want: steps.ProfileCortex},
		{idp: "entra", profile: "entra", want: steps.ProfileEntra},
		{idp: "entra", profile: "okta", err: "use --profile entra"},
		{profile: "cortex", profIdP: target.IdPEntra, err: "use --profile entra"},
		{idp: "okta", profile: "entra", err: "drop one of them"},
		{idp: "azure", err: "unknown identity provider"},
		{profile: "gcp", err: "unknown profile"},
	}
	for _, tt := range tests {
		set := map[string]bool{"idp": tt.idp != "", "profile": tt.profile != ""}
		f := runFlags{idp: tt.idp, profile: tt.profile}
		if f.profile == "" {
			f.profile = "cortex" // the flag's default
		}
		got, err := chooseSuiteProfile(f, set, tt.profIdP)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%+v: error %v, want %q", tt, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%+v: got %q, %v; want %q", tt, got, err, tt.want)
		}
	}
}
