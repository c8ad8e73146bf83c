package reference

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestCreateAndGetUser(t *testing.T) {
	s := newTestServer(t)
	r := scim(t, s, "POST", "/Users", oktaUser("Ana.Lima@Example.com", "Ana", "Lima"))
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	u := r.json()
	id, _ := u["id"].(string)
	if id == "" {
		t.Fatal("no id")
	}
	if u["userName"] != "Ana.Lima@Example.com" {
		t.Errorf("userName = %v, want case preserved", u["userName"])
	}
	if _, ok := u["password"]; ok || strings.Contains(string(r.body), "xK9!pQ2z") {
		t.Error("password echoed")
	}
	if u["externalId"] != "00u1abcd" {
		t.Errorf("externalId = %v", u["externalId"])
	}
	loc := r.header.Get("Location")
	if !strings.HasSuffix(loc, "/scim/v2/Users/"+id) {
		t.Errorf("Location = %q", loc)
	}
	if r.header.Get("ETag") == "" {
		t.Error("no ETag")
	}
	meta := u["meta"].(map[string]any)
	for _, k := range []string{"resourceType", "created", "lastModified", "location", "version"} {
		if meta[k] == nil || meta[k] == "" {
			t.Errorf("meta.%s missing", k)
		}
	}
	g := scim(t, s, "GET", "/Users/"+id, nil)
	if g.status != http.StatusOK || g.json()["id"] != id {
		t.Fatalf("get: %d %s", g.status, g.body)
	}
	if g.header.Get("ETag") != r.header.Get("ETag") {
		t.Errorf("ETag changed between create and get")
	}
}

func TestGetUnknownUser(t *testing.T) {
	s := newTestServer(t)
	wantSCIMError(t, scim(t, s, "GET", "/Users/nope", nil), http.StatusNotFound, "")
}

func TestHealthz(t *testing.T) {
	s := newTestServer(t)
	if r := do(t, s, "", "GET", "/healthz", nil); r.status != http.StatusOK {
		t.Fatalf("healthz %d", r.status)
	}
}

func TestCreateRules(t *testing.T) {
	s := newTestServer(t)
	mustCreate(t, s, "Mixed.Case@Example.com")
	tests := []struct {
		name     string
		body     map[string]any
		status   int
		scimType string
	}{
		{"duplicate same case", oktaUser("Mixed.Case@Example.com", "A", "B"), 409, "uniqueness"},
		{"duplicate other case", oktaUser("mixed.case@example.COM", "A", "B"), 409, "uniqueness"},
		{"userName not an email", oktaUser("not-an-email", "A", "B"), 400, "invalidValue"},
		{"userName missing", func() map[string]any { b := oktaUser("x@example.com", "A", "B"); delete(b, "userName"); return b }(), 400, "invalidValue"},
		{"userName a number", func() map[string]any { b := oktaUser("x@example.com", "A", "B"); b["userName"] = 7; return b }(), 400, "invalidValue"},
		{"active a string", func() map[string]any { b := oktaUser("x@example.com", "A", "B"); b["active"] = "true"; return b }(), 400, "invalidValue"},
		{"name a string", func() map[string]any { b := oktaUser("x@example.com", "A", "B"); b["name"] = "A B"; return b }(), 400, "invalidValue"},
		{"primary email differs", func() map[string]any {
			b := oktaUser("x@example.com", "A", "B")
			b["emails"] = []any{map[string]any{"value": "y@example.com", "primary": true}}
			return b
		}(), 400, "invalidValue"},
		{"schemas missing", func() map[string]any { b := oktaUser("x@example.com", "A", "B"); delete(b, "schemas"); return b }(), 400, "invalidValue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantSCIMError(t, scim(t, s, "POST", "/Users", tc.body), tc.status, tc.scimType)
		})
	}
	// Nothing was created by any of the refused requests.
	if n := scim(t, s, "GET", "/Users", nil).json()["totalResults"]; n != float64(1) {
		t.Fatalf("totalResults = %v after refused creates, want 1", n)
	}
}

