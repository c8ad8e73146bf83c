package reference

import (
	"net/http"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/store"
)

// userInput is what a POST or PUT body says about a user. Attributes that
// the Cortex side does not keep (password, locale, groups, extension
// namespaces, displayName, id, meta, ...) are accepted and ignored:
// password is never stored or echoed (SPEC §1.3).
type userInput struct {
	userName   string
	email      string // primary email, "" when the body has none
	givenName  string
	familyName string
	hasName    bool
	externalID string
	hasExtID   bool
	active     bool
	hasActive  bool
}

// parseUserInput reads a User resource body (POST or PUT).
func parseUserInput(body map[string]any) (userInput, attrs, error) {
	var in userInput
	a, err := lowerKeys(body)
	if err != nil {
		return in, nil, err
	}
	// RFC 7643 §3: "schemas" is REQUIRED and names the core User schema.
	ok, err := hasSchema(a, scimwire.UserSchema)
	if err != nil {
		return in, nil, err
	}
	if !ok {
		return in, nil, badRequest(scimwire.ScimTypeInvalidValue, "\"schemas\" must list %s", scimwire.UserSchema)
	}
	var has bool
	if in.userName, has, err = a.str("userName"); err != nil {
		return in, nil, err
	}
	if !has || in.userName == "" {
		return in, nil, badRequest(scimwire.ScimTypeInvalidValue, "\"userName\" is required")
	}
	if !validEmail(in.userName) {
		// Source article: Okta's application username format must be Email.
		return in, nil, badRequest(scimwire.ScimTypeInvalidValue, "\"userName\" must be an email address, got %q", in.userName)
	}
	if in.email, _, err = primaryEmail(a); err != nil {
		return in, nil, err
	}
	name, hasName, err := a.object("name")
	if err != nil {
		return in, nil, err
	}
	if hasName {
		in.hasName = true
		if in.givenName, _, err = name.str("givenName"); err != nil {
			return in, nil, err
		}
		if in.familyName, _, err = name.str("familyName"); err != nil {
			return in, nil, err
		}
	}
	if in.externalID, in.hasExtID, err = a.str("externalId"); err != nil {
		return in, nil, err
	}
	if in.active, in.hasActive, err = a.boolean("active"); err != nil {
		return in, nil, err
	}
	return in, a, nil
}

// usersNamed returns the users whose userName matches name: case-insensitively
// (SPEC §1.3), or exactly under the case-sensitive-username fault.
func (s *Server) usersNamed(d *store.Data, name string) []store.User {
	users := d.UsersByUserName(name)
	if s.faults.has(FaultCaseSensitiveUserName) {
		// Fault: uniqueness compares the stored bytes.
		exact := users[:0]
		for _, u := range users {
			if u.UserName == name {
				exact = append(exact, u)
			}
		}
		users = exact
	}
	return users
}

// createUser is POST /Users (RFC 7644 §3.3).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var body map[string]any
	if err := s.decodeBody(r, &body); err != nil {
		return err
	}
	in, _, err := parseUserInput(body)
	if err != nil {
		return err
	}
	if in.email != "" && !strings.EqualFold(in.email, in.userName) {
		return badRequest(scimwire.ScimTypeInvalidValue,
			"the primary email %q must equal userName %q: Cortex identifies users by email", in.email, in.userName)
	}
	var created store.User
	err = s.write(rc, func(d *store.Data) error {
		if len(s.usersNamed(d, in.userName)) > 0 && !s.faults.has(FaultDuplicateCreate) {
			return errf(http.StatusConflict, scimwire.ScimTypeUniqueness,
				"a user with userName %q already exists (userName is unique case-insensitively)", in.userName)
		}
		now := s.now().UTC()
		u := store.User{
			ID:           newID(),
			UserName:     in.userName,
			ExternalID:   in.externalID,
			GivenName:    in.givenName,
			FamilyName:   in.familyName,
			Active:       !in.hasActive || in.active,
			Version:      1,
			Created:      now,
			LastModified: now,
		}
		if u.Active {
			u.Roles = []string{d.Settings.DefaultRole}
		}
		d.PutUser(u)
		if u.Active {
			// SPEC §1.4: a POST with the email of a deleted user is a
			// reprovision; records still naming the email follow the user.
			reassociate(d, u)
		}
		created = u
		return nil
	})
	if err != nil {
		return err
	}
	if s.faults.has(FaultEmptyCreateBody) {
		// Fault: 201 with nothing in it ("Create new user returned empty user").
		w.WriteHeader(http.StatusCreated)
		return nil
	}
	s.writeUser(w, r, http.StatusCreated, created)
	return nil
}

// getUser is GET /Users/{id} (RFC 7644 §3.4.1).
func (s *Server) getUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	var u store.User
	err := s.read(rc, func(d *store.Data) error {
		var ok bool
		if u, ok = d.UserByID(id); !ok {
			return userNotFound(id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// RFC 7644 §3.14: a matching If-None-Match answers 304.
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag(u)) {
		w.Header().Set("ETag", etag(u))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	s.writeUser(w, r, http.StatusOK, u)
	return nil
}

// deleteUser is DELETE /Users/{id}: the user is deprovisioned and its SCIM
// resource removed (SPEC §1.3); a later GET answers 404.
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	err := s.write(rc, func(d *store.Data) error {
		u, ok := d.UserByID(id)
		if !ok {
			return userNotFound(id)
		}
		if err := s.checkIfMatch(r, u); err != nil {
			return err
		}
		s.deprovision(d, &u)
		d.DeleteUser(u.ID)
		// The records that name the email stay (SPEC §1.4) but no longer
		// point at a user.
		dissociate(d, u.ID)
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.drain(r, rc, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func userNotFound(id string) *apiError {
	return notFound("no user with id %q", id)
}

// checkIfMatch applies If-Match (RFC 7644 §3.14; RFC 9110 §13.1.1): absent is
// fine, "*" matches any version, otherwise one listed tag must match.
func (s *Server) checkIfMatch(r *http.Request, u store.User) error {
	im := r.Header.Get("If-Match")
	if im == "" || s.faults.has(FaultETagIgnored) {
		return nil
	}
	if etagMatches(im, etag(u)) {
		return nil
	}
	return errf(http.StatusPreconditionFailed, "",
		"If-Match %s does not match the current version %s: the user changed since it was read", im, etag(u))
}

// etagMatches reports whether an If-Match/If-None-Match list holds tag.
// Weak comparison (RFC 9110 §8.8.3.2): W/ prefixes are ignored.
func etagMatches(list, tag string) bool {
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
