package steps

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/launch/launchtest"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference/container"
)

// TestRunAttachesContainerLogsOnFailure (issue 5, done-when): a run
// against a container target whose scenarios fail puts the container's
// logs in the record and in the progress output, redacted.
func TestRunAttachesContainerLogsOnFailure(t *testing.T) {
	launchtest.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	key, err := container.NewAdminKey()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := container.LaunchSpec(ctx, container.Settings{AdminKey: key, EnableSCIM: true, Faults: []string{"string-counts"}})
	if err != nil {
		t.Fatal(err)
	}
	const tokenEnv = "STEPS_CONTAINER_TOKEN"
	p, err := target.Profile{Name: "reference container with string-counts", Container: &spec, AllowHTTP: true,
		Auth: target.Auth{Mode: target.AuthBearer, SecretEnv: tokenEnv}, Traffic: target.TrafficOIN}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	p, err = p.Resolve(func(name string) string {
		if name == tokenEnv {
			return key
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	run, err := Run(ctx, Config{Target: p, Profile: ProfileOkta, Tags: string(TagPagination), Progress: &progress})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	if run.Counts().Failed == 0 {
		t.Fatalf("no scenario failed under string-counts:\n%s", progress.String())
	}
	const startup = `"faults":["string-counts"]`
	if !strings.Contains(run.TargetLogs, startup) {
		t.Errorf("run.TargetLogs lacks the startup line naming the fault %s:\n%s", startup, run.TargetLogs)
	}
	if !strings.Contains(progress.String(), "---- target container logs") || !strings.Contains(progress.String(), startup) {
		t.Errorf("progress does not show the container logs:\n%s", progress.String())
	}
	if strings.Contains(run.TargetLogs, key) || strings.Contains(progress.String(), key) {
		t.Error("the container logs leak the admin key")
	}
}

// TestRunAttachesNoLogsWhenPassing: an in-process run has no container,
// so no logs; a passing run never stops its target to read them.
func TestRunAttachesNoLogsWhenPassing(t *testing.T) {
	run, err := Run(context.Background(), Config{Target: target.Default(), Tags: string(TagPagination)})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Passed() || run.TargetLogs != "" {
		t.Fatalf("passed=%t, TargetLogs %q", run.Passed(), run.TargetLogs)
	}
}
