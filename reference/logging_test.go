package reference

import (
	"bytes"
	"strings"
	"sync"
	"testing"

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
