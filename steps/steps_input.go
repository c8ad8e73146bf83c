package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"
)

// The steps in this file send request bodies Okta never sends but a SCIM
// server meets anyway (other media types, bodies that are not one JSON
// object, repeated member names, wrong JSON types, null values, several
// emails): one table row per body, each answer checked exactly and the
// user read back after every row (issue 9).

// byteEscape is a byte written as \xNN in a table cell, for bodies that are
// not valid UTF-8. JSON has no \x escape, so the notation cannot clash with
// a JSON string escape.
var byteEscape = regexp.MustCompile(`\\x([0-9A-Fa-f]{2})`)

// aliasVar is a ${alias.field} variable other than an id.
var aliasVar = regexp.MustCompile(`\$\{([A-Za-z0-9_-]+)\.(?:userName|email|suffix|local)\}`)

// tableBody expands a table cell into the bytes to send: the scenario's
// variables (an alias named only here is a fresh user the target does not
// have yet) and \xNN escapes.
func (w *World) tableBody(cell string) (string, error) {
	for _, m := range aliasVar.FindAllStringSubmatch(cell, -1) {
		w.userFor(m[1])
	}
	s, err := w.expandVars(cell)
	if err != nil {
		return "", err
	}
	return byteEscape.ReplaceAllStringFunc(s, func(m string) string {
		b, _ := strconv.ParseUint(m[2:], 16, 8)
		return string([]byte{byte(b)})
	}), nil
}

// changedAttrs lists the attributes that differ between two reads of a
// user, meta aside (it records the change itself).
func changedAttrs(before, after string) []string {
	var out []string
	for _, p := range changedPaths(before, after) {
		if p != "meta" && !strings.HasPrefix(p, "meta.") {
			out = append(out, p)
		}
	}
	return out
}

// assertChanges checks that exactly the attributes listed changed between
// two reads: every changed path lies under a listed one, and every listed
// one changed ("nothing": none did).
func (w *World) assertChanges(what, before, after, list string) error {
	var want []string
	if list != "nothing" {
		for _, p := range strings.Split(list, ",") {
			want = append(want, strings.TrimSpace(p))
		}
	}
	got := changedAttrs(before, after)
	var stray []string
	for _, p := range got {
		if !covered(p, want) {
			stray = append(stray, p)
		}
	}
	var missing []string
	for _, a := range want {
		if !slices.ContainsFunc(got, func(p string) bool { return covered(p, []string{a}) }) {
			missing = append(missing, a)
		}
	}
	if len(stray)+len(missing) > 0 {
		sort.Strings(stray)
		return w.failLast(fmt.Sprintf("%sthe user read back with %s changed and nothing else (RFC 7644 §3.5.1, §3.12)", what, list),
			fmt.Sprintf("changed %v, unchanged %v", stray, missing))
	}
	return nil
}

// assertRowAnswer checks one row's status: a 2xx exactly as listed (a
// PATCH may answer 204 for 200, RFC 7644 §3.5.2), otherwise a SCIM error
// with that status and scimType.
func (w *World) assertRowAnswer(what, method, status, scimType string) error {
	st := w.lastStatus()
	if !strings.HasPrefix(status, "2") {
		if err := w.assertSCIMError(status, scimType); err != nil {
			return fmt.Errorf("%s%w", what, err)
		}
		return nil
	}
	if strconv.Itoa(st) == status || (method == http.MethodPatch && status == "200" && st == http.StatusNoContent) {
		return nil
	}
	return w.failLast(what+status, w.lastAnswer())
}

// requestRow sends one row of a request table about u (POST goes to
// /Users, PUT and PATCH to u) and checks the answer and what it changed
// since before, u as read after the previous row; it returns u as read
// after this one.
func (w *World) requestRow(ctx context.Context, u *user, before notedUser, row []string) (notedUser, error) {
	return w.requestRowThen(ctx, u, before, row, nil)
}

// requestRowThen is requestRow with onAnswer, when not nil, run on the
// row's answer (still the last exchange) once its status is right.
func (w *World) requestRowThen(ctx context.Context, u *user, before notedUser, row []string, onAnswer func(what string) error) (notedUser, error) {
	method, ct, status, scimType, changes := row[0], row[1], row[3], row[4], row[5]
	body, err := w.tableBody(row[2])
	if err != nil {
		return before, err
	}
	path := "/Users"
	switch method {
	case http.MethodPost:
	case http.MethodPut, http.MethodPatch:
		path += "/" + u.scimID
	default:
		return before, fmt.Errorf("scenario error: request %q (want POST, PUT or PATCH)", method)
	}
	if _, err := w.send(ctx, raw{method: method, path: path, body: body, contentType: ct}); err != nil {
		return before, err
	}
	what := fmt.Sprintf("%s %s", method, quoteShort(row[2]))
	if ct != "" {
		what += " as " + ct
	}
	what += ": "
	if err := w.assertRowAnswer(what, method, status, scimType); err != nil {
		return before, err
	}
	if onAnswer != nil {
		if err := onAnswer(what); err != nil {
			return before, err
		}
	}
	answer := w.lastEx
	after, err := w.snapshot(ctx, u)
	if err != nil {
		return before, err
	}
	if !strings.HasPrefix(status, "2") && (before.body != after.body || before.etag != after.etag) {
		// A refusal changes nothing, not even the version (RFC 7644 §3.12).
		w.lastEx = answer
		return after, w.failLast(what+u.userName+" exactly as before the refused request (RFC 7644 §3.12)",
			fmt.Sprintf("changed %v, version %s, was %s", changedPaths(before.body, after.body), after.etag, before.etag))
	}
	return after, w.assertChanges(what, before.body, after.body, changes)
}

