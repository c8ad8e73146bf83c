package reference

import (
	"net/http"
	"slices"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// deprovision makes u inactive and revokes its access in the same write
// transaction (SPEC §1.4; source article, "Deprovisioning users"):
//  1. every role is removed;
//  2. every team membership is removed, unless the workspace keeps
//     deprovisioned users in teams;
//  3. every personal API key is deleted;
//  4. every session is deleted, so it stops authenticating at once.
//
// It stores u; the caller commits by returning nil from the transaction and
// then calls drain.
func (s *Server) deprovision(d *store.Data, u *store.User) {
	u.Active = false
	if !s.faults.has(FaultDeprovisionKeepsRoles) {
		u.Roles = nil
	}
	d.PutUser(*u)
	if !d.Settings.KeepDeprovisionedInTeams && !s.faults.has(FaultDeprovisionKeepsTeams) {
		for id, t := range d.Teams {
			t.Members = slices.DeleteFunc(slices.Clone(t.Members), func(m store.Member) bool {
				return m.UserID == u.ID || strings.EqualFold(m.Email, u.UserName)
			})
			d.Teams[id] = t
		}
	}
	if !s.faults.has(FaultDeprovisionKeepsAPIKeys) {
		for k := range d.APIKeys() {
			if k.OwnerID == u.ID {
				d.DeleteAPIKey(k.ID)
			}
		}
	}
	if !s.faults.has(FaultDeprovisionKeepsSessions) {
		for sess := range d.Sessions() {
			if sess.UserID == u.ID {
				d.DeleteSession(sess.ID)
			}
		}
	}
}

// drain waits, after a deprovision of userID has committed, until requests
// authenticated with that user's credentials have finished; each re-checks
// its credential before answering, so none answers with success after this
// returns (SPEC §1.4). The caller's own request is not waited for, and
// when the caller deprovisioned its own user it still answers for the
// change it made (reqCtx.revokedItself).
//
// When the wait ends early (the bound s.drainLimit, WriteTimeout in
// production, or the caller's context), the deprovision has committed but
// the server cannot promise that no racing request will still answer with
// success, so drain returns a 503 that says exactly that instead of letting
// the deprovision claim success. Repeating the deprovision is safe: it is
// idempotent and drains again.
func (s *Server) drain(r *http.Request, rc *reqCtx, userID string) error {
	allow := 0
	if rc.p.userID == userID {
		allow = 1
		rc.revokedItself = true
	}
	if s.flights.wait(r.Context(), userID, allow, s.drainLimit) {
		return nil
	}
	n := s.flights.inFlight(userID) - allow
	return errf(http.StatusServiceUnavailable, "",
		"the user was deprovisioned (inactive, roles, keys and sessions revoked), but %d request(s) made with its credentials "+
			"were still running after %s, so the server cannot confirm that none of them answers with success; "+
			"repeat the request to confirm (deactivation is idempotent; after DELETE a GET answers 404)", n, s.drainLimit)
}

// reassociate points every team membership and entity ownership record that
// names u's email at u (SPEC §1.4: "any ownership or team membership that
// still references their email will continue to be associated with them").
func reassociate(d *store.Data, u store.User) {
	for id, t := range d.Teams {
		t.Members = relink(t.Members, u)
		d.Teams[id] = t
	}
	for id, e := range d.Entities {
		e.Owners = relink(e.Owners, u)
		d.Entities[id] = e
	}
}

func relink(ms []store.Member, u store.User) []store.Member {
	out := slices.Clone(ms)
	for i := range out {
		if strings.EqualFold(out[i].Email, u.UserName) {
			out[i].UserID = u.ID
		}
	}
	return out
}

// dissociate clears records pointing at a deleted user; they keep the email.
func dissociate(d *store.Data, userID string) {
	unlink := func(ms []store.Member) []store.Member {
		out := slices.Clone(ms)
		for i := range out {
			if out[i].UserID == userID {
				out[i].UserID = ""
			}
		}
		return out
	}
	for id, t := range d.Teams {
		t.Members = unlink(t.Members)
		d.Teams[id] = t
	}
	for id, e := range d.Entities {
		e.Owners = unlink(e.Owners)
		d.Entities[id] = e
	}
}
