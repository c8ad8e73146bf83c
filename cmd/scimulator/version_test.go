package main

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/version"
)

// TestVersionCommand: `scimulator version` prints the module version, the
// Go version and the harness's User-Agent; arguments are usage errors.
func TestVersionCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"version"}, mapEnv(nil), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	want := []string{"scimulator " + version.Version(), runtime.Version(), "User-Agent of harness requests: " + version.UserAgent()}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("output:\n%s\nwant:\n%s", stdout.String(), strings.Join(want, "\n"))
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"version", "extra"}, mapEnv(nil), &stdout, &stderr); code != 2 {
		t.Fatalf("version extra: exit %d, want 2", code)
	}
}
