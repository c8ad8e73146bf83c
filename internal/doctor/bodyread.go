package doctor

import (
	"fmt"
	"strings"
	"time"

	"github.com/scimulator/scimulator/simulator"
)

// bodyFinding explains an answer whose status and headers arrived but whose
// body was not read in full: stalled, cut off, or over the size limit. Each
// has its own cause, so each has its own finding; reading a failed body as
// "empty" (or as "could not reach") sends people after the wrong problem
// (issue 11). idp names who sent the request (Okta, Entra), timeout and
// limit are the read timeout and size limit it was read with.
func bodyFinding(e simulator.Exchange, idp string, timeout time.Duration, limit int64) Finding {
	r := e.Response
	req := e.Request.Method + " " + pathOf(e.Request.URL)
	got := fmt.Sprintf("%s → %s, then %s", req, statusLine(r), bytesRead(r))
	switch r.Incomplete {
	case simulator.BodyStalled:
		return Finding{Code: CodeBodyStalled, Severity: SeverityError,
			Title:    fmt.Sprintf("the answer's headers arrived, then the body stalled: it did not finish within %s", timeout),
			Evidence: got + " before the read timeout" + declared(r),
			Why: idp + "'s read timeout (60 s, inferred) covers the whole answer, not only its first bytes: " +
				"a server that sends the status and headers at once and the body late fails the test just like one that never answers.",
			Fix: []string{
				"Find what holds the body back after the headers are sent: a slow query streamed into the response, a count over all users, a lock, an upstream call.",
				"Check proxies and load balancers between " + idp + " and the service for response buffering or body timeouts.",
			}}
	case simulator.BodyTruncated:
		how := "the connection was closed"
		if strings.Contains(strings.ToLower(e.Error), "reset") {
			how = "the connection was reset"
		}
		return Finding{Code: CodeBodyTruncated, Severity: SeverityError,
			Title:    "the answer was cut off mid-body: " + how + " before the body was complete",
			Evidence: got + " when " + how + declared(r),
			Why: "The status and headers arrived, but the server (or something in between) closed the connection before the body " +
				"its Content-Length or chunked coding announced was complete: typically an error after the response started " +
				"(a crash, an exception while serialising), a worker killed mid-answer, or a proxy limit. " + idp + " cannot use a partial answer.",
			Fix: []string{
				"Read the server's logs for an error after the response for GET /Users started; make it fail before sending headers instead (a 500 with a SCIM error).",
				"Check proxies, load balancers and WAFs in front of the service for response size or time limits.",
			}}
	case simulator.BodyTooLarge:
		return Finding{Code: CodeBodyTooLarge, Severity: SeverityError,
			Title:    fmt.Sprintf("the answer is larger than scimulator reads: more than %d bytes (%s)", limit, sizeOf(limit)),
			Evidence: fmt.Sprintf("%s → %s, then read %d bytes (%s) and stopped", req, statusLine(r), r.BodyRead, sizeOf(r.BodyRead)) + declared(r),
			Why: fmt.Sprintf("%s does not read unbounded answers; scimulator stops at %s (inferred: %s's exact limit is not documented). ", idp, sizeOf(limit), idp) +
				"A connection test asks for two users at most (Okta) or for a user nobody has (Entra), so an answer this large means the target ignores count or filter, or embeds huge attributes.",
			Fix: []string{
				"Honour count (RFC 7644 §3.4.2.4) and filter (§3.4.2.2): GET /Users?startIndex=1&count=2 returns at most two users, a filter that matches nobody returns none.",
				"Keep list answers small: no photos as data URIs, no group member lists inside users.",
			}}
	}
	return Finding{Code: CodeTransport, Severity: SeverityError,
		Title:    "the answer's body could not be read",
		Evidence: got + ": " + e.Error,
		Fix:      []string{"Send a complete, readable body: uncompressed, or gzip or deflate when the request's Accept-Encoding asks for it."}}
}

// bytesRead says how much of the body arrived.
func bytesRead(r *simulator.RecordedResponse) string {
	if r.BodyRead == 1 {
		return "1 byte of body"
	}
	return fmt.Sprintf("%d bytes of body", r.BodyRead)
}

// declared is what the answer announced about its length.
func declared(r *simulator.RecordedResponse) string {
	switch {
	case r.DeclaredLength >= 0:
		return fmt.Sprintf(" (Content-Length %d)", r.DeclaredLength)
	case r.Chunked:
		return " (chunked)"
	}
	return ""
}

// sizeOf is n bytes for people: 10 MiB, 52.4 MB.
func sizeOf(n int64) string {
	const mib = 1 << 20
	switch {
	case n >= mib && n%mib == 0:
		return fmt.Sprintf("%d MiB", n/mib)
	case n >= mib:
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
