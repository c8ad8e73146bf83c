package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/scimulator/scimulator/simulator"
)

// commonBasePaths are where SCIM APIs usually live, tried after a 404.
var commonBasePaths = []string{"/scim/v2", "/scim", "/api/scim/v2", "/v2"}

// notFound explains a 404 on GET /Users: almost always a base URL without
// the SCIM prefix, or one that already ends in /Users. doctor tries likely
// base URLs with its own requests and names one that answers.
func (d diagnoser) notFound(ctx context.Context, e simulator.Exchange) Finding {
	f := Finding{Code: CodeNotFound, Severity: SeverityError,
		Title:    "the target has no SCIM Users endpoint at this base URL",
		Evidence: fmt.Sprintf("%s %s → %s", e.Request.Method, pathOf(e.Request.URL), statusLine(e.Response)),
		Why:      "Okta appends /Users to the base URL; a 404 there means the base URL is wrong (the usual mistake is leaving out /scim/v2).",
	}
	base := strings.TrimRight(d.app.BaseURL, "/")
	if strings.HasSuffix(strings.ToLower(base), "/users") {
		fixed := base[:len(base)-len("/users")]
		f.Fix = append(f.Fix, "The base URL ends in /Users, which Okta adds itself: use "+fixed)
	}
	if alt, status, ok := d.findBase(ctx, base); ok {
		f.Fix = append(f.Fix, fmt.Sprintf("doctor found SCIM one level down: GET %s/Users answered %d. Use %s as the base URL.", alt, status, alt))
	} else {
		f.Fix = append(f.Fix, "Use the base URL the vendor documents, ending where /Users begins (for the reference server and Cortex-like apps: https://host/scim/v2).")
	}
	return f
}

// findBase tries base+p for each common path (and base with a trailing
// /Users removed) and returns the first whose /Users is not a 404.
func (d diagnoser) findBase(ctx context.Context, base string) (string, int, bool) {
	var candidates []string
	low := strings.ToLower(base)
	if strings.HasSuffix(low, "/users") {
		candidates = append(candidates, base[:len(base)-len("/users")])
	}
	for _, p := range commonBasePaths {
		if !strings.HasSuffix(low, p) {
			candidates = append(candidates, base+p)
		}
	}
	for _, c := range candidates {
		r, err := d.probe.do(ctx, http.MethodGet, c+"/Users?startIndex=1&count=2", nil)
		if err != nil {
			return "", 0, false // the network failed; more probes will not help
		}
		// Any SCIM-ish answer (2xx, 401, 403) proves the endpoint exists.
		if r.Status/100 == 2 || r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
			return c, r.Status, true
		}
	}
	return "", 0, false
}
