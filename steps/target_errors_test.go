package steps

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
)

// urlProfile is a --url profile for baseURL whose token is "bad-token".
func urlProfile(t *testing.T, baseURL string) target.Profile {
	t.Helper()
	p, err := target.FromFlags(target.Flags{URL: baseURL, TokenEnv: "SCIM_TOKEN", Auth: "bearer", Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err = p.Resolve(func(string) string { return "bad-token" })
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunStopsWhenDiscoveryIsRejected: a 401 or 403 on
// /ServiceProviderConfig is a bad token (or caller), not a target without
// capabilities; Run stops before any scenario and says what to check.
func TestRunStopsWhenDiscoveryIsRejected(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   string
	}{
		{http.StatusUnauthorized, "the token was rejected by GET /ServiceProviderConfig (HTTP 401): check that the token in SCIM_TOKEN"},
		{http.StatusForbidden, "refused GET /ServiceProviderConfig (HTTP 403"},
	} {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			var users atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, "/Users") {
					users.Add(1)
				}
				w.Header().Set("Content-Type", "application/scim+json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"` + http.StatusText(tt.status) + `"}`))
			}))
			defer srv.Close()
			run, err := Run(context.Background(), Config{Target: urlProfile(t, srv.URL+"/scim/v2"), Profile: ProfileOkta})
			if !errors.Is(err, ErrTarget) {
				t.Fatalf("Run error = %v, want ErrTarget", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "bad-token") {
				t.Errorf("error leaks the token: %q", err)
			}
			if len(run.Scenarios) != 0 || users.Load() != 0 {
				t.Errorf("%d scenarios recorded, %d /Users requests: want none", len(run.Scenarios), users.Load())
			}
		})
	}
}

// TestRunStopsWhenTargetUnreachable: no HTTP answer at all is an
// infrastructure error, not failed scenarios.
func TestRunStopsWhenTargetUnreachable(t *testing.T) {
	// Port 1 (tcpmux) has no listener on any machine this runs on. A
	// port freed by closing a test server does not do: under go test
	// ./... another package's test server can take it at once.
	const url = "http://127.0.0.1:1"
	_, err := Run(context.Background(), Config{Target: urlProfile(t, url+"/scim/v2"), Profile: ProfileOkta})
	if !errors.Is(err, ErrTarget) || !strings.Contains(err.Error(), "cannot reach the target") {
		t.Fatalf("Run error = %v, want ErrTarget saying it cannot reach the target", err)
	}
}

// TestRunRejectsUnknownFault: an unknown fault name is a configuration
// error found before anything runs.
func TestRunRejectsUnknownFault(t *testing.T) {
	p := target.Default()
	p.InProcess = &target.InProcessSpec{Faults: []string{"nosuch"}}
	_, err := Run(context.Background(), Config{Target: p})
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("Run error = %v, want ErrConfig naming the fault", err)
	}
}
