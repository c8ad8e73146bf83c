package reference

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/store"
)

// scimBase is the SCIM base path.
const scimBase = "/scim/v2"

// userJSON is a User resource as the server sends it (RFC 7643 §4.1).
type userJSON struct {
	Schemas     []string    `json:"schemas"`
	ID          string      `json:"id"`
	ExternalID  string      `json:"externalId,omitempty"`
	UserName    string      `json:"userName"`
	Name        nameJSON    `json:"name"`
	DisplayName string      `json:"displayName,omitempty"`
	Emails      []emailJSON `json:"emails"`
	Active      bool        `json:"active"`
	Meta        metaJSON    `json:"meta"`
}

type nameJSON struct {
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	Formatted  string `json:"formatted,omitempty"`
}

type emailJSON struct {
	Value   string `json:"value"`
	Type    string `json:"type"`
	Primary bool   `json:"primary"`
}

type metaJSON struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
	Location     string `json:"location"`
	Version      string `json:"version"`
}

// etag is the user's entity tag, also its meta.version (RFC 7644 §3.14).
func etag(u store.User) string { return `W/"` + strconv.FormatInt(u.Version, 10) + `"` }

// displayName is derived from the names (SPEC §1.3), falling back to
// userName when the user has none.
func displayName(u store.User) string {
	if n := strings.TrimSpace(u.GivenName + " " + u.FamilyName); n != "" {
		return n
	}
	return u.UserName
}

// baseURL is the absolute SCIM base URL as the client addressed it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + scimBase
}

// userView renders u as a SCIM resource. base is baseURL(r).
func (s *Server) userView(u store.User, base string) userJSON {
	name := u.UserName
	if s.faults.has(FaultLowercaseUserName) {
		// Fault: the server normalises the stored name and loses its case.
		name = strings.ToLower(name)
	}
	return userJSON{
		Schemas:     []string{scimwire.UserSchema},
		ID:          u.ID,
		ExternalID:  u.ExternalID,
		UserName:    name,
		Name:        nameJSON{GivenName: u.GivenName, FamilyName: u.FamilyName, Formatted: strings.TrimSpace(u.GivenName + " " + u.FamilyName)},
		DisplayName: displayName(u),
		Emails:      []emailJSON{{Value: name, Type: "work", Primary: true}},
		Active:      u.Active,
		Meta: metaJSON{
			ResourceType: "User",
			Created:      u.Created.UTC().Format(time.RFC3339),
			LastModified: u.LastModified.UTC().Format(time.RFC3339),
			Location:     base + scimwire.UsersEndpoint + "/" + u.ID,
			Version:      etag(u),
		},
	}
}

// filterResource is the JSON-shaped form of u that filters are evaluated
// against (reference/filter), built directly rather than through encoding/json.
func (s *Server) filterResource(u *store.User) map[string]any {
	name := map[string]any{"formatted": strings.TrimSpace(u.GivenName + " " + u.FamilyName)}
	if u.GivenName != "" {
		name["givenName"] = u.GivenName
	}
	if u.FamilyName != "" {
		name["familyName"] = u.FamilyName
	}
	res := map[string]any{
		"schemas":     []any{scimwire.UserSchema},
		"id":          u.ID,
		"userName":    u.UserName,
		"name":        name,
		"displayName": displayName(*u),
		"emails":      []any{map[string]any{"value": u.UserName, "type": "work", "primary": true}},
		"active":      u.Active,
		"meta": map[string]any{
			"resourceType": "User",
			"created":      u.Created.UTC().Format(time.RFC3339),
			"lastModified": u.LastModified.UTC().Format(time.RFC3339),
			"version":      etag(*u),
		},
	}
	if u.ExternalID != "" {
		res["externalId"] = u.ExternalID
	}
	return res
}

// writeUser sends a user resource with its ETag and, for 201, Location.
func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, status int, u store.User) {
	v := s.userView(u, baseURL(r))
	w.Header().Set("ETag", v.Meta.Version)
	if status == http.StatusCreated {
		w.Header().Set("Location", v.Meta.Location)
	}
	writeJSON(w, status, scimwire.MediaType, v)
}
