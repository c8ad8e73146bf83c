package simulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTarget is a small SCIM service provider written for these tests
// only (the simulator must not share code with the reference server). It
// records every request as received and can be told to misbehave.
type fakeTarget struct {
	srv *httptest.Server

	mu       sync.Mutex
	users    []map[string]any
	groups   []map[string]any
	seq      int
	reqs     []capturedReq
	inflight int
	maxIn    int
	// override, when it returns true, has answered the request itself.
	override func(w http.ResponseWriter, r *http.Request, body []byte) bool
	delay    time.Duration
}

type capturedReq struct {
	Method     string
	RequestURI string
	Header     http.Header
	Body       []byte
}

const fakeBase = "/scim/v2"

func newFakeTarget(t *testing.T) *fakeTarget {
	t.Helper()
	ft := &fakeTarget{}
	ft.srv = httptest.NewServer(http.HandlerFunc(ft.serve))
	t.Cleanup(ft.srv.Close)
	return ft
}

func (ft *fakeTarget) baseURL() string { return ft.srv.URL + fakeBase }

func (ft *fakeTarget) requests() []capturedReq {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return append([]capturedReq(nil), ft.reqs...)
}

func (ft *fakeTarget) setOverride(f func(w http.ResponseWriter, r *http.Request, body []byte) bool) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.override = f
}

// seedUser stores a user directly (as if created earlier on the target).
func (ft *fakeTarget) seedUser(userName, given, family string, active bool) string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.addUserLocked(map[string]any{
		"schemas":  []any{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": userName,
		"name":     map[string]any{"givenName": given, "familyName": family, "formatted": given + " " + family},
		"emails":   []any{map[string]any{"primary": true, "value": userName, "type": "work"}},
		"active":   active,
	})
}

func (ft *fakeTarget) addUserLocked(u map[string]any) string {
	ft.seq++
	id := fmt.Sprintf("u-%04d", ft.seq)
	u["id"] = id
	u["meta"] = map[string]any{"resourceType": "User", "created": "2024-01-01T00:00:00Z",
		"lastModified": "2024-01-01T00:00:00Z", "location": "https://target.example" + fakeBase + "/Users/" + id}
	if emails, ok := u["emails"].([]any); ok {
		for _, e := range emails {
			if em, ok := e.(map[string]any); ok {
				em["display"] = em["value"]
			}
		}
	}
	ft.users = append(ft.users, u)
	return id
}

func (ft *fakeTarget) user(id string) map[string]any {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	for _, u := range ft.users {
		if u["id"] == id {
			return u
		}
	}
	return nil
}

func (ft *fakeTarget) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ft.mu.Lock()
	ft.reqs = append(ft.reqs, capturedReq{Method: r.Method, RequestURI: r.RequestURI, Header: r.Header.Clone(), Body: body})
	ft.inflight++
	if ft.inflight > ft.maxIn {
		ft.maxIn = ft.inflight
	}
	override, delay := ft.override, ft.delay
	ft.mu.Unlock()
	defer func() {
		ft.mu.Lock()
		ft.inflight--
		ft.mu.Unlock()
	}()
	if delay > 0 {
		time.Sleep(delay)
	}
	if override != nil && override(w, r, body) {
		return
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, fakeBase)
	switch {
	case path == "/Users" && r.Method == http.MethodGet:
		ft.list(w, r, ft.users, "userName", true)
	case path == "/Users" && r.Method == http.MethodPost:
		var u map[string]any
		if json.Unmarshal(body, &u) != nil {
			scimErr(w, 400, "invalidSyntax", "bad json")
			return
		}
		for _, e := range ft.users {
			if strings.EqualFold(e["userName"].(string), fmt.Sprint(u["userName"])) {
				scimErr(w, 409, "uniqueness", "User already exists")
				return
			}
		}
		delete(u, "password")
		ft.addUserLocked(u)
		writeJSON(w, 201, u)
	case strings.HasPrefix(path, "/Users/"):
		ft.userByID(w, r, strings.TrimPrefix(path, "/Users/"), body)
	case path == "/Groups" && r.Method == http.MethodGet:
		ft.list(w, r, ft.groups, "displayName", false)
	case path == "/Groups" && r.Method == http.MethodPost:
		var g map[string]any
		_ = json.Unmarshal(body, &g)
		ft.seq++
		g["id"] = fmt.Sprintf("g-%04d", ft.seq)
		ft.groups = append(ft.groups, g)
		writeJSON(w, 201, g)
	case strings.HasPrefix(path, "/Groups/"):
		ft.groupByID(w, r, strings.TrimPrefix(path, "/Groups/"), body)
	default:
		scimErr(w, 404, "", "no such endpoint")
	}
}

var eqFilter = regexp.MustCompile(`^(\w+) eq "(.*)"$`)