// TestCreateIgnoresReadOnlyAndUnknown: RFC 7644 §3.3 says readOnly
// attributes in a request are ignored; Okta's extras are accepted.
func TestCreateIgnoresReadOnlyAndUnknown(t *testing.T) {
	s := newTestServer(t)
	b := oktaUser("ro@example.com", "R", "O")
	b["id"] = "client-chosen-id"
	b["meta"] = map[string]any{"version": `W/"99"`, "created": "2000-01-01T00:00:00Z"}
	b["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = map[string]any{"department": "x"}
	r := scim(t, s, "POST", "/Users", b)
	if r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	u := r.json()
	if u["id"] == "client-chosen-id" {
		t.Error("client id was used")
	}
	if v := u["meta"].(map[string]any)["version"]; v != `W/"1"` {
		t.Errorf("meta.version = %v", v)
	}
	for _, k := range []string{"password", "locale", "groups", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"} {
		if _, ok := u[k]; ok {
			t.Errorf("%s echoed", k)
		}
	}
}

func TestCreateAssignsDefaultRole(t *testing.T) {
	s := newTestServer(t)
	admin(t, s, "PATCH", "/settings", map[string]any{"defaultRole": "Viewer"})
	mustCreate(t, s, "v@example.com")
	v := admin(t, s, "GET", "/users/V@example.com", nil).json()
	if roles := v["roles"].([]any); len(roles) != 1 || roles[0] != "Viewer" {
		t.Fatalf("roles = %v, want [Viewer]", roles)
	}
}

func TestListPagination(t *testing.T) {
	s := newTestServer(t)
	var ids []string
	for i := range 5 {
		ids = append(ids, mustCreate(t, s, "u"+itoa64(int64(i))+"@example.com"))
	}
	tests := []struct {
		query        string
		total, items int
		start        int
		firstID      string
	}{
		{"", 5, 5, 1, ids[0]},
		{"?startIndex=1&count=2", 5, 2, 1, ids[0]},
		{"?startIndex=2&count=2", 5, 2, 2, ids[1]},
		{"?startIndex=5&count=2", 5, 1, 5, ids[4]},
		{"?startIndex=6&count=2", 5, 0, 6, ""},
		{"?count=0", 5, 0, 1, ""},
		{"?startIndex=0&count=1", 5, 1, 1, ids[0]},  // RFC 7644 §3.4.2.4: <1 means 1
		{"?startIndex=-3&count=1", 5, 1, 1, ids[0]}, // same
		{"?count=-1", 5, 0, 1, ""},                  // negative count means 0
		{"?StartIndex=3&COUNT=1", 5, 1, 3, ids[2]},  // parameter names case-insensitive
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := scim(t, s, "GET", "/Users"+tc.query, nil)
			m := r.json()
			if m["totalResults"] != float64(tc.total) || m["itemsPerPage"] != float64(tc.items) || m["startIndex"] != float64(tc.start) {
				t.Fatalf("got total=%v items=%v start=%v, want %d %d %d", m["totalResults"], m["itemsPerPage"], m["startIndex"], tc.total, tc.items, tc.start)
			}
			res := m["Resources"].([]any)
			if len(res) != tc.items {
				t.Fatalf("len(Resources) = %d, want %d", len(res), tc.items)
			}
			if tc.firstID != "" && res[0].(map[string]any)["id"] != tc.firstID {
				t.Fatalf("first id = %v, want %s (creation order)", res[0].(map[string]any)["id"], tc.firstID)
			}
		})
	}
}

