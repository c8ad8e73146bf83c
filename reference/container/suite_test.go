package container_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/launch"
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

// TestFailedRunShowsContainerLogs starts the reference server with a planted
// bug (ListResponse counts as strings), runs the suite against it and checks
// that the container's logs are shown because scenarios failed.
func TestFailedRunShowsContainerLogs(t *testing.T) {
	launchtest.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	key, err := container.NewAdminKey()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := container.LaunchSpec(ctx, container.Settings{AdminKey: key, EnableSCIM: true, Faults: []string{"string-counts"}})
	if err != nil {
		t.Fatal(err)
	}
	var shown bytes.Buffer
	var run reports.Run
	logs, err := launchtest.Use(ctx, spec, &shown, func(ctx context.Context, r *launch.Running) (bool, error) {
		p := resolve(t, target.Profile{
			Name:          "reference container with string-counts",
			BaseURL:       r.BaseURL(),
			AllowHTTP:     true,
			Auth:          target.Auth{Mode: target.AuthBearer, SecretEnv: tokenEnv},
			Traffic:       target.TrafficOIN,
			Admin:         &target.Admin{BaseURL: r.Endpoint() + container.AdminPath, ClientIPHeader: "X-Forwarded-For", ClientIP: harnessIP},
			BuiltinProbes: target.BuiltinReference,
		}, key)
		var err error
		run, err = steps.Run(ctx, steps.Config{Target: p})
		if err != nil {
			return false, err
		}
		return run.Counts().Failed > 0, nil
	})
	if err != nil {
		t.Fatalf("launchtest.Use: %v", err)
	}
	t.Logf("suite against the faulty container: %s", summary(run))
	if run.Counts().Failed == 0 {
		t.Fatalf("no scenario caught the string-counts fault: %s", summary(run))
	}
	for _, want := range []string{"---- logs of container", `"faults":["string-counts"]`, `"path":"/scim/v2/Users"`} {
		if !strings.Contains(shown.String(), want) {
			t.Fatalf("shown logs lack %q:\n%s", want, shown.String())
		}
	}
	if logs == "" || !strings.Contains(shown.String(), logs) {
		t.Fatal("the returned logs are not the ones shown")
	}
	if strings.Contains(shown.String(), key) {
		t.Fatal("the container logs show the admin key")
	}
}
