package steps

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reference"
)

// groupsTarget is a test target that keeps groups: the reference server
// answers everything but /Groups, which an in-memory group store serves,
// and /ResourceTypes, which adds the Group resource type. Its faults are
// the group bugs the group scenarios must catch.
type groupsTarget struct {
	key    string
	faults map[string]bool

	mu     sync.Mutex
	seq    int
	groups map[string]*fakeGroup
}

type fakeGroup struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	ExternalID  string   `json:"externalId,omitempty"`
	Members     []string `json:"-"`
	hidden      bool     // deleted under faultDeleteHides: gone by id, still listed
}

// The group bugs groupsTarget can be given.
const (
	faultIgnoreRemove = "patch-ignores-remove"  // PATCH remove answers 200 and removes nothing
	faultPutKeeps     = "put-keeps-members"     // PUT changes the name, not the members
	faultRenameDrops  = "rename-drops-members"  // a path-less replace without members empties them
	faultDeleteKeeps  = "delete-keeps-group"    // DELETE answers 204 and keeps the group
	faultEmptyReplace = "empty-replace-ignored" // replace of members with [] keeps them
	faultLegacyRemove = "legacy-remove-ignored" // remove with a value list (Entra legacy) removes nothing
	faultRemoveAll    = "remove-removes-all"    // remove of members ignores a value list and removes every member, as RFC 7644 §3.5.2.2 reads without one
	faultAddIgnored   = "add-ignored"           // PATCH add answers 200 and adds nothing
	faultDeleteHides  = "delete-hides-by-id"    // DELETE only hides the group from GET /Groups/{id}; lists keep it
	faultNoCreate     = "post-not-implemented"  // POST /Groups answers 501: groups are read-only
	faultNoDelete     = "delete-not-allowed"    // DELETE /Groups/{id} answers 405
)

// newGroupsTarget starts the target and returns a shared --url profile for
// it with the reference's admin API as probes.
func newGroupsTarget(t *testing.T, faults ...string) target.Profile {
	p, _ := startGroupsTarget(t, faults...)
	return p
}

// startGroupsTarget is newGroupsTarget that also returns the target.
func startGroupsTarget(t *testing.T, faults ...string) (target.Profile, *groupsTarget) {
	t.Helper()
	srv, err := reference.New(reference.Config{EnableSCIM: true})
	if err != nil {
		t.Fatal(err)
	}
	gt := &groupsTarget{key: srv.AdminKey(), faults: map[string]bool{}, groups: map[string]*fakeGroup{}}
	for _, f := range faults {
		gt.faults[f] = true
	}
	ref := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/scim/v2/Groups"):
			gt.serveGroups(w, r, strings.TrimPrefix(r.URL.Path, "/scim/v2/Groups"))
		case r.URL.Path == "/scim/v2/ResourceTypes" && r.Method == http.MethodGet:
			rec := httptest.NewRecorder()
			ref.ServeHTTP(rec, r)
			var list map[string]any
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &list) != nil {
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			rs, _ := list["Resources"].([]any)
			list["Resources"] = append(rs, map[string]any{
				"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"},
				"id":      "Group", "name": "Group", "endpoint": "/Groups",
				"schema": "urn:ietf:params:scim:schemas:core:2.0:Group",
				"meta":   map[string]string{"resourceType": "ResourceType", "location": "/scim/v2/ResourceTypes/Group"},
			})
			list["totalResults"] = len(rs) + 1
			list["itemsPerPage"] = len(rs) + 1
			writeSCIM(w, http.StatusOK, list)
		default:
			ref.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(hs.Close)
	p, err := target.FromFlags(target.Flags{URL: hs.URL + "/scim/v2", TokenEnv: "GROUPS_TOKEN", Auth: "bearer", Traffic: "oin", AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = p.Resolve(func(string) string { return gt.key }); err != nil {
		t.Fatal(err)
	}
	p.Admin = &target.Admin{BaseURL: hs.URL + "/api/v1", Auth: p.Auth, ClientIPHeader: "X-Forwarded-For", ClientIP: harnessIP}
	p.BuiltinProbes = target.BuiltinReference
	return p, gt
}

// groupCount is how many groups the target keeps.
func (gt *groupsTarget) groupCount() int {
	gt.mu.Lock()
	defer gt.mu.Unlock()
	return len(gt.groups)
}

func writeSCIM(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", scimwire.MediaType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func scimError(w http.ResponseWriter, status int, scimType, detail string) {
	body := map[string]any{"schemas": []string{scimwire.ErrorSchema}, "status": fmt.Sprint(status), "detail": detail}
	if scimType != "" {
		body["scimType"] = scimType
	}
	writeSCIM(w, status, body)
}

var (
	displayNameEq = regexp.MustCompile(`^displayName eq "(.*)"$`)
	memberValueEq = regexp.MustCompile(`^members\[value eq "(.*)"\]$`)
)

func (gt *groupsTarget) view(g *fakeGroup, withMembers bool) map[string]any {
	out := map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
		"id":      g.ID, "displayName": g.DisplayName,
		"meta": map[string]string{"resourceType": "Group", "location": "/scim/v2/Groups/" + g.ID},
	}
	if g.ExternalID != "" {
		out["externalId"] = g.ExternalID
	}
	if withMembers {
		ms := []map[string]string{}
		for _, m := range g.Members {
			ms = append(ms, map[string]string{"value": m})
		}
		out["members"] = ms
	}
	return out
}

