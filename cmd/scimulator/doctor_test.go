package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/reference"
)

// doctorTarget serves a fresh reference server over HTTPS and writes its
// certificate to a PEM file for --ca-file.
func doctorTarget(t *testing.T, enableSCIM bool) (baseURL, key, caFile string) {
	t.Helper()
	srv, err := reference.New(reference.Config{EnableSCIM: enableSCIM})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return ts.URL + "/scim/v2", srv.AdminKey(), caFile
}

func runDoctorCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"doctor"}, args...), func(k string) string { return env[k] }, &stdout, &stderr)
	for _, v := range env {
		if strings.Contains(stdout.String()+stderr.String(), v) {
			t.Fatalf("doctor printed the secret")
		}
	}
	return code, stdout.String(), stderr.String()
}

func TestDoctorCommandUsageErrors(t *testing.T) {
	env := map[string]string{"TOKEN": "a-secret-token"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "--url and --token-env are required"},
		{"empty token variable", []string{"--url", "https://x/scim/v2", "--token-env", "NOPE"}, "NOPE is empty or unset"},
		{"unknown auth mode", []string{"--url", "https://x/scim/v2", "--token-env", "TOKEN", "--auth", "oauth"}, `--auth "oauth"`},
		{"basic without username", []string{"--url", "https://x/scim/v2", "--token-env", "TOKEN", "--auth", "basic"}, "--username"},
		{"not an http URL", []string{"--url", "ftp://x/scim/v2", "--token-env", "TOKEN"}, "must start with https://"},
		{"authorization in --header", []string{"--url", "https://x/scim/v2", "--token-env", "TOKEN", "--header", "Authorization: x"}, "--token-env"},
		{"missing CA file", []string{"--url", "https://x/scim/v2", "--token-env", "TOKEN", "--ca-file", "/nonexistent/ca.pem"}, "--ca-file"},
		{"stray argument", []string{"--url", "https://x/scim/v2", "--token-env", "TOKEN", "extra"}, "unexpected arguments"},
		{"URL without host", []string{"--url", "https:///scim/v2", "--token-env", "TOKEN"}, "has no host"},
		{"URL with query", []string{"--url", "https://x/scim/v2?a=1", "--token-env", "TOKEN"}, "query or fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runDoctorCLI(t, env, tt.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %s)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Fatalf("stderr %q lacks %q", stderr, tt.want)
			}
			// One prefix, from the command line; not "scimulator doctor: doctor: …".
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1] // flag errors come after the usage text
			if !strings.HasPrefix(last, "scimulator doctor: ") || strings.Contains(last, "doctor: doctor:") {
				t.Fatalf("error line %q: want exactly one \"scimulator doctor: \" prefix", last)
			}
		})
	}
}

