package doctor

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/hostile"
)

// TestBodyFailuresHaveTheirOwnFinding: a body that stalls, is cut off or is
// too large is diagnosed as what it is, never as "the list answer is empty"
// (issue 11), and an empty complete 200 still is.
func TestBodyFailuresHaveTheirOwnFinding(t *testing.T) {
	tests := []struct {
		behaviour string
		code      Code
		evidence  string // in the finding's evidence
	}{
		{"stalls the body", CodeBodyStalled, fmt.Sprintf("%d bytes of body before the read timeout (Content-Length 4096)", len(hostile.StalledPrefix))},
		{"reset mid-body", CodeBodyTruncated, fmt.Sprintf("%d bytes of body when the connection was reset (Content-Length 4096)", len(hostile.StalledPrefix))},
		{"closes mid chunked body", CodeBodyTruncated, fmt.Sprintf("%d bytes of body when the connection was closed (chunked)", len(hostile.StalledPrefix))},
		{"50 MB body", CodeBodyTooLarge, "read 10485761 bytes (10.0 MiB) and stopped (Content-Length 52428800)"},
		{"empty 200", CodeEmptyBody, "200 OK with no body: the answer was complete (Content-Length 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.behaviour, func(t *testing.T) {
			srv := httptest.NewServer(hostile.Lookup(tt.behaviour).Handler(testToken))
			t.Cleanup(srv.Close)
			// Short only where the target makes doctor wait: reading 10 MiB
			// under -race on a loaded machine can take seconds, and a slow
			// read is (truthfully) a stall.
			timeout := 20 * time.Second
			if tt.code == CodeBodyStalled {
				timeout = 500 * time.Millisecond
			}
			rep := run(t, Config{URL: srv.URL + "/scim/v2", AllowHTTP: true, Timeout: timeout})
			if rep.OK {
				t.Fatal("Okta would accept a hostile target")
			}
			var codes []Code
			for _, f := range rep.Findings {
				codes = append(codes, f.Code)
				if f.Code == tt.code && !strings.Contains(f.Evidence, tt.evidence) {
					t.Errorf("%s evidence %q lacks %q", f.Code, f.Evidence, tt.evidence)
				}
			}
			// plain-http comes first (a warning with AllowHTTP), then the one finding.
			if len(codes) != 2 || codes[1] != tt.code {
				t.Errorf("findings %v, want [plain-http %s]", codes, tt.code)
			}
		})
	}
}

// TestTextReportEscapesTargetBytes: the body, Content-Type and error lines
// show a target's escape sequences as text.
func TestTextReportEscapesTargetBytes(t *testing.T) {
	srv := httptest.NewServer(hostile.Lookup("escape sequences in body and headers").Handler(testToken))
	t.Cleanup(srv.Close)
	rep := run(t, Config{URL: srv.URL + "/scim/v2", AllowHTTP: true, Timeout: 2 * time.Second})
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == '\uFFFD' {
			t.Fatalf("raw %U at byte %d of the text report:\n%s", r, i, out)
		}
	}
	for _, want := range []string{`body        \x1b]0;pwned\x07\x1b[31mRED\x1b[2J\u009b1m\x00\x7f\xff{"detail"`, `(application/scim+json\u009b31m\u202eRED\xff)`} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %s:\n%s", want, out)
		}
	}
}
