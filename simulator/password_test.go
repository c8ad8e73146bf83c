package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestEchoedPasswordNeverLeaks: a target that stores the password Okta
// generated on create and echoes it on every GET must not get it back in
// the next PUT (doc.go: PUT never carries the password), and the password
// must not show in the HAR, the app user's LastPushed or the logs.
func TestEchoedPasswordNeverLeaks(t *testing.T) {
	for _, profile := range []TrafficProfile{ProfileOIN, ProfileAIW} {
		t.Run(string(profile), func(t *testing.T) {
			ft := newFakeTarget(t)
			var logs bytes.Buffer
			org := NewOrg(Options{Clock: NewVirtualClock(testStart), Logger: zerolog.New(&logs).Level(zerolog.DebugLevel)})
			if err := org.ConfigureApp(testApp(ft.baseURL(), profile)); err != nil {
				t.Fatal(err)
			}
			// Store the create body whole, password included.
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Users") {
					return false
				}
				var u map[string]any
				if err := json.Unmarshal(body, &u); err != nil {
					t.Errorf("create body: %v", err)
					return false
				}
				ft.mu.Lock()
				ft.addUserLocked(u)
				ft.mu.Unlock()
				writeJSON(w, http.StatusCreated, u)
				return true
			})
			u := org.AddUser(ana())
			must(t, "assign")(org.Assign(bg, u.ID))
			m := rawPassword.FindSubmatch(ft.requests()[1].Body)
			if m == nil || len(m[1]) != 8 {
				t.Fatalf("create body has no password: %s", ft.requests()[1].Body)
			}
			pw := string(m[1])
			before := len(ft.requests())
			p := ana()
			p.FirstName = "Anna"
			must(t, "update")(org.UpdateUserProfile(bg, u.ID, p))
			reqs := ft.requests()[before:]
			if len(reqs) != 2 || reqs[0].Method != http.MethodGet || reqs[1].Method != http.MethodPut {
				t.Fatalf("update sent %d requests, want GET then PUT", len(reqs))
			}
			if !strings.Contains(string(ft.user("u-0001")["password"].(string)), pw) {
				t.Fatal("the target should hold the password (test set-up)")
			}
			put := string(reqs[1].Body)
			if strings.Contains(put, `"password"`) || strings.Contains(put, pw) {
				t.Errorf("PUT carries the password: %s", put)
			}
			if !strings.Contains(put, `"givenName":"Anna"`) {
				t.Errorf("PUT lacks the update: %s", put)
			}
			app, _ := org.AppUser(u.ID)
			var har bytes.Buffer
			if err := org.Transcript().WriteHAR(&har); err != nil {
				t.Fatal(err)
			}
			for name, out := range map[string]string{"HAR": har.String(), "LastPushed": string(app.LastPushed), "logs": logs.String()} {
				if strings.Contains(out, pw) {
					t.Errorf("%s contains the generated password: %s", name, excerpt(out, pw))
				}
			}
			// The GET answer that echoed it is recorded redacted.
			if !strings.Contains(har.String(), `\"password\":\"[REDACTED]\"`) {
				t.Error("HAR should show the echoed password as [REDACTED]")
			}
		})
	}
}
