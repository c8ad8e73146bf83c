package container

import (
	"context"
	"fmt"
	"strings"

	"github.com/scimulator/scimulator/internal/launch"
)

// Settings are what the reference server reads from its environment at start.
type Settings struct {
	AdminKey   string   // bootstrap admin key secret; required
	EnableSCIM bool     // SCIM setting at start
	Faults     []string // fault names from reference.KnownFaults
}

// Env is the container environment that applies s.
func (s Settings) Env() map[string]string {
	env := map[string]string{EnvAdminKey: s.AdminKey}
	if s.EnableSCIM {
		env[EnvEnableSCIM] = "1"
	}
	if len(s.Faults) > 0 {
		env[EnvFaults] = strings.Join(s.Faults, ",")
	}
	return env
}

// LaunchSpec builds (or reuses) the reference image and describes it as a
// generic launch.ContainerSpec: the built-in "reference server as a
// container" target, started with launch.Start like any vendor image.
func LaunchSpec(ctx context.Context, s Settings) (launch.ContainerSpec, error) {
	if strings.TrimSpace(s.AdminKey) == "" {
		return launch.ContainerSpec{}, fmt.Errorf("reference launch spec: admin key is empty")
	}
	image, err := Image(ctx)
	if err != nil {
		return launch.ContainerSpec{}, fmt.Errorf("reference launch spec: %w", err)
	}
	return launch.ContainerSpec{
		Image:      image,
		Env:        s.Env(),
		Port:       Port,
		HealthPath: HealthPath,
		BasePath:   SCIMPath,
	}, nil
}
