package steps

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// TestCrashOnRequestIsNamed: a target that drops the connection on one
// kind of request (a server that panics on the upper-case operator "EQ",
// or on a complex attribute compared with a string) fails the scenario that
// sent it at must level at least, and the failure says the target closed
// the connection without answering, not only "EOF".
func TestCrashOnRequestIsNamed(t *testing.T) {
	for _, tc := range []struct {
		name, crashOn string
		level         reports.Level
	}{
		{"Filters on userName match case-insensitively in attribute name, operator and value", " EQ ", reports.LevelMust},
		// A should-level scenario: no answer at all is still must.
		{"A value of another JSON type never matches, or is refused", `name eq "Ana"`, reports.LevelMust},
	} {
		t.Run(tc.crashOn, func(t *testing.T) {
			s := runNamed(t, crashingTarget(t, tc.crashOn), tc.name)
			if s.Status != reports.StatusFailed {
				t.Fatalf("status %s, want failed", s.Status)
			}
			if f := s.Failure; f == nil || !strings.Contains(f.Actual, "closed the connection without answering") || f.Level != tc.level {
				t.Fatalf("failure %+v: want level %s saying the target closed the connection", f, tc.level)
			}
		})
	}
}

// crashingTarget serves a clean reference server that drops the
// connection, without an answer, on any filter containing crashOn.
func crashingTarget(t *testing.T, crashOn string) target.Profile {
	t.Helper()
	srv, err := reference.New(reference.Config{EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Query().Get("filter"), crashOn) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	p, err := target.FromFlags(target.Flags{URL: hs.URL + "/scim/v2", TokenEnv: "CRASH_TOKEN", Auth: "bearer", Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	key := srv.AdminKey()
	if p, err = p.Resolve(func(string) string { return key }); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTransportHint(t *testing.T) {
	for err, want := range map[string]string{
		`Get "http://x/scim/v2/Users": EOF`:                           "closed the connection without answering",
		"read tcp 127.0.0.1:1->127.0.0.1:2: connection reset by peer": "closed the connection without answering",
		"dial tcp 127.0.0.1:9: connect: connection refused":           "not listening",
		"context deadline exceeded":                                   "",
	} {
		if got := transportHint(err); want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("transportHint(%q) = %q, want it to contain %q", err, got, want)
		}
	}
}
