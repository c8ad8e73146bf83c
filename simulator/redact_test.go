package simulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestRedaction runs operations with a known secret against a target that
// echoes the Authorization header everywhere it can (error details, bodies,
// headers, redirects) and greps every output for the secret, its bare
// token, its Basic encoding and the generated passwords.
func TestRedaction(t *testing.T) {
	const token = "sk_live_T0PS3CRET_4242"
	modes := []Auth{
		{Mode: AuthBearer, Secret: token},
		{Mode: AuthHeader, Secret: "SSWS " + token},
		{Mode: AuthBasic, Username: "okta", Password: token},
	}
	for _, auth := range modes {
		t.Run(string(auth.Mode), func(t *testing.T) {
			var logs bytes.Buffer
			ft := newFakeTarget(t)
			org := NewOrg(Options{Clock: NewVirtualClock(testStart), Logger: zerolog.New(&logs).Level(zerolog.DebugLevel)})
			cfg := testApp(ft.baseURL(), ProfileOIN)
			cfg.Auth = auth
			if err := org.ConfigureApp(cfg); err != nil {
				t.Fatal(err)
			}
			secrets := []string{token, base64.StdEncoding.EncodeToString([]byte("okta:" + token))}
			var outputs []string
			collect := func(r Result, err error) {
				outputs = append(outputs, r.Message)
				if err != nil {
					outputs = append(outputs, err.Error())
				}
			}
			echo := func(status int) func(http.ResponseWriter, *http.Request, []byte) bool {
				return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
					a := r.Header.Get("Authorization")
					w.Header().Set("X-Echo", a)
					w.Header().Set("Content-Type", ctSCIM)
					w.WriteHeader(status)
					_, _ = w.Write([]byte(scimError(http.StatusText(status), "bad credential "+a+" body "+strings.ReplaceAll(string(body), `"`, `'`))))
					return true
				}
			}
			// Test API Credentials, 403 with the credential in the detail.
			ft.setOverride(echo(403))
			cr, err := org.TestAPICredentials(bg)
			outputs = append(outputs, cr.Message)
			if err != nil {
				outputs = append(outputs, err.Error())
			}
			// Create failing with the credential and the password echoed.
			u := org.AddUser(ana())
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				if r.Method == http.MethodPost {
					return echo(409)(w, r, body)
				}
				return false
			})
			collect(org.Assign(bg, u.ID))
			// Non-JSON body starting with the token.
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				w.WriteHeader(500)
				_, _ = w.Write([]byte(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " is wrong"))
				return true
			})
			collect(org.RetryTask(bg, org.OpenTasks()[0].ID))
			// A redirect to a URL holding the token.
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				http.Redirect(w, r, "https://login.example/?key="+token, http.StatusFound)
				return true
			})
			collect(org.RetryTask(bg, org.OpenTasks()[0].ID))
			// Success with the password echoed in the answer.
			ft.setOverride(nil)
			collect(org.RetryTask(bg, org.OpenTasks()[0].ID))
			for _, r := range ft.requests() {
				if r.Method == http.MethodPost {
					if m := rawPassword.FindSubmatch(r.Body); m != nil {
						secrets = append(secrets, string(m[1]))
					}
				}
			}
			if len(secrets) < 3 {
				t.Fatal("no password captured")
			}
			for _, task := range org.Tasks() {
				outputs = append(outputs, task.Message)
			}
			au, _ := org.AppUser(u.ID)
			outputs = append(outputs, au.LastError, string(au.LastPushed))
			var har bytes.Buffer
			if err := org.Transcript().WriteHAR(&har); err != nil {
				t.Fatal(err)
			}
			tr, _ := json.Marshal(org.Transcript())
			outputs = append(outputs, har.String(), string(tr), logs.String())
			all := strings.Join(outputs, "\n")
			for _, s := range secrets {
				if strings.Contains(all, s) {
					t.Errorf("secret %q leaked:\n%s", s, excerpt(all, s))
				}
			}
			if !strings.Contains(har.String(), `"value": "[REDACTED]"`) || logs.Len() == 0 {
				t.Errorf("expected a redacted Authorization in the HAR and some logs")
			}
			if !regexp.MustCompile(`bad credential (Bearer |Basic )?\[REDACTED\]`).MatchString(all) {
				t.Errorf("expected the echoed credential to be replaced, not dropped")
			}
		})
	}
}

func excerpt(s, needle string) string {
	i := strings.Index(s, needle)
	lo, hi := max(0, i-120), min(len(s), i+len(needle)+120)
	return s[lo:hi]
}

// TestRedactorLongestFirst: a secret that contains another is removed whole,
// whichever was registered first, and re-adding a secret changes nothing.
func TestRedactorLongestFirst(t *testing.T) {
	for _, order := range [][]string{{"abcd", "abcdefgh"}, {"abcdefgh", "abcd"}, {"abcd", "abcdefgh", "abcd"}} {
		r := newRedactor()
		for _, s := range order {
			r.add(s)
		}
		if got, want := r.string("x abcdefgh y abcd z"), "x [REDACTED] y [REDACTED] z"; got != want {
			t.Errorf("added %v: string() = %q, want %q", order, got, want)
		}
		if len(r.longestFirst) != 2 {
			t.Errorf("added %v: %d secrets kept, want 2", order, len(r.longestFirst))
		}
	}
}
