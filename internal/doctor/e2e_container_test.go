package doctor_test

import (
	"context"
	"testing"
	"time"

	launch "github.com/scimulator/scimulator/internal/launch/launchtest"
	"github.com/scimulator/scimulator/reference/container"
)

// TestForbiddenEndToEndContainer runs the same Forbidden scenarios against
// the reference server in a container. The container serves plain HTTP, so
// doctor runs with AllowHTTP (SPEC §2.1's explicit flag for local targets).
func TestForbiddenEndToEndContainer(t *testing.T) {
	launch.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	ctr, err := container.Run(ctx)
	t.Cleanup(func() {
		if ctr != nil {
			_ = ctr.Terminate(context.Background())
		}
	})
	if err != nil {
		t.Fatalf("run reference container: %v", err)
	}
	base, err := ctr.BaseURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := ctr.AdminURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	forbiddenScenarios(t, target{baseURL: base, adminURL: admin, adminKey: ctr.AdminKey(), allowHTTP: true})
}
