package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// cuke mirrors the Cucumber JSON format independently of the writer's types.
type cuke []struct {
	URI      string `json:"uri"`
	Name     string `json:"name"`
	Keyword  string `json:"keyword"`
	Elements []struct {
		ID    string                  `json:"id"`
		Name  string                  `json:"name"`
		Type  string                  `json:"type"`
		Line  int                     `json:"line"`
		Tags  []struct{ Name string } `json:"tags"`
		Steps []struct {
			Keyword string `json:"keyword"`
			Name    string `json:"name"`
			Result  struct {
				Status       string `json:"status"`
				Duration     int64  `json:"duration"`
				ErrorMessage string `json:"error_message"`
			} `json:"result"`
		} `json:"steps"`
		Before []struct {
			Result struct {
				Status       string `json:"status"`
				ErrorMessage string `json:"error_message"`
			} `json:"result"`
		} `json:"before"`
		After []struct {
			Result struct {
				Status       string `json:"status"`
				ErrorMessage string `json:"error_message"`
			} `json:"result"`
		} `json:"after"`
	} `json:"elements"`
}

func decodeCucumber(t *testing.T, run Run) cuke {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCucumber(&buf, run); err != nil {
		t.Fatalf("WriteCucumber: %v", err)
	}
	var got cuke
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not a JSON array of features: %v\n%s", err, buf.String())
	}
	return got
}

func TestWriteCucumber(t *testing.T) {
	got := decodeCucumber(t, sampleRun())
	if len(got) != 3 {
		t.Fatalf("got %d features, want 3", len(got))
	}
	if got[1].Name != "Reactivate users" || got[1].URI != "features/reactivate.feature" || got[1].Keyword != "Feature" {
		t.Errorf("feature 1 = %q %q %q", got[1].Name, got[1].URI, got[1].Keyword)
	}
	if n := len(got[1].Elements); n != 2 {
		t.Fatalf("feature %q has %d elements, want 2", got[1].Name, n)
	}

	passed := got[0].Elements[0]
	if passed.Type != "scenario" || passed.Line != 7 || passed.ID != "test-api-credentials;test-api-credentials-succeeds-with-a-key-holding-the-three-permissions" {
		t.Errorf("passed element = type %q line %d id %q", passed.Type, passed.Line, passed.ID)
	}
	if len(passed.Tags) != 2 || passed.Tags[0].Name != "@okta" {
		t.Errorf("tags = %+v, want @okta and @connect", passed.Tags)
	}
	if len(passed.Steps) != 3 || passed.Steps[1].Keyword != "When " || passed.Steps[1].Result.Status != "passed" {
		t.Fatalf("passed steps = %+v", passed.Steps)
	}
	if d := passed.Steps[1].Result.Duration; d != int64(100*time.Millisecond) {
		t.Errorf("duration = %d, want nanoseconds %d", d, int64(100*time.Millisecond))
	}

	failed := got[1].Elements[0]
	if last := failed.Tags[len(failed.Tags)-1].Name; last != "@level:must" {
		t.Errorf("failed scenario's last tag = %q, want its level @level:must", last)
	}
	statuses := []string{}
	for _, s := range failed.Steps {
		statuses = append(statuses, s.Result.Status)
	}
	if strings.Join(statuses, ",") != "passed,passed,failed,skipped" {
		t.Errorf("failed scenario step statuses = %v", statuses)
	}
	msg := failed.Steps[2].Result.ErrorMessage
	for _, want := range []string{"expected status 400, got 200", "status 400 with scimType mutability", specialMessage, adminMessage} {
		if !strings.Contains(msg, want) {
			t.Errorf("failed step error_message lacks %q:\n%s", want, msg)
		}
	}

	skipped := got[1].Elements[1]
	if len(skipped.Steps) != 1 || skipped.Steps[0].Result.Status != "skipped" ||
		skipped.Steps[0].Result.ErrorMessage != "no probe for team membership in the target profile" {
		t.Errorf("skipped scenario steps = %+v, want skipped with the reason", skipped.Steps)
	}

	// A not-supported scenario with no recorded steps still says so.
	ns := got[2].Elements[0]
	if len(ns.Before) != 1 || ns.Before[0].Result.Status != "skipped" ||
		ns.Before[0].Result.ErrorMessage != "not supported: target does not advertise @etag" {
		t.Errorf("not-supported scenario hooks = %+v, want one skipped before hook with the reason", ns.Before)
	}
}

func TestWriteCucumberFailedWithoutFailedStepIsNotPassed(t *testing.T) {
	run := Run{Scenarios: []Scenario{{
		Feature: "f", Name: "probe failed after the steps", Status: StatusFailed,
		Steps:   []Step{{Keyword: "Given ", Text: "x", Status: StatusPassed}},
		Failure: &Failure{Expected: "roles revoked", Actual: "role admin still held"},
	}}}
	got := decodeCucumber(t, run)
	el := got[0].Elements[0]
	if len(el.After) != 1 || el.After[0].Result.Status != "failed" || !strings.Contains(el.After[0].Result.ErrorMessage, "role admin still held") {
		t.Errorf("after hooks = %+v, want a failed hook with the failure", el.After)
	}
}

func TestWriteCucumberEmptyRunIsEmptyArray(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCucumber(&buf, Run{}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("empty run = %q, want []", buf.String())
	}
}
