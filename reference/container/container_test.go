package container_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/scimulator/scimulator/internal/launch/launchtest"
	"github.com/scimulator/scimulator/reference/container"
)

// startReference runs the reference container and terminates it at the end.
func startReference(t *testing.T, opts ...testcontainers.ContainerCustomizer) *container.Container {
	t.Helper()
	launchtest.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	start := time.Now()
	ctr, err := container.Run(ctx, opts...)
	t.Cleanup(func() {
		if ctr != nil {
			if err := ctr.Terminate(context.Background()); err != nil {
				t.Errorf("terminate: %v", err)
			}
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Logf("reference container ready in %s", time.Since(start).Round(time.Millisecond))
	return ctr
}

// get sends GET url with the bearer key and returns status and body.
func get(t *testing.T, url, key string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestRunServesHealthAndSCIM(t *testing.T) {
	ctr := startReference(t, container.WithSCIMEnabled())
	ctx := context.Background()
	endpoint, err := ctr.Endpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, endpoint+container.HealthPath, ""); status != http.StatusOK {
		t.Fatalf("/healthz = %d, want 200", status)
	}
	base, err := ctr.BaseURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(base, "/scim/v2") {
		t.Fatalf("BaseURL %q does not end in /scim/v2", base)
	}
	status, body := get(t, base+"/Users?startIndex=1&count=2", ctr.AdminKey())
	if status != http.StatusOK {
		t.Fatalf("GET /Users = %d %s, want 200", status, body)
	}
	var list struct {
		Schemas      []string `json:"schemas"`
		TotalResults *int     `json:"totalResults"`
	}
	if err := json.Unmarshal(body, &list); err != nil || list.TotalResults == nil || *list.TotalResults != 0 {
		t.Fatalf("GET /Users body %s is not an empty ListResponse (%v)", body, err)
	}
	if status, _ := get(t, base+"/Users", "not-the-key"); status != http.StatusUnauthorized {
		t.Fatalf("GET /Users with a wrong key = %d, want 401", status)
	}
	admin, err := ctr.AdminURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status, body = get(t, admin+"/settings", ctr.AdminKey())
	if status != http.StatusOK || !strings.Contains(string(body), `"scimEnabled":true`) {
		t.Fatalf("GET /api/v1/settings = %d %s, want scimEnabled true", status, body)
	}
}

func TestRunDefaultsToSCIMOffAndHonoursOptions(t *testing.T) {
	const key = "chosen-admin-key-for-the-test"
	ctr := startReference(t, container.WithAdminKey(key), container.WithFaults("string-counts"))
	if ctr.AdminKey() != key {
		t.Fatalf("AdminKey() = %q, want the key given with WithAdminKey", ctr.AdminKey())
	}
	base, err := ctr.BaseURL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// SPEC §1.1: SCIM is off by default, so a valid key gets 403.
	if status, body := get(t, base+"/Users", key); status != http.StatusForbidden {
		t.Fatalf("GET /Users with SCIM off = %d %s, want 403", status, body)
	}
	// WithFaults reached the server: with SCIM turned on through the admin
	// API, the string-counts fault makes ListResponse numbers strings.
	admin, err := ctr.AdminURL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPatch, admin+"/settings", strings.NewReader(`{"scimEnabled":true}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH settings = %d", resp.StatusCode)
	}
	if status, body := get(t, base+"/Users", key); status != http.StatusOK || !strings.Contains(string(body), `"totalResults":"0"`) {
		t.Fatalf("GET /Users with string-counts = %d %s, want totalResults as a string", status, body)
	}
	logs := containerLogs(t, ctr)
	if strings.Contains(logs, key) {
		t.Fatal("the container logs show the admin key")
	}
}

func TestRunRejectsUnknownFault(t *testing.T) {
	launchtest.RequireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	ctr, err := container.Run(ctx, container.WithFaults("no-such-fault"))
	if ctr != nil {
		defer ctr.Terminate(context.Background())
	}
	if err == nil {
		t.Fatal("Run with an unknown fault succeeded")
	}
	if ctr == nil {
		t.Fatalf("Run returned no container to clean up: %v", err)
	}
	// The wait notices the exit instead of waiting out its deadline.
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("Run took %s to notice the server exited", d)
	}
	// The server itself refused to start, naming the fault.
	if logs := containerLogs(t, ctr); !strings.Contains(logs, "no-such-fault") {
		t.Fatalf("container logs do not name the unknown fault (run error: %v):\n%s", err, logs)
	}
}

func TestOptionsValidate(t *testing.T) {
	req := &testcontainers.GenericContainerRequest{}
	if err := container.WithAdminKey(" ")(req); err == nil {
		t.Error("WithAdminKey accepted a blank key")
	}
	if err := container.WithFaults("a,b")(req); err == nil {
		t.Error("WithFaults accepted a name with a comma")
	}
	if err := container.WithFaults("email-mutable", "html-errors")(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Env[container.EnvFaults]; got != "email-mutable,html-errors" {
		t.Fatalf("%s = %q", container.EnvFaults, got)
	}
}

func containerLogs(t *testing.T, ctr *container.Container) string {
	t.Helper()
	rc, err := ctr.Logs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

func TestSettingsEnv(t *testing.T) {
	tests := []struct {
		name string
		s    container.Settings
		want map[string]string
	}{
		{"key only", container.Settings{AdminKey: "k"}, map[string]string{container.EnvAdminKey: "k"}},
		{"scim on", container.Settings{AdminKey: "k", EnableSCIM: true},
			map[string]string{container.EnvAdminKey: "k", container.EnvEnableSCIM: "1"}},
		{"faults", container.Settings{AdminKey: "k", Faults: []string{"html-errors", "no-auth"}},
			map[string]string{container.EnvAdminKey: "k", container.EnvFaults: "html-errors,no-auth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Env()
			if len(got) != len(tt.want) {
				t.Fatalf("Env() = %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("Env()[%s] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
	if _, err := container.LaunchSpec(context.Background(), container.Settings{}); err == nil {
		t.Fatal("LaunchSpec accepted an empty admin key")
	}
}
