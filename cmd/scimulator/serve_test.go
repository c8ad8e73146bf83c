package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scimulator/scimulator/reference"
)

// syncBuffer is a bytes.Buffer safe to read while runServe writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func mapEnv(m map[string]string) env { return func(k string) string { return m[k] } }

var listenRE = regexp.MustCompile(`listening on (https?://[^ ]+) `)

// startServe runs `scimulator serve` on a free port until the test ends and
// returns its base URL (scheme://host:port) and stdout.
func startServe(t *testing.T, args []string, envs map[string]string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), mapEnv(envs), stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenRE.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], stdout, stderr
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", stderr.String())
	return "", nil, nil
}

func TestServeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--tls-cert", "c.pem"}, nil},
		{[]string{"--tls-self-signed", "--tls-cert", "c", "--tls-key", "k"}, nil},
		{[]string{"--log-format", "xml"}, nil},
		{[]string{"--fault", "no-such-fault"}, nil},
		{nil, map[string]string{"SCIMULATOR_FAULTS": "bogus"}},
		{nil, map[string]string{"SCIMULATOR_ENABLE_SCIM": "maybe"}},
		{[]string{"--addr", "no-port"}, nil},
		{[]string{"extra"}, nil},
		{[]string{"--nope"}, nil},
	} {
		err := runServe(context.Background(), tc.args, mapEnv(tc.env), io.Discard, io.Discard)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("%v %v: err %v, want usage error (exit 2)", tc.args, tc.env, err)
		}
	}
	if err := runServe(context.Background(), []string{"-h"}, mapEnv(nil), io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

// TestServeEnvOnly: the container runs `serve --addr 0.0.0.0:8080` with
// configuration from the environment only.
func TestServeEnvOnly(t *testing.T) {
	base, stdout, stderr := startServe(t, nil, map[string]string{
		"SCIMULATOR_ADMIN_KEY": "env-admin-key-123", "SCIMULATOR_ENABLE_SCIM": "1", "SCIMULATOR_FAULTS": "string-counts",
	})
	if strings.Contains(stdout.String(), "env-admin-key-123") || strings.Contains(stdout.String(), "bootstrap admin API key") {
		t.Error("a key from the environment must not be printed")
	}
	c := &okta{t: t, base: base + "/scim/v2", token: "env-admin-key-123", client: http.DefaultClient}
	st, body := c.do("GET", "/Users?startIndex=1&count=2", nil, "")
	if st != 200 || fmt.Sprintf("%T", body["totalResults"]) != "string" {
		t.Fatalf("SCIM on + fault from env: %d %v", st, body)
	}
	if strings.Contains(stderr.String(), "env-admin-key-123") {
		t.Fatal("admin key in logs")
	}
	// The request is logged after its answer is flushed, so the line can
	// arrive a moment after the client has the answer.
	if !eventually(func() bool { return strings.Contains(stderr.String(), `"path":"/scim/v2/Users"`) }) {
		t.Fatalf("no JSON request log: %s", stderr.String())
	}
}

// eventually polls cond for up to 5 s.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// TestServeGeneratedKeyPrintedOnce: the generated key is on stdout once and
// never in the logs.
func TestServeGeneratedKeyPrintedOnce(t *testing.T) {
	base, stdout, stderr := startServe(t, []string{"--log-format", "console"}, nil)
	m := regexp.MustCompile(`shown once[^:]*: (\S+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no key printed: %s", stdout.String())
	}
	key := m[1]
	c := &okta{t: t, base: base + "/scim/v2", token: key, client: http.DefaultClient}
	if st, _ := c.do("GET", "/Users", nil, ""); st != 403 {
		t.Fatalf("SCIM defaults to off: %d", st)
	}
	if strings.Count(stdout.String(), key) != 1 || strings.Contains(stderr.String(), key) {
		t.Fatal("key printed more than once or logged")
	}
}

func TestServeSelfSignedTLS(t *testing.T) {
	base, _, _ := startServe(t, []string{"--tls-self-signed", "--enable-scim"}, map[string]string{"SCIMULATOR_ADMIN_KEY": "k"})
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base %s", base)
	}
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := insecure.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil || resp.TLS.PeerCertificates[0].Subject.CommonName != "scimulator reference server" {
		t.Fatalf("TLS healthz: %d", resp.StatusCode)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("self-signed certificate verified by default client")
	}
}

// okta is a minimal HTTP client sending what Okta's SPEC test sends.
type okta struct {
	t      *testing.T
	base   string
	token  string
	client *http.Client
}

func (o *okta) do(method, path string, body any, auth string) (int, map[string]any) {
	o.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, o.base+path, rd)
	if err != nil {
		o.t.Fatal(err)
	}
	if auth == "" {
		auth = "Bearer " + o.token
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("User-Agent", "Okta SCIM Client 1.0.0")
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json; charset=utf-8")
	}
	resp, err := o.client.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			o.t.Fatalf("%s %s: body is not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, m
}

// TestOktaSPECTest runs the steps of Okta's published SCIM 2.0 SPEC test
// (SPEC Appendix A), in order, against `scimulator serve --enable-scim`
// with the admin key from SCIMULATOR_ADMIN_KEY and one user created first.
func TestOktaSPECTest(t *testing.T) {
	base, _, _ := startServe(t, []string{"--enable-scim"}, map[string]string{"SCIMULATOR_ADMIN_KEY": "okta-spec-key"})
	o := &okta{t: t, base: base + "/scim/v2", token: "okta-spec-key", client: http.DefaultClient}
	userSchema := "urn:ietf:params:scim:schemas:core:2.0:User"
	newUser := func(userName string) map[string]any {
		return map[string]any{
			"schemas": []string{userSchema}, "userName": userName,
			"name":        map[string]any{"givenName": "Spec", "familyName": "Tester"},
			"emails":      []any{map[string]any{"primary": true, "value": userName, "type": "work"}},
			"displayName": "Spec Tester", "active": true,
		}
	}
	if st, _ := o.do("POST", "/Users", newUser("existing.user@example.com"), ""); st != 201 {
		t.Fatalf("pre-step create: %d", st)
	}
	isNumber := func(v any) bool { _, ok := v.(float64); return ok }
	errorShape := func(step string, st, want int, body map[string]any) {
		t.Helper()
		if st != want || body["detail"] == nil || body["status"] != fmt.Sprint(want) ||
			fmt.Sprint(body["schemas"]) != "[urn:ietf:params:scim:api:messages:2.0:Error]" {
			t.Fatalf("%s: status %d (want %d), body %v", step, st, want, body)
		}
	}
	requiredFields := func(step string, u map[string]any) {
		t.Helper()
		name, _ := u["name"].(map[string]any)
		emails, _ := u["emails"].([]any)
		if u["id"] == nil || name["familyName"] == nil || name["givenName"] == nil || u["userName"] == nil ||
			u["active"] == nil || len(emails) == 0 || emails[0].(map[string]any)["value"] == nil {
			t.Fatalf("%s: missing required fields: %v", step, u)
		}
	}

	// 1. GET /Users?count=1&startIndex=1
	st, list := o.do("GET", "/Users?count=1&startIndex=1", nil, "")
	if st != 200 || fmt.Sprint(list["schemas"]) != "[urn:ietf:params:scim:api:messages:2.0:ListResponse]" ||
		!isNumber(list["itemsPerPage"]) || !isNumber(list["startIndex"]) || !isNumber(list["totalResults"]) {
		t.Fatalf("step 1: %d %v", st, list)
	}
	first := list["Resources"].([]any)[0].(map[string]any)
	requiredFields("step 1", first)
	id := first["id"].(string)

	// 2. GET /Users/{id}
	st, u := o.do("GET", "/Users/"+id, nil, "")
	if st != 200 || u["id"] != id {
		t.Fatalf("step 2: %d %v", st, u)
	}
	requiredFields("step 2", u)

	// 3. filter for an address that does not exist
	q := func(userName string) string {
		return "/Users?filter=" + url.QueryEscape(`userName eq "`+userName+`"`)
	}
	if st, l := o.do("GET", q("no.such.user.3f1c@example.com"), nil, ""); st != 200 || l["totalResults"] != float64(0) {
		t.Fatalf("step 3: %d %v", st, l)
	}
	// 4. GET an id that does not exist
	st, e := o.do("GET", "/Users/010101010101", nil, "")
	errorShape("step 4", st, 404, e)
	// 5. filter for a random new address: totalResults is the number 0
	random := fmt.Sprintf("Spec.Random%d@Example.com", time.Now().UnixNano())
	if st, l := o.do("GET", q(random), nil, ""); st != 200 || l["totalResults"] != float64(0) {
		t.Fatalf("step 5: %d %v", st, l)
	}
	// 6. create it with a mixed-case userName
	st, created := o.do("POST", "/Users", newUser(random), "")
	if st != 201 || created["active"] != true || created["id"] == nil || created["userName"] != random ||
		created["name"].(map[string]any)["givenName"] != "Spec" || created["name"].(map[string]any)["familyName"] != "Tester" ||
		!strings.Contains(fmt.Sprint(created["schemas"]), userSchema) {
		t.Fatalf("step 6: %d %v", st, created)
	}
	newID := created["id"].(string)
	// 7. read it back
	if st, u := o.do("GET", "/Users/"+newID, nil, ""); st != 200 || u["userName"] != random || u["name"].(map[string]any)["givenName"] != "Spec" {
		t.Fatalf("step 7: %d %v", st, u)
	}
	// 8. the same userName again → 409
	if st, _ := o.do("POST", "/Users", newUser(random), ""); st != 409 {
		t.Fatalf("step 8: %d", st)
	}
	// 9. filter with the userName upper-cased (the stricter reading: 1 hit)
	if st, l := o.do("GET", q(strings.ToUpper(random)), nil, ""); st != 200 || l["totalResults"] != float64(1) {
		t.Fatalf("step 9: %d %v", st, l)
	}
	// 10. GET /Groups
	if st, g := o.do("GET", "/Groups", nil, ""); st != 200 || g["Resources"] == nil {
		t.Fatalf("step 10: %d %v", st, g)
	}
	// 11. a non-token Authorization → 401
	st, e = o.do("GET", q(random), nil, "Basic bm90OmF0b2tlbg==")
	errorShape("step 11", st, 401, e)
	// 12. another id that does not exist
	st, e = o.do("GET", "/Users/"+strings.Repeat("9", 24), nil, "")
	errorShape("step 12", st, 404, e)
}

// TestServeStoreFile: with --store-file the workspace survives a restart.
func TestServeStoreFile(t *testing.T) {
	path := t.TempDir() + "/ws.json"
	envs := map[string]string{"SCIMULATOR_ADMIN_KEY": "file-key"}
	var id string
	t.Run("first run", func(t *testing.T) {
		base, _, _ := startServe(t, []string{"--enable-scim", "--store-file", path}, envs)
		o := &okta{t: t, base: base + "/scim/v2", token: "file-key", client: http.DefaultClient}
		st, u := o.do("POST", "/Users", map[string]any{
			"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "Kept@Example.com",
		}, "")
		if st != 201 {
			t.Fatalf("create: %d", st)
		}
		id = u["id"].(string)
	})
	t.Run("second run", func(t *testing.T) {
		base, stdout, _ := startServe(t, []string{"--store-file", path}, envs)
		// The banner reports the stored setting, not the absent flag.
		if !strings.Contains(stdout.String(), "SCIM on)") {
			t.Errorf("banner after restart without --enable-scim does not say SCIM on:\n%s", stdout.String())
		}
		o := &okta{t: t, base: base + "/scim/v2", token: "file-key", client: http.DefaultClient}
		if st, u := o.do("GET", "/Users/"+id, nil, ""); st != 200 || u["userName"] != "Kept@Example.com" {
			t.Fatalf("after restart (SCIM setting kept on): %d %v", st, u)
		}
	})
	raw, err := os.ReadFile(path)
	if err != nil || strings.Contains(string(raw), "file-key") {
		t.Fatalf("store file unreadable or holds the secret: %v", err)
	}
}

// TestServeHTTPServerTimeouts: the write timeout is the deprovision's drain
// bound (one constant), so no response can be written after the drain gave
// up on it.
func TestServeHTTPServerTimeouts(t *testing.T) {
	hs := newHTTPServer(http.NotFoundHandler(), zerolog.Nop())
	if hs.WriteTimeout != reference.WriteTimeout || hs.WriteTimeout <= 0 {
		t.Fatalf("WriteTimeout %s, want reference.WriteTimeout %s", hs.WriteTimeout, reference.WriteTimeout)
	}
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Fatalf("timeouts must all be set: %+v", hs)
	}
}

// TestSelfSignedCertNames: the certificate names localhost and the loopback
// addresses plus the --addr host, each exactly once (the default
// 127.0.0.1 and "LOCALHOST" are not repeated; 0.0.0.0 is not a name).
func TestSelfSignedCertNames(t *testing.T) {
	tests := []struct {
		addr    string
		wantIPs []string
		wantDNS []string
	}{
		{"127.0.0.1:8080", []string{"127.0.0.1", "::1"}, []string{"localhost"}},
		{"[::1]:8080", []string{"127.0.0.1", "::1"}, []string{"localhost"}},
		{"0.0.0.0:8080", []string{"127.0.0.1", "::1"}, []string{"localhost"}},
		{"LOCALHOST:8080", []string{"127.0.0.1", "::1"}, []string{"localhost"}},
		{"192.0.2.7:8443", []string{"127.0.0.1", "::1", "192.0.2.7"}, []string{"localhost"}},
		{"scim.test:8443", []string{"127.0.0.1", "::1"}, []string{"localhost", "scim.test"}},
	}
	for _, tc := range tests {
		cert, _, err := selfSignedCert(tc.addr, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", tc.addr, err)
		}
		c, err := x509.ParseCertificate(cert.Certificate[0])
		if err != nil {
			t.Fatal(err)
		}
		var ips []string
		for _, ip := range c.IPAddresses {
			ips = append(ips, ip.String())
		}
		if !slices.Equal(ips, tc.wantIPs) || !slices.Equal(c.DNSNames, tc.wantDNS) {
			t.Errorf("%s: IPs %v DNS %v, want %v %v", tc.addr, ips, c.DNSNames, tc.wantIPs, tc.wantDNS)
		}
	}
}

// TestServeReportsFinalSaveError: when the store file cannot be saved at
// shutdown, serve fails saying so instead of exiting 0 with the workspace
// lost.
func TestServeReportsFinalSaveError(t *testing.T) {
	path := t.TempDir() + "/ws.json"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--addr", "127.0.0.1:0", "--store-file", path}, mapEnv(nil), stdout, io.Discard)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for listenRE.FindStringSubmatch(stdout.String()) == nil {
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A directory where the file was: the atomic rename of the final save
	// fails, even for root.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "serve: save store:") {
			t.Fatalf("serve returned %v, want a save store error", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestServeConsoleLogNoColourOffTerminal: --log-format console writes no
// ANSI escapes when stderr is not a terminal (a buffer here, a file or pipe
// in practice); a character device is a terminal.
func TestServeConsoleLogNoColourOffTerminal(t *testing.T) {
	base, _, stderr := startServe(t, []string{"--log-format", "console"}, nil)
	// A refused SCIM request is logged (level, method, path, status: the
	// parts the console writer colours on a terminal).
	resp, err := http.Get(base + "/scim/v2/Users")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(stderr.String(), "/scim/v2/Users") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out := stderr.String()
	if strings.Contains(out, "\x1b[") {
		t.Fatalf("console log off a terminal holds ANSI escapes:\n%q", out)
	}
	if !strings.Contains(out, "INF serving") || !strings.Contains(out, "/scim/v2/Users") {
		t.Fatalf("no console log lines for start-up and the request:\n%s", out)
	}

	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
		t.Error("a regular file or a buffer counted as a terminal")
	}
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		if !isTerminal(null) { // /dev/null is a character device
			t.Error("a character device did not count as a terminal")
		}
	}
}
