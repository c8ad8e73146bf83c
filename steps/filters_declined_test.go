package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// decliningTarget is the reference behind a front that declines every user
// filter containing one of the words with 400 invalidFilter, as RFC 7644
// Table 9 allows for a combination the server does not support; plain
// makes the refusal a bare 400 without a SCIM error body.
func decliningTarget(t *testing.T, plain bool, words ...string) target.Profile {
	t.Helper()
	srv, err := reference.New(reference.Config{EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	ref := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := r.URL.Query().Get("filter")
		for _, word := range words {
			if r.Method == http.MethodGet && r.URL.Path == "/scim/v2/Users" && strings.Contains(f, word) {
				if plain {
					http.Error(w, "unsupported filter", http.StatusBadRequest)
					return
				}
				scimError(w, http.StatusBadRequest, "invalidFilter", "filtering on "+word+" is not supported")
				return
			}
		}
		ref.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	p, err := target.FromFlags(target.Flags{URL: hs.URL + "/scim/v2", TokenEnv: "DECLINE_TOKEN", Auth: "bearer", Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = p.Resolve(func(string) string { return srv.AdminKey() }); err != nil {
		t.Fatal(err)
	}
	return p
}

func scenarioIn(t *testing.T, p target.Profile, profile SuiteProfile, name string) reports.Scenario {
	t.Helper()
	run, err := Run(context.Background(), Config{Target: p, Profile: profile, Tags: string(TagFilter)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range run.Scenarios {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("%s: scenario %q did not run", profile, name)
	return reports.Scenario{}
}

// TestRFCProfileLetsATargetDeclineAFilter: RFC 7644 Table 9 lets a server
// decline a filter on an attribute it does not filter on. In the rfc
// profile that is no failure; in the cortex profile, which holds the
// target to the Cortex list of filterable attributes, it is.
func TestRFCProfileLetsATargetDeclineAFilter(t *testing.T) {
	const name = "Attribute names, sub-attributes and schema URNs"
	p := decliningTarget(t, false, "meta.resourceType")
	if s := scenarioIn(t, p, ProfileRFC, name); s.Status != reports.StatusPassed {
		t.Errorf("rfc profile: %s (%s), want passed", s.Status, failureText(s))
	}
	if s := scenarioIn(t, p, ProfileCortex, name); s.Status != reports.StatusFailed {
		t.Errorf("cortex profile: %s, want failed", s.Status)
	}
}

// TestEveryFilterDeclinedIsNoPass: a scenario whose every filter was
// declined checked nothing, so it is skipped with the reason; a refusal
// without the SCIM error body is no refusal at all and fails.
func TestEveryFilterDeclinedIsNoPass(t *testing.T) {
	const name = "id eq matches the id as written and not the id in another case"
	s := scenarioIn(t, decliningTarget(t, false, " id eq "), ProfileRFC, name)
	if s.Status != reports.StatusSkipped || !strings.Contains(s.SkipReason, "RFC 7644 Table 9") {
		t.Errorf("every filter declined: %s (%s), want skipped citing Table 9", s.Status, failureText(s))
	}
	s = scenarioIn(t, decliningTarget(t, true, " id eq "), ProfileRFC, name)
	if s.Status != reports.StatusFailed {
		t.Errorf("a bare 400: %s, want failed", s.Status)
	}
}
