package launch

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// Environment variables that testcontainers-go reads once, the first time it
// builds its configuration.
const (
	envRyukDisabled = "TESTCONTAINERS_RYUK_DISABLED"
	envHostOverride = "TESTCONTAINERS_HOST_OVERRIDE"

	// EnvRequireDocker, set to "1", turns "no Docker engine" from a skip into
	// a test failure (CI sets it so a broken engine cannot pass silently);
	// launchtest.RequireDocker reads it.
	EnvRequireDocker = "SCIMULATOR_REQUIRE_DOCKER"
)

// dockerEnvFile exists inside Docker containers; testcontainers-go then looks
// for mapped ports on the default gateway, which is wrong when the engine
// publishes them on the container's own loopback (STYLE.md, "Known traps").
const dockerEnvFile = "/.dockerenv"

// PrepareEnvironment sets what testcontainers-go needs on a machine with no
// registry, leaving every variable the user already set untouched:
//   - TESTCONTAINERS_RYUK_DISABLED=true, because the reaper is an image that
//     would have to be pulled; without it, Running.Terminate and the Makefile's
//     label-filtered clean target remove containers instead;
//   - TESTCONTAINERS_HOST_OVERRIDE=localhost where /.dockerenv exists.
//
// It must run before the first testcontainers-go call of the process, which
// reads its configuration once; Start, BuildImage, CheckDocker and the
// reference container module call it first.
func PrepareEnvironment() {
	setDefaultEnv(envRyukDisabled, "true")
	if _, err := os.Stat(dockerEnvFile); err == nil {
		setDefaultEnv(envHostOverride, "localhost")
	}
}

func setDefaultEnv(key, value string) {
	if _, ok := os.LookupEnv(key); !ok {
		// os.Setenv only fails on invalid names; these are constants.
		_ = os.Setenv(key, value)
	}
}

// CheckDocker reports why no Docker engine can be used, or nil when one
// answers a ping within a few seconds.
func CheckDocker(ctx context.Context) error {
	PrepareEnvironment()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("docker engine: %w", err)
	}
	defer cli.Close()
	if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
		return fmt.Errorf("docker engine: ping %s: %w", cli.DaemonHost(), err)
	}
	return nil
}

// DockerAvailable reports whether a Docker engine answers.
func DockerAvailable() bool {
	return CheckDocker(context.Background()) == nil
}
