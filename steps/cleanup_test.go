package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rs/zerolog"

	"github.com/scimulator/scimulator/features"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// sharedReference serves one reference server over httptest and returns a
// shared --url profile for it, with the reference admin API's probes:
// every scenario of a run meets the same server, as against a vendor's
// staging endpoint. With denyDelete, DELETE /Users/{id} answers 405.
func sharedReference(t *testing.T, denyDelete bool) (target.Profile, *httptest.Server) {
	t.Helper()
	return sharedReferenceLogging(t, denyDelete, zerolog.Logger{})
}

// sharedReferenceLogging is sharedReference with the server's request log
// (its access log) going to log.
func sharedReferenceLogging(t *testing.T, denyDelete bool, log zerolog.Logger) (target.Profile, *httptest.Server) {
	t.Helper()
	srv, err := reference.New(reference.Config{EnableSCIM: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if denyDelete && r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/scim/v2/Users/") {
			w.Header().Set("Allow", "GET, PUT, PATCH")
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"405","detail":"DELETE not supported"}`))
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	p, err := target.FromFlags(target.Flags{URL: hs.URL + "/scim/v2", TokenEnv: "SHARED_TOKEN", Auth: "bearer", Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	key := srv.AdminKey()
	if p, err = p.Resolve(func(string) string { return key }); err != nil {
		t.Fatal(err)
	}
	p.Admin = &target.Admin{BaseURL: hs.URL + "/api/v1", Auth: p.Auth, ClientIPHeader: "X-Forwarded-For", ClientIP: harnessIP}
	p.BuiltinProbes = target.BuiltinReference
	return p, hs
}

// cleanupFeatures is a small part of the embedded suite that creates users
// through raw SCIM and through the simulated Okta, and teams, entities and
// keys through probes.
func cleanupFeatures(t *testing.T) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	for _, name := range []string{"assign.feature", "deprovision.feature"} {
		b, err := fs.ReadFile(features.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = &fstest.MapFile{Data: b}
	}
	return out
}

// createdUserNames are the userNames of every POST /Users the run's
// scenarios made that answered 201.
func createdUserNames(t *testing.T, run reports.Run) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, s := range run.Scenarios {
		for _, ex := range s.Exchanges {
			if ex.Method != http.MethodPost || ex.Status != http.StatusCreated || !strings.HasSuffix(pathOf(ex.URL), "/scim/v2/Users") {
				continue
			}
			var body struct{ UserName string }
			if err := json.Unmarshal([]byte(ex.ResponseBody), &body); err != nil || body.UserName == "" {
				t.Fatalf("201 to POST /Users without a userName: %q", ex.ResponseBody)
			}
			if !seen[body.UserName] {
				seen[body.UserName] = true
				out = append(out, body.UserName)
			}
		}
	}
	if len(out) < 5 {
		t.Fatalf("the run created only %d users; the test needs scenarios that create some", len(out))
	}
	return out
}

// countUsers asks the target how many users match the SCIM filter ("" for
// all).
func countUsers(t *testing.T, p target.Profile, filter string) int {
	t.Helper()
	u := p.BaseURL + "/Users"
	if filter != "" {
		u += "?filter=" + url.QueryEscape(filter)
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", p.Auth.Authorization())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var list struct{ TotalResults int }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &list) != nil {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return list.TotalResults
}

// cleanupExchanges returns the DELETE exchanges of the run and fails the
// test if any is not labelled as the harness's (Okta never deletes users).
func cleanupExchanges(t *testing.T, run reports.Run) int {
	t.Helper()
	n := 0
	for _, s := range run.Scenarios {
		for _, ex := range s.Exchanges {
			if ex.Method != http.MethodDelete || !strings.Contains(ex.URL, "/scim/v2/Users/") {
				continue
			}
			if ex.Operation != cleanupOp {
				t.Errorf("%s: DELETE %s labelled %q, want %q", s.Name, ex.URL, ex.Operation, cleanupOp)
			}
			if got := ex.RequestHeaders.Get("Authorization"); got != "[REDACTED]" {
				t.Errorf("clean-up exchange keeps the credential: %q", got)
			}
			n++
		}
	}
	return n
}

// TestCleanupDeletesTheRunsUsers: with cleanup on, a shared target holds
// none of the users the run created afterwards; with it off, all remain.
// The scenarios pass either way.
func TestCleanupDeletesTheRunsUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two suites")
	}
	for _, cleanup := range []bool{true, false} {
		name := map[bool]string{true: "on", false: "off"}[cleanup]
		t.Run(name, func(t *testing.T) {
			p, _ := sharedReference(t, false)
			p.Cleanup = cleanup
			var progress bytes.Buffer
			run, err := Run(context.Background(), Config{Target: p, Features: cleanupFeatures(t), Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			if !run.Passed() {
				t.Fatalf("run did not pass:\n%s", progress.String())
			}
			names := createdUserNames(t, run)
			for _, un := range names {
				got := countUsers(t, p, `userName eq "`+un+`"`)
				if want := map[bool]int{true: 0, false: 1}[cleanup]; got != want {
					t.Errorf("after the run, %d users %s; want %d", got, un, want)
				}
			}
			deletes := cleanupExchanges(t, run)
			if cleanup {
				if total := countUsers(t, p, ""); total != 0 {
					t.Errorf("after a clean-up run the target holds %d users, want 0", total)
				}
				if deletes < len(names) {
					t.Errorf("%d clean-up DELETEs for %d created users", deletes, len(names))
				}
				if strings.Contains(progress.String(), "clean-up warning") {
					t.Errorf("a clean-up against a target with DELETE warned:\n%s", progress.String())
				}
				// Teams and entities made through probes stay, and are listed.
				joined := strings.Join(run.CleanupWarnings, "\n")
				for _, want := range []string{"teams created through probes left on the target", "platform-"} {
					if !strings.Contains(joined, want) {
						t.Errorf("clean-up warnings lack %q:\n%s", want, joined)
					}
				}
				if strings.Contains(joined, "DELETE") {
					t.Errorf("clean-up warnings name a failed DELETE:\n%s", joined)
				}
			} else {
				if deletes != 0 {
					t.Errorf("%d DELETEs without --cleanup", deletes)
				}
				if len(run.CleanupWarnings) != 0 {
					t.Errorf("clean-up warnings without --cleanup: %q", run.CleanupWarnings)
				}
			}
		})
	}
}

// TestCleanupWithoutDeleteWarnsOnce: a target answering 405 to DELETE
// /Users/{id} gets one warning naming the users left; the run still passes.
func TestCleanupWithoutDeleteWarnsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a suite")
	}
	p, _ := sharedReference(t, true)
	p.Cleanup = true
	feats := fstest.MapFS{}
	b, err := fs.ReadFile(features.FS(), "assign.feature")
	if err != nil {
		t.Fatal(err)
	}
	feats["assign.feature"] = &fstest.MapFile{Data: b}
	var progress bytes.Buffer
	run, err := Run(context.Background(), Config{Target: p, Features: feats, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Passed() {
		t.Fatalf("a target without DELETE failed the run:\n%s", progress.String())
	}
	names := createdUserNames(t, run)
	var unsupported []string
	for _, w := range run.CleanupWarnings {
		if strings.Contains(w, "does not support DELETE /Users") {
			unsupported = append(unsupported, w)
		}
	}
	if len(unsupported) != 1 {
		t.Fatalf("want exactly one DELETE-unsupported warning, got %q", run.CleanupWarnings)
	}
	w := unsupported[0]
	if !strings.Contains(w, "HTTP 405") {
		t.Errorf("warning %q does not give the status", w)
	}
	for _, un := range names {
		if !strings.Contains(w, un) {
			t.Errorf("warning does not name the left user %s: %q", un, w)
		}
		if countUsers(t, p, `userName eq "`+un+`"`) != 1 {
			t.Errorf("user %s is gone from a target without DELETE", un)
		}
	}
	if deletes := cleanupExchanges(t, run); deletes == 0 || deletes > 4 {
		// The first 405 stops further attempts; at most the scenarios then
		// in flight (concurrency 4) each try once.
		t.Errorf("%d DELETE attempts against a target without DELETE, want 1..4", deletes)
	}
}
