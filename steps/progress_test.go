package steps

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// TestProgressPlain: not on a terminal, a run writes one plain line per
// scenario with its count out of the total, and nothing a terminal acts on
// (no carriage return, no escape sequence).
func TestProgressPlain(t *testing.T) {
	var out bytes.Buffer
	p := target.Default()
	p.InProcess.Faults = []string{"etag-ignored"}
	run, err := Run(context.Background(), Config{Target: p, Tags: string(TagETag), Progress: &out})
	if err != nil {
		t.Fatal(err)
	}
	total := len(run.Scenarios)
	text := out.String()
	if strings.ContainsAny(text, "\r\x1b") {
		t.Fatalf("plain progress holds terminal control characters: %q", text)
	}
	line := regexp.MustCompile(`(?m)^\[\s*(\d+)/(\d+)\] (PASSED|FAILED)\s+\S`)
	m := line.FindAllStringSubmatch(text, -1)
	if len(m) != total {
		t.Fatalf("%d progress lines for %d scenarios:\n%s", len(m), total, text)
	}
	for i, l := range m {
		if l[1] != strconv.Itoa(i+1) || l[2] != strconv.Itoa(total) {
			t.Errorf("line %d counts %s/%s, want %d/%d", i+1, l[1], l[2], i+1, total)
		}
	}
	if c := run.Counts(); c.Failed == 0 || strings.Count(text, "FAILED") != c.Failed {
		t.Errorf("%d FAILED lines for %d failures", strings.Count(text, "FAILED"), c.Failed)
	}
}

// read returns what p wrote to out, under p's lock: every write to out,
// the ticker's included, holds it.
func read(p *progress, out *bytes.Buffer) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return out.String()
}

// TestProgressHeartbeat: a plain log gets a "still running" line with the
// failures so far and the elapsed time when no scenario finishes for a
// while.
func TestProgressHeartbeat(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, false)
	p.heartbeat = 20 * time.Millisecond
	p.begin(5)
	p.finished(reports.Scenario{Name: "one", Status: reports.StatusFailed, Failure: &reports.Failure{Expected: "201", Actual: "500"}})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(read(p, &out), "still running") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.end()
	text := out.String()
	if !regexp.MustCompile(`(?m)^\[1/5\] still running: 1 failed so far, \d+s elapsed$`).MatchString(text) {
		t.Fatalf("no heartbeat line:\n%s", text)
	}
	if !strings.HasPrefix(text, "[1/5] FAILED        one\n      201 — got 500\n") {
		t.Errorf("scenario line:\n%s", text)
	}
}

// TestProgressLive: on a terminal, the counter line is drawn at the bottom,
// erased before each scenario line and drawn again after it, and erased at
// the end; writes from elsewhere (container logs, clean-up warnings) go
// above it too.
func TestProgressLive(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, true)
	p.begin(2)
	p.finished(reports.Scenario{Name: "one", Status: reports.StatusPassed})
	_, _ = p.Write([]byte("clean-up warning: x\n"))
	p.finished(reports.Scenario{Name: "two", Status: reports.StatusFailed})
	p.end()
	const clear = "\r\x1b[2K"
	want := []string{
		"[0/2] scenarios done, 0 failed so far, 0s elapsed", clear,
		"[1/2] PASSED        one\n",
		"[1/2] scenarios done, 0 failed so far, 0s elapsed", clear,
		"clean-up warning: x\n",
		"[1/2] scenarios done, 0 failed so far, 0s elapsed", clear,
		"[2/2] FAILED        two\n",
		"[2/2] scenarios done, 1 failed so far, 0s elapsed", clear,
	}
	// The ticker may redraw the line in between: drop its redraws.
	got := strings.ReplaceAll(out.String(), clear+"[", "\x00[")
	for _, redraw := range regexp.MustCompile(`\x00\[\d/2\] scenarios done[^\r\n]*?elapsed`).FindAllString(got, -1) {
		got = strings.Replace(got, redraw, "", 1)
	}
	got = strings.ReplaceAll(got, "\x00", clear)
	got = regexp.MustCompile(`\d+s elapsed`).ReplaceAllString(got, "0s elapsed")
	if got != strings.Join(want, "") {
		t.Errorf("live output\n%q\nwant\n%q", got, strings.Join(want, ""))
	}
}

// TestProgressWaived: a failure a waiver excuses is shown WAIVED and not
// counted among the failures so far.
func TestProgressWaived(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, false)
	p.waived = func(s reports.Scenario) bool { return s.Name == "known gap" }
	p.total = 2
	p.finished(reports.Scenario{Name: "known gap", Status: reports.StatusFailed})
	p.finished(reports.Scenario{Name: "new bug", Status: reports.StatusFailed})
	if got := out.String(); !strings.Contains(got, "[1/2] WAIVED        known gap\n") || !strings.Contains(got, "[2/2] FAILED        new bug\n") || p.failed != 1 {
		t.Errorf("failed %d, output:\n%s", p.failed, got)
	}
}
