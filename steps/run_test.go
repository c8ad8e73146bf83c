package steps

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

func TestRunRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{"unknown tag", Config{Tags: "@nope"}, ErrConfig},
		{"nothing selected", Config{Tags: "@groups&&~@groups"}, ErrNoScenarios},
		{"unknown profile", Config{Profile: "azure"}, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.cfg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Run error = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRunRecordsUndefinedSkippedAndFailed checks the result record against
// godog's traps: an undefined step fails (strict), a scenario whose
// capability is off is not supported with its reason (not passed), and a
// failing step carries expected, actual and the exchange.
func TestRunRecordsUndefinedSkippedAndFailed(t *testing.T) {
	feature := `@okta
Feature: traps
  Scenario: undefined step fails
    Given a step nobody defined

  @patch
  Scenario: patch turned off
    When a SCIM client sends GET "/ServiceProviderConfig"
    Then the response status is 200

  Scenario: a wrong expectation fails with the exchange
    When a SCIM client sends GET "/Users/does-not-exist"
    Then the response status is 200
`
	p := target.Default()
	p.Capabilities = map[target.Capability]bool{target.CapPatch: false}
	var progress bytes.Buffer
	run, err := Run(context.Background(), Config{Target: p, Progress: &progress,
		Features: fstest.MapFS{"traps.feature": {Data: []byte(feature)}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]reports.Scenario{}
	for _, s := range run.Scenarios {
		got[s.Name] = s
	}
	if s := got["undefined step fails"]; s.Status != reports.StatusFailed {
		t.Errorf("undefined step: status %s, want failed", s.Status)
	}
	if s := got["patch turned off"]; s.Status != reports.StatusNotSupported || !strings.Contains(s.SkipReason, "patch") {
		t.Errorf("patch off: status %s reason %q, want not-supported naming patch", s.Status, s.SkipReason)
	}
	s := got["a wrong expectation fails with the exchange"]
	if s.Status != reports.StatusFailed || s.Failure == nil || s.Failure.Exchange == nil || s.Failure.Exchange.Status != 404 {
		t.Fatalf("wrong expectation: %+v", s)
	}
	if s.Failure.Expected != "status 200" {
		t.Errorf("failure expected %q, want %q", s.Failure.Expected, "status 200")
	}
	// The Actual states the status, the request and the body itself.
	for _, want := range []string{"HTTP 404", "GET /scim/v2/Users/does-not-exist", `"status":"404"`} {
		if !strings.Contains(s.Failure.Actual, want) {
			t.Errorf("failure actual %q lacks %q", s.Failure.Actual, want)
		}
	}
	for _, ex := range s.Exchanges {
		if v := ex.RequestHeaders.Get("Authorization"); v != "" && v != "[REDACTED]" {
			t.Errorf("authorization not redacted: %q", v)
		}
	}
	if run.Passed() {
		t.Error("run passed with failures")
	}
	if !strings.Contains(progress.String(), "NOT-SUPPORTED") {
		t.Errorf("progress lacks the not-supported line:\n%s", progress.String())
	}
}

// TestRunBeforeScenarios: the hook is not called for a refused run, is
// called once before the first scenario otherwise, and its error stops the
// run as a configuration error with no scenario run.
func TestRunBeforeScenarios(t *testing.T) {
	feature := "@okta\nFeature: hook\n  Scenario: one\n    When a SCIM client sends GET \"/ServiceProviderConfig\"\n    Then the response status is 200\n"
	fsys := fstest.MapFS{"hook.feature": {Data: []byte(feature)}}
	calls := 0
	hook := func() error { calls++; return nil }
	if _, err := Run(context.Background(), Config{Tags: "@nope", Features: fsys, BeforeScenarios: hook}); !errors.Is(err, ErrConfig) || calls != 0 {
		t.Fatalf("bad tags: err %v, hook called %d times; want ErrConfig and no call", err, calls)
	}
	run, err := Run(context.Background(), Config{Features: fsys, BeforeScenarios: hook})
	if err != nil || calls != 1 || len(run.Scenarios) != 1 {
		t.Fatalf("good run: err %v, hook called %d times, %d scenarios; want one call and one scenario", err, calls, len(run.Scenarios))
	}
	refuse := errors.New("cannot create the report folder")
	run, err = Run(context.Background(), Config{Features: fsys, BeforeScenarios: func() error { return refuse }})
	if !errors.Is(err, ErrConfig) || !errors.Is(err, refuse) || len(run.Scenarios) != 0 {
		t.Fatalf("hook error: err %v, %d scenarios; want ErrConfig wrapping the hook's error and none run", err, len(run.Scenarios))
	}
}
