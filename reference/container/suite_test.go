package container_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/launch/launchtest"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference/container"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/steps"
)

const tokenEnv = "SCIMULATOR_CONTAINER_TEST_TOKEN"

// harnessIP is the address the probes claim in X-Forwarded-For, so the
// allowlist scenarios never lock the harness out of the shared container.
const harnessIP = "203.0.113.5"

// resolve validates p and fills its secret from key.
func resolve(t *testing.T, p target.Profile, key string) target.Profile {
	t.Helper()
	p, err := p.Validate()
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	p, err = p.Resolve(func(name string) string {
		if name == tokenEnv {
			return key
		}
		return ""
	})
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	return p
}

func summary(run reports.Run) string {
	c := run.Counts()
	var b strings.Builder
	fmt.Fprintf(&b, "total %d, passed %d, failed %d, skipped %d, not supported %d",
		c.Total, c.Passed, c.Failed, c.Skipped, c.NotSupported)
	for _, s := range run.Scenarios {
		if s.Status != reports.StatusPassed {
			fmt.Fprintf(&b, "\n  %s: %s", s.Status, s.Name)
		}
	}
	return b.String()
}

// TestSuitePassesAgainstContainer is the built-in "reference server as a
// container" target (SPEC §3.2) through the same path `scimulator run` takes
// for a profile naming an image: steps.Run starts it with launch.Start.
func TestSuitePassesAgainstContainer(t *testing.T) {
	launchtest.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	key, err := container.NewAdminKey()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := container.LaunchSpec(ctx, container.Settings{AdminKey: key, EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	p := resolve(t, target.Profile{
		Name:          "reference container",
		Container:     &spec,
		AllowHTTP:     true,
		Auth:          target.Auth{Mode: target.AuthBearer, SecretEnv: tokenEnv},
		Traffic:       target.TrafficOIN,
		Admin:         &target.Admin{ClientIPHeader: "X-Forwarded-For", ClientIP: harnessIP},
		BuiltinProbes: target.BuiltinReference,
	}, key)
	start := time.Now()
	var progress bytes.Buffer
	run, err := steps.Run(ctx, steps.Config{Target: p, Progress: &progress})
	if err != nil {
		t.Fatalf("steps.Run: %v\n%s", err, progress.String())
	}
	t.Logf("suite against the container in %s: %s", time.Since(start).Round(time.Millisecond), summary(run))
	if c := run.Counts(); c.Failed > 0 || c.Passed == 0 {
		t.Fatalf("the reference server failed its own suite in a container: %s\n%s", summary(run), progress.String())
	}
}
