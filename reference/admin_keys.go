package reference

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/scimulator/scimulator/reference/store"
)

// apiKeyJSON is an API key as listed: never with its secret.
type apiKeyJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Owner   string `json:"owner"` // owner's email, "" for a workspace key
	Created string `json:"created"`
}

func toAPIKeyJSON(k store.APIKey) apiKeyJSON {
	return apiKeyJSON{ID: k.ID, Name: k.Name, Role: k.Role, Owner: k.OwnerEmail, Created: k.Created.UTC().Format(time.RFC3339)}
}

// listAPIKeys is GET /api/v1/api-keys: {"apiKeys":[...]} without secrets.
func (s *Server) listAPIKeys(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	out := []apiKeyJSON{}
	err := s.read(rc, func(d *store.Data) error {
		for k := range d.APIKeys() {
			out = append(out, toAPIKeyJSON(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Created < out[j].Created || out[i].Created == out[j].Created && out[i].ID < out[j].ID
	})
	writeAdmin(w, http.StatusOK, map[string]any{"apiKeys": out})
	return nil
}

// createAPIKey is POST /api/v1/api-keys {"name","role","owner"}: owner is an
// active user's email (a personal key) or "" (a workspace key). The answer
// is the only place the secret ever appears (source article: "you can only
// view the key once"); only its hash is kept.
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Name  string `json:"name"`
		Role  string `json:"role"`
		Owner string `json:"owner"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return errf(http.StatusBadRequest, "", "key name is required")
	}
	secret, err := newSecret("scim_")
	if err != nil {
		return err
	}
	k := store.APIKey{ID: newID(), Name: in.Name, Role: in.Role, Hash: hashSecret(secret), Created: s.now().UTC()}
	err = s.write(rc, func(d *store.Data) error {
		if _, ok := d.Roles[in.Role]; !ok {
			return errf(http.StatusBadRequest, "", "no role %q", in.Role)
		}
		if owner := normEmail(in.Owner); owner != "" {
			u, ok := userByIDOrEmail(d, owner)
			if !ok {
				return notFound("no user with email %q", owner)
			}
			if !u.Active {
				return errf(http.StatusConflict, "", "user %q is deprovisioned and cannot own an API key", u.UserName)
			}
			k.OwnerID, k.OwnerEmail = u.ID, u.UserName
		}
		d.PutAPIKey(k)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusCreated, map[string]any{
		"id": k.ID, "name": k.Name, "role": k.Role, "owner": k.OwnerEmail, "secret": secret,
	})
	return nil
}

// deleteAPIKey is DELETE /api/v1/api-keys/{id}: the key stops working at
// once. The bootstrap key cannot be revoked (400), so the workspace always
// has an admin.
func (s *Server) deleteAPIKey(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	err := s.write(rc, func(d *store.Data) error {
		if _, ok := d.APIKey(id); !ok {
			return notFound("no API key with id %q", id)
		}
		if id == bootstrapKeyID {
			return errf(http.StatusBadRequest, "", "the bootstrap admin key cannot be revoked")
		}
		d.DeleteAPIKey(id)
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// createSession is POST /api/v1/sessions {"email"}: a login standing in for
// SSO. 404 for an unknown user, 403 for a deprovisioned one.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	token, err := newSecret("sess_")
	if err != nil {
		return err
	}
	sess := store.Session{ID: newID(), Hash: hashSecret(token), Created: s.now().UTC()}
	err = s.write(rc, func(d *store.Data) error {
		u, ok := userByIDOrEmail(d, normEmail(in.Email))
		if !ok {
			return notFound("no user with email %q", in.Email)
		}
		if !u.Active {
			return errf(http.StatusForbidden, "", "user %q is deprovisioned and cannot log in", u.UserName)
		}
		sess.UserID = u.ID
		d.PutSession(sess)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusCreated, map[string]any{"token": token, "userId": sess.UserID})
	return nil
}

// whoami is GET /api/v1/whoami for any live session or API key: 200 with
// who it is, 401 once it has been revoked (SPEC §1.5).
func (s *Server) whoami(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	var userID, email any
	err := s.read(rc, func(d *store.Data) error {
		if rc.p.userID != "" {
			userID = rc.p.userID
			if u, ok := d.UserByID(rc.p.userID); ok {
				email = u.UserName
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusOK, map[string]any{"userId": userID, "email": email, "kind": rc.p.kind})
	return nil
}