// assertReadBack checks a user's GET body against a JSON object of gjson
// paths and values; null means the attribute is unassigned (absent or
// null, RFC 7643 §2.5).
func (w *World) assertReadBack(what, body, want string) error {
	var exp map[string]any
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		return fmt.Errorf("scenario error: reads back %s is not a JSON object: %w", want, err)
	}
	keys := make([]string, 0, len(exp))
	for k := range exp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := gjson.Get(body, k)
		if exp[k] == nil {
			if v.Exists() && v.Type != gjson.Null {
				return w.failLast(fmt.Sprintf("%s%s unassigned (RFC 7643 §2.5)", what, k), v.Raw)
			}
			continue
		}
		var got any
		if v.Exists() {
			_ = json.Unmarshal([]byte(v.Raw), &got)
		}
		if !reflect.DeepEqual(got, exp[k]) {
			wantRaw, _ := json.Marshal(exp[k])
			return w.failLast(fmt.Sprintf("%s%s = %s", what, k, wantRaw), orMissing(v))
		}
	}
	return nil
}

func registerInputSteps(sc stepDefs) {
	sc.Step(`^each of these requests answers as listed and leaves "([^"]*)" as the row says:$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, t *godog.Table) error {
		state, err := w.snapshot(ctx, u)
		if err != nil {
			return err
		}
		return w.eachRow(t, []string{"request", "content type", "body", "status", "scimType", "changes"}, func(row []string) error {
			state, err = w.requestRow(ctx, u, state, row)
			return err
		})
	}))
	sc.Step(`^each of these bodies POSTed to /Users creates its user, which reads back as listed:$`, ScenarioRule, func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"alias", "body", "reads back"}, func(row []string) error {
			u := w.userFor(row[0])
			body, err := w.tableBody(row[1])
			if err != nil {
				return err
			}
			want, err := w.tableBody(row[2])
			if err != nil {
				return err
			}
			if _, err := w.send(ctx, raw{method: http.MethodPost, path: "/Users", body: body}); err != nil {
				return err
			}
			what := fmt.Sprintf("POST %s: ", quoteShort(row[1]))
			u.scimID = gjson.Get(w.lastBody(), "id").String()
			if w.lastStatus() != http.StatusCreated || u.scimID == "" {
				return w.failLast(what+"201 with an id (RFC 7644 §3.3)", w.lastAnswer())
			}
			got, err := w.read(ctx, u)
			if err != nil {
				return err
			}
			return w.assertReadBack(what, got, want)
		})
	})
	sc.Step(`^the response's ETag header is "([^"]*)"'s noted version$`, must("RFC 9110 §15.4.5 (a 304 carries the ETag a 200 would have); RFC 7644 §3.14"), onUser(func(ctx context.Context, w *World, u *user) error {
		n, err := w.noteOf(u)
		if err != nil {
			return err
		}
		if got := w.last.Raw().Header.Get("ETag"); got != n.etag {
			return w.failLast(fmt.Sprintf("ETag %s", n.etag), fmt.Sprintf("ETag %q", got))
		}
		return nil
	}))
	sc.Step(`^the response's Location and "meta\.location" are the new user's URI under the target's base URL$`, should("RFC 7644 §3.3 (Location is the URI of the created resource); RFC 7643 §3.1 (meta.location is the resource's URI)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		id := gjson.Get(w.lastBody(), "id").String()
		want := strings.TrimSuffix(w.conn.baseURL, "/") + "/Users/" + id
		loc := w.last.Raw().Header.Get("Location")
		meta := gjson.Get(w.lastBody(), "meta.location").String()
		// A relative reference is resolved against the request's URI
		// (RFC 9110 §10.2.2 for Location; RFC 3986 §5.2).
		requested := ""
		if w.lastEx != nil {
			requested = w.lastEx.URL
		}
		if id == "" || !strings.EqualFold(resolveAgainst(requested, loc), want) || !strings.EqualFold(resolveAgainst(requested, meta), want) {
			return w.failLast("Location and meta.location "+want, fmt.Sprintf("Location %q, meta.location %q", loc, meta))
		}
		return nil
	})
}

// resolveAgainst resolves ref, which may be relative, against the absolute
// URI base; a reference that does not parse is returned as it is.
func resolveAgainst(base, ref string) string {
	b, err := url.Parse(base)
	r, rerr := url.Parse(ref)
	if err != nil || rerr != nil || ref == "" {
		return ref
	}
	return b.ResolveReference(r).String()
}
