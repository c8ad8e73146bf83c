package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scimulator/scimulator/internal/hostile"
)

// hostileToken is the secret the matrix hands the harness; the escaping
// target echoes it back, and it must appear in no output and no report.
const hostileToken = "hostile-matrix-s3cr3t-7f1d"

// hostileCase is what `run` and `doctor` must make of one hostile target.
type hostileCase struct {
	// timeout is --timeout for both commands: short where the target
	// makes the harness wait for it, generous where it answers at once (a
	// loaded CI machine must not turn an answer into a timeout).
	timeout string
	runCode int
	runSays string // in run's stdout or stderr
	// doctorFindings are doctor's finding codes after plain-http, in order.
	doctorFindings []string
	doctorSays     string // in doctor's text output
	// entraFindings are `doctor --idp entra`'s finding codes after
	// plain-http: the body distinctions hold for Entra's test too.
	entraFindings []string
}

// hostileMatrix is the expected reading of every hostile.Behaviour; the
// README's doctor section names each behaviour's finding (checked below).
var hostileMatrix = map[string]hostileCase{
	"never answers": {"300ms", 2, "sent no answer within 300ms (--timeout)",
		[]string{"read-timeout"}, "the target accepted the connection but sent no answer within 300ms", []string{"transport-error"}},
	"stalls the body": {"300ms", 2, "then the body stalled: it did not finish within 300ms (--timeout)",
		[]string{"body-stalled"}, "then the body stalled", []string{"body-stalled"}},
	"garbage JSON": {"3s", 1, `got HTTP 200 to GET /scim/v2/Users?count=1&startIndex=1: {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1, "Resources": [{"id": tru`,
		[]string{"not-json"}, "the answer is not JSON", []string{"not-list-response"}},
	"50 MB body": {"20s", 2, "with a body larger than 10485760 bytes",
		[]string{"body-too-large"}, "read 10485761 bytes (10.0 MiB) and stopped (Content-Length 52428800)", []string{"body-too-large"}},
	"redirect to another host": {"3s", 1, "Redirect to https://attacker.example/steal/scim/v2/Users?startIndex=1&count=2 not followed",
		[]string{"redirect"}, "https://attacker.example/steal", []string{"transport-error"}},
	"reset mid-body": {"3s", 2, "then the connection was reset: the body was cut off",
		[]string{"body-truncated"}, "the connection was reset before the body was complete", []string{"body-truncated"}},
	"500 to all": {"3s", 1, "Errors reported by remote server: database on fire",
		[]string{"http-error"}, "database on fire", []string{"http-error"}},
	"escape sequences in body and headers": {"3s", 1, `got Content-Type "application/scim+json\u009b31m\u202ered`,
		[]string{"not-json"}, `\x1b]0;pwned\x07`, []string{"not-list-response"}},
	"escape sequences in an error detail": {"3s", 1, `Okta admin sees: Error authenticating: Internal Server Error. Errors reported by remote server: \x1b]0;`,
		[]string{"http-error"}, `evidence: \x1b]0;pwned\x07\x1b[31mRED\x1b[2J\u009b1m\x00 you sent [REDACTED]`, []string{"http-error"}},
	"2 MB response header": {"3s", 2, "HTTP 401",
		[]string{"unauthorized"}, "the target does not accept the API token", []string{"unauthorized"}},
	"closes mid chunked body": {"3s", 2, "then the connection was closed: the body was cut off",
		[]string{"body-truncated"}, "the connection was closed before the body was complete", []string{"body-truncated"}},
	"empty 200": {"3s", 1, `got HTTP 200, dialog "No results for users returned"`,
		[]string{"empty-body"}, "the list answer is empty", []string{"not-list-response"}},
}

