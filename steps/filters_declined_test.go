package steps

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// decliningTarget is the reference behind a front that declines every user
// filter containing one of the words with 400 invalidFilter, as RFC 7644
// Table 9 allows for a combination the server does not support; plain
// makes the refusal a bare 400 without a SCIM error body.
func decliningTarget(t *testing.T, plain bool, words ...string) target.Profile {
	t.Helper()
	return filterFront(t, func(w http.ResponseWriter, f string) bool {
		for _, word := range words {
			if strings.Contains(f, word) {
				if plain {
					http.Error(w, "unsupported filter", http.StatusBadRequest)
				} else {
					scimError(w, http.StatusBadRequest, "invalidFilter", "filtering on "+word+" is not supported")
				}
				return true
			}
		}
		return false
	})
}

// filterFront is the reference behind a front whose answer wins for the
// user filters it handles (answer returns true).
func filterFront(t *testing.T, answer func(w http.ResponseWriter, filter string) bool) target.Profile {
	t.Helper()
	return wrappedTarget(t, func(ref http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if f := r.URL.Query().Get("filter"); r.Method == http.MethodGet && r.URL.Path == "/scim/v2/Users" && f != "" && answer(w, f) {
				return
			}
			ref.ServeHTTP(w, r)
		})
	})
}

// scenarioIn runs the @filter scenarios of a profile against p and returns
// the one named.
func scenarioIn(t *testing.T, p target.Profile, profile SuiteProfile, name string) reports.Scenario {
	t.Helper()
	return runNamedIn(t, Config{Target: p, Profile: profile, Tags: string(TagFilter)}, name)
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

// TestDeclinedTablesDoNotHideLaterChecks: a server that declines every
// "co" filter declines a whole table of the Boolean scenario, yet its
// refusal table still runs: the scenario passes on refusals that are
// right, fails on one that is missing, and is not skipped when its
// refusals were checked.
func TestDeclinedTablesDoNotHideLaterChecks(t *testing.T) {
	const name = "active compares with true and false; ordering a Boolean attribute is invalidFilter"
	declineCo := func(w http.ResponseWriter, f string) bool {
		if strings.Contains(f, " co ") {
			scimError(w, http.StatusBadRequest, "invalidFilter", "co is not supported")
			return true
		}
		return false
	}
	if s := scenarioIn(t, filterFront(t, declineCo), ProfileRFC, name); s.Status != reports.StatusPassed {
		t.Errorf("co declined, refusals right: %s (%s), want passed", s.Status, failureText(s))
	}
	orderedBoolean := func(w http.ResponseWriter, f string) bool {
		if f == `active ge "a"` {
			writeSCIM(w, http.StatusOK, map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
				"totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []any{}})
			return true
		}
		return declineCo(w, f)
	}
	if s := scenarioIn(t, filterFront(t, orderedBoolean), ProfileRFC, name); s.Status != reports.StatusFailed {
		t.Errorf("co declined, a Boolean ordered: %s, want failed", s.Status)
	}
}
