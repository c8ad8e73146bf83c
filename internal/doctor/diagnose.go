package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/simulator"
)

// Code names a diagnosis, stable for --json consumers.
type Code string

// Diagnosis codes.
const (
	CodeVerified           Code = "verified"
	CodePlainHTTP          Code = "plain-http"
	CodeUnauthorized       Code = "unauthorized"
	CodeSCIMDisabled       Code = "forbidden-scim-disabled"
	CodeMissingPermissions Code = "forbidden-missing-permissions"
	CodeIPNotAllowed       Code = "forbidden-ip-allowlist"
	CodeForbiddenUnknown   Code = "forbidden-cause-not-stated"
	CodeNotFound           Code = "not-found-base-path"
	CodeRedirect           Code = "redirect"
	CodeTLSVersion         Code = "tls-version"
	CodeTLSUntrusted       Code = "tls-untrusted-certificate"
	CodeTLSHostname        Code = "tls-hostname-mismatch"
	CodeTLSHandshake       Code = "tls-handshake"
	CodeConnectTimeout     Code = "connect-timeout"
	CodeConnectRefused     Code = "connect-refused"
	CodeUnknownHost        Code = "unknown-host"
	CodeReadTimeout        Code = "read-timeout"
	CodeConnectionReset    Code = "connection-reset"
	CodeTransport          Code = "transport-error"
	CodeNotJSON            Code = "not-json"
	CodeEmptyBody          Code = "empty-body"
	CodeBodyStalled        Code = "body-stalled"
	CodeBodyTruncated      Code = "body-truncated"
	CodeBodyTooLarge       Code = "body-too-large"
	CodeNotListResponse    Code = "not-list-response"
	CodeStringCounts       Code = "string-counts"
	CodeStartIndex         Code = "start-index"
	CodeContentType        Code = "content-type"
	CodeRateLimited        Code = "rate-limited"
	CodeHTTPError          Code = "http-error"
	CodeGroupsUnsupported  Code = "groups-unsupported"
)

// diagnoser turns Okta's exchanges into findings.
type diagnoser struct {
	cfg   Config
	app   simulator.AppConfig
	base  *url.URL
	probe prober
	// waits are the back-off sleeps Okta's engine took (virtual time).
	waits []time.Duration
}

func newDiagnoser(cfg Config, app simulator.AppConfig, base *url.URL) diagnoser {
	return diagnoser{cfg: cfg, app: app, base: base, probe: newProber(cfg, app)}
}

// diagnose explains the deciding exchange: the last one Okta sent, since
// Test API Credentials stops at the first failure.
func (d diagnoser) diagnose(ctx context.Context, res simulator.CredentialsResult, exs []simulator.Exchange) []Finding {
	if len(exs) == 0 {
		return []Finding{{Code: CodeTransport, Severity: SeverityError,
			Title: "Okta's request was never sent", Evidence: res.Message}}
	}
	e := exs[len(exs)-1]
	sev := SeverityError
	if res.OK {
		sev = SeverityWarning
	}
	var out []Finding
	switch r := e.Response; {
	case r != nil && r.Incomplete != "":
		// Headers, then a body that never arrived in full: not "empty".
		out = []Finding{bodyFinding(e, "Okta", d.app.Timeout, d.app.MaxResponseBytes)}
	case r != nil && isGroups(e) && r.Status/100 == 4 && r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden:
		out = []Finding{{Code: CodeGroupsUnsupported, Severity: SeverityError,
			Title:    "the target has no working /Groups endpoint, but Push groups is on",
			Evidence: fmt.Sprintf("%s %s → %s", e.Request.Method, pathOf(e.Request.URL), statusLine(r)),
			Why:      "With Push groups on, Test API Credentials also lists groups (SPEC §2.2); /Users worked, /Groups did not.",
			Fix: []string{
				"Turn Push groups off in Okta if the app has no groups, or",
				"implement GET /Groups with startIndex and count answering a ListResponse (RFC 7644 §3.4.2).",
			}}}
	case r == nil:
		out = d.transport(ctx, res, e)
	case r.Status >= 200 && r.Status < 300:
		for _, x := range exs { // every list answer must be right, /Users and /Groups
			if x.Response != nil && x.Response.Status/100 == 2 {
				out = append(out, listFindings(x, sev)...)
			}
		}
	case r.Status >= 300 && r.Status < 400:
		out = []Finding{d.redirect(e)}
	case r.Status == http.StatusUnauthorized:
		out = []Finding{d.unauthorized(e)}
	case r.Status == http.StatusForbidden:
		out = forbidden(e)
	case r.Status == http.StatusNotFound:
		out = []Finding{d.notFound(ctx, e)}
	case r.Status == http.StatusTooManyRequests:
		out = []Finding{{Code: CodeRateLimited, Severity: SeverityError,
			Title:    "the target rate-limited Okta's first request",
			Evidence: statusLine(r) + retryAfter(r.Header) + d.backoff(len(exs)),
			Why:      "Okta retries 429 after Retry-After (or 5 minutes), doubling the wait each time, and gives up after 10 attempts; a test that is rate-limited at once usually means the limit is far too low for provisioning bursts.",
			Fix:      []string{"Raise the rate limit for the API key Okta uses, or exempt Okta's egress IP ranges."}}}
	default:
		out = []Finding{httpError(e)}
	}
	if res.OK && !hasSeverity(out, SeverityError) {
		out = append([]Finding{{Code: CodeVerified, Severity: SeverityInfo,
			Title:    "Okta would verify this connection",
			Evidence: fmt.Sprintf("%s %s → %s", e.Request.Method, pathOf(e.Request.URL), statusLine(e.Response))}}, out...)
	}
	return out
}

