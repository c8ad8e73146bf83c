package steps

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/scimulator/scimulator/internal/launch"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/internal/version"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// harnessIP is the address the harness's own admin requests claim in the
// client IP header, so allowlist scenarios never lock the harness out
// (TEST-NET-1, RFC 5737).
const harnessIP = "192.0.2.10"

// conn is the target as one scenario reaches it: only over HTTP.
type conn struct {
	baseURL       string // SCIM base URL
	authorization string // Authorization header value for SCIM requests
	secret        string // the credential inside it, for redaction
	auth          target.Auth
	client        *http.Client
	admin         *target.Admin // nil: no admin API
	shared        bool
	close         func()
	// running is the target container the run started; nil otherwise.
	running *launch.Running
}

// containerLogs stops the run's target container and returns its complete
// output with known secrets redacted, or "" when the run started none.
// Called only when a scenario failed (issue 5): the logs explain it.
func (c *conn) containerLogs(ctx context.Context) (string, error) {
	if c == nil || c.running == nil {
		return "", nil
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	logs, err := c.running.FinalLogs(lctx)
	secrets := []string{c.secret}
	if c.admin != nil {
		secrets = append(secrets, c.admin.Auth.Secret)
	}
	logs = target.RedactString(logs, secrets)
	if err != nil {
		return logs, fmt.Errorf("read target container logs: %w", err)
	}
	return logs, nil
}

// suiteState is shared by every scenario of one Run.
type suiteState struct {
	profile target.Profile
	caps    target.Capabilities
	probes  target.Probes
	client  *http.Client
	// shared is the connection of a shared target (URL or container); nil
	// for the in-process default, where each scenario gets its own server.
	shared *conn

	mu        sync.Mutex
	scenarios []reports.Scenario
	progress  io.Writer
	// prog is progress as the run's counter; nil when quiet.
	prog *progress
	// timeout is the simulated Okta's read timeout (Config.Timeout); 0 is
	// the simulator's default, Okta's 60 s.
	timeout  time.Duration
	lines    map[string]int    // gherkin node id → line
	keywords map[string]string // gherkin step id → keyword
	features map[string]string // uri → feature name
	// pickleTags are each scenario's tags (one entry per pickle), read
	// once by index for countSelected.
	pickleTags [][]string
	// rules are the scenarios' "Level:" lines, by scenario node id.
	rules map[string]Rule
	// pickleNames are the scenarios' names, in the same order (Catalog).
	pickleNames []string
	// cleanup collects what --cleanup could not remove (cleanup.go).
	cleanup cleanupState
	// patterns caches the compiled step patterns for the run (stepDefs).
	patterns sync.Map
	// filtersDeclinable: the run is the rfc profile, whose @rfc scenarios
	// hold any SCIM server to the RFC and not to the Cortex list of
	// filterable attributes (declinedFilter).
	filtersDeclinable bool
}

// httpClient builds the client for a profile's TLS options. Redirects are
// not followed: Okta does not follow them (SPEC §2.1).
func httpClient(p target.Profile) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: p.TLS.InsecureSkipVerify} //nolint:gosec // opt-in, documented
	if p.TLS.CAFile != "" {
		pem, err := os.ReadFile(p.TLS.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read tls.caFile: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("read tls.caFile %s: no PEM certificate in it", p.TLS.CAFile)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return &http.Client{Transport: harnessUA{next: tr}, Timeout: requestTimeout, CheckRedirect: noRedirect}, nil
}

// harnessUA is an http.RoundTripper that gives every request without a
// User-Agent the harness's own (scimulator/VERSION (harness)), so that a
// target's access log tells the harness's set-up, checks, probes and
// clean-up apart from the simulated Okta traffic, which sets Okta's exact
// "Okta SCIM Client 1.0.0" itself and is left as it is.
type harnessUA struct{ next http.RoundTripper }

func (h harnessUA) RoundTrip(req *http.Request) (*http.Response, error) {
	return h.next.RoundTrip(withHarnessUA(req))
}

// withHarnessUA returns req, or a copy with the harness's User-Agent when
// req has none (a RoundTripper must not change the caller's request). A
// User-Agent set to "" is kept: it is how the simulated Entra tenant sends
// none, as Microsoft documents none (Go's transport then sends no header).
func withHarnessUA(req *http.Request) *http.Request {
	if _, set := req.Header["User-Agent"]; set {
		return req
	}
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", version.UserAgent())
	return req
}

// requestTimeout bounds one request: Okta waits 60 s for a response.
const requestTimeout = 60 * time.Second

// noRedirect is the CheckRedirect of every target client: Okta does not
// follow redirects (SPEC §2.1), so a 3xx is the answer.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newInProcess starts a fresh reference server for one scenario.
func newInProcess(spec *target.InProcessSpec) (*conn, error) {
	srv, err := reference.New(reference.Config{EnableSCIM: true, Faults: spec.Faults})
	if err != nil {
		return nil, fmt.Errorf("start in-process reference: %w", err)
	}
	hs := httptest.NewServer(srv.Handler())
	key := srv.AdminKey()
	client := hs.Client()
	client.CheckRedirect, client.Timeout = noRedirect, requestTimeout
	client.Transport = harnessUA{next: client.Transport}
	return &conn{
		baseURL:       hs.URL + "/scim/v2",
		authorization: "Bearer " + key,
		secret:        key,
		auth:          target.Auth{Mode: target.AuthBearer, Secret: key},
		client:        client,
		admin: &target.Admin{BaseURL: hs.URL + "/api/v1", Auth: target.Auth{Mode: target.AuthBearer, Secret: key},
			ClientIPHeader: "X-Forwarded-For", ClientIP: harnessIP},
		close: hs.Close,
	}, nil
}

// newShared connects to a URL target, or starts the profile's container.
func newShared(ctx context.Context, p target.Profile, client *http.Client, progress io.Writer) (*conn, error) {
	c := &conn{baseURL: p.BaseURL, auth: p.Auth, authorization: p.Auth.Authorization(), secret: p.Auth.Secret,
		client: client, shared: true, close: func() {}}
	if p.Container != nil {
		spec := *p.Container
		if progress != nil {
			spec.Log = progress
		}
		// A failed removal is reported, naming the container and
		// `make clean`: without the reaper nothing else removes it.
		warn := progress
		if warn == nil {
			warn = os.Stderr
		}
		running, err := launch.Start(ctx, spec)
		if err != nil {
			_ = running.TerminateReporting(ctx, warn) // nil-safe
			return nil, fmt.Errorf("start target container: %w", err)
		}
		c.baseURL = running.BaseURL()
		c.running = running
		var once sync.Once
		c.close = func() { once.Do(func() { _ = running.TerminateReporting(ctx, warn) }) }
		if p.Admin != nil && p.Admin.BaseURL == "" {
			a := *p.Admin
			a.BaseURL = running.Endpoint() + "/api/v1"
			p.Admin = &a
		}
	}
	if p.Admin != nil {
		a := *p.Admin
		if a.Auth.Secret == "" {
			// No separate admin credential: the SCIM token is used.
			a.Auth = p.Auth
		}
		c.admin = &a
	}
	return c, nil
}

// maxResponseBytes bounds a response body the harness reads: generous for
// any SCIM page, yet a runaway target cannot exhaust memory. A larger body
// fails its exchange rather than being judged cut.
const maxResponseBytes = 16 << 20

// recordedPrefixBytes is how much of an oversized body the transcript keeps.
const recordedPrefixBytes = 64 << 10

// recorder is an http.RoundTripper that copies every exchange into the
// scenario's transcript, with credentials redacted.
type recorder struct {
	next http.RoundTripper
	w    *World
	op   string
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	// Set before recording, so the transcript shows what the target saw.
	req = withHarnessUA(req)
	ex := reports.Exchange{Operation: r.op, Started: time.Now(), Method: req.Method, URL: req.URL.String(),
		RequestHeaders: req.Header.Clone()}
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("record request body: %w", err)
		}
		ex.RequestBody = string(b)
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := r.next.RoundTrip(req)
	ex.Duration = time.Since(ex.Started)
	if err != nil {
		ex.Error = err.Error()
		red := r.w.redact(ex)
		r.w.record(red)
		// The failure is about this request, not the one before it.
		r.w.mu.Lock()
		r.w.lastEx = &red
		r.w.mu.Unlock()
		return nil, err
	}
	b, rerr := readAnswer(&ex, resp)
	red := r.w.redact(ex)
	r.w.record(red)
	r.w.mu.Lock()
	r.w.lastEx = &red
	r.w.mu.Unlock()
	if rerr != nil {
		return nil, fmt.Errorf("read response body of %s %s: %w", req.Method, req.URL.Path, rerr)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// readAnswer reads and closes resp's body, at most maxResponseBytes, into
// ex with the status and headers. The step must not judge a cut body as if
// it were whole: an oversized answer is an error, and only the recorded
// copy keeps a marked prefix. A read error is also ex's Error.
func readAnswer(ex *reports.Exchange, resp *http.Response) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	_ = resp.Body.Close()
	ex.Status, ex.ResponseHeaders, ex.ResponseBody = resp.StatusCode, resp.Header.Clone(), string(b)
	if err == nil && len(b) > maxResponseBytes {
		err = fmt.Errorf("response larger than %d bytes", maxResponseBytes)
		ex.ResponseBody = string(b[:recordedPrefixBytes]) + fmt.Sprintf("\n[truncated: response larger than %d bytes]", maxResponseBytes)
	}
	if err != nil {
		ex.Error = err.Error()
	}
	return b, err
}

// redact blanks credentials in an exchange.
func (w *World) redact(ex reports.Exchange) reports.Exchange {
	secrets := w.secretList()
	for _, h := range []http.Header{ex.RequestHeaders, ex.ResponseHeaders} {
		for k := range h {
			if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Cookie") || strings.EqualFold(k, "Set-Cookie") {
				h.Set(k, "[REDACTED]")
				continue
			}
			for i, v := range h[k] {
				h[k][i] = target.RedactString(v, secrets)
			}
		}
	}
	ex.URL = target.RedactString(ex.URL, secrets)
	ex.RequestBody = target.RedactString(ex.RequestBody, secrets)
	ex.ResponseBody = target.RedactString(ex.ResponseBody, secrets)
	ex.Error = target.RedactString(ex.Error, secrets)
	return ex
}

// prober returns the scenario's probe runner, or nil without an admin API.
func (w *World) prober() *target.Prober {
	if w.conn.admin == nil {
		return nil
	}
	return &target.Prober{
		Client:  w.conn.client,
		Admin:   *w.conn.admin,
		Probes:  w.suite.probes,
		Secrets: w.secretList,
		Record: func(e target.Exchange) {
			w.record(w.redact(reports.Exchange{Operation: "probe " + string(e.Probe), Started: e.Started, Method: e.Method,
				URL: e.URL, RequestHeaders: e.RequestHeaders, RequestBody: e.RequestBody, Status: e.Status,
				ResponseHeaders: e.ResponseHeaders, ResponseBody: e.ResponseBody, Duration: e.Duration, Error: e.Error}))
		},
	}
}
