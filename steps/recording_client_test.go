package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/target"
)

// TestRecordingClientKeepsRedirectRuleAndTimeout checks that racing raw
// requests behave like every other SCIM request of a scenario: a 3xx is the
// answer (Okta does not follow redirects, SPEC §2.1) and the connection's
// timeout applies.
func TestRecordingClientKeepsRedirectRuleAndTimeout(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/scim/v2/Moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/scim/v2/Target", http.StatusFound)
	})
	mux.HandleFunc("/scim/v2/Target", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	mux.HandleFunc("/scim/v2/Slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	hs := httptest.NewServer(mux)
	defer hs.Close()
	defer close(release)

	client, err := httpClient(target.Default())
	if err != nil {
		t.Fatal(err)
	}
	client.Timeout = 200 * time.Millisecond
	w := &World{users: map[string]*user{}, conn: &conn{baseURL: hs.URL + "/scim/v2", client: client}}

	status, err := w.rawStatus(context.Background(), raw{method: http.MethodGet, path: "/Moved"})
	if err != nil || status != http.StatusFound {
		t.Fatalf("rawStatus on a redirect = %d, %v; want 302 (not followed)", status, err)
	}
	// The context bounds the test if the timeout were lost.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err = w.rawStatus(ctx, raw{method: http.MethodGet, path: "/Slow"})
	if err == nil || !strings.Contains(err.Error(), "GET /Slow") {
		t.Fatalf("rawStatus on a hanging server = %v; want a timeout error naming the request", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("rawStatus took %s: the connection's 200ms timeout was not applied", d)
	}
	if len(w.exchanges) != 2 || w.exchanges[0].Status != http.StatusFound {
		t.Fatalf("recorded exchanges = %+v; want both requests, the first with 302", w.exchanges)
	}
}
