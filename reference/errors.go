package reference

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// apiError is an error with an HTTP status, the RFC 7644 §3.12 scimType
// (empty where the RFC defines none) and a detail for the client. Handlers
// return it; writeError renders it.
type apiError struct {
	status   int
	scimType string
	detail   string
	header   http.Header // extra response headers, e.g. Allow on 405
}

func (e *apiError) Error() string { return e.detail }

// errf builds an apiError with a formatted detail.
func errf(status int, scimType, format string, args ...any) *apiError {
	return &apiError{status: status, scimType: scimType, detail: fmt.Sprintf(format, args...)}
}

// bearerChallenge is the WWW-Authenticate challenge of every 401 (RFC 7235
// §3.1, RFC 6750 §3).
const bearerChallenge = `Bearer realm="scimulator"`

// invalidToken is the 401 for a bearer token that was sent but did not
// authenticate (unknown, or revoked while the request ran): RFC 6750 §3 asks
// for error="invalid_token" in its challenge, so a client can tell a bad
// token from a missing one.
func invalidToken(format string, args ...any) *apiError {
	e := errf(http.StatusUnauthorized, "", format, args...)
	e.header = http.Header{"Www-Authenticate": {bearerChallenge + `, error="invalid_token"`}}
	return e
}

func badRequest(scimType, format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, scimType, format, args...)
}

func notFound(format string, args ...any) *apiError {
	return errf(http.StatusNotFound, "", format, args...)
}

// surface says which error format a route speaks.
type surface int

const (
	surfaceSCIM  surface = iota // RFC 7644 §3.12 error bodies
	surfaceAdmin                // {"error": "...", "status": n} (the admin API's error shape)
)

// writeError renders err on w in the format of the surface. Errors that are
// not apiErrors are internal: the client gets a generic 500 and the cause
// goes to the log only.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, surf surface, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		s.log.Error().Err(err).Str("path", r.URL.Path).Msg("internal error")
		ae = errf(http.StatusInternalServerError, "", "internal server error")
	}
	for k, v := range ae.header {
		w.Header()[k] = v
	}
	if ae.status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		// RFC 6750 §3.1: a request without credentials gets the bare
		// challenge, no error code.
		w.Header().Set("WWW-Authenticate", bearerChallenge)
	}
	if surf == surfaceAdmin {
		writeJSON(w, ae.status, "application/json", map[string]any{"error": ae.detail, "status": ae.status})
		return
	}
	switch {
	case s.faults.has(FaultHTMLErrors):
		// Fault: an error page from a web framework, which Okta cannot parse.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(ae.status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%s</h1><p>%s</p></body></html>",
			ae.status, http.StatusText(ae.status), http.StatusText(ae.status), html.EscapeString(ae.detail))
		return
	case s.faults.has(FaultPlainTextErrors):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(ae.status)
		fmt.Fprintf(w, "%s: %s\n", http.StatusText(ae.status), ae.detail)
		return
	case s.faults.has(FaultNonSCIMErrorSchema):
		writeJSON(w, ae.status, "application/json", map[string]any{"message": ae.detail, "code": ae.status})
		return
	}
	// RFC 7644 §3.12: schemas, status as a string, scimType where defined, detail.
	body := map[string]any{
		"schemas": []string{scimwire.ErrorSchema},
		"status":  strconv.Itoa(ae.status),
		"detail":  ae.detail,
	}
	if ae.scimType != "" && !s.omitsSCIMType(ae.scimType) {
		body["scimType"] = ae.scimType
	}
	mediaType := scimwire.MediaType
	if s.faults.has(FaultErrorsAsPlainJSON) {
		// Fault: a framework's default JSON media type on error answers.
		mediaType = "application/json"
	}
	writeJSON(w, ae.status, mediaType, body)
}

// omitsSCIMType reports whether the optional-scimtype-omitted fault drops
// scimType from an error: everywhere RFC 7644 §3.12 leaves it OPTIONAL,
// but not "uniqueness" (RFC 7644 §3.3 requires it on a duplicate) nor
// "mutability" (SPEC §1.3), so the fault breaks only advice.
func (s *Server) omitsSCIMType(scimType string) bool {
	return s.faults.has(FaultOptionalSCIMTypeOmitted) && scimType != "uniqueness" && scimType != "mutability"
}