func TestListCountCapped(t *testing.T) {
	s := newTestServer(t)
	mustCreate(t, s, "a@example.com")
	r := scim(t, s, "GET", "/Users?count=999999", nil)
	if r.status != 200 || r.json()["itemsPerPage"] != float64(1) {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

func TestListFilters(t *testing.T) {
	s := newTestServer(t)
	a := mustCreate(t, s, "Ana.Lima@Example.com")
	b := scim(t, s, "POST", "/Users", func() map[string]any {
		u := oktaUser("bo@corp.example.org", "Bo", "Diaz")
		u["externalId"] = "00uB"
		return u
	}()).json()["id"].(string)
	scim(t, s, "PATCH", "/Users/"+b, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
	tests := []struct {
		filter string
		want   []string
	}{
		{`userName eq "ana.lima@example.com"`, []string{a}},
		{`USERNAME eq "ANA.LIMA@EXAMPLE.COM"`, []string{a}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Ana.Lima@Example.com"`, []string{a}},
		{`userName eq "nobody@example.com"`, nil},
		{`externalId eq "00uB"`, []string{b}},
		{`externalId eq "00ub"`, nil}, // externalId is caseExact (RFC 7643 §3.1)
		{`id eq "` + a + `"`, []string{a}},
		{`userName sw "ana"`, []string{a}},
		{`userName ew "example.org"`, []string{b}},
		{`userName co "LIMA"`, []string{a}},
		{`emails.value eq "bo@corp.example.org"`, []string{b}},
		{`emails[type eq "work"].value co "corp"`, []string{b}},
		{`active eq false`, []string{b}},
		{`active eq true and name.givenName eq "Ana"`, []string{a}},
		{`name.familyName eq "Diaz" or name.familyName eq "Lima"`, []string{a, b}},
		{`not (userName sw "ana")`, []string{b}},
		{`externalId pr`, []string{a, b}},
		{`meta.lastModified gt "2000-01-01T00:00:00Z"`, []string{a, b}},
		{`meta.lastModified lt "2000-01-01T00:00:00Z"`, nil},
		{`userName ne "ana.lima@example.com"`, []string{b}},
		{`(userName eq "x@y.z" or active eq true)`, []string{a}},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			r := scim(t, s, "GET", "/Users?filter="+url.QueryEscape(tc.filter), nil)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			m := r.json()
			var got []string
			for _, res := range m["Resources"].([]any) {
				got = append(got, res.(map[string]any)["id"].(string))
			}
			if !slices.Equal(got, tc.want) || m["totalResults"] != float64(len(tc.want)) {
				t.Fatalf("got %v (total %v), want %v", got, m["totalResults"], tc.want)
			}
		})
	}
}

func TestListBadFilter(t *testing.T) {
	s := newTestServer(t)
	for _, f := range []string{`userName eq`, `userName xx "a"`, `(userName eq "a"`, `active gt true`, `userName eq "a" and`,
		`meta.lastModified gt "notadate"`, `meta.created ge "2025-01-02"`, `meta.lastModified lt 5`,
		`active ge "a"`, `active lt 1`, `emails[primary gt "a"]`, `emails.primary le "z"`} {
		t.Run(f, func(t *testing.T) {
			wantSCIMError(t, scim(t, s, "GET", "/Users?filter="+url.QueryEscape(f), nil), 400, "invalidFilter")
		})
	}
}

// TestListFilterDatesAndBlank: date comparisons on meta work with RFC 3339
// values; an empty and a blank filter parameter both mean no filter.
func TestListFilterDatesAndBlank(t *testing.T) {
	s := newTestServer(t)
	mustCreate(t, s, "d1@example.com")
	mustCreate(t, s, "d2@example.com")
	total := func(query string) any {
		t.Helper()
		r := scim(t, s, "GET", "/Users"+query, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", query, r.status, r.body)
		}
		return r.json()["totalResults"]
	}
	for _, q := range []string{"", "?filter=", "?filter=%20%20%20", "?filter=%09"} {
		if n := total(q); n != float64(2) {
			t.Errorf("%q: totalResults %v, want 2 (no filter)", q, n)
		}
	}
	// The test clock stands at 2025-01-02T03:04:05Z.
	if n := total("?filter=" + url.QueryEscape(`meta.lastModified gt "2025-01-01T00:00:00Z"`)); n != float64(2) {
		t.Errorf("lastModified after: %v", n)
	}
	if n := total("?filter=" + url.QueryEscape(`meta.created lt "2025-01-02T03:04:05+01:00"`)); n != float64(0) {
		t.Errorf("created before (offset time): %v", n)
	}
}

func TestETagIfMatch(t *testing.T) {
	s := newTestServer(t)
	id := mustCreate(t, s, "e@example.com")
	tag := scim(t, s, "GET", "/Users/"+id, nil).header.Get("ETag")
	rename := patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": "Eve"})
	wantSCIMError(t, scim(t, s, "PATCH", "/Users/"+id, rename, "If-Match", `W/"41"`), 412, "")
	if g := scim(t, s, "GET", "/Users/"+id, nil).json()["name"].(map[string]any)["givenName"]; g != "Ana" {
		t.Fatalf("412 changed the user: givenName %v", g)
	}
	r := scim(t, s, "PATCH", "/Users/"+id, rename, "If-Match", tag)
	if r.status != 200 || r.header.Get("ETag") == tag {
		t.Fatalf("PATCH with matching If-Match: %d, etag %s (old %s)", r.status, r.header.Get("ETag"), tag)
	}
	if r.json()["meta"].(map[string]any)["version"] != r.header.Get("ETag") {
		t.Error("meta.version differs from ETag")
	}
	put := oktaUser("e@example.com", "Eve", "X")
	wantSCIMError(t, scim(t, s, "PUT", "/Users/"+id, put, "If-Match", tag), 412, "")
	if r := scim(t, s, "PUT", "/Users/"+id, put, "If-Match", "*"); r.status != 200 {
		t.Fatalf("If-Match * : %d", r.status)
	}
	wantSCIMError(t, scim(t, s, "DELETE", "/Users/"+id, nil, "If-Match", tag), 412, "")
	cur := scim(t, s, "GET", "/Users/"+id, nil).header.Get("ETag")
	if r := scim(t, s, "GET", "/Users/"+id, nil, "If-None-Match", cur); r.status != http.StatusNotModified {
		t.Fatalf("If-None-Match current: %d", r.status)
	}
	if r := scim(t, s, "DELETE", "/Users/"+id, nil, "If-Match", cur); r.status != 204 {
		t.Fatalf("DELETE with current If-Match: %d", r.status)
	}
	// A no-op PATCH does not move the version.
	id2 := mustCreate(t, s, "f@example.com")
	before := scim(t, s, "GET", "/Users/"+id2, nil).header.Get("ETag")
	after := scim(t, s, "PATCH", "/Users/"+id2, patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": "Ana"})).header.Get("ETag")
	if before != after {
		t.Fatalf("no-op PATCH moved ETag %s -> %s", before, after)
	}
}

func TestDeleteUser(t *testing.T) {
	s := newTestServer(t)
	id := mustCreate(t, s, "d@example.com")
	if r := scim(t, s, "DELETE", "/Users/"+id, nil); r.status != 204 {
		t.Fatalf("delete: %d", r.status)
	}
	wantSCIMError(t, scim(t, s, "GET", "/Users/"+id, nil), 404, "")
	wantSCIMError(t, scim(t, s, "DELETE", "/Users/"+id, nil), 404, "")
	if r := scim(t, s, "GET", "/Users?filter="+url.QueryEscape(`userName eq "d@example.com"`), nil); r.json()["totalResults"] != float64(0) {
		t.Fatal("deleted user still listed")
	}
}
