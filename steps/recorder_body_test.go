package steps

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
)

// TestRecorderPassesWholeBodyOrFails checks that a response body reaches the
// step whole (here 5 MiB, above the old silent 4 MiB cut), and that a body
// over the limit fails the exchange with a clear error instead of being
// handed on cut; only the recorded copy is truncated, and marked so.
func TestRecorderPassesWholeBodyOrFails(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.URL.Query().Get("n"), &n)
		_, _ = w.Write(bytes.Repeat([]byte("x"), n))
	}))
	defer hs.Close()
	client, err := httpClient(target.Default())
	if err != nil {
		t.Fatal(err)
	}
	w := &World{users: map[string]*user{}, conn: &conn{baseURL: hs.URL, client: client}}
	c := w.recordingClient("test")

	tests := []struct {
		name    string
		size    int
		wantErr bool
	}{
		{"5 MiB arrives whole", 5 << 20, false},
		{"exactly the limit arrives whole", maxResponseBytes, false},
		{"one byte over the limit fails", maxResponseBytes + 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(fmt.Sprintf("%s/?n=%d", hs.URL, tt.size))
			if tt.wantErr {
				if err == nil {
					resp.Body.Close()
					t.Fatal("oversized response accepted")
				}
				if want := fmt.Sprintf("response larger than %d bytes", maxResponseBytes); !strings.Contains(err.Error(), want) {
					t.Fatalf("error = %v, want it to say %q", err, want)
				}
				rec := w.lastEx
				if !strings.Contains(rec.ResponseBody, "[truncated") || len(rec.ResponseBody) > recordedPrefixBytes+100 {
					t.Fatalf("recorded copy of %d bytes, marked %t; want a marked prefix", len(rec.ResponseBody), strings.Contains(rec.ResponseBody, "[truncated"))
				}
				if rec.Error == "" {
					t.Fatal("recorded exchange does not carry the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || len(b) != tt.size {
				t.Fatalf("body of %d bytes (%v), want %d", len(b), err, tt.size)
			}
			if len(w.lastBody()) != tt.size {
				t.Fatalf("recorded body of %d bytes, want %d", len(w.lastBody()), tt.size)
			}
		})
	}
}