func TestDoctorCommandForbiddenThenFixed(t *testing.T) {
	base, key, ca := doctorTarget(t, false)
	env := map[string]string{"CORTEX_TOKEN": key}
	code, out, _ := runDoctorCLI(t, env, "--url", base, "--token-env", "CORTEX_TOKEN", "--ca-file", ca)
	if code != 1 {
		t.Fatalf("exit %d with SCIM off, want 1\n%s", code, out)
	}
	for _, want := range []string{"Forbidden from remote server", "SCIM is not enabled on the target", "Okta would NOT accept"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runDoctorCLI(t, env, "--url", base, "--token-env", "CORTEX_TOKEN", "--ca-file", ca, "--json")
	if code != 1 {
		t.Fatalf("--json exit %d, want 1", code)
	}
	var rep struct {
		OK       bool
		Findings []struct{ Code, Severity string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if rep.OK || len(rep.Findings) == 0 || rep.Findings[0].Code != "forbidden-scim-disabled" {
		t.Fatalf("--json report = %+v, want ok false and forbidden-scim-disabled", rep)
	}
}

func TestDoctorCommandSuccessAndDeep(t *testing.T) {
	base, key, ca := doctorTarget(t, true)
	env := map[string]string{"CORTEX_TOKEN": key}
	// The test passes, but only because --ca-file trusts the test server's
	// private certificate, which Okta would not: exit 1, and say why.
	code, out, stderr := runDoctorCLI(t, env, "--url", base, "--token-env", "CORTEX_TOKEN", "--ca-file", ca, "--deep")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (private CA)\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"was verified successfully", "Round trip (--deep)", "deactivated",
		"[ERROR] the certificate is trusted only through --ca-file; Okta will reject it unless it chains to a public CA",
		"Okta would NOT accept"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	// Without a certificate in the way (plain HTTP, allowed for local
	// testing) the same server passes: exit 0.
	srv, err := reference.New(reference.Config{EnableSCIM: true, AdminKey: key})
	if err != nil {
		t.Fatal(err)
	}
	plain := httptest.NewServer(srv.Handler())
	t.Cleanup(plain.Close)
	code, out, stderr = runDoctorCLI(t, env, "--url", plain.URL+"/scim/v2", "--token-env", "CORTEX_TOKEN", "--allow-http", "--deep")
	if code != 0 || !strings.Contains(out, "Okta would say the connection works") {
		t.Fatalf("plain HTTP with --allow-http: exit %d, want 0\n%s\n%s", code, out, stderr)
	}
	// Header mode sends the value verbatim: without "Bearer " the reference
	// server answers 401 and doctor says how to fix the header value.
	code, out, _ = runDoctorCLI(t, env, "--url", base, "--token-env", "CORTEX_TOKEN", "--ca-file", ca, "--auth", "header")
	if code != 1 || !strings.Contains(out, `put "Bearer " before the key`) {
		t.Fatalf("header mode without Bearer: exit %d, want 1 and a hint\n%s", code, out)
	}
}

func TestDoctorCommandRefusesURLPassword(t *testing.T) {
	const password = "UserinfoPass999"
	env := map[string]string{"TOKEN": "a-secret-token"}
	url := "http://u:" + password + "@127.0.0.1:18301/echo"
	for _, extra := range [][]string{nil, {"--json"}, {"--allow-http", "--json"}} {
		args := append([]string{"--url", url, "--token-env", "TOKEN"}, extra...)
		code, stdout, stderr := runDoctorCLI(t, env, args...)
		if code != 2 {
			t.Fatalf("%v: exit %d, want 2 (usage)", extra, code)
		}
		if strings.Contains(stdout+stderr, password) {
			t.Fatalf("%v: the URL's password was printed:\n%s%s", extra, stdout, stderr)
		}
		if stdout != "" || !strings.Contains(stderr, "--auth basic --username") || !strings.Contains(stderr, "--token-env") {
			t.Fatalf("%v: want no report and an error naming --auth basic --username and --token-env, got\n%s%s", extra, stdout, stderr)
		}
	}
}

// TestDoctorEntraFlags: --idp entra runs Entra's Test Connection, and the
// flags that only describe Okta's test are refused rather than ignored.
func TestDoctorEntraFlags(t *testing.T) {
	env := func(string) string { return "tok" }
	for _, args := range [][]string{
		{"--idp", "entra", "--url", "https://x.example/scim/v2", "--token-env", "T", "--deep"},
		{"--idp", "entra", "--url", "https://x.example/scim/v2", "--token-env", "T", "--groups"},
		{"--idp", "entra", "--url", "https://x.example/scim/v2", "--token-env", "T", "--auth", "header"},
		{"--idp", "azure", "--url", "https://x.example/scim/v2", "--token-env", "T"},
	} {
		var out, errb bytes.Buffer
		err := runDoctor(context.Background(), args, env, &out, &errb)
		var ue *exitError
		if !errors.As(err, &ue) || ue.code != 2 {
			t.Errorf("%v: err %v, want a usage error (exit 2)", args, err)
		}
	}
}

// TestDoctorEntraAgainstTheReference: Entra's Test Connection against the
// reference server over plain HTTP (--allow-http): exit 0 with the key,
// exit 1 with an unknown token, and the Entra admin's notification printed.
func TestDoctorEntraAgainstTheReference(t *testing.T) {
	srv, err := reference.New(reference.Config{EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	code, out, errOut := runDoctorCLI(t, map[string]string{"K": srv.AdminKey()}, "--idp", "entra", "--url", ts.URL+"/scim/v2", "--token-env", "K", "--allow-http")
	if code != 0 || !strings.Contains(out, "Entra shows: The supplied credentials are authorized to enable provisioning") ||
		!strings.Contains(out, "Entra sent  GET "+ts.URL+"/scim/v2/Users?filter=userName+eq+%22") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runDoctorCLI(t, map[string]string{"K": "unknown-token-for-entra"}, "--idp", "entra", "--url", ts.URL+"/scim/v2", "--token-env", "K", "--allow-http")
	if code != 1 || !strings.Contains(out, "You appear to have entered invalid credentials") || !strings.Contains(out, "[ERROR] the target refuses the Secret Token") {
		t.Fatalf("unknown token: exit %d\n%s", code, out)
	}
}
