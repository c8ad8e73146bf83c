package reference

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// decodeAdmin decodes an admin API body into the struct v, refusing unknown
// fields and wrong types with a 400 that names them.
func (s *Server) decodeAdmin(r *http.Request, v any) error {
	var raw json.RawMessage
	if err := s.decodeJSON(r, &raw, false); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errf(http.StatusBadRequest, "", "invalid request body: %s", jsonErrorText(err))
	}
	return nil
}

// writeAdmin sends an admin API answer.
func writeAdmin(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, "application/json", v)
}

// userByIDOrEmail finds a user by id, or by email case-insensitively (the
// earliest created when a fault let duplicates in).
func userByIDOrEmail(d *store.Data, key string) (store.User, bool) {
	if u, ok := d.UserByID(key); ok {
		return u, true
	}
	if us := d.UsersByUserName(key); len(us) > 0 {
		return us[0], true
	}
	return store.User{}, false
}

// activeUserByEmail returns the id of the active user with email, or "",
// for associating a new team membership or ownership record.
func activeUserByEmail(d *store.Data, email string) string {
	for _, u := range d.UsersByUserName(email) {
		if strings.EqualFold(u.UserName, email) && u.Active {
			return u.ID
		}
	}
	return ""
}

// memberJSON is a team member or entity owner as the admin API shows it.
type memberJSON struct {
	Email  string  `json:"email"`
	UserID *string `json:"userId"`
}

func membersJSON(ms []store.Member) []memberJSON {
	out := make([]memberJSON, 0, len(ms))
	for _, m := range ms {
		mj := memberJSON{Email: m.Email}
		if m.UserID != "" {
			id := m.UserID
			mj.UserID = &id
		}
		out = append(out, mj)
	}
	return out
}
