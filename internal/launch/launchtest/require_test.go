package launchtest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/launch"
)

// recordingTB records Skipf and Fatalf instead of stopping the test.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

func TestRequireDockerDecision(t *testing.T) {
	noEngine := errors.New("docker engine: ping unix:///var/run/docker.sock: connection refused")
	tests := []struct {
		name                string
		engineErr           error
		required            bool
		wantSkip, wantFatal string
	}{
		{"engine up", nil, false, "", ""},
		{"engine up and required", nil, true, "", ""},
		{"no engine: skip with the reason", noEngine, false, "connection refused", ""},
		{"no engine but required: fail", noEngine, true, "", launch.EnvRequireDocker + "=1 but no Docker engine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &recordingTB{TB: t}
			requireDocker(tb, tt.engineErr, tt.required)
			if (tt.wantSkip == "") != (tb.skipped == "") || !strings.Contains(tb.skipped, tt.wantSkip) {
				t.Fatalf("skip = %q, want one containing %q", tb.skipped, tt.wantSkip)
			}
			if (tt.wantFatal == "") != (tb.failed == "") || !strings.Contains(tb.failed, tt.wantFatal) {
				t.Fatalf("fatal = %q, want one containing %q", tb.failed, tt.wantFatal)
			}
			if tb.skipped != "" && !strings.Contains(tb.skipped, launch.EnvRequireDocker+"=1") {
				t.Fatalf("skip message %q does not say how to make it a failure", tb.skipped)
			}
		})
	}
}
