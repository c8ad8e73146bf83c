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
// kind of request (a server that panics on the upper-case operator "EQ")
// fails the scenario that sent it, and the failure says the target closed
// the connection without answering, not only "EOF".
func TestCrashOnRequestIsNamed(t *testing.T) {
	srv, err := reference.New(reference.Config{EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Query().Get("filter"), " EQ ") {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer hs.Close()
	p, err := target.FromFlags(target.Flags{URL: hs.URL + "/scim/v2", TokenEnv: "CRASH_TOKEN", Auth: "bearer", Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	key := srv.AdminKey()
	if p, err = p.Resolve(func(string) string { return key }); err != nil {
		t.Fatal(err)
	}
	s := runNamed(t, p, "Filters on userName match case-insensitively in attribute name, operator and value")
	if s.Status != reports.StatusFailed {
		t.Fatalf("status %s, want failed", s.Status)
	}
	if f := s.Failure; f == nil || !strings.Contains(f.Actual, "closed the connection without answering") {
		t.Fatalf("failure %+v does not say the target closed the connection", f)
	}
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
