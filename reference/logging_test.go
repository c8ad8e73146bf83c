package reference

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rs/zerolog"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// TestLogsHoldNoSecrets: request logs name the credential by kind and id,
// never by secret, and never include bodies.
func TestLogsHoldNoSecrets(t *testing.T) {
	var buf lockedBuffer
	s, err := New(Config{EnableSCIM: true, AdminKey: "admin-secret-xyz", Logger: zerolog.New(&buf)})
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "log@example.com") // body carries Okta's password
	_, key := mintKey(t, s, "Admin", "log@example.com")
	sess := admin(t, s, "POST", "/sessions", map[string]any{"email": "log@example.com"}).json()["token"].(string)
	do(t, s, key, "GET", "/scim/v2/Users", nil)
	do(t, s, sess, "GET", "/api/v1/whoami", nil)
	do(t, s, "wrong-token-abc", "GET", "/scim/v2/Users", nil)
	logs := buf.b.String()
	for _, secret := range []string{"admin-secret-xyz", key, sess, "wrong-token-abc", "xK9!pQ2z"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("log holds a secret (%d chars)", len(secret))
		}
	}
	for _, want := range []string{`"credential":"apiKey:bootstrap"`, `"credential":"session:`, `"status":401`, `"path":"/scim/v2/Users"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

// TestLogQuery: credential-like query parameters are redacted whatever their
// case or spelling; others are kept as sent; long queries are cut.
func TestLogQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"filter=userName+eq+%22a%22&count=1", "filter=userName+eq+%22a%22&count=1"},
		{"access_token=s3cr3t&count=1", "access_token=REDACTED&count=1"},
		{"Access_Token=s3cr3t", "Access_Token=REDACTED"},
		{"TOKEN=a&Key=b&secret=c&PassWord=d&apikey=e&api_key=f&API-KEY=g", "TOKEN=REDACTED&Key=REDACTED&secret=REDACTED&PassWord=REDACTED&apikey=REDACTED&api_key=REDACTED&API-KEY=REDACTED"},
		{"access%5Ftoken=s3cr3t", "access%5Ftoken=REDACTED"}, // escaped name
		{"token=a&token=b", "token=REDACTED&token=REDACTED"},
		{"token", "token"}, // no value, nothing to hide
		{"keys=1&monkey=2&tokens=3", "keys=1&monkey=2&tokens=3"},
		{"%zz=1&password=x", "%zz=1&password=REDACTED"},
	}
	for _, tc := range tests {
		if got := logQuery(tc.in); got != tc.want {
			t.Errorf("logQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := "filter=" + strings.Repeat("a", 2000) + "&token=zzz"
	got := logQuery(long)
	if !strings.HasSuffix(got, "…(truncated)") || len(got) != maxLoggedQuery+len("…(truncated)") || strings.Contains(got, "zzz") {
		t.Fatalf("long query: %d bytes, %q…", len(got), got[len(got)-30:])
	}
	// A cut never splits a UTF-8 sequence.
	u := logQuery("f=" + strings.Repeat("é", 600))
	if !utf8.ValidString(u) || len(u) > maxLoggedQuery+len("…(truncated)") {
		t.Fatalf("cut splits a rune or exceeds the cap: %d bytes", len(u))
	}
}

// TestLogRedactsQueryCredentials: through the handler, a token in the query
// never reaches the log.
func TestLogRedactsQueryCredentials(t *testing.T) {
	var buf lockedBuffer
	s, err := New(Config{EnableSCIM: true, AdminKey: "admin-secret-xyz", Logger: zerolog.New(&buf)})
	if err != nil {
		t.Fatal(err)
	}
	do(t, s, s.AdminKey(), "GET", "/scim/v2/Users?count=1&access_token=admin-secret-xyz&APIKEY=other-secret-123", nil)
	logs := buf.b.String()
	if strings.Contains(logs, "admin-secret-xyz") || strings.Contains(logs, "other-secret-123") {
		t.Fatalf("log holds a query credential: %s", logs)
	}
	if !strings.Contains(logs, `"query":"count=1&access_token=REDACTED&APIKEY=REDACTED"`) {
		t.Fatalf("log lacks the redacted query: %s", logs)
	}
}
