package entra

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
)

// fakeTarget is a small SCIM server for the simulator's own tests: it
// keeps users and groups as flat attribute maps, applies both Entra PATCH
// shapes, and records every request as received. It is deliberately not
// the reference server: the two sides of the wire are tested apart.
type fakeTarget struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	users  map[string]map[string]any // id → path → value
	groups map[string]map[string]any
	next   int
	reqs   []string // rendered requests, in order
	// fail answers every request with this status when non-zero.
	fail int
}

var eqFilter = regexp.MustCompile(`^(\w+) eq "([^"]*)"$`)

func newFakeTarget(t *testing.T) *fakeTarget {
	ft := &fakeTarget{t: t, users: map[string]map[string]any{}, groups: map[string]map[string]any{}}
	ft.srv = httptest.NewServer(http.HandlerFunc(ft.serve))
	t.Cleanup(ft.srv.Close)
	return ft
}

func (ft *fakeTarget) url() string { return ft.srv.URL + "/scim/v2" }

func (ft *fakeTarget) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.reqs = append(ft.reqs, renderRequest(r, body))
	w.Header().Set("Content-Type", "application/scim+json")
	if ft.fail != 0 {
		w.WriteHeader(ft.fail)
		fmt.Fprintf(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"%d","detail":"fake failure"}`, ft.fail)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/scim/v2")
	coll, id, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	store := ft.users
	if coll == "Groups" {
		store = ft.groups
	}
	switch {
	case r.Method == http.MethodGet && id == "":
		var hits []any
		if m := eqFilter.FindStringSubmatch(r.URL.Query().Get("filter")); m != nil {
			for _, rid := range sortedIDs(store) {
				if v, _ := store[rid][m[1]].(string); strings.EqualFold(v, m[2]) {
					hits = append(hits, resource(rid, store[rid]))
				}
			}
		}
		writeJSON(w, 200, map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
			"totalResults": len(hits), "Resources": hits})
	case r.Method == http.MethodPost:
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		ft.next++
		rid := fmt.Sprintf("%s-%d", strings.ToLower(coll[:1]), ft.next)
		store[rid] = flatten(in)
		writeJSON(w, 201, resource(rid, store[rid]))
	case r.Method == http.MethodPatch:
		res, ok := store[id]
		if !ok {
			w.WriteHeader(404)
			return
		}
		var in struct{ Operations []map[string]any }
		_ = json.Unmarshal(body, &in)
		for _, op := range in.Operations {
			path, _ := op["path"].(string)
			if path == "" {
				if m, ok := op["value"].(map[string]any); ok {
					for k, v := range m {
						res[k] = v
					}
				}
				continue
			}
			switch v := op["value"].(type) {
			case string:
				if path == "active" {
					res[path] = strings.EqualFold(v, "true")
				} else {
					res[path] = v
				}
			case []any:
				if len(v) == 1 && path != "members" {
					if m, ok := v[0].(map[string]any); ok {
						res[path] = m["value"]
					}
				}
			default:
				res[path] = v
			}
		}
		if coll == "Groups" {
			w.WriteHeader(204)
			return
		}
		writeJSON(w, 200, resource(id, res))
	case r.Method == http.MethodDelete:
		delete(store, id)
		w.WriteHeader(204)
	default:
		w.WriteHeader(405)
	}
}

// seedUser adds a user directly on the target.
func (ft *fakeTarget) seedUser(userName, given, family string, active bool) string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.next++
	id := fmt.Sprintf("u-%d", ft.next)
	ft.users[id] = map[string]any{"userName": userName, "name.givenName": given, "name.familyName": family,
		"name.formatted": given + " " + family, workEmailPath: userName, "active": active}
	return id
}

// requests returns the requests received since from.
func (ft *fakeTarget) requests(from int) []string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return append([]string(nil), ft.reqs[from:]...)
}

func (ft *fakeTarget) count() int {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return len(ft.reqs)
}

// flatten turns a create body into path → value.
func flatten(in map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		switch k {
		case "name":
			if m, ok := v.(map[string]any); ok {
				for sk, sv := range m {
					out["name."+sk] = sv
				}
			}
		case "emails":
			if l, ok := v.([]any); ok && len(l) > 0 {
				if m, ok := l[0].(map[string]any); ok {
					out[workEmailPath] = m["value"]
				}
			}
		case "schemas", "meta", "roles":
		default:
			out[k] = v
		}
	}
	return out
}

// resource renders a stored object as SCIM JSON.
func resource(id string, flat map[string]any) map[string]any {
	out := map[string]any{"id": id}
	name := map[string]any{}
	for k, v := range flat {
		switch {
		case strings.HasPrefix(k, "name."):
			name[strings.TrimPrefix(k, "name.")] = v
		case k == workEmailPath:
			out["emails"] = []any{map[string]any{"value": v, "type": "work", "primary": true}}
		default:
			out[k] = v
		}
	}
	if len(name) > 0 {
		out["name"] = name
	}
	return out
}

func sortedIDs(m map[string]map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// renderRequest is a request as the golden files show it: request line,
// headers sorted (Host left out), body.
func renderRequest(r *http.Request, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.RequestURI())
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	if len(body) > 0 {
		b.Write(body)
		b.WriteString("\n")
	}
	return b.String()
}
