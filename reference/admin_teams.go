package reference

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// teamJSON is a team as the admin API shows it.
type teamJSON struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Members []memberJSON `json:"members"`
}

func toTeamJSON(t store.Team) teamJSON {
	return teamJSON{ID: t.ID, Name: t.Name, Members: membersJSON(t.Members)}
}

// teamByIDOrName finds a team by id or name (case-insensitive).
func teamByIDOrName(d *store.Data, key string) (store.Team, bool) {
	if t, ok := d.Teams[key]; ok {
		return t, true
	}
	for _, t := range d.Teams {
		if strings.EqualFold(t.Name, key) {
			return t, true
		}
	}
	return store.Team{}, false
}

// listTeams is GET /api/v1/teams: {"teams":[...]} sorted by name.
func (s *Server) listTeams(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	out := []teamJSON{}
	err := s.read(rc, func(d *store.Data) error {
		for _, t := range d.Teams {
			out = append(out, toTeamJSON(t))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	writeAdmin(w, http.StatusOK, map[string]any{"teams": out})
	return nil
}

// createTeam is POST /api/v1/teams {"name"}; names are unique
// case-insensitively.
func (s *Server) createTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return errf(http.StatusBadRequest, "", "team name is required")
	}
	t := store.Team{ID: newID(), Name: in.Name, Members: []store.Member{}}
	err := s.write(rc, func(d *store.Data) error {
		if _, ok := teamByIDOrName(d, in.Name); ok {
			return errf(http.StatusConflict, "", "team %q already exists", in.Name)
		}
		d.Teams[t.ID] = t
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusCreated, toTeamJSON(t))
	return nil
}

// getTeam is GET /api/v1/teams/{idOrName}.
func (s *Server) getTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.teamAction(w, r, rc, nil)
}

// addTeamMember is POST /api/v1/teams/{idOrName}/members {"email"}. The
// record names the email; it is associated with the user who has that email
// now, or later when one is provisioned (SPEC §1.4). Adding an existing
// member changes nothing.
func (s *Server) addTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := s.decodeAdmin(r, &in); err != nil {
		return err
	}
	email := normEmail(in.Email)
	if !validEmail(email) {
		return errf(http.StatusBadRequest, "", "email %q is not an email address", in.Email)
	}
	return s.teamAction(w, r, rc, func(d *store.Data, t *store.Team) error {
		if slices.ContainsFunc(t.Members, func(m store.Member) bool { return strings.EqualFold(m.Email, email) }) {
			return nil
		}
		uid := activeUserByEmail(d, email)
		t.Members = append(slices.Clone(t.Members), store.Member{Email: email, UserID: uid})
		return nil
	})
}

// removeTeamMember is DELETE /api/v1/teams/{idOrName}/members/{email}.
func (s *Server) removeTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	email := r.PathValue("email") // already unescaped by the mux
	return s.teamAction(w, r, rc, func(_ *store.Data, t *store.Team) error {
		n := len(t.Members)
		t.Members = slices.DeleteFunc(slices.Clone(t.Members), func(m store.Member) bool { return strings.EqualFold(m.Email, email) })
		if len(t.Members) == n {
			return notFound("%q is not a member of team %q", email, t.Name)
		}
		return nil
	})
}

func (s *Server) teamAction(w http.ResponseWriter, r *http.Request, rc *reqCtx, change func(d *store.Data, t *store.Team) error) error {
	key := r.PathValue("team")
	var out teamJSON
	txn := s.read
	if change != nil {
		txn = s.write
	}
	err := txn(rc, func(d *store.Data) error {
		t, ok := teamByIDOrName(d, key)
		if !ok {
			return notFound("no team with id or name %q", key)
		}
		if change != nil {
			if err := change(d, &t); err != nil {
				return err
			}
			d.Teams[t.ID] = t
		}
		out = toTeamJSON(t)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusOK, out)
	return nil
}
