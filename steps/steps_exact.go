package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// The steps in this file check that an answer is exactly right, not merely
// present (issue 9): whole result sets, a resource read back after a write
// compared field by field with the server's own earlier answer, versions
// compared with earlier versions.

// notedUser is a user as a GET answered it at a point the scenario named
// ("a SCIM client noted … as the target shows it").
type notedUser struct {
	body string // the GET body
	etag string // the ETag header, or meta.version when there is none
}

// noted returns the scenario's noted users, by alias.
func (w *World) noted() map[string]notedUser {
	if w.notes == nil {
		w.notes = map[string]notedUser{}
	}
	return w.notes
}

// snapshot GETs u and returns its body and entity tag (the ETag header, or
// meta.version when the header is missing).
func (w *World) snapshot(ctx context.Context, u *user) (notedUser, error) {
	body, err := w.read(ctx, u)
	if err != nil {
		return notedUser{}, err
	}
	tag := w.last.Raw().Header.Get("ETag")
	if tag == "" {
		tag = gjson.Get(body, "meta.version").String()
	}
	return notedUser{body: body, etag: tag}, nil
}

// noteOf returns what was noted about u, or a scenario error.
func (w *World) noteOf(u *user) (notedUser, error) {
	n, ok := w.noted()[u.alias]
	if !ok {
		return n, fmt.Errorf("scenario error: %q was not noted (add \"a SCIM client noted %q as the target shows it\")", u.alias, u.alias)
	}
	return n, nil
}

// sinceNoted returns what was noted about u and what a GET answers now.
func (w *World) sinceNoted(ctx context.Context, u *user) (before, now notedUser, err error) {
	if before, err = w.noteOf(u); err != nil {
		return before, now, err
	}
	now, err = w.snapshot(ctx, u)
	return before, now, err
}

// ifMatchValue resolves the entity tag a step names: the one noted earlier
// (stale once the user changed), or the current one read now.
func (w *World) ifMatchValue(ctx context.Context, u *user, which string) (string, error) {
	var n notedUser
	var err error
	if which == "of the noted version" {
		n, err = w.noteOf(u)
	} else {
		n, err = w.snapshot(ctx, u)
	}
	if err != nil {
		return "", err
	}
	if n.etag == "" {
		return "", w.failLast("an ETag header or meta.version on GET /Users/{id} (RFC 7644 §3.14)", "neither")
	}
	return n.etag, nil
}

// flatten maps every leaf of a JSON document to its raw value, by path
// ("name.givenName", "emails.0.value"); an empty object or array is a leaf.
func flatten(prefix string, v gjson.Result, out map[string]string) {
	if (v.IsObject() || v.IsArray()) && len(v.Map())+len(v.Array()) > 0 {
		i := 0
		v.ForEach(func(k, x gjson.Result) bool {
			key := k.String()
			if v.IsArray() {
				key = strconv.Itoa(i)
			}
			i++
			p := key
			if prefix != "" {
				p = prefix + "." + key
			}
			flatten(p, x, out)
			return true
		})
		return
	}
	out[prefix] = v.Raw
}

