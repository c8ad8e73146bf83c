package reports

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRedactText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bearer scheme", "Authorization: Bearer abc.def-123", "Authorization: " + Redacted},
		{"bearer in prose", "sent Bearer abcdef123 to the target", "sent Bearer " + Redacted + " to the target"},
		{"basic scheme", "basic dXNlcjpwYXNz", "basic " + Redacted},
		{"okta ssws scheme", "SSWS 00abcDEF", "SSWS " + Redacted},
		{"cookie header line", "Cookie: sid=1; theme=dark", "Cookie: " + Redacted},
		{"set-cookie line in a dump", "HTTP/1.1 200 OK\nSet-Cookie: sid=1\nX: y", "HTTP/1.1 200 OK\nSet-Cookie: " + Redacted + "\nX: y"},
		{"json password", `{"userName":"ana","password":"p@ss\"word"}`, `{"userName":"ana","password":"` + Redacted + `"}`},
		{"pretty json token", "{\n  \"sessionToken\": \"abc\"\n}", "{\n  \"sessionToken\": \"" + Redacted + "\"\n}"},
		{"json api key", `{"apiKey": "k1", "api_key":"k2", "key":"k3"}`, `{"apiKey": "` + Redacted + `", "api_key":"` + Redacted + `", "key":"` + Redacted + `"}`},
		{"json secret", `{"secret":"s"}`, `{"secret":"` + Redacted + `"}`},
		{"query token", "https://h/x?access_token=abc&count=1", "https://h/x?access_token=" + Redacted + "&count=1"},
		{"form password", "user=ana&password=hunter2", "user=ana&password=" + Redacted},
		{"yaml long token", "apiToken: 0123456789abcdef", "apiToken: " + Redacted},
		{"jwt", "token is " + plantedJWT + " ok", "token is " + Redacted + " ok"},
		{"url userinfo", "https://admin:pw@host/scim", "https://" + Redacted + "@host/scim"},
		{"padded credential ending a quoted string", `{"detail":"sent Bearer dXNlcjpwYXNz="}`, `{"detail":"sent Bearer ` + Redacted + `"}`},
		{"credential named like a parameter", `Bearer realm=abcdef`, `Bearer ` + Redacted},
		{"okta token after the scheme and a word", "Authorization failed for SSWS token 00aB3cD4eF5gH6iJ7kL8mN9 (revoked)", "Authorization failed for SSWS token " + Redacted + " (revoked)"},
		{"credential word then its value", "invalid api_key\tAKIA1234567890ABCDEF", "invalid api_key\t" + Redacted},
		// Things that must survive untouched.
		{"long word after a credential word", "the token internationalization failed", "the token internationalization failed"},
		{"number after a credential word", "token 12345678901234567890 of 3", "token 12345678901234567890 of 3"},
		{"short value after a credential word", "the token ab12cd expired", "the token ab12cd expired"},
		{"bearer challenge", `Bearer realm="scimulator", error="invalid_token"`, `Bearer realm="scimulator", error="invalid_token"`},
		{"basic challenge", `Basic realm="SCIM Gateway", charset="UTF-8"`, `Basic realm="SCIM Gateway", charset="UTF-8"`},
		{"challenge opening with its error", `Bearer error="invalid_token"`, `Bearer error="invalid_token"`},
		{"scheme named in prose", "the credential is not a Bearer token; use Basic authentication", "the credential is not a Bearer token; use Basic authentication"},
		{"challenge quoted in a message", `got ["Basic realm=\"SCIM Gateway\""]`, `got ["Basic realm=\"SCIM Gateway\""]`},
		{"padded credential quoted in a message", `sent "Bearer dXNlcjpwYXNz=\""`, `sent "Bearer ` + Redacted + `\""`},
		{"email in filter", `GET /Users?filter=userName eq "ana@example.com"`, `GET /Users?filter=userName eq "ana@example.com"`},
		{"okta parser message", "Unrecognized token 'Forbidden': was expecting JSON", "Unrecognized token 'Forbidden': was expecting JSON"},
		{"non-string json value", `{"active":true,"sessions":2,"keepInTeams":false}`, `{"active":true,"sessions":2,"keepInTeams":false}`},
		{"scim id", `{"id":"2819c223-7f76-453a-919d-413861904646"}`, `{"id":"2819c223-7f76-453a-919d-413861904646"}`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactText(tt.in); got != tt.want {
				t.Errorf("RedactText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactHeaders(t *testing.T) {
	in := http.Header{
		"Authorization":    {"Bearer x"},
		"Cookie":           {"a=b"},
		"Set-Cookie":       {"a=b", "c=d"},
		"X-Api-Key":        {"k"},
		"X-Auth-Token":     {"t"},
		"Content-Type":     {"application/scim+json"},
		"X-Note":           {"Bearer abcdefgh"},
		"Www-Authenticate": {`Bearer realm="scim"`},
	}
	got := RedactHeaders(in)
	for _, name := range []string{"Authorization", "Cookie", "X-Api-Key", "X-Auth-Token"} {
		if got.Get(name) != Redacted {
			t.Errorf("%s = %q, want redacted", name, got.Get(name))
		}
	}
	if v := got.Values("Set-Cookie"); len(v) != 2 || v[0] != Redacted || v[1] != Redacted {
		t.Errorf("Set-Cookie = %v, want both values redacted", v)
	}
	if got.Get("Content-Type") != "application/scim+json" {
		t.Errorf("Content-Type changed: %q", got.Get("Content-Type"))
	}
	if got.Get("X-Note") != "Bearer "+Redacted {
		t.Errorf("credential inside an ordinary header survived: %q", got.Get("X-Note"))
	}
	if in.Get("Authorization") != "Bearer x" {
		t.Errorf("RedactHeaders modified its input")
	}
}

func TestRunRedactDeepCopiesAndScrubsLiterals(t *testing.T) {
	orig := sampleRun()
	before := sampleRun()
	literal := "ctx-plain-key-no-pattern"
	orig.Scenarios[0].Steps[0].Error = "the key " + literal + " was refused"
	before.Scenarios[0].Steps[0].Error = orig.Scenarios[0].Steps[0].Error

	got := orig.Redact(literal, "ab") // "ab" is too short to scrub
	if !reflect.DeepEqual(orig, before) {
		t.Fatalf("Redact modified the run it was called on")
	}
	if e := got.Scenarios[0].Steps[0].Error; e != "the key "+Redacted+" was refused" {
		t.Errorf("literal secret not scrubbed: %q", e)
	}
	if strings.Contains(got.Scenarios[1].Name, Redacted) || !strings.Contains(got.Scenarios[1].Name, "PATCH active:true") {
		t.Errorf("short literal scrubbed ordinary text: %q", got.Scenarios[1].Name)
	}
	if got.Target.BaseURL != "https://"+Redacted+"@cortex.example.com/scim/v2" {
		t.Errorf("BaseURL = %q", got.Target.BaseURL)
	}
	fx := got.Scenarios[1].Failure.Exchange
	if fx.RequestHeaders.Get("Authorization") != Redacted || strings.Contains(fx.RequestBody, plantedPass) {
		t.Errorf("failure exchange not redacted: %+v", fx)
	}
}

// TestNoArtefactLeaksASecret writes every artefact from a run full of planted
// credentials (and a HAR writer that leaks them too) and checks that no file
// holds any of them.
func TestNoArtefactLeaksASecret(t *testing.T) {
	run := sampleRun()
	run.Scenarios[0].Steps[0].Error = "login with " + plantedJWT
	dir := filepath.Join(t.TempDir(), "out")
	paths, err := WriteAll(dir, run, leakyHAR{})
	if err != nil {
		t.Fatalf("WriteAll: %v", err)
	}
	planted := []string{plantedBearer, plantedCookie, plantedPass, plantedJWT, plantedSession, "9d8c7b6a5f4e3d2c1b0a"}
	var buf strings.Builder
	if err := WriteSummary(&buf, run, paths); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"terminal summary": buf.String()}
	for _, p := range paths.List() {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(p)] = string(b)
	}
	if len(outputs) != 6 {
		t.Fatalf("got %d outputs, want 5 files and the summary", len(outputs))
	}
	for name, text := range outputs {
		for _, secret := range planted {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains planted secret %q", name, secret)
			}
		}
	}
	if !strings.Contains(outputs[FileHAR], Redacted) {
		t.Errorf("transcript.har shows no redaction marker; was the HAR writer used?")
	}
}

// TestEachWriterRedactsOnItsOwn calls every exported writer directly (not
// through WriteAll), since callers may use one alone.
func TestEachWriterRedactsOnItsOwn(t *testing.T) {
	writers := map[string]func(io.Writer, Run) error{
		"WriteJUnit":    WriteJUnit,
		"WriteCucumber": WriteCucumber,
		"WriteHTML":     WriteHTML,
		"WriteMarkdown": WriteMarkdown,
		"WriteHAR":      WriteHAR,
		"WriteSummary":  func(w io.Writer, r Run) error { return WriteSummary(w, r, Paths{}) },
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf, sampleRun()); err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{plantedBearer, plantedPass, plantedSession} {
				if strings.Contains(buf.String(), secret) {
					t.Errorf("%s output contains %q", name, secret)
				}
			}
		})
	}
}
