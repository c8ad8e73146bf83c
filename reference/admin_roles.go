package reference

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// roleJSON is a role as the admin API shows it.
type roleJSON struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
	BuiltIn     bool     `json:"builtIn"`
}

func toRoleJSON(r store.Role) roleJSON {
	p := slices.Clone(r.Permissions)
	if p == nil {
		p = []string{}
	}
	return roleJSON{Name: r.Name, Permissions: p, BuiltIn: r.BuiltIn}
}

// listRoles is GET /api/v1/roles: {"roles":[...]} sorted by name.
func (s *Server) listRoles(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	var out []roleJSON
	err := s.read(rc, func(d *store.Data) error {
		for _, r := range d.Roles {
			out = append(out, toRoleJSON(r))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	writeAdmin(w, http.StatusOK, map[string]any{"roles": out})
	return nil
}

// createRole is POST /api/v1/roles {"name","permissions"}: a custom role,
// 201. Creating a role that exists with the same permissions is idempotent
// (200, so probes can run twice against a shared target); the same name
// with other permissions, or a built-in name, is 409.
func (s *Server) createRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Name        string   `json:"name"`
		Permissions []string `json:"permissions"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return errf(http.StatusBadRequest, "", "role name is required")
	}
	perms := []string{}
	for _, p := range in.Permissions {
		if !knownPermission(p) {
			return errf(http.StatusBadRequest, "", "unknown permission %q (known: %s)", p, strings.Join(allPermissions, ", "))
		}
		if !slices.Contains(perms, p) {
			perms = append(perms, p)
		}
	}
	role := store.Role{Name: in.Name, Permissions: perms}
	status := http.StatusCreated
	err := s.write(rc, func(d *store.Data) error {
		for name, existing := range d.Roles {
			if !strings.EqualFold(name, in.Name) {
				continue
			}
			if name == in.Name && !existing.BuiltIn && sameSet(existing.Permissions, perms) {
				role, status = existing, http.StatusOK
				return nil
			}
			return errf(http.StatusConflict, "", "role %q already exists with other permissions", name)
		}
		d.Roles[role.Name] = role
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, status, toRoleJSON(role))
	return nil
}

// deleteRole is DELETE /api/v1/roles/{name}: custom roles only, and only
// when no user, API key or the default-role setting uses it (409
// otherwise), so nothing is left pointing at a missing role.
func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	name := r.PathValue("name")
	err := s.write(rc, func(d *store.Data) error {
		role, ok := d.Roles[name]
		if !ok {
			return notFound("no role %q", name)
		}
		if role.BuiltIn {
			return errf(http.StatusBadRequest, "", "role %q is built in and cannot be deleted", name)
		}
		if d.Settings.DefaultRole == name {
			return errf(http.StatusConflict, "", "role %q is the default role", name)
		}
		for k := range d.APIKeys() {
			if k.Role == name {
				return errf(http.StatusConflict, "", "role %q is used by API key %q", name, k.Name)
			}
		}
		inUse := ""
		d.EachUser(func(u *store.User) bool {
			if slices.Contains(u.Roles, name) {
				inUse = u.UserName
				return false
			}
			return true
		})
		if inUse != "" {
			return errf(http.StatusConflict, "", "role %q is held by user %q", name, inUse)
		}
		delete(d.Roles, name)
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sameSet reports whether a and b hold the same permissions in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		if !slices.Contains(b, p) {
			return false
		}
	}
	return true
}