// changedPaths lists the leaf paths whose values differ between two JSON
// documents (added, removed or changed), sorted.
func changedPaths(before, after string) []string {
	a, b := map[string]string{}, map[string]string{}
	flatten("", gjson.Parse(before), a)
	flatten("", gjson.Parse(after), b)
	var out []string
	for p, v := range a {
		if bv, ok := b[p]; !ok || bv != v {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// covered reports whether path is one of allowed or lies under one.
func covered(path string, allowed []string) bool {
	for _, a := range allowed {
		if strings.EqualFold(path, a) || strings.HasPrefix(strings.ToLower(path), strings.ToLower(a)+".") {
			return true
		}
	}
	return false
}

// quotedList returns the strings of `"a", "b" and "c"`.
func quotedList(list string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(list, -1) {
		out = append(out, m[1])
	}
	return out
}

// listedIDs returns the ids of the last ListResponse's resources.
func (w *World) listedIDs() []string {
	var ids []string
	for _, id := range gjson.Get(w.lastBody(), "Resources.#.id").Array() {
		ids = append(ids, id.String())
	}
	return ids
}

// aliasesOf names the listed ids by the scenario's aliases where it can, so
// a failure reads "ana, ben" rather than two opaque ids.
func (w *World) aliasesOf(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = "an unknown user " + id
		for _, u := range w.users {
			if u.scimID == id && id != "" {
				names[i] = u.alias
			}
		}
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// wantIDs resolves aliases to their SCIM ids.
func (w *World) wantIDs(aliases []string) ([]string, error) {
	ids := make([]string, len(aliases))
	for i, a := range aliases {
		u, err := w.known(a)
		if err != nil {
			return nil, err
		}
		if u.scimID == "" {
			return nil, fmt.Errorf("scenario error: %q has no SCIM id", a)
		}
		ids[i] = u.scimID
	}
	return ids, nil
}

// assertListed checks that the last ListResponse holds exactly the users
// aliases name: in that order when ordered, as a set otherwise, each once.
func (w *World) assertListed(aliases []string, ordered bool, what string) error {
	if err := w.assertListResponse(); err != nil {
		if what != "" {
			return fmt.Errorf("%s%w", what, err)
		}
		return err
	}
	want, err := w.wantIDs(aliases)
	if err != nil {
		return err
	}
	expect := fmt.Sprintf("%sexactly the users %v and no other (RFC 7644 §3.4.2.2)", what, aliases)
	if ordered && len(aliases) > 1 {
		expect = fmt.Sprintf("%sexactly the users %v, in creation order (SPEC §1.3: stable ordering), and no other (RFC 7644 §3.4.2.2)", what, aliases)
	}
	if err := w.assertListedIDs(want, ordered, expect); err != nil {
		return err
	}
	return w.assertItemsPerPage()
}

// assertListedIDs checks that the last ListResponse, already checked to be
// one, holds exactly the resources want: in that order when ordered, as a
// set otherwise, each once. expect is the expectation a failure states.
func (w *World) assertListedIDs(want []string, ordered bool, expect string) error {
	got := w.listedIDs()
	g, x := slices.Clone(got), slices.Clone(want)
	if !ordered {
		sort.Strings(g)
		sort.Strings(x)
	}
	if !slices.Equal(g, x) {
		return w.failLast(expect, "the users "+w.aliasesOf(got))
	}
	// The stored case of userName comes back on every listed user (SPEC §1.3).
	for _, u := range w.users {
		if u.scimID != "" && slices.Contains(want, u.scimID) {
			if err := w.assertString(w.lastBody(), fmt.Sprintf("Resources.#(id==%q).userName", u.scimID), u.userName); err != nil {
				return err
			}
		}
	}
	return nil
}

// wholeListCount is the count a whole-list read asks for: Okta's page
// size (SPEC §2.2), so a target that answers Okta's Import answers it.
const wholeListCount = 100

// readWholeList reads every user matching expr in one request (startIndex
// 1, count wholeListCount) and keeps their ids in the target's own order,
// the order a page's positions refer to. The answer must hold every match
// on that one page, each once, or positions would mean nothing.
func (w *World) readWholeList(ctx context.Context, expr string) error {
	if _, err := w.send(ctx, raw{method: http.MethodGet, path: pageQuery(expr, 1, wholeListCount)}); err != nil {
		return err
	}
	if err := w.assertListResponse(); err != nil {
		return fmt.Errorf("the whole list: %w", err)
	}
	body := w.lastBody()
	if err := w.assertInt(body, "startIndex", 1); err != nil {
		return fmt.Errorf("the whole list: %w", err)
	}
	total := gjson.Get(body, "totalResults").Int()
	if total > wholeListCount {
		return fmt.Errorf("scenario error: the whole list of %s has %d matches, more than one page of %d; narrow the filter", expr, total, wholeListCount)
	}
	ids := w.listedIDs()
	if int64(len(ids)) != total {
		return w.failLast(fmt.Sprintf("every one of the totalResults = %d matches on the page of count=%d from startIndex 1 (Okta's Import reads pages of 100 and moves on by 100)", total, wholeListCount),
			fmt.Sprintf("%d resources: %s", len(ids), w.aliasesOf(ids)))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return w.failLast("each user once in the whole list", "the users "+w.aliasesOf(ids))
		}
		seen[id] = true
	}
	w.wholeLists = append(w.wholeLists, ids)
	w.wholeListPath = pageQuery(expr, 1, wholeListCount)
	return nil
}

// wholeList returns the ids of the last whole list read, or a scenario
// error when the scenario read none.
func (w *World) wholeList() ([]string, error) {
	if len(w.wholeLists) == 0 {
		return nil, fmt.Errorf("scenario error: no whole list was read (add \"a SCIM client reads the whole list of the users matching: …\" before the page)")
	}
	return w.wholeLists[len(w.wholeLists)-1], nil
}

// assertPositions checks that the last page holds exactly the users at
// positions from to to (1-based, inclusive) of the last whole list, in
// that order and no other: the page's place in the target's own order,
// whatever that order is (RFC 7644 §3.4.2.4 fixes none without sortBy).
func (w *World) assertPositions(ctx context.Context, from, to int) error {
	whole, err := w.wholeList()
	if err != nil {
		return err
	}
	if from < 1 || to < from {
		return fmt.Errorf("scenario error: positions %d to %d are not a range of 1-based positions", from, to)
	}
	if err := w.assertListResponse(); err != nil {
		return err
	}
	if to > len(whole) {
		return w.failLast(fmt.Sprintf("a whole list of at least %d users, for positions %d to %d", to, from, to), fmt.Sprintf("%d users: %s", len(whole), w.aliasesOf(whole)))
	}
	want := whole[from-1 : to]
	at := fmt.Sprintf("positions %d to %d", from, to)
	if from == to {
		at = fmt.Sprintf("position %d", from)
	}
	if got := w.listedIDs(); len(got) > 0 && len(got) < len(want) && slices.Equal(got, want[:len(got)]) {
		return w.failAs(shortPageRule, fmt.Sprintf("the users %s at %s of the whole list", w.aliasesOf(want), at),
			fmt.Sprintf("only the first %d of them, %s", len(got), w.aliasesOf(got)), w.lastEx, "", "")
	}
	expect := fmt.Sprintf("exactly the users %s at %s of the whole list %s, in that order, and no other (RFC 7644 §3.4.2.4: startIndex is the 1-based index of the first result)",
		w.aliasesOf(want), at, w.aliasesOf(whole))
	if got := w.listedIDs(); !slices.Equal(got, want) {
		// Positions mean something only in an order that holds still.
		if moves, err := w.orderMoves(ctx, w.wholeListPath); err != nil {
			return err
		} else if moves != nil {
			return w.failAs(movingOrderRule, expect, "the users "+w.aliasesOf(got)+"; "+moves.String(), w.lastEx, "", "")
		}
	}
	if err := w.assertListedIDs(want, true, expect); err != nil {
		return err
	}
	return w.assertItemsPerPage()
}

// movingOrderRule judges a list whose order changes between identical
// requests with no user changed. RFC 7644 §3.4.2.4 lets it ("clients
// SHOULD never assume repeatable results"), so it breaks no RFC rule, but
// Okta's import pages without sortBy, moving startIndex on by 100, and
// then reads some users twice and others never.
var movingOrderRule = okta("SPEC §2.2 (Import pages through one order with startIndex +100; an order that moves between requests reads users twice or never, inferred); RFC 7644 §3.4.2.4 (repeatable results are not promised, so a moving order alone breaks no RFC rule)")

// orderMove is orderMoves' finding: the orders of five identical requests.
type orderMove struct {
	w      *World
	orders [][]string
}

func (m *orderMove) String() string {
	var parts []string
	for _, o := range m.orders {
		if s := m.w.aliasesOf(o); !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return fmt.Sprintf("%d identical requests, no user changed, answered in %d orders: %s", len(m.orders), len(parts), strings.Join(parts, ", "))
}

// orderMoves sends the list request path five times and returns the
// orders when they differ, nil when they agree (or the target refused it:
// that is judged elsewhere). A page check that fails calls it to tell a
// wrong page from an order that does not hold still. The last answer is
// kept as it was, so the failure still shows the page that was judged.
func (w *World) orderMoves(ctx context.Context, path string) (*orderMove, error) {
	if path == "" {
		return nil, nil
	}
	last, lastEx, firstList := w.last, w.lastEx, w.firstList
	defer func() { w.last, w.lastEx, w.firstList = last, lastEx, firstList }()
	// Five, because a server whose order only rotates (a hash map walked
	// from a random start) repeats one of five orders by chance 1 time in
	// 25 with three requests, 1 in 625 with five.
	m := &orderMove{w: w}
	for range 5 {
		if _, err := w.send(ctx, raw{method: http.MethodGet, path: path}); err != nil {
			return nil, err
		}
		if w.lastStatus() != http.StatusOK {
			return nil, nil
		}
		m.orders = append(m.orders, w.listedIDs())
	}
	for _, o := range m.orders[1:] {
		if !slices.Equal(o, m.orders[0]) {
			return m, nil
		}
	}
	return nil, nil
}

// shortPageRule: RFC 7644 §3.4.2.4 lets a page hold fewer than count
// resources (never more), so a page that is the right start of the
// requested positions but shorter is advice. Okta's import advances
// startIndex by its count of 100, so a short page with users left after
// it would make Okta skip them (SPEC §2.2; inferred).
var shortPageRule = should("RFC 7644 §3.4.2.4 (a server MAY return fewer than count); SPEC §2.2 (Okta's import advances startIndex by 100, so a short page skips users; inferred)")

// assertExactly checks an unpaged ListResponse: exactly the users aliases
// name, and totalResults counting exactly them. what prefixes the
// expectation (the filter a table row sent).
func (w *World) assertExactly(aliases []string, what string) error {
	if err := w.assertListed(aliases, false, what); err != nil {
		return err
	}
	if v := gjson.Get(w.lastBody(), "totalResults"); v.Int() != int64(len(aliases)) {
		return w.failLast(fmt.Sprintf("%stotalResults = %d, the number of matches (RFC 7644 §3.4.2)", what, len(aliases)), orMissing(v))
	}
	return nil
}

// eachRow runs fn on every row of a table whose header is cols. A row
// whose check fails is recorded and the rows after it still run, so one
// run shows a vendor every row it fails; a later failure is marked as
// possibly following from the first (a wrongly accepted row can change
// what the next ones meet). It stops at a row that got no answer (each
// further row would wait out the timeout too), at a scenario error and
// at a skip.
func (w *World) eachRow(t *godog.Table, cols []string, fn func(row []string) error) error {
	if t == nil || len(t.Rows) < 2 {
		return fmt.Errorf("scenario error: the table needs a header row and at least one row")
	}
	var head []string
	for _, c := range t.Rows[0].Cells {
		head = append(head, c.Value)
	}
	if !slices.Equal(head, cols) {
		return fmt.Errorf("scenario error: the table's columns must be %v, got %v", cols, head)
	}
	var first error
	failed := 0
	for _, r := range t.Rows[1:] {
		row := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			row[i] = c.Value
		}
		recorded := len(w.failures)
		err := fn(row)
		if err == nil {
			continue
		}
		if len(w.failures) == recorded || unanswered(w.failures[len(w.failures)-1]) {
			if first != nil {
				return fmt.Errorf("%w (and %d more rows of the table failed, the last with: %w)", first, failed, err)
			}
			return err
		}
		failed++
		if first == nil {
			first = err
			continue
		}
		f := &w.failures[len(w.failures)-1]
		f.Actual += " (an earlier row of this table failed; this answer may follow from it)"
	}
	if failed > 1 {
		return fmt.Errorf("%w (and %d more rows of the table failed)", first, failed-1)
	}
	return first
}

// unanswered reports whether a failed check's request got no HTTP answer
// at all (a timeout, a dropped connection): the exchange the failure
// names, not whatever exchange happens to be the last one.
func unanswered(f reports.Failure) bool {
	return f.Exchange != nil && f.Exchange.Status == 0 && f.Exchange.Error != ""
}

// userSchema returns the core User schema from the last answer: a /Schemas
// ListResponse or the schema itself.
func (w *World) userSchema() (gjson.Result, error) {
	body := w.lastBody()
	schema := gjson.Parse(body)
	if gjson.Get(body, "Resources").Exists() {
		schema = gjson.Get(body, `Resources.#(id=="urn:ietf:params:scim:schemas:core:2.0:User")`)
	}
	if !schema.Exists() {
		return schema, w.failLast("the core User schema (RFC 7643 §7, §8.7.1)", "none")
	}
	return schema, nil
}

// schemaAttr finds the definition of an attribute ("emails.value") in the
// User schema of the last answer; names compare case-insensitively.
func (w *World) schemaAttr(name string) (gjson.Result, error) {
	schema, err := w.userSchema()
	if err != nil {
		return schema, err
	}
	var a gjson.Result
	list := schema.Get("attributes")
	for _, part := range strings.Split(name, ".") {
		a = gjson.Result{}
		for _, x := range list.Array() {
			if strings.EqualFold(x.Get("name").String(), part) {
				a = x
			}
		}
		list = a.Get("subAttributes")
	}
	if !a.Exists() {
		return a, w.failLast(fmt.Sprintf("an attribute %q in the User schema", name), "none")
	}
	return a, nil
}

// assertCharacteristic checks one characteristic of a schema attribute:
// want is true, false or a quoted string.
func (w *World) assertCharacteristic(a gjson.Result, name, field, want string) error {
	v := a.Get(field)
	ok := false
	if strings.HasPrefix(want, `"`) {
		ok = v.Type == gjson.String && v.String() == strings.Trim(want, `"`)
	} else {
		ok = (v.Type == gjson.True || v.Type == gjson.False) && v.Bool() == (want == "true")
	}
	if !ok {
		return w.failLast(fmt.Sprintf("User schema %s.%s = %s (RFC 7643 §4.1, §7)", name, field, want), orMissing(v))
	}
	return nil
}

// pageQuery builds "/Users?filter=…&startIndex=…&count=…"; an empty
// filter lists all users.
func pageQuery(filter string, start, count int) string {
	q := fmt.Sprintf("startIndex=%d&count=%d", start, count)
	if filter != "" {
		q = "filter=" + strings.ReplaceAll(url.QueryEscape(filter), "+", "%20") + "&" + q
	}
	return "/Users?" + q
}

// createWith POSTs the user with Okta's create body, changed by edit, and
// insists on 201.
func (w *World) createWith(ctx context.Context, u *user, edit func(map[string]any)) error {
	var obj map[string]any
	if err := json.Unmarshal([]byte(createBody(u, u.userName)), &obj); err != nil {
		return fmt.Errorf("create body: %w", err)
	}
	edit(obj)
	b, _ := json.Marshal(obj)
	if _, err := w.send(ctx, raw{method: http.MethodPost, path: "/Users", body: string(b)}); err != nil {
		return err
	}
	u.scimID = gjson.Get(w.lastBody(), "id").String()
	if w.lastStatus() != http.StatusCreated || u.scimID == "" {
		return w.failLast(fmt.Sprintf("POST /Users for %s to answer 201 with an id", u.userName), w.lastAnswer())
	}
	return nil
}

// usersFromTable creates the users of a table whose header names columns
// among alias, given name, family name, externalId (empty: none sent) and
// active (false: deactivated with PUT after the create).
func (w *World) usersFromTable(ctx context.Context, t *godog.Table) error {
	if t == nil || len(t.Rows) < 2 {
		return fmt.Errorf("scenario error: the users table needs a header row and at least one user")
	}
	var cols []string
	for _, c := range t.Rows[0].Cells {
		cols = append(cols, c.Value)
	}
	if cols[0] != "alias" {
		return fmt.Errorf("scenario error: the users table's first column must be alias, got %q", cols[0])
	}
	for _, row := range t.Rows[1:] {
		u := w.userFor(row.Cells[0].Value)
		vals := map[string]string{}
		for i, c := range row.Cells[1:] {
			v, err := w.expandVars(c.Value)
			if err != nil {
				return err
			}
			vals[cols[i+1]] = v
		}
		for col := range vals {
			switch col {
			case "given name", "family name", "externalId", "active":
			default:
				return fmt.Errorf("scenario error: unknown users table column %q (given name, family name, externalId, active)", col)
			}
		}
		if v, ok := vals["given name"]; ok {
			u.given = v
		}
		if v, ok := vals["family name"]; ok {
			u.family = v
		}
		err := w.createWith(ctx, u, func(o map[string]any) {
			if ext, ok := vals["externalId"]; ok {
				if ext == "" {
					delete(o, "externalId")
				} else {
					o["externalId"] = ext
				}
			}
		})
		if err != nil {
			return err
		}
		if vals["active"] == "false" {
			if err := w.putModified(ctx, u, nil, func(o map[string]any) { o["active"] = false }); err != nil {
				return err
			}
			if w.lastStatus() != http.StatusOK {
				return w.failLast("PUT with active false to answer 200", w.lastAnswer())
			}
		}
	}
	return nil
}

func registerExactSteps(sc stepDefs) {
	sc.Step(`^the target already has these users:$`, okta("Okta SCIM 2.0 spec test step 6 (POST /Users answers 201 with an id); RFC 7644 §3.3"), func(ctx context.Context, t *godog.Table) error {
		return worldFrom(ctx).usersFromTable(ctx, t)
	})
	sc.Step(`^a SCIM client asks for startIndex (-?\d+) and count (-?\d+) of the users matching: (.+)$`, ScenarioRule, func(ctx context.Context, start, count int, expr string) error {
		w := worldFrom(ctx)
		expr, err := w.expandVars(expr)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: http.MethodGet, path: pageQuery(expr, start, count)})
		return err
	})
	sc.Step(`^a SCIM client asks for startIndex (-?\d+) and count (-?\d+) of all users$`, ScenarioRule, func(ctx context.Context, start, count int) error {
		w := worldFrom(ctx)
		_, err := w.send(ctx, raw{method: http.MethodGet, path: pageQuery("", start, count)})
		return err
	})

	// Whole result sets.
	sc.Step(`^the listed users are exactly ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?)$`, must("RFC 7644 §3.4.2.2 (a filter lists exactly the matching resources); RFC 7644 §3.4.2 (totalResults)"), func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		if w.declinedFilter() {
			return nil
		}
		return w.assertExactly(quotedList(list), "")
	})
	sc.Step(`^no user is listed$`, must("RFC 7644 §3.4.2.2 (a filter lists exactly the matching resources); RFC 7644 §3.4.2 (totalResults)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		if w.declinedFilter() {
			return nil
		}
		return w.assertExactly(nil, "")
	})
	sc.Step(`^each filter lists exactly these users:$`, must("RFC 7644 §3.4.2.2 (a filter lists exactly the matching resources); RFC 7644 §3.4.2 (totalResults)"), func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter", "users"}, func(row []string) error {
			expr, err := w.expandVars(row[0])
			if err != nil {
				return err
			}
			if err := w.filter(ctx, expr); err != nil {
				return err
			}
			if w.declinedFilter() {
				return nil
			}
			return w.assertExactly(quotedList(row[1]), "filter "+expr+": ")
		})
	})
	sc.Step(`^comparing "([^"]*)"'s own meta\.lastModified lists exactly these users:$`, must("RFC 7644 §3.4.2.2 (gt/ge/lt/le/eq/ne on dateTime compare chronologically); SPEC §1.3"), onUserWith(func(ctx context.Context, w *World, u *user, t *godog.Table) error {
		body, err := w.read(ctx, u)
		if err != nil {
			return err
		}
		lm := gjson.Get(body, "meta.lastModified").String()
		if lm == "" {
			return w.failLast("meta.lastModified on the user (RFC 7643 §3.1)", "none")
		}
		return w.eachRow(t, []string{"operator", "users"}, func(row []string) error {
			// Scoped by userName so the answer is exact on a shared target;
			// the "and" makes the server evaluate the date comparison
			// itself rather than answer from a userName index.
			expr := fmt.Sprintf("userName eq %q and meta.lastModified %s %q", u.userName, row[0], lm)
			if err := w.filter(ctx, expr); err != nil {
				return err
			}
			return w.assertExactly(quotedList(row[1]), "filter "+expr+": ")
		})
	}))
	sc.Step(`^each of these filters answers 400 invalidFilter:$`, must("RFC 7644 §3.4.2.2 (an invalid filter: 400 invalidFilter); SPEC §1.3"), func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter"}, func(row []string) error {
			expr, err := w.expandVars(row[0])
			if err != nil {
				return err
			}
			if err := w.filter(ctx, expr); err != nil {
				return err
			}
			if err := w.assertSCIMError("400", "invalidFilter"); err != nil {
				return fmt.Errorf("filter %s: %w", expr, err)
			}
			return nil
		})
	})
	sc.Step(`^a SCIM client reads the whole list of the users matching: (.+?)( again)?$`, okta("SPEC §2.2 (Import asks for startIndex=1&count=100 and moves on by 100, so a page of 100 holds every match up to 100)"), func(ctx context.Context, expr, again string) error {
		w := worldFrom(ctx)
		if again != "" && len(w.wholeLists) == 0 {
			return fmt.Errorf("scenario error: %q reads the whole list again, but it was not read before", expr)
		}
		expr, err := w.expandVars(expr)
		if err != nil {
			return err
		}
		return w.readWholeList(ctx, expr)
	})
	sc.Step(`^the page holds exactly positions (\d+) to (\d+) of the whole list$`, must("RFC 7644 §3.4.2.4 (a page holds count resources from the 1-based startIndex)"), func(ctx context.Context, from, to int) error {
		return worldFrom(ctx).assertPositions(ctx, from, to)
	})
	sc.Step(`^the page holds exactly position (\d+) of the whole list$`, must("RFC 7644 §3.4.2.4 (a page holds count resources from the 1-based startIndex)"), func(ctx context.Context, at int) error {
		return worldFrom(ctx).assertPositions(ctx, at, at)
	})
	sc.Step(`^the whole list came back in the same order both times$`, okta("SPEC §2.2 (Import pages through one order with startIndex +100; an order that moves between requests reads users twice or never, inferred); RFC 7644 §3.4.2.4 (repeated results differ because resources changed between requests)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		if len(w.wholeLists) < 2 {
			return fmt.Errorf("scenario error: the whole list was read %d times, not twice", len(w.wholeLists))
		}
		first, again := w.wholeLists[len(w.wholeLists)-2], w.wholeLists[len(w.wholeLists)-1]
		if !slices.Equal(first, again) {
			return w.failLast(fmt.Sprintf("the same order as the first reading, %s, with no user changed in between", w.aliasesOf(first)), "the users "+w.aliasesOf(again))
		}
		return nil
	})
	sc.Step(`^the page lists exactly ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?) in that order$`, must("RFC 7644 §3.4.2.4 (a page holds count resources from startIndex); SPEC §1.3 (stable creation order)"), func(ctx context.Context, list string) error {
		return worldFrom(ctx).assertListed(quotedList(list), true, "")
	})
	sc.Step(`^the page lists no user$`, must("RFC 7644 §3.4.2.4 (a page past the end or of count 0 holds no resources)"), func(ctx context.Context) error {
		return worldFrom(ctx).assertListed(nil, true, "")
	})
	sc.Step(`^the page lists (\d+) users? and "totalResults" is at least (\d+)(, or the value is refused with 400 invalidValue)?$`, must("RFC 7644 §3.4.2.4 (count is the most resources a page holds); RFC 7644 §3.4.2 (totalResults)"), func(ctx context.Context, n, least int, orRefused string) error {
		w := worldFrom(ctx)
		if refused, err := w.refusedAsInvalidValue(orRefused); refused {
			return err
		}
		if err := w.assertListResponse(); err != nil {
			return err
		}
		switch got := len(gjson.Get(w.lastBody(), "Resources").Array()); {
		case got > 0 && got < n:
			if err := w.failAs(shortPageRule, fmt.Sprintf("%d resources on the page", n), strconv.Itoa(got), w.lastEx, "", ""); err != nil {
				return err
			}
		case got != n:
			return w.failLast(fmt.Sprintf("%d resources on the page (RFC 7644 §3.4.2.4: count is the most to return)", n), strconv.Itoa(got))
		}
		if t := gjson.Get(w.lastBody(), "totalResults").Int(); t < int64(least) {
			return w.failLast(fmt.Sprintf("totalResults of at least %d: every user, not only the page (RFC 7644 §3.4.2)", least), strconv.FormatInt(t, 10))
		}
		return w.assertItemsPerPage()
	})

	// Reading back: the resource before and after.
	sc.Step(`^a SCIM client noted "([^"]*)" as the target shows it$`, must("RFC 7644 §3.4.1 (GET /Users/{id} answers the resource)"), onUser(func(ctx context.Context, w *World, u *user) error {
		n, err := w.snapshot(ctx, u)
		if err != nil {
			return err
		}
		w.noted()[u.alias] = n
		return nil
	}))
	sc.Step(`^the target shows "([^"]*)" exactly as noted$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		before, now, err := w.sinceNoted(ctx, u)
		if err != nil {
			return err
		}
		if d := changedPaths(before.body, now.body); len(d) > 0 {
			return w.failLast(fmt.Sprintf("%s unchanged: a refused request changes nothing (RFC 7644 §3.12)", u.userName),
				"changed "+strings.Join(d, ", "))
		}
		if now.etag != before.etag {
			return w.failLast("the same entity tag as before (RFC 7644 §3.14)", fmt.Sprintf("%s, was %s", now.etag, before.etag))
		}
		return nil
	}))
	sc.Step(`^the target shows "([^"]*)" as noted except ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?)$`, must("RFC 7644 §3.5.1 (PUT changes what it names); RFC 7644 §3.5.2 (PATCH changes only its targets); SPEC §1.3"), onUserWith(func(ctx context.Context, w *World, u *user, list string) error {
		before, now, err := w.sinceNoted(ctx, u)
		if err != nil {
			return err
		}
		allowed := quotedList(list)
		var stray []string
		for _, p := range changedPaths(before.body, now.body) {
			if !covered(p, allowed) {
				stray = append(stray, p)
			}
		}
		if len(stray) > 0 {
			return w.failLast(fmt.Sprintf("only %s of %s to change", strings.Join(allowed, ", "), u.userName), "also changed "+strings.Join(stray, ", "))
		}
		return nil
	}))

	// Versions.
	sc.Step(`^"([^"]*)"'s version (changed|is unchanged) since noted$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, how string) error {
		before, now, err := w.sinceNoted(ctx, u)
		if err != nil {
			return err
		}
		if h, v := w.last.Raw().Header.Get("ETag"), gjson.Get(now.body, "meta.version").String(); h != "" && v != "" && h != v {
			return w.failLast("the ETag header equal to meta.version (RFC 7644 §3.14)", fmt.Sprintf("ETag %s, meta.version %s", h, v))
		}
		if changed := now.etag != before.etag; changed != (how == "changed") {
			rule := "a new version after a change (RFC 7644 §3.14, RFC 9110 §8.8.3)"
			if how != "changed" {
				rule = "the same version: nothing changed"
			}
			return w.failLast(rule, fmt.Sprintf("version %s, noted %s", now.etag, before.etag))
		}
		if created := gjson.Get(now.body, "meta.created").String(); created != gjson.Get(before.body, "meta.created").String() {
			return w.failLast("meta.created never to change (RFC 7643 §3.1)", created)
		}
		return nil
	}))
	sc.Step(`^a SCIM client PUTs "([^"]*)" with the given name "([^"]*)" and If-Match (of the noted version|"\*")$`, ScenarioRule, onUserWith2(func(ctx context.Context, w *World, u *user, given, which string) error {
		tag := "*"
		if which != `"*"` {
			var err error
			if tag, err = w.ifMatchValue(ctx, u, which); err != nil {
				return err
			}
		}
		return w.putModified(ctx, u, map[string]string{"If-Match": tag}, func(o map[string]any) { setName(o, "givenName", given) })
	}))
	sc.Step(`^a SCIM client PATCHes "([^"]*)" with If-Match (of the noted version|of its current ETag):$`, ScenarioRule, onUserWith2(func(ctx context.Context, w *World, u *user, which string, doc *godog.DocString) error {
		tag, err := w.ifMatchValue(ctx, u, which)
		if err != nil {
			return err
		}
		body, err := w.expandVars(doc.Content)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: http.MethodPatch, path: "/Users/" + u.scimID, body: body, headers: map[string]string{"If-Match": tag}})
		return err
	}))
	sc.Step(`^a SCIM client deletes "([^"]*)" with If-Match (of the noted version|of its current ETag)$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, which string) error {
		tag, err := w.ifMatchValue(ctx, u, which)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: http.MethodDelete, path: "/Users/" + u.scimID, headers: map[string]string{"If-Match": tag}})
		return err
	}))
	sc.Step(`^a SCIM client reads "([^"]*)" with If-None-Match (of the noted version|of its current ETag)$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, which string) error {
		tag, err := w.ifMatchValue(ctx, u, which)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: http.MethodGet, path: "/Users/" + u.scimID, headers: map[string]string{"If-None-Match": tag}})
		return err
	}))

	// Discovery: the User schema's attribute definitions.
	sc.Step(`^the User schema's attribute "([^"]*)" has "([^"]*)" equal to (true|false|"[^"]*")$`, must("RFC 7643 §7 (schema attribute characteristics); RFC 7643 §4.1; SPEC §1.3 (discovery tells the truth)"), func(ctx context.Context, name, field, want string) error {
		w := worldFrom(ctx)
		a, err := w.schemaAttr(name)
		if err != nil {
			return err
		}
		return w.assertCharacteristic(a, name, field, want)
	})
	sc.Step(`^the User schema's attributes are exactly:$`, must("RFC 7643 §7 (schema attribute characteristics); RFC 7643 §4.1; SPEC §1.3 (discovery tells the truth)"), func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		cols := []string{"name", "type", "multiValued", "required", "caseExact", "mutability", "returned", "uniqueness"}
		top := 0
		err := w.eachRow(t, cols, func(row []string) error {
			if !strings.Contains(row[0], ".") {
				top++
			}
			a, err := w.schemaAttr(row[0])
			if err != nil {
				return err
			}
			for i, field := range cols[1:] {
				want := row[i+1]
				if want != "true" && want != "false" {
					want = `"` + want + `"`
				}
				if err := w.assertCharacteristic(a, row[0], field, want); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		schema, _ := w.userSchema()
		if n := len(schema.Get("attributes").Array()); n != top {
			return w.failLast(fmt.Sprintf("exactly the %d top-level attributes listed (SPEC §1.3: the schema describes what the server keeps)", top), strconv.Itoa(n))
		}
		return nil
	})
	sc.Step(`^the response body has "([^"]*)" as a positive integer$`, must("RFC 7643 §5 (filter.maxResults is an integer)"), func(ctx context.Context, path string) error {
		w := worldFrom(ctx)
		v := gjson.Get(w.lastBody(), path)
		if v.Type != gjson.Number || strings.ContainsAny(v.Raw, ".eE") || v.Int() < 1 {
			return w.failLast(path+" as a positive JSON integer (RFC 7643 §5)", orMissing(v))
		}
		return nil
	})
	sc.Step(`^the response body has "([^"]*)" ending in "([^"]*)"$`, ScenarioRule, func(ctx context.Context, path, suffix string) error {
		w := worldFrom(ctx)
		v := gjson.Get(w.lastBody(), path)
		if v.Type != gjson.String || !strings.HasSuffix(v.String(), suffix) {
			return w.failLast(fmt.Sprintf("%s ending in %q", path, suffix), orMissing(v))
		}
		return nil
	})

	// Authentication.
	sc.Step(`^a SCIM client sends GET "([^"]*)" with its token under the auth scheme "([^"]*)"$`, ScenarioRule, func(ctx context.Context, path, scheme string) error {
		w := worldFrom(ctx)
		s, tok, ok := strings.Cut(w.conn.authorization, " ")
		if !ok || s == "" {
			return w.skip(reports.StatusSkipped, "the target's credential is sent without an auth scheme, so there is no scheme to re-spell")
		}
		if !strings.EqualFold(scheme, "Bearer") && strings.EqualFold(scheme, s) {
			// The scheme named to be refused is the target's own (a
			// verbatim "Token …" header): sent, it would be accepted.
			return w.skip(reports.StatusSkipped, fmt.Sprintf("the scheme %q is the one the target takes, so a key sent under it is no key under another scheme", s))
		}
		if strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(s, "Bearer") {
			// A re-spelled Bearer, for a target reached with another
			// scheme (Basic, or a verbatim "SSWS …" header): its own
			// scheme is spelled the same way, since RFC 7235 §2.1 makes
			// every scheme case-insensitive. Any other scheme named here
			// is sent as written: a scheme the target does not take.
			switch scheme {
			case strings.ToLower(scheme):
				scheme = strings.ToLower(s)
			case strings.ToUpper(scheme):
				scheme = strings.ToUpper(s)
			default:
				scheme = s
			}
		}
		_, err := w.send(ctx, raw{method: http.MethodGet, path: path, authorization: scheme + " " + tok})
		return err
	})

	// Access after deprovisioning, observed through the probes.
	sc.Step(`^"([^"]*)" is not a member of the team "([^"]*)" on the target$`, must("SPEC §1.4 step 2 (deprovisioning removes team memberships)"), onUserWith(func(ctx context.Context, w *World, u *user, team string) error {
		res, err := w.probe(ctx, target.TeamMembers, target.Vars{"team": target.S(w.scoped(team))})
		if err != nil {
			return err
		}
		if slices.ContainsFunc(res.Picked.Array(), func(m gjson.Result) bool { return strings.EqualFold(m.String(), u.email) }) {
			return w.fail(fmt.Sprintf("%s no longer a member of team %s (SPEC §1.4)", u.email, w.scoped(team)), res.Picked.Raw, w.lastProbeExchange(), "", "")
		}
		return nil
	}))
}
