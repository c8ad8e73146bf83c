package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reports"
)

// The steps of features/filter_grammar.feature: the filter grammar of RFC
// 7644 §3.4.2.2 as seen over HTTP. One scenario creates a fixed set of users
// once, then each table row sends one filter and checks the exact answer,
// so a wide grammar costs few requests.

// filterUserCols are the columns of the filter users table, in order.
var filterUserCols = []string{"alias", "given name", "family name", "externalId", "active"}

// registerFilterSteps binds the filter grammar steps. The table steps take
// the scenario's Level: a grammar rule the RFC makes a MUST fails at must,
// a permissive one (extra whitespace) at should.
func registerFilterSteps(sc stepDefs) {
	sc.Step(`^the target has these users for filtering:$`, must("RFC 7644 §3.3 (POST /Users creates the user and answers 201)"), func(ctx context.Context, t *godog.Table) error {
		return worldFrom(ctx).createFilterUsers(ctx, t)
	})
	sc.Step(`^each filter lists exactly its users:$`, ScenarioRule, func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter", "users"}, func(row []string) error {
			return w.assertFilterLists(ctx, row[0], row[1])
		})
	})
	sc.Step(`^each filter lists, of this scenario's users, exactly:$`, ScenarioRule, func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter", "users"}, func(row []string) error {
			return w.assertFilterListsOwn(ctx, row[0], row[1])
		})
	})
	sc.Step(`^comparing "([^"]*)"'s own meta\.lastModified written (at UTC\+14:00|one millisecond later) lists exactly its users:$`, ScenarioRule, onUserWith2(func(ctx context.Context, w *World, u *user, written string, t *godog.Table) error {
		body, err := w.read(ctx, u)
		if err != nil {
			return err
		}
		lm := gjson.Get(body, "meta.lastModified").String()
		at, err := time.Parse(time.RFC3339Nano, lm)
		if err != nil {
			return w.failLast("meta.lastModified an RFC 3339 date-time (RFC 7643 §2.3.5, §3.1)", orMissing(gjson.Get(body, "meta.lastModified")))
		}
		// The same instant in another offset, or a moment later with a
		// fraction the original lacks: both sort differently as text than
		// in time, so only a chronological comparison gets every row right.
		v := at.In(time.FixedZone("", 14*3600)).Format(time.RFC3339Nano)
		if written == "one millisecond later" {
			v = at.Add(time.Millisecond).UTC().Format(time.RFC3339Nano)
		}
		return w.eachRow(t, []string{"operator", "users"}, func(row []string) error {
			// Scoped by userName and joined by "and", so the server
			// evaluates the comparison itself, exactly on a shared target.
			return w.assertFilterLists(ctx, fmt.Sprintf("userName eq %q and meta.lastModified %s %q", u.userName, row[0], v), row[1])
		})
	}))
	sc.Step(`^each filter lists exactly its users, or is refused with 400 invalidFilter:$`, ScenarioRule, func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter", "users"}, func(row []string) error {
			return w.assertFilterListsOrRefused(ctx, row[0], row[1])
		})
	})
	sc.Step(`^each filter is refused with 400 invalidFilter:$`, ScenarioRule, func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter"}, func(row []string) error {
			return w.assertFilterRefused(ctx, row[0])
		})
	})
	sc.Step(`^the filter (.+) nested in (\d+|\$\{filterDepth(?:[+-]\d+)?\}) parentheses (lists exactly (?:none|[a-z, ]+)|is refused with 400 invalidFilter|lists exactly (?:none|[a-z, ]+) or is refused with 400 invalidFilter)$`, ScenarioRule, func(ctx context.Context, f, n, outcome string) error {
		w := worldFrom(ctx)
		depth, err := w.limitArg(n)
		if err != nil {
			return err
		}
		return w.assertFilterOutcome(ctx, strings.Repeat("(", depth)+f+strings.Repeat(")", depth), outcome)
	})
	sc.Step(`^(\d+) copies of the filter (.+) joined by "(and|or)" (list exactly (?:none|[a-z, ]+)|are refused with 400 invalidFilter)$`, ScenarioRule, func(ctx context.Context, n int, f, kw, outcome string) error {
		if n < 1 {
			return fmt.Errorf("scenario error: need at least one copy")
		}
		// Depth counts open groups only: groups side by side never nest.
		outcome = strings.Replace(strings.Replace(outcome, "list ", "lists ", 1), "are refused", "is refused", 1)
		return worldFrom(ctx).assertFilterOutcome(ctx, strings.Repeat(f+" "+kw+" ", n-1)+f, outcome)
	})
	sc.Step(`^the filter (.+) padded to (\d+|\$\{filterBytes(?:[+-]\d+)?\}) bytes (lists exactly (?:none|[a-z, ]+)|is refused with 400 invalidFilter|lists exactly (?:none|[a-z, ]+) or is refused with 400 invalidFilter)$`, ScenarioRule, func(ctx context.Context, f, n, outcome string) error {
		w := worldFrom(ctx)
		size, err := w.limitArg(n)
		if err != nil {
			return err
		}
		expanded, err := w.expandVars(f)
		if err != nil {
			return err
		}
		// The padding is one more alternative, a userName nobody has, so
		// the filter keeps its meaning and only its length changes, within
		// the grammar (single spaces, RFC 7644 §3.4.2.2).
		const pre, post = ` or userName eq "`, `"`
		fill := size - len(expanded) - len(pre) - len(post)
		if fill < 1 {
			return fmt.Errorf("scenario error: the filter is %d bytes, too long to pad to %d", len(expanded), size)
		}
		return w.assertFilterOutcome(ctx, f+pre+strings.Repeat("z", fill)+post, outcome)
	})
	sc.Step(`^filtering by "([^"]*)"'s own meta\.version lists exactly that user, and by the version in another case lists none$`, must("RFC 7643 §3.1 (meta.version has caseExact true); RFC 7644 §3.4.2.2"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertVersionFilter(ctx, u)
	}))
	sc.Step(`^each PATCH of "([^"]*)" with a value path answers as listed and changes nothing:$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, t *godog.Table) error {
		return w.eachPatchRowChangesNothing(ctx, u, t, []string{"op", "path", "value", "status", "scimType"}, func(row []string) error {
			return w.assertPathPatch(ctx, u, row)
		})
	}))
}

// eachPatchRowChangesNothing runs fn on every row of t (columns cols), each
// row one PATCH of u, then reads u back: every row either wrote what was
// there or was refused, so the user reads back as before, meta aside (a
// refusal applies nothing: RFC 7644 §3.5.2, the operations are atomic).
func (w *World) eachPatchRowChangesNothing(ctx context.Context, u *user, t *godog.Table, cols []string, fn func(row []string) error) error {
	before, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	if err := w.eachRow(t, cols, fn); err != nil {
		return err
	}
	after, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	if b, a := withoutMeta(before), withoutMeta(after); a != b {
		return w.failLast(fmt.Sprintf("%s unchanged apart from meta: %s", u.alias, b), a)
	}
	return nil
}

// assertPathPatch sends one PATCH operation (row: op, path, value as JSON
// or empty for none, status, scimType or empty) and checks the answer.
func (w *World) assertPathPatch(ctx context.Context, u *user, row []string) error {
	path, err := w.expandVars(row[1])
	if err != nil {
		return err
	}
	value, err := w.expandVars(row[2])
	if err != nil {
		return err
	}
	op := map[string]any{"op": row[0], "path": path}
	if value != "" {
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			return fmt.Errorf("scenario error: value %s is not JSON: %w", value, err)
		}
		op["value"] = v
	}
	body, _ := json.Marshal(map[string]any{"schemas": []string{scimwire.PatchOpSchema}, "Operations": []any{op}})
	return w.assertPatchAnswer(ctx, u, string(body), fmt.Sprintf("PATCH %s %s: ", row[0], quoteShort(path)), row[3], row[4])
}

// assertPatchAnswer sends body as a PATCH of u and checks the answer:
// status "200" accepts 200 or 204, any other is a SCIM error with that
// status and scimType (none when empty). what prefixes a failure.
func (w *World) assertPatchAnswer(ctx context.Context, u *user, body, what, status, scimType string) error {
	if _, err := w.send(ctx, raw{method: http.MethodPatch, path: "/Users/" + u.scimID, body: body}); err != nil {
		return err
	}
	if status == "200" {
		if st := w.lastStatus(); st != http.StatusOK && st != http.StatusNoContent {
			return w.failLast(what+"200 or 204 (RFC 7644 §3.5.2)", w.lastAnswer())
		}
		return nil
	}
	if err := w.assertSCIMError(status, scimType); err != nil {
		return fmt.Errorf("%s%w", what, err)
	}
	return nil
}

// withoutMeta renders a resource's JSON without its meta, keys sorted.
func withoutMeta(body string) string {
	var obj map[string]any
	if err := json.Unmarshal([]byte(body), &obj); err != nil {
		return body
	}
	delete(obj, "meta")
	b, _ := json.Marshal(obj)
	return string(b)
}

// assertFilterOutcome checks the outcome a step names: "lists exactly …"
// or "is refused with 400 invalidFilter", or "lists exactly <users> or is
// refused with 400 invalidFilter" for what RFC 7644 leaves to the server.
func (w *World) assertFilterOutcome(ctx context.Context, f, outcome string) error {
	if users, ok := strings.CutSuffix(outcome, " or is refused with 400 invalidFilter"); ok {
		return w.assertFilterListsOrRefused(ctx, f, strings.TrimPrefix(users, "lists exactly "))
	}
	if users, ok := strings.CutPrefix(outcome, "lists exactly "); ok {
		return w.assertFilterLists(ctx, f, users)
	}
	return w.assertFilterRefused(ctx, f)
}

// limitRef is a step's number taken from the target's declared limits:
// ${filterDepth} or ${filterBytes}, optionally plus or minus a number.
var limitRef = regexp.MustCompile(`^\$\{(filterDepth|filterBytes)([+-]\d+)?\}$`)

// limitArg reads a step's number: digits, or a limitRef, which skips the
// scenario when the target profile declares no such limit (RFC 7644 sets
// none, so the suite does not guess one).
func (w *World) limitArg(s string) (int, error) {
	m := limitRef.FindStringSubmatch(s)
	if m == nil {
		return strconv.Atoi(s)
	}
	lim := w.suite.profile.Limits
	v := map[string]int{"filterDepth": lim.FilterDepth, "filterBytes": lim.FilterBytes}[m[1]]
	if v == 0 {
		return 0, w.skip(reports.StatusSkipped, fmt.Sprintf("the target profile declares no limits.%s, and RFC 7644 sets none, so there is no limit to check: declare your limits in a target profile (--target, limits:) or leave these scenarios out with --tags '~@limits' (README, \"Limits\")", m[1]))
	}
	if m[2] != "" {
		d, _ := strconv.Atoi(m[2])
		v += d
	}
	return v, nil
}

// createFilterUsers creates one user per row with the given and family
// names (both empty: no name and no displayName sent), the externalId
// (empty: none sent) and active state the row gives.
// The userName stays "<alias>.<random>@example.com", so `userName co
// "<random>"` confines a filter to the scenario's users on a shared target.
func (w *World) createFilterUsers(ctx context.Context, t *godog.Table) error {
	return w.eachRow(t, filterUserCols, func(row []string) error {
		u := w.userFor(row[0])
		u.given, u.family = row[1], row[2]
		ext, err := w.expandVars(row[3])
		if err != nil {
			return err
		}
		if row[4] != "true" && row[4] != "false" {
			return fmt.Errorf("scenario error: active must be true or false, got %q", row[4])
		}
		err = w.createWith(ctx, u, func(obj map[string]any) {
			if u.given == "" && u.family == "" {
				// A user without a name: none is sent.
				delete(obj, "name")
				delete(obj, "displayName")
			}
			if ext == "" {
				delete(obj, "externalId")
			} else {
				obj["externalId"] = ext
			}
			obj["active"] = row[4] == "true"
		})
		if err != nil {
			return err
		}
		if got := gjson.Get(w.lastBody(), "active"); got.Type == gjson.Null || got.Bool() != (row[4] == "true") {
			return w.failLast(fmt.Sprintf("the created %s with active %s", u.userName, row[4]), "active "+orMissing(got))
		}
		return nil
	})
}

// sendFilter sends GET /Users?filter=… with the filter's variables expanded
// and spaces encoded as %20 (not "+", which some servers keep literally).
// It returns the filter sent.
func (w *World) sendFilter(ctx context.Context, f string) (string, error) {
	expanded, err := w.expandVars(f)
	if err != nil {
		return "", err
	}
	q := strings.ReplaceAll(url.QueryEscape(expanded), "+", "%20")
	_, err = w.send(ctx, raw{method: http.MethodGet, path: "/Users?filter=" + q})
	return expanded, err
}

// assertFilterLists sends the filter and checks the ListResponse holds
// exactly the users named ("ana, ben" or "none"), each once, with
// totalResults counting exactly them (RFC 7644 §3.4.2, §3.4.2.2).
func (w *World) assertFilterLists(ctx context.Context, f, users string) error {
	expanded, err := w.sendFilter(ctx, f)
	if err != nil {
		return err
	}
	if w.declinedFilter() {
		return nil
	}
	return w.assertFilterAnswer(expanded, users)
}

// assertFilterListsOrRefused is assertFilterLists for a filter RFC 7644
// §3.4.2.2 leaves to the server (an extension of the grammar, a type
// mismatch, a size beyond any declared limit): refusing it with 400
// invalidFilter is as right as answering it exactly, and so is 414 for a
// URI too long to take (RFC 9110 §15.5.15; RFC 7644 §3.4.3 offers POST
// .search for such filters).
func (w *World) assertFilterListsOrRefused(ctx context.Context, f, users string) error {
	expanded, err := w.sendFilter(ctx, f)
	if err != nil {
		return err
	}
	w.filterChecks++
	if w.lastStatus() == http.StatusRequestURITooLong {
		return nil
	}
	if w.lastStatus() == http.StatusBadRequest {
		if err := w.assertSCIMError("400", "invalidFilter"); err != nil {
			return fmt.Errorf("filter %s: %w", quoteShort(expanded), err)
		}
		return nil
	}
	return w.assertFilterAnswer(expanded, users)
}

// assertFilterAnswer checks the last answer, to the filter expanded, lists
// exactly users with totalResults counting them.
//
// users may list alternatives separated by ", or " ("ana, ben, or none")
// where RFC 7644 leaves the answer open; any one of them passes.
func (w *World) assertFilterAnswer(expanded, users string) error {
	what := fmt.Sprintf("filter %s: ", quoteShort(expanded))
	if err := w.assertListResponse(); err != nil {
		return fmt.Errorf("%s%w", what, err)
	}
	var got, names []string
	for _, r := range gjson.Get(w.lastBody(), "Resources").Array() {
		id := r.Get("id").String()
		got = append(got, id)
		names = append(names, w.aliasOfID(id, r.Get("userName").String()))
	}
	slices.Sort(got)
	var want, shown []string
	matched := false
	for _, alt := range strings.Split(users, ", or ") {
		aliases, ids, err := w.filterWant(alt)
		if err != nil {
			return err
		}
		slices.Sort(ids)
		shown = append(shown, orNone(aliases))
		if slices.Equal(got, ids) {
			want, matched = ids, true
			break
		}
	}
	if !matched {
		return w.failLast(fmt.Sprintf("%sexactly %s and no other user (RFC 7644 §3.4.2.2)", what, strings.Join(shown, ", or exactly ")), "the users "+orNone(names))
	}
	if v := gjson.Get(w.lastBody(), "totalResults"); v.Int() != int64(len(want)) {
		return w.failLast(fmt.Sprintf("%stotalResults %d, the number of matching users (RFC 7644 §3.4.2)", what, len(want)), "totalResults "+orMissing(v))
	}
	return w.assertItemsPerPage()
}

// filterWant resolves "ana, ben" (or "none") to the aliases and ids of
// the scenario's users.
func (w *World) filterWant(users string) (aliases, ids []string, err error) {
	if users == "none" {
		return nil, nil, nil
	}
	for _, a := range strings.Split(users, ",") {
		u, err := w.known(strings.TrimSpace(a))
		if err != nil {
			return nil, nil, err
		}
		aliases = append(aliases, u.alias)
		ids = append(ids, u.scimID)
	}
	return aliases, ids, nil
}

// assertFilterListsOwn sends a filter that is not confined to the
// scenario's users (such as the bare `externalId eq null` a server may
// answer from an index), reads every page of the answer, and checks that
// of the scenario's users it lists exactly those named: other users of a
// shared target may match too.
func (w *World) assertFilterListsOwn(ctx context.Context, f, users string) error {
	expanded, err := w.expandVars(f)
	if err != nil {
		return err
	}
	aliases, want, err := w.filterWant(users)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("filter %s: ", quoteShort(expanded))
	const size = 100
	var got, names []string
	for start := 1; ; start += size {
		if start > 100*size {
			return w.failLast(what+"paging to the end", "more than 10000 matching users")
		}
		if _, err := w.send(ctx, raw{method: http.MethodGet, path: pageQuery(expanded, start, size)}); err != nil {
			return err
		}
		if start == 1 && w.declinedFilter() {
			return nil
		}
		if err := w.assertListResponse(); err != nil {
			return fmt.Errorf("%s%w", what, err)
		}
		if err := w.assertItemsPerPage(); err != nil {
			return fmt.Errorf("%s%w", what, err)
		}
		res := gjson.Get(w.lastBody(), "Resources").Array()
		for _, r := range res {
			id := r.Get("id").String()
			for _, u := range w.users {
				if u.scimID != "" && u.scimID == id {
					got = append(got, id)
					names = append(names, u.alias)
				}
			}
		}
		if len(res) == 0 || int64(start-1+len(res)) >= gjson.Get(w.lastBody(), "totalResults").Int() {
			break
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return w.failLast(fmt.Sprintf("%sof this scenario's users exactly %s, each once (RFC 7644 §3.4.2.2)", what, orNone(aliases)), "of them "+orNone(names))
	}
	return nil
}

// assertFilterRefused sends the filter and checks the answer is a SCIM error
// 400 with scimType invalidFilter (RFC 7644 §3.4.2.2, Table 9) that lists
// no resource.
func (w *World) assertFilterRefused(ctx context.Context, f string) error {
	expanded, err := w.sendFilter(ctx, f)
	if err != nil {
		return err
	}
	w.filterChecks++
	if err := w.assertSCIMError("400", "invalidFilter"); err != nil {
		return fmt.Errorf("filter %s: %w", quoteShort(expanded), err)
	}
	if r := gjson.Get(w.lastBody(), "Resources"); r.Exists() {
		return w.failLast(fmt.Sprintf("filter %s: an error without Resources", quoteShort(expanded)), "Resources "+r.Raw)
	}
	return nil
}

// aliasOfID names a listed user by the scenario's alias, or by its userName
// when it is not one of the scenario's users.
func (w *World) aliasOfID(id, userName string) string {
	for _, u := range w.users {
		if u.scimID != "" && u.scimID == id {
			return u.alias
		}
	}
	return "another user " + userName
}

// orNone renders a list of names, or "none".
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// quoteShort quotes a filter for a message, cut so a long one does not
// flood the report.
func quoteShort(s string) string {
	const max = 120
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// assertVersionFilter filters u by its own meta.version, then by the same
// version with the case of every letter swapped: RFC 7643 §3.1 makes
// meta.version caseExact, like the entity tag it equals (RFC 9110 §8.8.3.2
// compares those character by character). userName confines both to u on a
// shared target, where other users may hold the same version.
func (w *World) assertVersionFilter(ctx context.Context, u *user) error {
	body, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	version := gjson.Get(body, "meta.version").String()
	if version == "" {
		return w.failLast(fmt.Sprintf("%s's meta.version (RFC 7644 §3.14)", u.userName), "none")
	}
	byVersion := func(v string) string {
		name, _ := json.Marshal(u.userName)
		value, _ := json.Marshal(v)
		return fmt.Sprintf("userName eq %s and meta.version eq %s", name, value)
	}
	expanded, err := w.sendFilter(ctx, byVersion(version))
	if err != nil {
		return err
	}
	if w.lastStatus() == http.StatusBadRequest {
		return w.skip(reports.StatusSkipped, "the target does not filter by meta.version (400); RFC 7643 §3.1 makes supporting the attribute optional")
	}
	if err := w.assertFilterAnswer(expanded, u.alias); err != nil {
		return err
	}
	swapped := strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, version)
	if swapped == version {
		return nil // no letter to swap: the version has no other case
	}
	return w.assertFilterLists(ctx, byVersion(swapped), "none")
}
