package reference

import (
	"net/http"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// entityJSON is a catalog entity as the admin API shows it.
type entityJSON struct {
	ID     string       `json:"id"`
	Name   string       `json:"name"`
	Owners []memberJSON `json:"owners"`
}

func toEntityJSON(e store.Entity) entityJSON {
	return entityJSON{ID: e.ID, Name: e.Name, Owners: membersJSON(e.Owners)}
}

// createEntity is POST /api/v1/entities {"name","owners":[emails]}. Owners
// are records by email, associated with the user who has the email now (or
// on a later reprovision, SPEC §1.4).
func (s *Server) createEntity(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Name   string   `json:"name"`
		Owners []string `json:"owners"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return errf(http.StatusBadRequest, "", "entity name is required")
	}
	for _, o := range in.Owners {
		if !validEmail(normEmail(o)) {
			return errf(http.StatusBadRequest, "", "owner %q is not an email address", o)
		}
	}
	e := store.Entity{ID: newID(), Name: in.Name, Owners: []store.Member{}}
	err := s.write(rc, func(d *store.Data) error {
		for _, o := range in.Owners {
			o = normEmail(o)
			uid := activeUserByEmail(d, o)
			e.Owners = append(e.Owners, store.Member{Email: o, UserID: uid})
		}
		d.Entities[e.ID] = e
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusCreated, toEntityJSON(e))
	return nil
}

// getEntity is GET /api/v1/entities/{id}.
func (s *Server) getEntity(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id := r.PathValue("id")
	var out entityJSON
	err := s.read(rc, func(d *store.Data) error {
		e, ok := d.Entities[id]
		if !ok {
			return notFound("no entity with id %q", id)
		}
		out = toEntityJSON(e)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusOK, out)
	return nil
}

// listEntities is GET /api/v1/entities: {"entities":[...]} sorted by name.
func (s *Server) listEntities(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	out := []entityJSON{}
	err := s.read(rc, func(d *store.Data) error {
		for _, e := range d.Entities {
			out = append(out, toEntityJSON(e))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || out[i].Name == out[j].Name && out[i].ID < out[j].ID
	})
	writeAdmin(w, http.StatusOK, map[string]any{"entities": out})
	return nil
}