func (gt *groupsTarget) serveGroups(w http.ResponseWriter, r *http.Request, rest string) {
	if r.Header.Get("Authorization") != "Bearer "+gt.key {
		scimError(w, http.StatusUnauthorized, "", "unknown credentials")
		return
	}
	body, _ := io.ReadAll(r.Body)
	gt.mu.Lock()
	defer gt.mu.Unlock()
	id := strings.TrimPrefix(rest, "/")
	if id == "" {
		gt.collection(w, r, body)
		return
	}
	g, ok := gt.groups[id]
	if !ok || g.hidden {
		scimError(w, http.StatusNotFound, "", "Group "+id+" not found")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeSCIM(w, http.StatusOK, gt.view(g, true))
	case http.MethodDelete:
		if gt.faults[faultNoDelete] {
			w.Header().Set("Allow", "GET, PUT, PATCH")
			scimError(w, http.StatusMethodNotAllowed, "", "groups are not deleted")
			return
		}
		switch {
		case gt.faults[faultDeleteHides]:
			g.hidden = true
		case !gt.faults[faultDeleteKeeps]:
			delete(gt.groups, id)
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		var in struct {
			DisplayName string `json:"displayName"`
			Members     []struct {
				Value string `json:"value"`
			} `json:"members"`
		}
		if json.Unmarshal(body, &in) != nil || in.DisplayName == "" {
			scimError(w, http.StatusBadRequest, "invalidSyntax", "a PUT needs a JSON group with displayName")
			return
		}
		g.DisplayName = in.DisplayName
		if !gt.faults[faultPutKeeps] {
			g.Members = nil
			for _, m := range in.Members {
				g.Members = addMember(g.Members, m.Value)
			}
		}
		writeSCIM(w, http.StatusOK, gt.view(g, true))
	case http.MethodPatch:
		if err := gt.patch(g, body); err != nil {
			scimError(w, http.StatusBadRequest, "invalidValue", err.Error())
			return
		}
		writeSCIM(w, http.StatusOK, gt.view(g, true))
	default:
		scimError(w, http.StatusMethodNotAllowed, "", "method not allowed")
	}
}

func (gt *groupsTarget) collection(w http.ResponseWriter, r *http.Request, body []byte) {
	switch r.Method {
	case http.MethodGet:
		var hits []any
		f := r.URL.Query().Get("filter")
		m := displayNameEq.FindStringSubmatch(f)
		if f != "" && m == nil {
			scimError(w, http.StatusBadRequest, "invalidFilter", "only displayName eq is supported")
			return
		}
		ids := make([]string, 0, len(gt.groups))
		for id := range gt.groups {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		withMembers := !strings.Contains(r.URL.Query().Get("excludedAttributes"), "members")
		for _, id := range ids {
			if g := gt.groups[id]; m == nil || g.DisplayName == m[1] {
				hits = append(hits, gt.view(g, withMembers))
			}
		}
		if hits == nil {
			hits = []any{}
		}
		writeSCIM(w, http.StatusOK, map[string]any{"schemas": []string{scimwire.ListResponseSchema},
			"totalResults": len(hits), "startIndex": 1, "itemsPerPage": len(hits), "Resources": hits})
	case http.MethodPost:
		if gt.faults[faultNoCreate] {
			scimError(w, http.StatusNotImplemented, "", "groups are read-only")
			return
		}
		var in struct {
			DisplayName string `json:"displayName"`
			ExternalID  string `json:"externalId"`
			Members     []struct {
				Value string `json:"value"`
			} `json:"members"`
		}
		if json.Unmarshal(body, &in) != nil || in.DisplayName == "" {
			scimError(w, http.StatusBadRequest, "invalidValue", "a group needs a displayName")
			return
		}
		for _, g := range gt.groups {
			if g.DisplayName == in.DisplayName {
				scimError(w, http.StatusConflict, "uniqueness", "a group with this displayName exists")
				return
			}
		}
		gt.seq++
		g := &fakeGroup{ID: fmt.Sprintf("grp-%04d", gt.seq), DisplayName: in.DisplayName, ExternalID: in.ExternalID}
		for _, m := range in.Members {
			g.Members = addMember(g.Members, m.Value)
		}
		gt.groups[g.ID] = g
		w.Header().Set("Location", "/scim/v2/Groups/"+g.ID)
		writeSCIM(w, http.StatusCreated, gt.view(g, true))
	default:
		scimError(w, http.StatusMethodNotAllowed, "", "method not allowed")
	}
}

type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`
}

func memberValues(raw json.RawMessage) ([]string, error) {
	var ms []struct {
		Value string `json:"value"`
	}
	if len(raw) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &ms); err != nil {
		return nil, fmt.Errorf("members must be a list of {value}: %v", err)
	}
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Value)
	}
	return out, nil
}

func (gt *groupsTarget) patch(g *fakeGroup, body []byte) error {
	var req struct {
		Operations []patchOp `json:"Operations"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return fmt.Errorf("not a PatchOp: %v", err)
	}
	for _, op := range req.Operations {
		verb := strings.ToLower(op.Op)
		switch {
		case verb == "add" && op.Path == "members":
			vals, err := memberValues(op.Value)
			if err != nil {
				return err
			}
			if gt.faults[faultAddIgnored] {
				continue
			}
			for _, v := range vals {
				g.Members = addMember(g.Members, v)
			}
		case verb == "remove" && memberValueEq.MatchString(op.Path):
			if !gt.faults[faultIgnoreRemove] {
				g.Members = removeMember(g.Members, memberValueEq.FindStringSubmatch(op.Path)[1])
			}
		case verb == "remove" && op.Path == "members":
			vals, err := memberValues(op.Value)
			if err != nil {
				return err
			}
			if len(op.Value) == 0 || gt.faults[faultRemoveAll] {
				g.Members = nil
			}
			if gt.faults[faultLegacyRemove] || gt.faults[faultIgnoreRemove] {
				continue
			}
			for _, v := range vals {
				g.Members = removeMember(g.Members, v)
			}
		case verb == "replace" && op.Path == "members":
			vals, err := memberValues(op.Value)
			if err != nil {
				return err
			}
			if len(vals) == 0 && gt.faults[faultEmptyReplace] {
				continue
			}
			g.Members = vals
		case verb == "replace" && op.Path == "displayName":
			if err := json.Unmarshal(op.Value, &g.DisplayName); err != nil {
				return fmt.Errorf("displayName must be a string")
			}
		case verb == "replace" && op.Path == "":
			var v struct {
				DisplayName string          `json:"displayName"`
				Members     json.RawMessage `json:"members"`
			}
			if err := json.Unmarshal(op.Value, &v); err != nil {
				return fmt.Errorf("a path-less replace needs an object")
			}
			if v.DisplayName != "" {
				g.DisplayName = v.DisplayName
			}
			switch {
			case v.Members != nil:
				vals, err := memberValues(v.Members)
				if err != nil {
					return err
				}
				g.Members = vals
			case gt.faults[faultRenameDrops]:
				g.Members = nil
			}
		default:
			return fmt.Errorf("unsupported operation %q on %q", op.Op, op.Path)
		}
	}
	return nil
}

func addMember(ms []string, v string) []string {
	for _, m := range ms {
		if m == v {
			return ms
		}
	}
	return append(ms, v)
}

func removeMember(ms []string, v string) []string {
	out := ms[:0:0]
	for _, m := range ms {
		if m != v {
			out = append(out, m)
		}
	}
	return out
}
