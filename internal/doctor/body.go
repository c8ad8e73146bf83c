package doctor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/simulator"
)

// listFindings checks a 2xx answer to a list request the way Okta reads it
// (SPEC §2.3): JSON, a ListResponse, integer counts. sev is error when Okta's
// test failed and warning when it passed (the sync will fail later).
func listFindings(e simulator.Exchange, sev Severity) []Finding {
	r := e.Response
	req := e.Request.Method + " " + pathOf(e.Request.URL)
	body := bytes.TrimSpace(r.Body)
	ct := trimBody([]byte(r.Header.Get("Content-Type")), maxShownHeader)
	if len(body) == 0 {
		return []Finding{{Code: CodeEmptyBody, Severity: sev,
			Title:    "the list answer is empty",
			Evidence: fmt.Sprintf("%s → %s with no body: the answer was complete%s", req, statusLine(r), declared(r)),
			Why:      `Okta needs a SCIM ListResponse; with nothing to read it says "No results for users returned".`,
			Fix:      []string{listFix}}}
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		f := Finding{Code: CodeNotJSON, Severity: sev,
			Title:    "the answer is not JSON",
			Evidence: fmt.Sprintf("%s → %s, Content-Type %s, body starts: %s", req, statusLine(r), orNone(ct), trimBody(body, 60)),
			Why:      "Okta parses every answer as JSON; anything else fails with a parse error (\"Unrecognized token …\").",
			Fix:      []string{listFix}}
		if body[0] == '<' {
			f.Why += " An HTML page here is usually a login page, a proxy error page or a web app's catch-all route: the base URL does not point at the SCIM API."
		}
		return []Finding{f}
	}
	var out []Finding
	if !isJSONType(ct) {
		out = append(out, Finding{Code: CodeContentType, Severity: SeverityWarning,
			Title:    "the answer's Content-Type is not JSON",
			Evidence: fmt.Sprintf("%s → Content-Type %s", req, orNone(ct)),
			Fix:      []string{"Send Content-Type: application/scim+json (RFC 7644 §3.1)."}})
	}
	var schemas []string
	_ = json.Unmarshal(doc["schemas"], &schemas)
	_, hasResources := doc["Resources"]
	_, hasTotal := doc["totalResults"]
	if !hasTotal || !contains(schemas, scimwire.ListResponseSchema) || (!hasResources && !isZero(doc["totalResults"])) {
		out = append(out, Finding{Code: CodeNotListResponse, Severity: sev,
			Title:    "the answer is JSON but not a SCIM ListResponse",
			Evidence: fmt.Sprintf("%s → %s, body starts: %s", req, statusLine(r), trimBody(body, 120)),
			Why:      `Okta reads users from a ListResponse (schemas [` + scimwire.ListResponseSchema + `], totalResults, Resources); without one it says "No results for users returned".`,
			Fix:      []string{listFix}})
	}
	var strs []string
	for _, k := range []string{"totalResults", "itemsPerPage", "startIndex"} {
		if v, ok := doc[k]; ok && len(v) > 0 && v[0] == '"' {
			strs = append(strs, k+"="+string(v))
		}
	}
	if len(strs) > 0 {
		out = append(out, Finding{Code: CodeStringCounts, Severity: sev,
			Title:    "ListResponse numbers are JSON strings",
			Evidence: req + " → " + strings.Join(strs, ", "),
			Why:      "Okta requires totalResults, itemsPerPage and startIndex as JSON integers (RFC 7644 §3.4.2); strings make imports and the existence check before each create fail.",
			Fix:      []string{`Serialise them as numbers: "totalResults": 5, not "totalResults": "5".`}})
	}
	if v, ok := doc["startIndex"]; ok && string(v) == "0" {
		out = append(out, Finding{Code: CodeStartIndex, Severity: SeverityWarning,
			Title:    "startIndex is 0",
			Evidence: req + " → startIndex 0",
			Why:      "SCIM pagination is 1-based (RFC 7644 §3.4.2.4); Okta's import asks for startIndex=1 and then 101, 201, …",
			Fix:      []string{"Treat startIndex as 1-based and echo the requested value."}})
	}
	return out
}

const listFix = "Answer GET /Users?startIndex=1&count=2 with 200, Content-Type application/scim+json and a ListResponse: " +
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}.`

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == scimwire.MediaType || mt == "application/json")
}

func isZero(v json.RawMessage) bool { return string(v) == "0" }

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// hostPort returns the host and port (the scheme's default if none) of u.
func hostPort(u *url.URL) (string, string) {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return u.Hostname(), port
}
