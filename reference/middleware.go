package reference

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scimulator/scimulator/reference/store"
)

// handler is an endpoint: it writes a success response or returns an error,
// which the wrapper renders in one place (writeError).
type handler func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error

// authMode says what a route needs from the caller.
type authMode int

const (
	authNone  authMode = iota // public (healthz)
	authSCIM                  // API key with the SCIM permissions, SCIM on
	authAdmin                 // API key with the Admin role
	authAny                   // any live API key or session (whoami)
)

// reqCtx is what the wrapper learned about a request before its handler runs.
type reqCtx struct {
	p      principal
	authed bool // p must stay valid for the request to succeed
	// revokedItself: the request deprovisioned the user its credential
	// belongs to, so the credential is gone because of what the request
	// did. It answers for that change: a 401 would say the committed
	// deprovision was not applied (RFC 9110 §15.5.2).
	revokedItself bool
}

// errRevoked is the answer for a credential revoked while its request ran.
var errRevoked = invalidToken("the credential was revoked while the request was processed")

// rechecks reports whether rc's credential must still be valid when the
// request reads, writes and answers. Fault: a server that checks the
// credential once, when the request arrives, lets a request already past
// that check write and succeed after its key was revoked.
func (s *Server) rechecks(rc *reqCtx) bool {
	return rc.authed && !rc.revokedItself && !s.faults.has(FaultCredentialCheckedOnce)
}

// read runs fn in a read transaction, first re-checking the caller's
// credential in the same transaction.
func (s *Server) read(rc *reqCtx, fn func(d *store.Data) error) error {
	return s.st.Read(func(d *store.Data) error {
		if s.rechecks(rc) && !stillValid(d, rc.p) {
			return errRevoked
		}
		return fn(d)
	})
}

// write runs fn in a write transaction, first re-checking the caller's
// credential in the same transaction, so a request whose key or session was
// revoked by a deprovision cannot change anything afterwards.
func (s *Server) write(rc *reqCtx, fn func(d *store.Data) error) error {
	return s.st.Write(func(d *store.Data) error {
		if s.rechecks(rc) && !stillValid(d, rc.p) {
			return errRevoked
		}
		return fn(d)
	})
}

// wrap turns a handler into an http.Handler: it authenticates, counts the
// request in flight for its credential's user, buffers the response,
// re-checks the credential before sending it, renders errors and logs.
func (s *Server) wrap(surf surface, mode authMode, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		buf := &bufferedResponse{header: http.Header{}}
		rc := &reqCtx{}
		err := s.authenticate(r, surf, mode, rc)
		if err == nil && rc.p.userID != "" {
			s.flights.enter(rc.p.userID)
			defer s.flights.leave(rc.p.userID) // after the response is flushed below
		}
		if err == nil {
			err = h(buf, r, rc)
		}
		if s.afterHandler != nil {
			s.afterHandler(r)
		}
		if err == nil && s.rechecks(rc) {
			// SPEC §1.4: a request racing a deprovision must not succeed once
			// the deprovision has returned; the deprovision waits for this
			// request to leave, and this check sees its revocation.
			_ = s.st.Read(func(d *store.Data) error {
				if !stillValid(d, rc.p) {
					err = errRevoked
				}
				return nil
			})
		}
		if err != nil {
			buf = &bufferedResponse{header: http.Header{}}
			s.writeError(buf, r, surf, err)
		}
		buf.sendTo(w)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		s.logRequest(r, rc, buf.status, buf.body.Len(), time.Since(start), err)
	})
}

// authenticate applies the IP allowlist and the credential rules of mode.
// Order: IP allowlist (403), credential (401), SCIM setting (403), role
// permissions (403).
func (s *Server) authenticate(r *http.Request, surf surface, mode authMode, rc *reqCtx) error {
	if mode == authNone {
		return nil
	}
	tok, hasTok := bearerToken(r)
	return s.st.Read(func(d *store.Data) error {
		set := d.Settings
		// Fault: the allowlist check is missing on the SCIM surface, the
		// real bug of enforcing it only in the web app.
		skipAllowlist := surf == surfaceSCIM && s.faults.has(FaultAllowlistIgnored)
		if ip, ok := ipAllowed(set, r); !ok && !skipAllowlist {
			shown := "unknown"
			if ip.IsValid() {
				shown = ip.String()
			}
			return errf(http.StatusForbidden, "", "client IP %s is not in the workspace IP allowlist (Settings > IP allowlist)", shown)
		}
		if mode == authSCIM && s.faults.has(FaultNoAuth) {
			// Fault: authentication is not enforced at all.
			return nil
		}
		if !hasTok {
			return errf(http.StatusUnauthorized, "", "missing credentials: send Authorization: Bearer <API key>")
		}
		p, ok := identify(d, tok, mode == authAny)
		if !ok {
			return invalidToken("invalid credentials: the bearer token is not a valid API key")
		}
		rc.p, rc.authed = p, true
		switch mode {
		case authAdmin:
			if p.role != RoleAdmin {
				return errf(http.StatusForbidden, "", "the admin API needs an API key with the Admin role; this key has role %q", p.role)
			}
		case authSCIM:
			if !set.ScimEnabled && !s.faults.has(FaultSCIMToggleIgnored) {
				// Source article, FAQ: "Forbidden from remote server" when
				// SCIM is not configured in Cortex.
				return errf(http.StatusForbidden, "", "SCIM is disabled for this workspace: turn on SCIM in Settings before connecting Okta")
			}
			if !s.faults.has(FaultPermissionsUnchecked) {
				role := d.Roles[p.role]
				if missing := missingPermissions(role, scimPermissions); len(missing) > 0 {
					return errf(http.StatusForbidden, "", "the API key's role %q is missing permissions required for SCIM: %s",
						p.role, strings.Join(missing, ", "))
				}
			}
		}
		return nil
	})
}

// logRequest writes one request log line. It never logs secrets: no
// Authorization header, no bodies, credential-like query parameters
// redacted (logQuery); the credential appears as kind and id.
func (s *Server) logRequest(r *http.Request, rc *reqCtx, status, size int, d time.Duration, err error) {
	ev := s.log.Info()
	if status >= 500 {
		ev = s.log.Error()
	}
	ev = ev.Str("method", r.Method).Str("path", r.URL.Path).Int("status", status).
		Int("bytes", size).Dur("duration", d).Str("remote", r.RemoteAddr)
	if r.URL.RawQuery != "" {
		ev = ev.Str("query", logQuery(r.URL.RawQuery))
	}
	if ua := r.UserAgent(); ua != "" {
		// Who called: Okta ("Okta SCIM Client 1.0.0"), scimulator's harness
		// ("scimulator/VERSION (harness)") or another client.
		ev = ev.Str("userAgent", ua)
	}
	if rc.authed {
		ev = ev.Str("credential", rc.p.kind+":"+rc.p.id)
	}
	if err != nil {
		ev = ev.Str("error", err.Error())
	}
	ev.Msg("request")
}

// bufferedResponse holds a response until the wrapper decides to send it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) sendTo(w http.ResponseWriter) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status != http.StatusNoContent && b.status != http.StatusNotModified {
		w.Header().Set("Content-Length", strconv.Itoa(b.body.Len()))
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}
