package reference

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// adminUserJSON is the "Permissions > Users" view of a user (README.md, "Admin API").
type adminUserJSON struct {
	ID             string   `json:"id"`
	UserName       string   `json:"userName"`
	Email          string   `json:"email"`
	GivenName      string   `json:"givenName"`
	FamilyName     string   `json:"familyName"`
	Active         bool     `json:"active"`
	Status         string   `json:"status"`
	Roles          []string `json:"roles"`
	Teams          []string `json:"teams"`
	APIKeyCount    int      `json:"apiKeyCount"`
	ActiveSessions int      `json:"activeSessions"`
}

// adminUserView builds the view from the workspace.
func adminUserView(d *store.Data, u store.User) adminUserJSON {
	v := adminUserJSON{
		ID: u.ID, UserName: u.UserName, Email: u.UserName,
		GivenName: u.GivenName, FamilyName: u.FamilyName,
		Active: u.Active, Status: "active",
		Roles: slices.Clone(u.Roles), Teams: []string{},
	}
	if !u.Active {
		v.Status = "deprovisioned"
	}
	if v.Roles == nil {
		v.Roles = []string{}
	}
	for _, t := range d.Teams {
		if slices.ContainsFunc(t.Members, func(m store.Member) bool { return m.UserID == u.ID }) {
			v.Teams = append(v.Teams, t.Name)
		}
	}
	sort.Strings(v.Teams)
	for k := range d.APIKeys() {
		if k.OwnerID == u.ID {
			v.APIKeyCount++
		}
	}
	for sess := range d.Sessions() {
		if sess.UserID == u.ID {
			v.ActiveSessions++
		}
	}
	return v
}

// adminListUsers is GET /api/v1/users: {"users":[...]} in creation order.
func (s *Server) adminListUsers(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	out := []adminUserJSON{}
	err := s.read(rc, func(d *store.Data) error {
		d.EachUser(func(u *store.User) bool {
			out = append(out, adminUserView(d, u.Clone()))
			return true
		})
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

// adminGetUser is GET /api/v1/users/{idOrEmail}.
func (s *Server) adminGetUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.adminUserAction(w, r, rc, http.StatusOK, nil)
}

// adminGrantRole is POST /api/v1/users/{idOrEmail}/roles {"role"}. A
// deprovisioned user cannot be given a role (409): access comes back only
// through reprovisioning.
func (s *Server) adminGrantRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Role string `json:"role"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	return s.adminUserAction(w, r, rc, http.StatusOK, func(d *store.Data, u *store.User) error {
		if _, ok := d.Roles[in.Role]; !ok {
			return errf(http.StatusBadRequest, "", "no role %q", in.Role)
		}
		if !u.Active {
			return errf(http.StatusConflict, "", "user %q is deprovisioned", u.UserName)
		}
		if !slices.Contains(u.Roles, in.Role) {
			u.Roles = append(u.Roles, in.Role)
		}
		return nil
	})
}

// adminRevokeRole is DELETE /api/v1/users/{idOrEmail}/roles/{role}.
func (s *Server) adminRevokeRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	role := r.PathValue("role")
	return s.adminUserAction(w, r, rc, http.StatusOK, func(_ *store.Data, u *store.User) error {
		if !slices.Contains(u.Roles, role) {
			return notFound("user %q does not have role %q", u.UserName, role)
		}
		u.Roles = slices.DeleteFunc(u.Roles, func(x string) bool { return x == role })
		return nil
	})
}

// adminUserAction finds {user}, applies change (nil: read only) and answers
// with the user view.
func (s *Server) adminUserAction(w http.ResponseWriter, r *http.Request, rc *reqCtx, status int,
	change func(d *store.Data, u *store.User) error) error {
	key := r.PathValue("user")
	var out adminUserJSON
	txn := s.read
	if change != nil {
		txn = s.write
	}
	err := txn(rc, func(d *store.Data) error {
		u, ok := userByIDOrEmail(d, key)
		if !ok {
			return notFound("no user with id or email %q", key)
		}
		if change != nil {
			if err := change(d, &u); err != nil {
				return err
			}
			d.PutUser(u)
		}
		out = adminUserView(d, u)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, status, out)
	return nil
}

// normEmail trims an email for storing in a record (case kept).
func normEmail(e string) string { return strings.TrimSpace(e) }
