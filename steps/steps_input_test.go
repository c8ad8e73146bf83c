package steps

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/scimulator/scimulator/reports"
)

func TestResolveAgainst(t *testing.T) {
	const req = "https://app.example.com/scim/v2/Users"
	for ref, want := range map[string]string{
		"https://app.example.com/scim/v2/Users/1": "https://app.example.com/scim/v2/Users/1",
		"/scim/v2/Users/1":                        "https://app.example.com/scim/v2/Users/1",
		"Users/1":                                 "https://app.example.com/scim/v2/Users/1",
		"/Users/1":                                "https://app.example.com/Users/1",
		"":                                        "",
	} {
		if got := resolveAgainst(req, ref); got != want {
			t.Errorf("resolveAgainst(%q) = %q, want %q", ref, got, want)
		}
	}
}

// TestLocationMayBeRelative: meta.location written as a reference relative
// to the request passes when it resolves to the user's URI, and fails when
// it resolves elsewhere.
func TestLocationMayBeRelative(t *testing.T) {
	const name = "Location and meta.location are the URI the client reaches the new user at"
	for rel, want := range map[string]reports.Status{"/scim/v2/Users/": reports.StatusPassed, "/Users/": reports.StatusFailed} {
		t.Run(rel, func(t *testing.T) {
			p := tamperedTarget(t, func(method, path string, body []byte) []byte {
				if method != http.MethodPost || path != "/scim/v2/Users" {
					return body
				}
				return locationRE.ReplaceAll(body, []byte(`"location":"`+rel))
			})
			if s := runNamed(t, p, name); s.Status != want {
				t.Fatalf("meta.location %s…: %s, want %s (%+v)", rel, s.Status, want, s.Failure)
			}
		})
	}
}

// locationRE matches the start of an absolute meta.location up to /Users/.
var locationRE = regexp.MustCompile(`"location":"https?://[^"/]+/scim/v2/Users/`)