// TestHostileTargets runs `run` and `doctor` against every hostile target
// (issue 11) and checks the exit code, the finding, that no raw control
// byte reaches stdout, stderr or any report, and that the token appears
// nowhere. Short timeouts keep it fast.
func TestHostileTargets(t *testing.T) {
	// The check must be able to fail: the raw escapes a target sends are
	// what it looks for.
	if unsafeAt(hostile.Escapes, false) < 0 || unsafeAt(hostile.HeaderEscapes, false) < 0 {
		t.Fatal("unsafeAt does not see the hostile escapes: the matrix would check nothing")
	}
	env := func(k string) string {
		if k == "HOSTILE_TOKEN" {
			return hostileToken
		}
		return ""
	}
	for _, b := range hostile.Behaviours() {
		want, ok := hostileMatrix[b.Name]
		if !ok {
			t.Errorf("behaviour %q has no expectation in the matrix", b.Name)
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewUnstartedServer(b.Handler(hostileToken))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.Start()
			t.Cleanup(srv.Close)
			base := srv.URL + "/scim/v2"

			dir := filepath.Join(t.TempDir(), "report")
			code, stdout, stderr := runCLI(env, "run", "--url", base, "--token-env", "HOSTILE_TOKEN", "--allow-http",
				"--timeout", want.timeout, "--tags", "@discovery,@auth", "--report-dir", dir)
			checkOutputs(t, "run", stdout, stderr)
			if code != want.runCode {
				t.Errorf("run exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want.runCode, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, want.runSays) {
				t.Errorf("run output lacks %q\nstdout:\n%s\nstderr:\n%s", want.runSays, stdout, stderr)
			}
			files := checkReports(t, dir)
			if want.runCode == 2 && files > 0 {
				t.Errorf("run refused the target (exit 2) but wrote %d report files", files)
			}
			if want.runCode == 1 && files == 0 {
				t.Error("run judged the target (exit 1) but wrote no report")
			}

			doctorArgs := []string{"doctor", "--url", base, "--token-env", "HOSTILE_TOKEN", "--allow-http", "--timeout", want.timeout, "--connect-timeout", "2s"}
			code, stdout, stderr = runCLI(env, doctorArgs...)
			checkOutputs(t, "doctor", stdout, stderr)
			if code != 1 {
				t.Errorf("doctor exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, want.doctorSays) {
				t.Errorf("doctor output lacks %q:\n%s", want.doctorSays, stdout)
			}
			if len(stdout) > 20<<10 {
				t.Errorf("doctor printed %d bytes: a target must not be able to flood the terminal", len(stdout))
			}

			code, stdout, stderr = runCLI(env, append(doctorArgs, "--json")...)
			checkOutputs(t, "doctor --json", stdout, stderr)
			if len(stdout) > 64<<10 {
				t.Errorf("doctor --json printed %d bytes: values from the target must be bounded", len(stdout))
			}
			if code != 1 {
				t.Errorf("doctor --json exit %d, want 1", code)
			}
			if codes := findingCodes(t, stdout); !slices.Equal(codes, want.doctorFindings) {
				t.Errorf("doctor findings %v, want %v", codes, want.doctorFindings)
			}

			entraArgs := []string{"doctor", "--idp", "entra", "--url", base, "--token-env", "HOSTILE_TOKEN", "--allow-http", "--timeout", want.timeout}
			code, stdout, stderr = runCLI(env, entraArgs...)
			checkOutputs(t, "doctor --idp entra", stdout, stderr)
			if code != 1 {
				t.Errorf("doctor --idp entra exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			code, stdout, stderr = runCLI(env, append(entraArgs, "--json")...)
			checkOutputs(t, "doctor --idp entra --json", stdout, stderr)
			if codes := findingCodes(t, stdout); !slices.Equal(codes, want.entraFindings) {
				t.Errorf("doctor --idp entra findings %v, want %v", codes, want.entraFindings)
			}
		})
	}
}

// TestREADMENamesEachHostileFinding: the README's doctor section has a row
// for every hostile behaviour naming its finding.
func TestREADMENamesEachHostileFinding(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Troubleshooting with `scimulator doctor`")
	if !ok {
		t.Fatal("README has no doctor section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for name, c := range hostileMatrix {
		row := ""
		for _, line := range strings.Split(section, "\n") {
			if strings.HasPrefix(line, "| "+name+" |") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("the doctor section has no table row for %q", name)
			continue
		}
		for _, code := range c.doctorFindings {
			if !strings.Contains(row, "`"+code+"`") {
				t.Errorf("README row for %q does not name the finding `%s`: %s", name, code, row)
			}
		}
	}
}

// findingCodes are the finding codes of a doctor --json report, without
// the plain-http warning every matrix target (http://) gets.
func findingCodes(t *testing.T, stdout string) []string {
	t.Helper()
	var rep struct {
		Findings []struct{ Code string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, stdout)
	}
	var codes []string
	for _, f := range rep.Findings {
		if f.Code != "plain-http" {
			codes = append(codes, f.Code)
		}
	}
	return codes
}

func runCLI(env env, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// checkOutputs fails the test when stdout or stderr holds a raw control
// byte or the token.
func checkOutputs(t *testing.T, what, stdout, stderr string) {
	t.Helper()
	for name, s := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if i := unsafeAt(s, true); i >= 0 {
			t.Errorf("%s %s: raw control or invalid byte at %d: %q", what, name, i, around(s, i))
		}
		checkSecret(t, what+" "+name, s)
	}
}

// checkReports checks every file in dir like checkOutputs and returns how
// many there are. JSON files (cucumber.json, the HAR) keep encoding/json's
// escaping, which writes C1 characters as they are: only C0 controls, DEL
// and invalid UTF-8 are refused there.
func checkReports(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		isJSON := strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".har")
		if i := unsafeAt(s, !isJSON); i >= 0 {
			t.Errorf("report %s: raw control or invalid byte at %d: %q", filepath.Base(path), i, around(s, i))
		}
		checkSecret(t, "report "+filepath.Base(path), s)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return n
}

func checkSecret(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, hostileToken) {
		t.Errorf("%s shows the token", where)
	}
}

// unsafeAt returns the byte offset of the first thing a terminal would act
// on — a C0 control other than newline, tab and carriage return, DEL,
// invalid UTF-8, and with c1 a C1 control — or -1.
func unsafeAt(s string, c1 bool) int {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return i
		case r < 0x20 && r != '\n' && r != '\t' && r != '\r', r == 0x7f:
			return i
		case c1 && r >= 0x80 && r <= 0x9f:
			return i
		}
	}
	return -1
}

func around(s string, i int) string {
	return s[max(0, i-40):min(len(s), i+40)]
}