// backoff describes the waits Okta's engine took between attempts.
func (d diagnoser) backoff(attempts int) string {
	if len(d.waits) == 0 {
		return ""
	}
	var ws []string
	var total time.Duration
	for _, w := range d.waits {
		ws = append(ws, w.String())
		total += w
	}
	return fmt.Sprintf("; Okta tried %d times, waiting %s (%s in all; doctor did not wait)", attempts, strings.Join(ws, ", "), total)
}

// isGroups reports whether e went to the /Groups endpoint.
func isGroups(e simulator.Exchange) bool {
	return strings.HasSuffix(mustURL(e.Request.URL).Path, scimwire.GroupsEndpoint)
}

func hasSeverity(fs []Finding, s Severity) bool {
	for _, f := range fs {
		if f.Severity == s {
			return true
		}
	}
	return false
}

// scimError is the part of an RFC 7644 §3.12 error body doctor reads.
type scimError struct {
	Schemas  []string `json:"schemas"`
	Detail   string   `json:"detail"`
	ScimType string   `json:"scimType"`
}

// detailOf returns the SCIM error detail of an answer, or failing that a
// trimmed body (some targets answer plain text or a JSON of their own).
func detailOf(r *simulator.RecordedResponse) string {
	var se scimError
	if json.Unmarshal(r.Body, &se) == nil && se.Detail != "" {
		return se.Detail
	}
	var generic map[string]any
	if json.Unmarshal(r.Body, &generic) == nil {
		for _, k := range []string{"detail", "message", "error_description", "error"} {
			if s, ok := generic[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return trimBody(r.Body, 200)
}

func statusLine(r *simulator.RecordedResponse) string {
	if r == nil {
		return "no answer"
	}
	if r.StatusText != "" {
		return fmt.Sprintf("%d %s", r.Status, strings.TrimPrefix(r.StatusText, fmt.Sprintf("%d ", r.Status)))
	}
	return fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
}

func retryAfter(h http.Header) string {
	if v := h.Get("Retry-After"); v != "" {
		return ", Retry-After: " + trimBody([]byte(v), maxShownHeader)
	}
	return ""
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.RequestURI()
}

func plainHTTPFinding(u *url.URL) Finding {
	https := *u
	https.Scheme = "https"
	return Finding{Code: CodePlainHTTP, Severity: SeverityError,
		Title:    "the base URL uses plain HTTP",
		Evidence: u.String(),
		Why:      "Okta only connects to SCIM apps over HTTPS and will not save an http:// base URL. doctor went on over HTTP so the rest of the diagnosis still helps.",
		Fix: []string{
			"Serve the SCIM API over HTTPS (TLS 1.2 or later) with a certificate from a public CA, e.g. behind your load balancer.",
			"Then enter " + https.String() + " as the base URL in Okta.",
		}}
}

func (d diagnoser) unauthorized(e simulator.Exchange) Finding {
	r := e.Response
	f := Finding{Code: CodeUnauthorized, Severity: SeverityError,
		Title:    "the target does not accept the API token",
		Evidence: statusLine(r) + ": " + detailOf(r),
		Why:      "401 means the target did not recognise the credential at all: an unknown, expired, revoked or mistyped key, a key from another workspace, or the key sent in the wrong form.",
	}
	if h := r.Header.Get("WWW-Authenticate"); h != "" {
		// Bounded: a target's header can be megabytes long.
		f.Evidence += " (WWW-Authenticate: " + trimBody([]byte(h), maxShownHeader) + ")"
	}
	switch a := d.app.Auth; a.Mode {
	case simulator.AuthBearer:
		if strings.HasPrefix(strings.ToLower(a.Secret), "bearer ") {
			f.Fix = append(f.Fix, `The token starts with "Bearer " and Okta adds its own, so the target received "Bearer Bearer …": paste only the key.`)
		}
	case simulator.AuthHeader:
		if !strings.Contains(a.Secret, " ") {
			f.Fix = append(f.Fix, `Header mode sends the value verbatim; most targets (Cortex included) expect "Bearer <key>": put "Bearer " before the key, or use bearer mode.`)
		}
	}
	f.Fix = append(f.Fix,
		"Check that the environment variable holds the current key, with no quotes, spaces or newline around it.",
		"Keys are shown once at creation: if in doubt, create a new API key in the target's settings and paste it into Okta's API token field.",
		"Check the key has not been revoked or expired, and belongs to the workspace the base URL points at.")
	return f
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func httpError(e simulator.Exchange) Finding {
	r := e.Response
	f := Finding{Code: CodeHTTPError, Severity: SeverityError,
		Title:    fmt.Sprintf("the target answered %s", statusLine(r)),
		Evidence: detailOf(r),
		Why:      "Test API Credentials passes only on a 2xx ListResponse to GET /Users?startIndex=1&count=2.",
	}
	switch {
	case r.Status == http.StatusMethodNotAllowed || r.Status == http.StatusNotImplemented:
		f.Fix = []string{"Implement GET /Users with startIndex and count (RFC 7644 §3.4.2) at the base URL."}
	case r.Status >= 500:
		f.Fix = []string{"The target failed internally: read its logs for this request, it must list users without error."}
	case r.Status == http.StatusBadRequest:
		f.Fix = []string{"The target rejected startIndex=1&count=2: RFC 7644 §3.4.2.4 pagination parameters must be accepted on GET /Users."}
	default:
		f.Fix = []string{"Make GET /Users?startIndex=1&count=2 answer 200 with a SCIM ListResponse."}
	}
	return f
}

// mustURL parses a URL the simulator built itself; an unparseable one (it
// cannot happen) becomes an empty URL rather than a panic.
func mustURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{}
	}
	return u
}
