package reference

import (
	"net/http"
	"slices"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/store"
)

// readOnlyInPut are attributes Okta echoes back in PUT bodies (SPEC
// Appendix B); they are tolerated and ignored, except under the
// put-rejects-readonly fault.
var readOnlyInPut = []string{"id", "meta", "groups"}

// replaceUser is PUT /Users/{id} (RFC 7644 §3.5.1) with the Cortex rules:
// only name.givenName and name.familyName change, userName and email are
// immutable (400 mutability), active:false deprovisions and active:true on
// an inactive user reactivates it (the only way to, SPEC §1.3).
func (s *Server) replaceUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var body map[string]any
	if err := s.decodeBody(r, &body); err != nil {
		return err
	}
	in, a, err := parseUserInput(body)
	if err != nil {
		return err
	}
	if s.faults.has(FaultPutRejectsReadOnly) {
		for _, k := range readOnlyInPut {
			if _, ok := a[k]; ok {
				// Fault: strict servers refuse what Okta echoes back.
				return badRequest(scimwire.ScimTypeMutability, "attribute %q is read-only", k)
			}
		}
	}
	return s.updateUser(w, r, rc, func(old store.User, nu *store.User) error {
		if !strings.EqualFold(in.userName, old.UserName) {
			if !s.faults.has(FaultEmailMutable) {
				return errf(http.StatusBadRequest, scimwire.ScimTypeMutability,
					"userName cannot change (from %q to %q): a Cortex user's email is immutable", old.UserName, in.userName)
			}
			nu.UserName = in.userName // fault: accepted
		}
		if in.email != "" && !strings.EqualFold(in.email, nu.UserName) && !s.faults.has(FaultEmailMutable) {
			return errf(http.StatusBadRequest, scimwire.ScimTypeMutability,
				"email cannot change (from %q to %q): a Cortex user's email is immutable", nu.UserName, in.email)
		}
		if in.hasName && !s.faults.has(FaultNameChangeIgnored) {
			nu.GivenName, nu.FamilyName = in.givenName, in.familyName
		}
		if in.hasExtID {
			nu.ExternalID = in.externalID
		}
		if in.hasActive {
			nu.Active = in.active
		}
		return nil
	})
}

// updateUser runs one PUT or PATCH of the user in the path as a single
// transaction: it loads the user, checks If-Match, lets change edit a copy
// (old is the stored form), refuses a userName another user has, and
// commits with the lifecycle rules of commitUserChange. Nothing is stored
// when change fails. After a deprovision it drains the user's in-flight
// requests before answering (SPEC §1.4).
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, change func(old store.User, nu *store.User) error) error {
	id := r.PathValue("id")
	var (
		result        store.User
		deprovisioned bool
	)
	err := s.write(rc, func(d *store.Data) error {
		old, ok := d.UserByID(id)
		if !ok {
			return userNotFound(id)
		}
		if err := s.checkIfMatch(r, old); err != nil {
			return err
		}
		nu := old.Clone()
		if err := change(old, &nu); err != nil {
			return err
		}
		if nu.UserName != old.UserName {
			if err := s.checkUnique(d, nu); err != nil {
				return err
			}
		}
		var err error
		result, deprovisioned, err = s.commitUserChange(d, old, nu)
		return err
	})
	if err != nil {
		return err
	}
	if deprovisioned {
		if err := s.drain(r, rc, result.ID); err != nil {
			return err
		}
	}
	s.writeUser(w, r, http.StatusOK, result)
	return nil
}

// checkUnique refuses a userName another user already has (only reachable
// under the email-mutable fault, which lets userName change).
func (s *Server) checkUnique(d *store.Data, nu store.User) error {
	for _, other := range s.usersNamed(d, nu.UserName) {
		if other.ID != nu.ID {
			return errf(http.StatusConflict, scimwire.ScimTypeUniqueness, "a user with userName %q already exists", nu.UserName)
		}
	}
	return nil
}

// commitUserChange stores nu, the changed form of old, applying the
// lifecycle transitions: active→inactive deprovisions (SPEC §1.4);
// inactive→active reactivates with the default role and re-associates
// records by email. The version moves only when something changed.
func (s *Server) commitUserChange(d *store.Data, old, nu store.User) (store.User, bool, error) {
	deactivate := old.Active && !nu.Active
	reactivate := !old.Active && nu.Active
	if deactivate && s.faults.has(FaultDeactivationIgnored) {
		// Fault: answers 200 but the user stays active.
		nu.Active, deactivate = true, false
	}
	if reactivate {
		nu.Roles = []string{d.Settings.DefaultRole}
		if s.faults.has(FaultReactivationNewID) {
			// Fault: the server recreates the user instead of reactivating it.
			d.DeleteUser(old.ID)
			nu.ID, nu.Seq = newID(), 0
		}
	}
	if userEqual(old, nu) {
		return old, false, nil
	}
	nu.Version = old.Version + 1
	nu.LastModified = s.now().UTC()
	if deactivate {
		s.deprovision(d, &nu)
		return nu, true, nil
	}
	d.PutUser(nu)
	if reactivate {
		reassociate(d, nu)
	}
	stored, _ := d.UserByID(nu.ID)
	return stored, false, nil
}

// userEqual reports whether two versions of a user hold the same values.
func userEqual(a, b store.User) bool {
	return a.ID == b.ID && a.UserName == b.UserName && a.ExternalID == b.ExternalID &&
		a.GivenName == b.GivenName && a.FamilyName == b.FamilyName &&
		a.Active == b.Active && slices.Equal(a.Roles, b.Roles)
}
