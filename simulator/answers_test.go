package simulator

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	taskPrefix   = "Automatic provisioning of user Ana Lopez to app Cortex failed: "
	whileCreate  = taskPrefix + "Error while creating user Ana Lopez: "
	whileExists  = taskPrefix + "Error while verifying if user Ana Lopez exists: "
	jacksonTail  = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
	ctSCIM       = "application/scim+json"
	scimErrorURN = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// answer returns an override that answers requests matching method and
// path suffix with status, content type and body.
func answer(method, suffix string, status int, ctype, body string) func(http.ResponseWriter, *http.Request, []byte) bool {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method != method || !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return true
	}
}

func scimError(status, detail string) string {
	return `{"schemas":["` + scimErrorURN + `"],"status":"` + status + `","detail":"` + detail + `"}`
}

// answerCase is one way a target can answer, and the message an admin sees.
type answerCase struct {
	name     string
	override func(http.ResponseWriter, *http.Request, []byte) bool
	app      func(*AppConfig)
	wantID   MessageID
	want     string // exact message; "" to check the ID only
}

func answerCases() []answerCase {
	return []answerCase{
		{name: "201 with empty body", override: answer("POST", "/Users", 201, ctSCIM, ""),
			wantID: MsgEmptyUser, want: whileCreate + "Create new user returned empty user."},
		{name: "409 with SCIM detail", override: answer("POST", "/Users", 409, ctSCIM, scimError("409", "User already exists")),
			wantID: MsgHTTPError, want: whileCreate + "Conflict. Errors reported by remote server: User already exists"},
		{name: "500 with HTML", override: answer("POST", "/Users", 500, "text/html", "<html><body>oops</body></html>"),
			wantID: MsgUnexpectedChar, want: whileCreate + "Unexpected character ('<' (code 60)): expected a valid value " + jacksonTail},
		{name: "400 with plain text", override: answer("POST", "/Users", 400, "text/plain", "Bad request: no"),
			wantID: MsgUnrecognizedToken, want: whileCreate + "Unrecognized token 'Bad': was expecting " + jacksonTail},
		{name: "201 with plain text", override: answer("POST", "/Users", 201, "text/plain", "created ok"),
			wantID: MsgUnrecognizedToken, want: whileCreate + "Unrecognized token 'created': was expecting " + jacksonTail},
		{name: "201 without id", override: answer("POST", "/Users", 201, ctSCIM, `{"userName":"ana@example.com"}`),
			wantID: MsgUserWithoutID, want: whileCreate + "Create new user returned user without id."},
		{name: "201 with numeric id", override: answer("POST", "/Users", 201, ctSCIM, `{"id":42}`),
			wantID: MsgWrongType, want: whileCreate + `Cannot deserialize value of field "id": expected string, got number`},
		{name: "201 with array", override: answer("POST", "/Users", 201, ctSCIM, `[]`),
			wantID: MsgWrongType, want: whileCreate + `Cannot deserialize value of field "user": expected object, got array`},
		{name: "201 with truncated JSON", override: answer("POST", "/Users", 201, ctSCIM, `{"id":"x"`),
			wantID: MsgMalformedJSON},
		{name: "string-typed totalResults", override: answer("GET", "/Users", 200, ctSCIM,
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":"0","Resources":[]}`),
			wantID: MsgNotInteger, want: whileExists + "Cannot deserialize value of type `int` from String \"0\" value for field \"totalResults\": ListResponse numbers must be JSON integers"},
		{name: "fractional itemsPerPage", override: answer("GET", "/Users", 200, ctSCIM,
			`{"totalResults":0,"itemsPerPage":1.5,"Resources":[]}`),
			wantID: MsgNotInteger},
		{name: "not a ListResponse", override: answer("GET", "/Users", 200, ctSCIM, `{"users":[]}`),
			wantID: MsgNotListResponse, want: whileExists + "Response is not a SCIM ListResponse"},
		{name: "Resources not an array", override: answer("GET", "/Users", 200, ctSCIM, `{"totalResults":1,"Resources":{"id":"x"}}`),
			wantID: MsgWrongType},
		{name: "totalResults without Resources", override: answer("GET", "/Users", 200, ctSCIM, `{"totalResults":1}`),
			wantID: MsgNotListResponse},
		{name: "empty 200 on filter", override: answer("GET", "/Users", 200, ctSCIM, ""),
			wantID: MsgEmptyBody, want: whileExists + "No content to map due to end-of-input"},
		{name: "500 without body", override: answer("GET", "/Users", 500, "", ""),
			wantID: MsgHTTPErrorNoDetail, want: whileExists + "Internal Server Error"},
		{name: "redirect", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			http.Redirect(w, r, "https://login.example/sso", http.StatusFound)
			return true
		}, wantID: MsgRedirect, want: whileExists + "Found. Redirect to https://login.example/sso not followed"},
		{name: "hang past the timeout", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, app: func(c *AppConfig) { c.Timeout = 150 * time.Millisecond },
			wantID: MsgReadTimeout, want: whileExists + "Read timed out"},
		{name: "body trickles past the timeout", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			w.Header().Set("Content-Type", ctSCIM)
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"totalResults":0,`))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, app: func(c *AppConfig) { c.Timeout = 150 * time.Millisecond },
			wantID: MsgReadTimeout, want: whileExists + "Read timed out"},
		{name: "huge body", override: answer("GET", "/Users", 200, ctSCIM, `{"totalResults":0,"x":"`+strings.Repeat("a", 4096)+`"}`),
			app:    func(c *AppConfig) { c.MaxResponseBytes = 1024 },
			wantID: MsgTooLarge, want: whileExists + "Response from remote server exceeds 1024 bytes"},
		{name: "gzip bomb is bounded after decoding", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			var b bytes.Buffer
			gz := gzip.NewWriter(&b)
			_, _ = gz.Write([]byte(`{"totalResults":0,"x":"` + strings.Repeat("a", 1<<20) + `"}`))
			_ = gz.Close()
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(200)
			_, _ = w.Write(b.Bytes())
			return true
		}, app: func(c *AppConfig) { c.MaxResponseBytes = 64 << 10 },
			wantID: MsgTooLarge},
		{name: "connection closed without answer", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return true
		}, wantID: MsgNoResponse, want: whileExists + "The target server failed to respond"},
		{name: "connection reset", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				_ = conn.Close()
			}
			return true
		}, wantID: MsgConnectionReset, want: whileExists + "Connection reset"},
		{name: "429 until giving up", override: answer("GET", "/Users", 429, ctSCIM, scimError("429", "slow down")),
			wantID: MsgRateLimited, want: whileExists + "Too Many Requests. Gave up after 10 attempts"},
	}
}

// TestAnswers checks that each bad answer becomes the message an admin
// would see, opens a task and marks the app user as failed.
func TestAnswers(t *testing.T) {
	for _, tc := range answerCases() {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			if tc.app != nil {
				reconfigure(t, org, tc.app)
			}
			u := org.AddUser(ana())
			ft.setOverride(tc.override)
			res, err := org.Assign(bg, u.ID)
			if err != nil {
				t.Fatalf("assign: unexpected Go error %v", err)
			}
			if res.OK {
				t.Fatalf("assign succeeded; want failure %s", tc.wantID)
			}
			if res.MessageID != tc.wantID {
				t.Errorf("message id = %s, want %s (message %q)", res.MessageID, tc.wantID, res.Message)
			}
			if tc.want != "" && res.Message != tc.want {
				t.Errorf("message\n got %q\nwant %q", res.Message, tc.want)
			}
			if !strings.HasPrefix(res.Message, taskPrefix) {
				t.Errorf("message lacks the task envelope: %q", res.Message)
			}
			tasks := org.OpenTasks()
			if len(tasks) != 1 || tasks[0].ID != res.TaskID || tasks[0].Message != res.Message {
				t.Errorf("open tasks = %+v, want one with the result's message", tasks)
			}
			au, _ := org.AppUser(u.ID)
			if au.Status != AppUserError || au.LastError != res.Message || au.SCIMID != "" {
				t.Errorf("app user = %+v, want ERROR with the message and no SCIM id", au)
			}
		})
	}
}

// TestRetrySelected retries a failed create after the target is fixed:
// the task resolves and the user is provisioned.
func TestRetrySelected(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	u := org.AddUser(ana())
	ft.setOverride(answer("POST", "/Users", 503, ctSCIM, scimError("503", "maintenance")))
	res, _ := org.Assign(bg, u.ID)
	if res.OK || res.Status != 503 {
		t.Fatalf("assign = %+v, want a 503 failure", res)
	}
	// A second failure updates the same task rather than opening another.
	if r, err := org.RetryTask(bg, res.TaskID); err != nil || r.OK || r.TaskID != res.TaskID {
		t.Fatalf("retry while broken = %+v, %v", r, err)
	}
	if tasks := org.Tasks(); len(tasks) != 1 || tasks[0].Attempts != 2 {
		t.Fatalf("tasks = %+v, want one task with 2 attempts", tasks)
	}
	ft.setOverride(nil)
	rs, err := org.RetrySelected(bg, res.TaskID)
	if err != nil || len(rs) != 1 || !rs[0].OK {
		t.Fatalf("retry selected = %+v, %v", rs, err)
	}
	if open := org.OpenTasks(); len(open) != 0 {
		t.Errorf("open tasks after successful retry: %+v", open)
	}
	au, _ := org.AppUser(u.ID)
	if au.Status != AppUserProvisioned || au.SCIMID == "" || au.LastError != "" {
		t.Errorf("app user after retry = %+v", au)
	}
	if _, err := org.RetryTask(bg, res.TaskID); err == nil {
		t.Error("retrying a resolved task: want an error")
	}
	if _, err := org.RetryTask(bg, "task-99"); err == nil {
		t.Error("retrying an unknown task: want an error")
	}
}

// credCase is one Test API Credentials answer and the dialog text.
type credCase struct {
	name     string
	override func(http.ResponseWriter, *http.Request, []byte) bool
	pushGrps bool
	wantOK   bool
	wantID   MessageID
	want     string
}

func TestTestAPICredentials(t *testing.T) {
	unauthorized := "Error authenticating: Unauthorized. The connector configuration could not be tested. Make sure that the URL, Authentication Parameters are correct and that there is an implementation available at the URL provided."
	cases := []credCase{
		{name: "success", wantOK: true, wantID: MsgCredentialsOK, want: "Cortex was verified successfully!"},
		{name: "success with groups", pushGrps: true, wantOK: true, wantID: MsgCredentialsOK, want: "Cortex was verified successfully!"},
		{name: "401", override: answer("GET", "/Users", 401, ctSCIM, scimError("401", "bad key")), wantID: MsgUnauthorized, want: unauthorized},
		{name: "403 SCIM off", override: answer("GET", "/Users", 403, ctSCIM, scimError("403", "SCIM is disabled for this workspace")),
			wantID: MsgForbidden, want: "Error authenticating: Forbidden from remote server. Errors reported by remote server: SCIM is disabled for this workspace"},
		{name: "403 without body", override: answer("GET", "/Users", 403, "", ""),
			wantID: MsgForbidden, want: "Error authenticating: Forbidden from remote server"},
		{name: "403 plain text", override: answer("GET", "/Users", 403, "text/plain", "Forbidden"),
			wantID: MsgForbidden, want: "Error authenticating: Forbidden from remote server. Errors reported by remote server: Unrecognized token 'Forbidden': was expecting " + jacksonTail},
		{name: "empty 200", override: answer("GET", "/Users", 200, ctSCIM, ""), wantID: MsgNoResults, want: "No results for users returned"},
		{name: "non-ListResponse 200", override: answer("GET", "/Users", 200, ctSCIM, `{"hello":"world"}`), wantID: MsgNoResults, want: "No results for users returned"},
		{name: "HTML 200", override: answer("GET", "/Users", 200, "text/html", "<html>login</html>"), wantID: MsgNoResults, want: "No results for users returned"},
		{name: "string counts", override: answer("GET", "/Users", 200, ctSCIM, `{"totalResults":"2","Resources":[]}`),
			wantID: MsgNotInteger, want: "Error authenticating: Cannot deserialize value of type `int` from String \"2\" value for field \"totalResults\": ListResponse numbers must be JSON integers"},
		{name: "500", override: answer("GET", "/Users", 500, ctSCIM, scimError("500", "boom")),
			wantID: MsgHTTPError, want: "Error authenticating: Internal Server Error. Errors reported by remote server: boom"},
		{name: "groups not a list", pushGrps: true, override: answer("GET", "/Groups", 200, ctSCIM, `{}`),
			wantID: MsgNoGroupResults, want: "No results for groups returned"},
		{name: "redirect", override: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			http.Redirect(w, r, "/login", http.StatusMovedPermanently)
			return true
		}, wantID: MsgRedirect, want: "Error authenticating: Moved Permanently. Redirect to /login not followed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			reconfigure(t, org, func(c *AppConfig) { c.Provisioning.PushGroups = tc.pushGrps })
			ft.setOverride(tc.override)
			res, err := org.TestAPICredentials(bg)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK != tc.wantOK || res.MessageID != tc.wantID || res.Message != tc.want {
				t.Errorf("got %+v\nwant ok=%v id=%s message %q", res, tc.wantOK, tc.wantID, tc.want)
			}
			var sawGroups bool
			for _, r := range ft.requests() {
				sawGroups = sawGroups || strings.HasPrefix(r.RequestURI, fakeBase+"/Groups")
			}
			if tc.wantOK && sawGroups != tc.pushGrps {
				t.Errorf("GET /Groups sent = %v, want %v (only with Push groups on)", sawGroups, tc.pushGrps)
			}
		})
	}
}

// TestTransportFailures covers failures below HTTP: refused connections,
// TLS trouble, unknown hosts.
func TestTransportFailures(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctSCIM)
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`))
	}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	pool := x509.NewCertPool()
	pool.AddCert(tlsSrv.Certificate())
	tlsPort := strings.TrimPrefix(tlsSrv.URL, "https://127.0.0.1:")
	refusedHost := strings.TrimPrefix(closedURL, "http://")

	cases := []struct {
		name   string
		cfg    func(*AppConfig)
		wantOK bool
		wantID MessageID
		want   string
	}{
		{name: "trusted TLS", cfg: func(c *AppConfig) { c.BaseURL = tlsSrv.URL + "/scim/v2"; c.RootCAs = pool }, wantOK: true, wantID: MsgCredentialsOK,
			want: "Cortex was verified successfully!"},
		{name: "untrusted certificate", cfg: func(c *AppConfig) { c.BaseURL = tlsSrv.URL + "/scim/v2" }, wantID: MsgTLSUntrusted,
			want: "Error authenticating: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target"},
		{name: "hostname mismatch", cfg: func(c *AppConfig) { c.BaseURL = "https://localhost:" + tlsPort + "/scim/v2"; c.RootCAs = pool },
			wantID: MsgTLSHostname, want: "Error authenticating: Certificate for <localhost> doesn't match any of the subject alternative names: [example.com, *.example.com]"},
		{name: "TLS to a plain HTTP server", cfg: func(c *AppConfig) { c.BaseURL = strings.Replace(plain.URL, "http:", "https:", 1) }, wantID: MsgTLSHandshake,
			want: "Error authenticating: SSL handshake failed: Unsupported or unrecognized SSL message"},
		{name: "connection refused", cfg: func(c *AppConfig) { c.BaseURL = closedURL + "/scim/v2"; c.AllowHTTP = true }, wantID: MsgConnectRefused,
			want: "Error authenticating: Connect to " + refusedHost + " [127.0.0.1/127.0.0.1] failed: Connection refused (Connection refused)"},
		{name: "insecure skip verify", cfg: func(c *AppConfig) { c.BaseURL = tlsSrv.URL + "/scim/v2"; c.InsecureSkipVerify = true }, wantOK: true, wantID: MsgCredentialsOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			org := NewOrg(Options{Clock: NewVirtualClock(testStart)})
			cfg := AppConfig{Name: "Cortex", Auth: Auth{Mode: AuthBearer, Secret: testToken}, Provisioning: AllOn(), Timeout: 5 * time.Second}
			cfg.Provisioning.PushGroups = false
			tc.cfg(&cfg)
			if err := org.ConfigureApp(cfg); err != nil {
				t.Fatal(err)
			}
			res, err := org.TestAPICredentials(bg)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK != tc.wantOK || res.MessageID != tc.wantID || (tc.want != "" && res.Message != tc.want) {
				t.Errorf("got %+v\nwant ok=%v id=%s %q", res, tc.wantOK, tc.wantID, tc.want)
			}
		})
	}
}

