package steps

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

const invalidTokenScenario = "A 401 names invalid_token when a token was sent, and no error code when none was"

// basicFront serves the reference to a client that authenticates with
// Basic (user "okta", the API key as password), as many vendors' SCIM
// endpoints do, and challenges every 401 with the Basic scheme. Under the
// path prefix /strict it takes the scheme only spelled "Basic".
func basicFront(t *testing.T, mode target.AuthMode) target.Profile {
	t.Helper()
	// In bearer mode the front passes the Bearer key through unchanged.
	return wrappedTargetAs(t, frontAuth{mode: mode, username: "okta"}, func(ref http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			strict := strings.HasPrefix(r.URL.Path, "/strict/")
			r.URL.Path = strings.TrimPrefix(r.URL.Path, "/strict")
			if user, key, ok := r.BasicAuth(); ok && user == "okta" && (!strict || strings.HasPrefix(r.Header.Get("Authorization"), "Basic ")) {
				r.Header.Set("Authorization", "Bearer "+key)
			} else if strict {
				r.Header.Del("Authorization")
			}
			rec := httptest.NewRecorder()
			ref.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			if rec.Code == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Basic realm="scim", charset="UTF-8"`)
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	})
}

// TestInvalidTokenIsABearerRule: a target reached with Basic that
// challenges with Basic is not judged by RFC 6750's Bearer error codes
// (skipped, with the reason), while a bearer target that challenges with
// Basic still fails: RFC 6750 §3 makes its challenges Bearer ones.
func TestInvalidTokenIsABearerRule(t *testing.T) {
	s := runNamedIn(t, Config{Target: basicFront(t, target.AuthBasic), Profile: ProfileOkta, Tags: "@auth"}, invalidTokenScenario)
	if s.Status != reports.StatusSkipped || !strings.Contains(s.SkipReason, "Bearer scheme") || !strings.Contains(s.SkipReason, "Basic realm") {
		t.Errorf("Basic target: %s (%s), want skipped naming the Basic challenge and the Bearer scheme", s.Status, failureText(s))
	}
	s = runNamedIn(t, Config{Target: basicFront(t, target.AuthBearer), Profile: ProfileOkta, Tags: "@auth"}, invalidTokenScenario)
	if s.Status != reports.StatusFailed {
		t.Errorf("bearer target challenging with Basic: %s (%s), want failed", s.Status, failureText(s))
	}
}

// TestBasicTargetPassesTheOtherAuthScenarios: the front itself is a
// correct Basic target, so the skip above is not hiding a broken setup.
func TestBasicTargetPassesTheOtherAuthScenarios(t *testing.T) {
	run, err := Run(t.Context(), Config{Target: basicFront(t, target.AuthBasic), Profile: ProfileOkta, Tags: "@auth"})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Scenarios) < 2 {
		t.Fatalf("%d @auth scenarios ran, want several", len(run.Scenarios))
	}
	for _, s := range run.Scenarios {
		if s.Name != invalidTokenScenario && s.Status != reports.StatusPassed {
			t.Errorf("%s: %s (%s)", s.Name, s.Status, failureText(s))
		}
	}
}

// TestBasicTargetSchemeIsCaseInsensitive: a target reached with Basic has
// its own scheme re-spelled ("basic", "BASIC"), as RFC 7235 §2.1 makes
// every scheme case-insensitive; one that matches "Basic " exactly fails.
func TestBasicTargetSchemeIsCaseInsensitive(t *testing.T) {
	const name = "The auth scheme name is matched case-insensitively"
	p := basicFront(t, target.AuthBasic)
	if s := runNamedIn(t, Config{Target: p, Profile: ProfileRFC, Tags: "@auth"}, name); s.Status != reports.StatusPassed {
		t.Errorf("Basic target: %s (%s), want passed", s.Status, failureText(s))
	}
	p.BaseURL = strings.Replace(p.BaseURL, "/scim/v2", "/strict/scim/v2", 1)
	if s := runNamedIn(t, Config{Target: p, Profile: ProfileRFC, Tags: "@auth"}, name); s.Status != reports.StatusFailed {
		t.Errorf("a target matching \"Basic \" case-sensitively: %s, want failed", s.Status)
	}
}

// TestOwnSchemeIsNotAnotherScheme: a header target whose own scheme is
// the one a scenario names to be refused ("Token …") is skipped for that
// check, not failed for accepting its own key.
func TestOwnSchemeIsNotAnotherScheme(t *testing.T) {
	p := wrappedTargetAs(t, frontAuth{mode: target.AuthHeader, secret: func(key string) string { return "Token " + key }}, func(ref http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if s, key, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(s, "Token") {
				r.Header.Set("Authorization", "Bearer "+key)
			} else {
				r.Header.Del("Authorization")
			}
			ref.ServeHTTP(w, r)
		})
	})
	s := runNamedIn(t, Config{Target: p, Profile: ProfileCortex, Tags: "@auth"}, "A key under another auth scheme, or an empty credential, answers 401")
	if s.Status != reports.StatusSkipped || !strings.Contains(s.SkipReason, `"Token" is the one the target takes`) {
		t.Errorf("%s (%s), want skipped: its own scheme", s.Status, failureText(s))
	}
}
