package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/reference"
)

// TestRunCleanupFlagAndProfile: --cleanup and the profile's cleanup decide
// whether the users a run creates on a shared target are deleted (the flag
// wins); in-process the flag is accepted and changes nothing; a target
// without DELETE gets a warning in the summary and summary.md, and exit 0.
func TestRunCleanupFlagAndProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several suites")
	}
	type shared struct {
		url, key string
	}
	start := func(t *testing.T, denyDelete bool) shared {
		srv, err := reference.New(reference.Config{EnableSCIM: true})
		if err != nil {
			t.Fatal(err)
		}
		h := srv.Handler()
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if denyDelete && r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/scim/v2/Users/") {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(hs.Close)
		return shared{url: hs.URL, key: srv.AdminKey()}
	}
	users := func(t *testing.T, s shared) int {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/scim/v2/Users", nil)
		req.Header.Set("Authorization", "Bearer "+s.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var list struct{ TotalResults int }
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatalf("GET /Users: %d %s", resp.StatusCode, b)
		}
		return list.TotalResults
	}
	profileFile := func(t *testing.T, s shared, cleanup bool) string {
		body := "name: shared reference\nbaseURL: " + s.url + "/scim/v2\nallowHTTP: true\n" +
			"auth: {mode: bearer, secretEnv: REF_KEY}\n"
		if cleanup {
			body += "cleanup: true\n"
		}
		path := filepath.Join(t.TempDir(), "shared.yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// @etag in the okta profile: a few scenarios, each creating a user.
	base := []string{"run", "--profile", "okta", "--tags", "@etag"}
	tests := []struct {
		name       string
		denyDelete bool
		args       func(t *testing.T, s shared) []string
		wantUsers  bool // users remain afterwards
		wantOut    []string
	}{
		{"profile cleanup", false, func(t *testing.T, s shared) []string {
			return []string{"--target", profileFile(t, s, true)}
		}, false, []string{"deleting the users each scenario creates"}},
		{"flag overrides profile", false, func(t *testing.T, s shared) []string {
			return []string{"--target", profileFile(t, s, true), "--cleanup=false"}
		}, true, nil},
		{"flag with url", false, func(t *testing.T, s shared) []string {
			return []string{"--url", s.url + "/scim/v2", "--token-env", "REF_KEY", "--allow-http", "--cleanup"}
		}, false, nil},
		{"no cleanup", false, func(t *testing.T, s shared) []string {
			return []string{"--target", profileFile(t, s, false)}
		}, true, nil},
		{"target without DELETE", true, func(t *testing.T, s shared) []string {
			return []string{"--target", profileFile(t, s, false), "--cleanup"}
		}, true, []string{"clean-up warnings", "the target does not support DELETE /Users (HTTP 405)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, tt.denyDelete)
			dir := t.TempDir()
			args := append(append(append([]string(nil), base...), "--report-dir", dir), tt.args(t, s)...)
			getenv := func(name string) string {
				if name == "REF_KEY" {
					return s.key
				}
				return ""
			}
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), args, getenv, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
			}
			n := users(t, s)
			if tt.wantUsers && n == 0 {
				t.Errorf("no users left on the target, want the run's users kept")
			}
			if !tt.wantUsers && n != 0 {
				t.Errorf("%d users left on the target after a clean-up run", n)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, stdout.String())
				}
			}
			if strings.Contains(stdout.String(), s.key) {
				t.Error("output holds the token")
			}
			if tt.denyDelete {
				md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(md), "Clean-up warnings") || !strings.Contains(string(md), "does not support DELETE /Users") {
					t.Errorf("summary.md lacks the clean-up warning:\n%s", md)
				}
			}
		})
	}
	t.Run("in-process accepts the flag", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		args := []string{"run", "--report-dir", t.TempDir(), "--tags", "@discovery", "--cleanup"}
		if code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
		if strings.Contains(stdout.String(), "clean-up") || strings.Contains(stdout.String(), "deleting the users") {
			t.Errorf("an in-process run mentions clean-up:\n%s", stdout.String())
		}
	})
}
