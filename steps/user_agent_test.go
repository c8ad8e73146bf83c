package steps

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scimulator/scimulator/internal/har"
	"github.com/scimulator/scimulator/internal/version"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
)

// harnessOperation reports whether a recorded operation is the harness's
// own (raw SCIM checks, probes, clean-up) rather than the simulated Okta's.
func harnessOperation(op string) bool {
	return strings.HasPrefix(op, "SCIM client") || strings.HasPrefix(op, "probe ") || op == cleanupOp
}

// TestHarnessUserAgent runs scenarios with raw SCIM checks, simulated Okta
// traffic, probes and --cleanup against a shared reference server that logs
// every request, and checks the User-Agent three ways: in the record, in
// the HAR transcript and in the target's access log (what a vendor sees).
// Harness requests say scimulator/VERSION (harness); Okta's keep Okta's.
func TestHarnessUserAgent(t *testing.T) {
	var accessLog bytes.Buffer
	// SyncWriter: the server logs from concurrent requests.
	p, hs := sharedReferenceLogging(t, false, zerolog.New(zerolog.SyncWriter(&accessLog)))
	p.Cleanup = true

	run, err := Run(context.Background(), Config{Target: p, Features: cleanupFeatures(t), Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	harness := version.UserAgent()

	// The record.
	seen := map[bool]int{}
	for _, s := range run.Scenarios {
		for _, ex := range s.Exchanges {
			isHarness := harnessOperation(ex.Operation)
			want := simulator.UserAgent
			if isHarness {
				want = harness
			}
			if got := ex.RequestHeaders.Get("User-Agent"); got != want {
				t.Errorf("%s: %s %s (%q) sent User-Agent %q, want %q", s.Name, ex.Method, ex.URL, ex.Operation, got, want)
			}
			seen[isHarness]++
		}
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("the run recorded %d harness and %d Okta exchanges; both kinds are needed", seen[true], seen[false])
	}

	// The HAR transcript the run writes.
	dir := t.TempDir()
	if _, err := reports.WriteAll(dir, run, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, reports.FileHAR))
	if err != nil {
		t.Fatal(err)
	}
	var doc har.File[har.Entry]
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	harSeen := map[bool]int{}
	for _, e := range doc.Log.Entries {
		ua := ""
		for _, h := range e.Request.Headers {
			if strings.EqualFold(h.Name, "User-Agent") {
				ua = h.Value
			}
		}
		isHarness := harnessOperation(e.Comment)
		want := simulator.UserAgent
		if isHarness {
			want = harness
		}
		if ua != want {
			t.Errorf("HAR entry %s %s (%q): User-Agent %q, want %q", e.Request.Method, e.Request.URL, e.Comment, ua, want)
		}
		harSeen[isHarness]++
	}
	if harSeen[true] != seen[true] || harSeen[false] != seen[false] {
		t.Errorf("HAR holds %d harness and %d Okta entries, the record %d and %d", harSeen[true], harSeen[false], seen[true], seen[false])
	}

	// The target's access log: every request on the wire, discovery
	// included (which no scenario records). Closing the server first
	// waits for its handlers, so the log is complete and no longer written.
	hs.Close()
	logSeen := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(accessLog.String()))
	for sc.Scan() {
		var line struct{ Method, Path, UserAgent string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("access log line %q: %v", sc.Text(), err)
		}
		switch line.UserAgent {
		case harness, simulator.UserAgent:
			logSeen[line.UserAgent]++
		default:
			t.Errorf("access log: %s %s with User-Agent %q, neither the harness's nor Okta's", line.Method, line.Path, line.UserAgent)
		}
		if strings.HasPrefix(line.Path, "/api/v1/") || line.Path == "/scim/v2/ServiceProviderConfig" || line.Method == "DELETE" {
			// Probes, discovery and clean-up are the harness's alone.
			if line.UserAgent != harness {
				t.Errorf("access log: harness request %s %s with User-Agent %q", line.Method, line.Path, line.UserAgent)
			}
		}
	}
	if logSeen[harness] == 0 || logSeen[simulator.UserAgent] == 0 {
		t.Errorf("access log: %d harness and %d Okta requests; want both", logSeen[harness], logSeen[simulator.UserAgent])
	}
}

// TestWithHarnessUA: only a request without a User-Agent gets the
// harness's; Okta's is kept, and so is an empty one (the simulated Entra
// tenant sends none), and the caller's request is never changed.
func TestWithHarnessUA(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string // nil: no User-Agent key
		want   []string
	}{
		{"none", nil, []string{version.UserAgent()}},
		{"Okta's", []string{simulator.UserAgent}, []string{simulator.UserAgent}},
		{"empty, as Entra sends", []string{""}, []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "https://target.example/scim/v2/Users", nil)
			if tc.header != nil {
				req.Header["User-Agent"] = tc.header
			}
			got := withHarnessUA(req)
			if !slices.Equal(got.Header["User-Agent"], tc.want) {
				t.Errorf("User-Agent = %q, want %q", got.Header["User-Agent"], tc.want)
			}
			if !slices.Equal(req.Header["User-Agent"], tc.header) {
				t.Errorf("the caller's request was changed: %q", req.Header["User-Agent"])
			}
		})
	}
}
