package steps

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// tamperedTarget serves a clean reference server behind a middleware that
// edits its answers with edit (method, path, body) → body, and returns a
// --url profile for it. It lets a test plant a bug no fault switch has, to
// prove a scenario checks what it claims.
func tamperedTarget(t *testing.T, edit func(method, path string, body []byte) []byte) target.Profile {
	t.Helper()
	return wrappedTarget(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := edit(r.Method, r.URL.Path, rec.Body.Bytes())
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = io.Copy(w, bytes.NewReader(body))
		})
	})
}

// wrappedTarget serves a clean reference server behind the handler wrap
// makes of it, and returns a --url profile for it, with the reference's
// admin API for the probes.
func wrappedTarget(t *testing.T, wrap func(http.Handler) http.Handler) target.Profile {
	t.Helper()
	return wrappedTargetAs(t, frontAuth{mode: target.AuthBearer}, wrap)
}

// frontAuth is how the harness authenticates to a wrapped target: the
// auth mode, the user name for Basic, and the secret made of the
// reference's admin key (the key itself when nil). The wrapper turns it
// back into the reference's bearer key.
type frontAuth struct {
	mode     target.AuthMode
	username string
	secret   func(key string) string
}

// wrappedTargetAs is wrappedTarget for a front that takes another
// credential than the reference's bearer key.
func wrappedTargetAs(t *testing.T, a frontAuth, wrap func(http.Handler) http.Handler) target.Profile {
	t.Helper()
	srv, err := reference.New(reference.Config{EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(wrap(srv.Handler()))
	t.Cleanup(hs.Close)
	p, err := target.FromFlags(target.Flags{URL: hs.URL + "/scim/v2", TokenEnv: "TAMPER_TOKEN", Auth: string(a.mode), Username: a.username, Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	secret := srv.AdminKey()
	if a.secret != nil {
		secret = a.secret(secret)
	}
	p, err = p.Resolve(func(string) string { return secret })
	if err != nil {
		t.Fatal(err)
	}
	// The reference admin API, for the probes (the SCIM token is an admin
	// key, so it serves both).
	p.Admin = &target.Admin{BaseURL: hs.URL + "/api/v1", Auth: p.Auth, ClientIPHeader: "X-Forwarded-For", ClientIP: harnessIP}
	p.BuiltinProbes = target.BuiltinReference
	return p
}

// runNamed runs the scenarios of the embedded features named name against p
// and returns the one record.
func runNamed(t *testing.T, p target.Profile, name string) reports.Scenario {
	t.Helper()
	return runNamedIn(t, Config{Target: p}, name)
}

// runNamedIn is runNamed with the run's whole configuration (profile,
// tags).
func runNamedIn(t *testing.T, cfg Config, name string) reports.Scenario {
	t.Helper()
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range run.Scenarios {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no scenario %q ran", name)
	return reports.Scenario{}
}

// TestSPECTestChecksBothNames: Okta's SPEC test steps 6 and 7 compare the
// given and the family name; a target that loses the family name fails it.
func TestSPECTestChecksBothNames(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			p := tamperedTarget(t, func(m, path string, body []byte) []byte {
				if m == method && bytes.Contains(body, []byte(`"userName":"Spec.New.`)) {
					return bytes.ReplaceAll(body, []byte(`"familyName":"Example"`), []byte(`"familyName":"Lost"`))
				}
				return body
			})
			s := runNamed(t, p, "Okta's SPEC test passes step by step")
			if s.Status != reports.StatusFailed || s.Failure == nil || s.Failure.Expected != `name.familyName = "Example"` {
				t.Fatalf("status %s, failure %+v: want a failure on name.familyName", s.Status, s.Failure)
			}
		})
	}
}

// TestForbiddenKeyScenarioChecksTheDetail: a 403 whose detail does not say
// which permissions the key lacks fails the scenario.
func TestForbiddenKeyScenarioChecksTheDetail(t *testing.T) {
	p := tamperedTarget(t, func(m, path string, body []byte) []byte {
		if m == http.MethodGet && bytes.Contains(body, []byte("MANAGE_IDENTITY_MAPPINGS")) && bytes.Contains(body, []byte(`"status":"403"`)) {
			return []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"403","detail":"forbidden"}`)
		}
		return body
	})
	s := runNamed(t, p, "Test API Credentials says Forbidden from remote server for a key without the three SCIM permissions")
	if s.Status != reports.StatusFailed || s.Failure == nil || !strings.Contains(s.Failure.Expected, "CONFIGURE_OIDC_AND_SCIM") {
		t.Fatalf("status %s, failure %+v: want a failure naming the missing permission", s.Status, s.Failure)
	}
}

// TestIgnoredAttributesScenarioChecksMoreThanTitle: a target that stores
// nickName from a profile push fails "Attributes other than the names are
// ignored".
func TestIgnoredAttributesScenarioChecksMoreThanTitle(t *testing.T) {
	p := tamperedTarget(t, func(m, path string, body []byte) []byte {
		if m == http.MethodGet && bytes.Contains(body, []byte(`"givenName":"Gilda"`)) {
			return bytes.Replace(body, []byte(`{`), []byte(`{"nickName":"gg",`), 1)
		}
		return body
	})
	s := runNamed(t, p, "Attributes other than the names are ignored, not errors")
	if s.Status != reports.StatusFailed || s.Failure == nil || !strings.Contains(s.Failure.Expected, "nickName") {
		t.Fatalf("status %s, failure %+v: want a failure on nickName", s.Status, s.Failure)
	}
}

// TestStaleIfMatchOnPatchAndDelete: with If-Match ignored, the PATCH and
// DELETE scenarios fail, each on the 412 it expected.
func TestStaleIfMatchOnPatchAndDelete(t *testing.T) {
	p := target.Default()
	p.InProcess = &target.InProcessSpec{Faults: []string{"etag-ignored"}}
	run, err := Run(context.Background(), Config{Target: p, Tags: string(TagETag)})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"PATCH with a stale If-Match answers 412 and changes nothing", "DELETE with a stale If-Match answers 412 and the user stays"} {
		var got *reports.Scenario
		for i := range run.Scenarios {
			if run.Scenarios[i].Name == name {
				got = &run.Scenarios[i]
			}
		}
		if got == nil || got.Status != reports.StatusFailed || got.Failure == nil || !strings.Contains(got.Failure.Expected, "412") {
			t.Errorf("%s: %+v, want failed on the 412", name, got)
		}
	}
}