// timeoutErr is a net.Error that timed out, as a dial timeout reports.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// TestClassifyTransport covers the failures a test cannot provoke on a
// loopback machine (connect timeouts need a black-holed address).
func TestClassifyTransport(t *testing.T) {
	cfg := AppConfig{BaseURL: "https://cortex.example/scim/v2"}
	addr := &net.TCPAddr{IP: net.ParseIP("203.0.113.9"), Port: 443}
	cases := []struct {
		name   string
		err    error
		wantID MessageID
		want   string
	}{
		{name: "connect timeout", err: &url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: timeoutErr{}}},
			wantID: MsgConnectTimeout, want: "Connect to cortex.example:443 [cortex.example/203.0.113.9] failed: Connect timed out"},
		{name: "connect deadline", err: &url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded}},
			wantID: MsgConnectTimeout, want: "Connect to cortex.example:443 [cortex.example/cortex.example] failed: Connect timed out"},
		{name: "unknown host", err: &url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "cortex.example", IsNotFound: true}}},
			wantID: MsgUnknownHost, want: "cortex.example: Name or service not known"},
		{name: "reset while reading", err: &url.Error{Op: "Get", URL: "u", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}},
			wantID: MsgConnectionReset, want: "Connection reset"},
		{name: "read deadline", err: &url.Error{Op: "Get", URL: "u", Err: context.DeadlineExceeded}, wantID: MsgReadTimeout, want: "Read timed out"},
		{name: "other", err: &url.Error{Op: "Get", URL: "u", Err: errors.New("something odd")}, wantID: MsgIOError,
			want: `I/O error on GET request for "https://cortex.example/scim/v2/Users": something odd`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := classifyTransport(tc.err, cfg, "GET", "https://cortex.example/scim/v2/Users")
			if f.id != tc.wantID || f.reason != tc.want {
				t.Errorf("got %s %q, want %s %q", f.id, f.reason, tc.wantID, tc.want)
			}
		})
	}
}
