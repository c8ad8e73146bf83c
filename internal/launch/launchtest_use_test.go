package launch_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/launch"
	"github.com/scimulator/scimulator/internal/launch/launchtest"
)

func TestUseWritesLogsOnlyWhenSomethingFailed(t *testing.T) {
	ref := launch.EchoImage(t)
	spec := launch.ContainerSpec{Image: ref, Port: 9000, HealthPath: "/healthz", BasePath: "/base"}
	tests := []struct {
		name     string
		failed   bool
		err      error
		wantLogs bool
	}{
		{"success keeps quiet", false, nil, false},
		{"failed scenario shows logs", true, nil, true},
		{"error shows logs", false, errors.New("suite broke"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var out bytes.Buffer
			var seen *launch.Running
			logs, err := launchtest.Use(ctx, spec, &out, func(ctx context.Context, r *launch.Running) (bool, error) {
				seen = r
				resp, err := http.Get(r.BaseURL() + "/greeting") // leaves a line in the logs
				if err != nil {
					return false, err
				}
				resp.Body.Close()
				return tt.failed, tt.err
			})
			if !errors.Is(err, tt.err) {
				t.Fatalf("Use error = %v, want %v", err, tt.err)
			}
			if seen == nil {
				t.Fatal("fn was not called")
			}
			if seen.Exists(ctx) {
				t.Fatal("the container still exists after Use")
			}
			if !tt.wantLogs {
				if logs != "" || out.Len() != 0 {
					t.Fatalf("logs shown after a success: %q / %q", logs, out.String())
				}
				return
			}
			if !strings.Contains(logs, "greeting requested") {
				t.Fatalf("returned logs lack the request line: %q", logs)
			}
			if !strings.Contains(out.String(), "---- logs of container") || !strings.Contains(out.String(), "greeting requested") {
				t.Fatalf("written logs lack header or content: %q", out.String())
			}
		})
	}
}

func TestUseUnhealthyContainerShowsLogs(t *testing.T) {
	ref := launch.EchoImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	called := false
	_, err := launchtest.Use(ctx, launch.ContainerSpec{Image: ref, Port: 9000, HealthPath: "/missing", StartupTimeout: 2 * time.Second}, &out,
		func(context.Context, *launch.Running) (bool, error) { called = true; return false, nil })
	if err == nil || called {
		t.Fatalf("Use = %v, fn called %t; want an error and no call", err, called)
	}
	if !strings.Contains(out.String(), "echo listening") {
		t.Fatalf("logs of the unhealthy container not shown: %q", out.String())
	}
}