func (ft *fakeTarget) list(w http.ResponseWriter, r *http.Request, all []map[string]any, attr string, fold bool) {
	q := r.URL.Query()
	matched := all
	if f := q.Get("filter"); f != "" {
		m := eqFilter.FindStringSubmatch(f)
		if m == nil || m[1] != attr {
			scimErr(w, 400, "invalidFilter", "unsupported filter")
			return
		}
		matched = nil
		for _, e := range all {
			v := fmt.Sprint(e[attr])
			if v == m[2] || (fold && strings.EqualFold(v, m[2])) {
				matched = append(matched, e)
			}
		}
	}
	start, _ := strconv.Atoi(q.Get("startIndex"))
	count, err := strconv.Atoi(q.Get("count"))
	if start < 1 {
		start = 1
	}
	if err != nil {
		count = 100
	}
	page := []any{}
	for i := start - 1; i < len(matched) && len(page) < count; i++ {
		page = append(page, matched[i])
	}
	writeJSON(w, 200, map[string]any{
		"schemas":      []any{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": len(matched), "startIndex": start, "itemsPerPage": len(page), "Resources": page,
	})
}

func (ft *fakeTarget) userByID(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	var u map[string]any
	for _, e := range ft.users {
		if e["id"] == id {
			u = e
		}
	}
	if u == nil {
		scimErr(w, 404, "", "User "+id+" not found")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, 200, u)
	case http.MethodPut:
		var in map[string]any
		if json.Unmarshal(body, &in) != nil {
			scimErr(w, 400, "invalidSyntax", "bad json")
			return
		}
		for k, v := range in {
			if k != "id" && k != "meta" {
				u[k] = v
			}
		}
		writeJSON(w, 200, u)
	case http.MethodPatch:
		var p struct {
			Operations []struct {
				Op    string         `json:"op"`
				Path  string         `json:"path"`
				Value map[string]any `json:"value"`
			}
		}
		if json.Unmarshal(body, &p) != nil {
			scimErr(w, 400, "invalidSyntax", "bad json")
			return
		}
		for _, op := range p.Operations {
			for k, v := range op.Value {
				u[k] = v
			}
		}
		w.WriteHeader(204)
	default:
		scimErr(w, 405, "", "method not allowed")
	}
}

var memberPath = regexp.MustCompile(`^members\[value eq "(.*)"\]$`)

func (ft *fakeTarget) groupByID(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	idx := -1
	for i, g := range ft.groups {
		if g["id"] == id {
			idx = i
		}
	}
	if idx < 0 {
		scimErr(w, 404, "", "Group "+id+" not found")
		return
	}
	g := ft.groups[idx]
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, 200, g)
	case http.MethodDelete:
		ft.groups = append(ft.groups[:idx], ft.groups[idx+1:]...)
		w.WriteHeader(204)
	case http.MethodPut:
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		in["id"] = id
		ft.groups[idx] = in
		writeJSON(w, 200, in)
	case http.MethodPatch:
		var p struct {
			Operations []struct {
				Op    string `json:"op"`
				Path  string `json:"path"`
				Value any    `json:"value"`
			}
		}
		_ = json.Unmarshal(body, &p)
		members, _ := g["members"].([]any)
		for _, op := range p.Operations {
			switch {
			case op.Op == "remove" && memberPath.MatchString(op.Path):
				val := memberPath.FindStringSubmatch(op.Path)[1]
				var kept []any
				for _, m := range members {
					if m.(map[string]any)["value"] != val {
						kept = append(kept, m)
					}
				}
				members = kept
			case op.Op == "add" && op.Path == "members":
				members = append(members, op.Value.([]any)...)
			case op.Op == "replace" && op.Path == "members":
				members = op.Value.([]any)
			case op.Op == "replace" && op.Path == "":
				for k, v := range op.Value.(map[string]any) {
					g[k] = v
				}
			}
		}
		if members == nil {
			members = []any{}
		}
		g["members"] = members
		w.WriteHeader(204)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func scimErr(w http.ResponseWriter, status int, scimType, detail string) {
	body := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status": strconv.Itoa(status), "detail": detail}
	if scimType != "" {
		body["scimType"] = scimType
	}
	writeJSON(w, status, body)
}

// dump renders requests canonically for golden files: request line,
// headers sorted (Host left out: the port is random), blank line, body.
// The generated password is masked; maskPassword reports its length.
func dump(reqs []capturedReq) string {
	var b strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&b, "%s %s\n", r.Method, r.RequestURI)
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
		if len(r.Body) > 0 {
			b.WriteString(passwordRe.ReplaceAllString(string(r.Body), `"password":"<8 random characters>"`))
			b.WriteString("\n")
		}
		b.WriteString("----\n")
	}
	return b.String()
}

var passwordRe = regexp.MustCompile(`"password":"[^"]*"`)
