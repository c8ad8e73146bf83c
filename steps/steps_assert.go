package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// quoted splits `"a", "b" and "c"` into its strings.
var quoted = regexp.MustCompile(`"([^"]*)"`)

func registerAssertSteps(sc stepDefs) {
	sc.Step(`^the response status is (\d+)$`, ScenarioRule, func(ctx context.Context, status int) error {
		w := worldFrom(ctx)
		if w.lastEx == nil {
			return fmt.Errorf("scenario error: no request was sent")
		}
		// Compared here rather than with httpexpect, whose message is cut
		// off before it states the status it got.
		if w.lastStatus() != status {
			return w.failLast(fmt.Sprintf("status %d", status), w.lastAnswer())
		}
		return nil
	})
	sc.Step(`^the response status is (\d+) or (\d+)$`, ScenarioRule, func(ctx context.Context, a, b int) error {
		w := worldFrom(ctx)
		if w.lastEx == nil {
			return fmt.Errorf("scenario error: no request was sent")
		}
		if s := w.lastStatus(); s != a && s != b {
			return w.failLast(fmt.Sprintf("status %d or %d", a, b), w.lastAnswer())
		}
		return nil
	})
	sc.Step(`^the response is a SCIM error with status "(\d+)"(?: and scimType "([^"]*)")?$`, ScenarioRule, func(ctx context.Context, status, scimType string) error {
		return worldFrom(ctx).assertSCIMError(status, scimType)
	})
	sc.Step(`^the response has Content-Type "([^"]*)"$`, mediaTypeRule, func(ctx context.Context, want string) error {
		w := worldFrom(ctx)
		got := w.last.Raw().Header.Get("Content-Type")
		if mediaType(got) != want {
			return w.failLast("Content-Type "+want, fmt.Sprintf("%q", got))
		}
		return nil
	})
	sc.Step(`^the response has a Location header for the new user$`, must("RFC 7644 §3.3 (Location SHALL hold the new resource's URI)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		id := gjson.Get(w.lastBody(), "id").String()
		loc := w.last.Raw().Header.Get("Location")
		if id == "" || !strings.HasSuffix(loc, "/Users/"+id) {
			return w.failLast("a Location header ending in /Users/<id> (RFC 7644 §3.3)", fmt.Sprintf("Location %q for id %q", loc, id))
		}
		return nil
	})
	sc.Step(`^the response has an ETag header equal to "meta\.version"$`, must("RFC 7643 §3.1 (meta.version must equal the ETag header); RFC 7644 §3.14"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		etag := w.last.Raw().Header.Get("ETag")
		version := gjson.Get(w.lastBody(), "meta.version").String()
		if etag == "" || etag != version {
			return w.failLast("an ETag header equal to meta.version (RFC 7644 §3.14)", fmt.Sprintf("ETag %q, meta.version %q", etag, version))
		}
		return nil
	})
	sc.Step(`^the response body has "([^"]*)"$`, ScenarioRule, func(ctx context.Context, path string) error {
		w := worldFrom(ctx)
		if !gjson.Get(w.lastBody(), path).Exists() {
			return w.failLast(fmt.Sprintf("the body to have %q", path), "it is missing")
		}
		return nil
	})
	sc.Step(`^the response body has ((?:"[^"]*", )*"[^"]*" and "[^"]*")$`, ScenarioRule, func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		return w.assertPaths(w.lastBody(), "", list)
	})
	sc.Step(`^the first listed resource has ((?:"[^"]*", )*"[^"]*" and "[^"]*")$`, ScenarioRule, func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		return w.assertPaths(w.lastBody(), "Resources.0.", list)
	})
	sc.Step(`^the response body has "([^"]*)" equal to "([^"]*)"$`, ScenarioRule, func(ctx context.Context, path, want string) error {
		w := worldFrom(ctx)
		want, err := w.expandVars(want)
		if err != nil {
			return err
		}
		return w.assertString(w.lastBody(), path, want)
	})
	sc.Step(`^the response body has "([^"]*)" equal to (-?\d+)$`, ScenarioRule, func(ctx context.Context, path string, want int64) error {
		w := worldFrom(ctx)
		return w.assertInt(w.lastBody(), path, want)
	})
	sc.Step(`^the response body has "([^"]*)" equal to (true|false)$`, ScenarioRule, func(ctx context.Context, path, want string) error {
		w := worldFrom(ctx)
		return w.assertBool(w.lastBody(), path, want == "true")
	})
	sc.Step(`^the response body has "([^"]*)" containing "([^"]*)"$`, ScenarioRule, func(ctx context.Context, path, want string) error {
		w := worldFrom(ctx)
		v := gjson.Get(w.lastBody(), path)
		for _, e := range v.Array() {
			if e.String() == want {
				return nil
			}
		}
		return w.failLast(fmt.Sprintf("%q to contain %q", path, want), orMissing(v))
	})
	sc.Step(`^the response body has "([^"]*)" equal to "([^"]*)"'s (userName|SCIM id)$`, ScenarioRule, func(ctx context.Context, path, alias, field string) error {
		w := worldFrom(ctx)
		u, err := w.known(alias)
		if err != nil {
			return err
		}
		want := u.userName
		if field == "SCIM id" {
			want = u.scimID
		}
		return w.assertString(w.lastBody(), path, want)
	})
	sc.Step(`^the first listed resource has "([^"]*)" equal to "([^"]*)"'s userName$`, ScenarioRule, func(ctx context.Context, path, alias string) error {
		w := worldFrom(ctx)
		u, err := w.known(alias)
		if err != nil {
			return err
		}
		return w.assertString(w.lastBody(), "Resources.0."+path, u.userName)
	})
	sc.Step(`^the response body has "id" equal to the first listed id$`, okta("Okta SCIM 2.0 spec test step 2"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		return w.assertString(w.lastBody(), "id", w.firstList)
	})
	sc.Step(`^the response is a ListResponse with integer counts(, or the value is refused with 400 invalidValue)?$`, ScenarioRule, func(ctx context.Context, orRefused string) error {
		w := worldFrom(ctx)
		if refused, err := w.refusedAsInvalidValue(orRefused); refused {
			return err
		}
		if err := w.assertListResponse(); err != nil {
			return err
		}
		return w.assertItemsPerPage()
	})
	sc.Step(`^the response is a ListResponse with integer totalResults, itemsPerPage and startIndex$`, ScenarioRule, func(ctx context.Context) error {
		w := worldFrom(ctx)
		if err := w.assertListCounts(true); err != nil {
			return err
		}
		return w.assertItemsPerPage()
	})
	sc.Step(`^one create answered 201 and the other 409$`, okta("Okta SCIM 2.0 guide: a duplicate create answers 409; SPEC Appendix B (racing creates)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		if len(w.pair) != 2 || w.pair[0] != http.StatusCreated || w.pair[1] != http.StatusConflict {
			return w.fail("one 201 and one 409 (Appendix B: a create racing another create)", fmt.Sprint(w.pair), nil, "", "")
		}
		return nil
	})
	sc.Step(`^both deactivations answered 200 or 204$`, okta("Okta SCIM 2.0 guide: deactivation answers 200 or 204; SPEC Appendix B (duplicate deprovisions)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		for _, s := range w.pair {
			if s != http.StatusOK && s != http.StatusNoContent {
				return w.fail("both duplicate deactivations to answer 200 or 204", fmt.Sprint(w.pair), nil, "", "")
			}
		}
		return nil
	})
	sc.Step(`^the pages hold all (\d+) users named "([^"]*)" exactly once$`, must("RFC 7644 §3.4.2.4 (1-based startIndex; count per page); SPEC §2.2 (Import pages with startIndex +count)"), func(ctx context.Context, n int, prefix string) error {
		w := worldFrom(ctx)
		times := map[string]int{}
		for _, name := range w.pages {
			times[name]++
		}
		got := fmt.Sprintf("pages %v", w.pages)
		var missing, twice []string
		for i := 1; i <= n; i++ {
			name := w.memberFor(prefix, i).userName
			if times[name] == 0 {
				missing = append(missing, name)
			} else if times[name] > 1 {
				twice = append(twice, name)
			}
			delete(times, name)
		}
		if len(missing) > 0 {
			got += fmt.Sprintf("; missing %v", missing)
		}
		if len(twice) > 0 {
			got += fmt.Sprintf("; listed more than once %v", twice)
		}
		if len(times) > 0 {
			got += fmt.Sprintf("; %d users not asked for", len(times))
		}
		if len(missing)+len(twice)+len(times) > 0 {
			expect := fmt.Sprintf("each of the %d users named %q exactly once across the pages, in any order: no overlap, no gap", n, prefix)
			// Pages partition a list only in an order that holds still.
			if moves, err := w.orderMoves(ctx, w.pagesPath); err != nil {
				return err
			} else if moves != nil {
				return w.failAs(movingOrderRule, expect, got+"; "+moves.String(), w.lastEx, "", "")
			}
			return w.fail(expect, got, w.lastEx, "", "")
		}
		return nil
	})
	sc.Step(`^the first page answered "startIndex" equal to 1$`, must("RFC 7644 §3.4.2 (startIndex is the 1-based index of the first result)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		return w.assertInt(w.firstPage, "startIndex", 1)
	})
}

// lastAnswer states the last raw SCIM answer for a failure's Actual:
// "HTTP 404 to GET /scim/v2/Users/x: {trimmed body}".
func (w *World) lastAnswer() string {
	ex := w.lastEx
	if ex == nil {
		return "no answer"
	}
	if ex.Error != "" {
		return fmt.Sprintf("no answer to %s %s: %s", ex.Method, pathOf(ex.URL), trim(ex.Error, 200))
	}
	out := fmt.Sprintf("HTTP %d to %s %s", ex.Status, ex.Method, pathOf(ex.URL))
	if b := trim(ex.ResponseBody, 200); b != "" {
		out += ": " + b
	}
	return out
}

func orMissing(v gjson.Result) string {
	if !v.Exists() {
		return "missing"
	}
	return v.Raw
}

func (w *World) assertPaths(body, prefix, list string) error {
	for _, m := range quoted.FindAllStringSubmatch(list, -1) {
		if !gjson.Get(body, prefix+m[1]).Exists() {
			return w.failLast(fmt.Sprintf("%q to be present", prefix+m[1]), "it is missing")
		}
	}
	return nil
}

func (w *World) assertString(body, path, want string) error {
	v := gjson.Get(body, path)
	if v.Type != gjson.String || v.String() != want {
		return w.failLast(fmt.Sprintf("%s = %q", path, want), orMissing(v))
	}
	return nil
}

func (w *World) assertInt(body, path string, want int64) error {
	v := gjson.Get(body, path)
	if v.Type != gjson.Number || v.Int() != want || strings.ContainsAny(v.Raw, ".eE") {
		return w.failLast(fmt.Sprintf("%s = %d (a JSON integer)", path, want), orMissing(v))
	}
	return nil
}

func (w *World) assertBool(body, path string, want bool) error {
	v := gjson.Get(body, path)
	if (v.Type != gjson.True && v.Type != gjson.False) || v.Bool() != want {
		return w.failLast(fmt.Sprintf("%s = %t (a JSON boolean)", path, want), orMissing(v))
	}
	return nil
}

// The rules of an error answer's parts, worst first: what Okta cannot
// parse, what RFC 7644 §3.12 requires of every error, then the media type.
var (
	errorParseRule  = okta("Okta SCIM 2.0 guide: error bodies are JSON; SPEC §2.3 (a non-JSON body fails Okta's parser: \"Unrecognized token\")")
	errorSchemaRule = must("RFC 7644 §3.12 (errors are JSON bodies with the Error schema and status, a JSON string, REQUIRED)")
	// RFC 7644 §3.8: service providers MUST support "Accept:
	// application/scim+json", which every harness request sends; answering
	// it as application/json ignores it. SPEC §1.3 requires the SCIM media
	// type on errors too.
	mediaTypeRule = must("RFC 7644 §3.8 (MUST support Accept: application/scim+json), §8.1; SPEC §1.3")
)

// scimTypeRule is the rule of an error's scimType. RFC 7644 §3.12 makes
// scimType OPTIONAL, except where the RFC names it: §3.3 requires 409 with
// "uniqueness" for a duplicate. The Cortex SPEC §1.3 names "mutability"
// for a userName or email change, so that one is a MUST in @cortex
// scenarios; any other missing or different scimType is advice (Okta never
// reads it), as the fault optional-scimtype-omitted documents.
func (w *World) scimTypeRule(scimType string) Rule {
	switch {
	case scimType == "uniqueness":
		return must("RFC 7644 §3.3 (a duplicate MUST answer 409 with scimType uniqueness)")
	case scimType == "mutability" && w.hasTag(TagCortex):
		// The Cortex contract names this one (SPEC §1.3: "400 scimType:
		// mutability"); the others stay OPTIONAL as in RFC 7644 §3.12, so
		// leaving them out (fault optional-scimtype-omitted) is advice.
		return must("SPEC §1.3 (a userName or email change: 400 scimType mutability)")
	}
	return should("RFC 7644 §3.12 (scimType is OPTIONAL; Table 9 names " + scimType + ")")
}

// assertSCIMError checks an error answer (RFC 7644 §3.12): the status (the
// scenario's rule), a body Okta can parse, the Error schema with status as
// a string, the SCIM media type, and scimType where given — each part with
// its own level, worst first, so advice about scimType never hides a worse
// failure.
func (w *World) assertSCIMError(status, scimType string) error {
	want := "a SCIM error " + status
	if scimType != "" {
		want += " with scimType " + scimType
	}
	body := w.lastBody()
	if strconv.Itoa(w.lastStatus()) != status {
		return w.failLast(want, w.lastAnswer())
	}
	ct := mediaType(w.last.Raw().Header.Get("Content-Type"))
	if ct != scimwire.MediaType && ct != "application/json" {
		if !w.oktaSends(w.lastEx) {
			return w.failAs(errorSchemaRule, want, fmt.Sprintf("Content-Type %q", ct), w.lastEx, "", "")
		}
		return w.failAs(errorParseRule, want, fmt.Sprintf("Content-Type %q, which Okta cannot parse", ct), w.lastEx,
			"Unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", "observed")
	}
	if !gjson.Valid(body) {
		rule := errorParseRule
		if !w.oktaSends(w.lastEx) {
			rule = errorSchemaRule
		}
		return w.failAs(rule, want, "a body that is not JSON", w.lastEx, "", "")
	}
	// Past the parse, every part is checked and recorded, so that advice
	// (scimType) is listed even when the media type fails too; the step's
	// error is the first part that stops it.
	var stop []error
	found := false
	for _, s := range gjson.Get(body, "schemas").Array() {
		found = found || s.String() == scimwire.ErrorSchema
	}
	if !found {
		stop = append(stop, w.failAs(errorSchemaRule, want, "no "+scimwire.ErrorSchema+" in schemas", w.lastEx, "", ""))
	}
	if v := gjson.Get(body, "status"); v.Type != gjson.String || v.String() != status {
		stop = append(stop, w.failAs(errorSchemaRule, want+`, with "status" the string "`+status+`"`, "status "+orMissing(v), w.lastEx, "", ""))
	}
	if ct != scimwire.MediaType {
		stop = append(stop, w.failAs(mediaTypeRule, want+" as "+scimwire.MediaType, fmt.Sprintf("Content-Type %q", ct), w.lastEx, "", ""))
	}
	// "invalidSyntax or invalidValue": RFC 7644 Table 9 fits either.
	if v := gjson.Get(body, "scimType"); scimType != "" && !slices.Contains(strings.Split(scimType, " or "), v.String()) {
		stop = append(stop, w.failAs(w.scimTypeRule(scimType), fmt.Sprintf("scimType %q in the %s error", scimType, status), "scimType "+orMissing(v), w.lastEx, "", ""))
	}
	for _, err := range stop {
		if err != nil {
			return err
		}
	}
	return nil
}

// The rules of a ListResponse's parts.
var (
	listSchemaRule = okta("Okta SCIM 2.0 spec test step 1 (ListResponse schema); RFC 7644 §3.4.2")
	listCountsRule = okta("Okta SCIM 2.0 spec test step 1 (counts are numbers); SPEC §2.3 (Okta fails the sync on strings)")
	listItemsRule  = okta("SPEC Appendix B (itemsPerPage is the real count, or Okta's sync fails; inferred); RFC 7644 §3.4.2")
	// RFC 7644 §3.4.2 makes startIndex and itemsPerPage REQUIRED only
	// when a page holds part of the results; on a complete list they are
	// advice (Okta's SPEC test reads them on its paged first request,
	// which the step "with integer counts" checks).
	listPartialRule  = must("RFC 7644 §3.4.2 (startIndex and itemsPerPage are REQUIRED when a page holds part of the results)")
	listCompleteRule = should("RFC 7644 §3.4.2 (startIndex and itemsPerPage are optional on a complete list; Okta's SPEC test step 1 reads them)")
)

// assertListResponse checks RFC 7644 §3.4.2: the ListResponse schema,
// integer counts (Okta fails the sync on strings, SPEC §2.3), and
// startIndex and itemsPerPage present when the page is partial (every
// page, when allCounts). itemsPerPage's value is assertItemsPerPage's, which
// callers run after their check of the listed users: a wrong count must not
// hide a wrong list (count=0 answered with every user, say).
func (w *World) assertListResponse() error { return w.assertListCounts(false) }

// assertItemsPerPage checks that itemsPerPage, when present, is the number
// of resources returned (RFC 7644 §3.4.2; SPEC Appendix B), not the count
// asked for.
func (w *World) assertItemsPerPage() error {
	body := w.lastBody()
	n := len(gjson.Get(body, "Resources").Array())
	if v := gjson.Get(body, "itemsPerPage"); v.Exists() && v.Int() != int64(n) {
		return w.failAs(listItemsRule, fmt.Sprintf("itemsPerPage = %d, the number of Resources returned", n), strconv.FormatInt(v.Int(), 10), w.lastEx, "", "")
	}
	return nil
}

func (w *World) assertListCounts(allCounts bool) error {
	body := w.lastBody()
	if w.lastStatus() != http.StatusOK {
		return w.failLast("a 200 ListResponse", w.lastAnswer())
	}
	found := false
	for _, s := range gjson.Get(body, "schemas").Array() {
		found = found || s.String() == scimwire.ListResponseSchema
	}
	if !found {
		return w.failAs(listSchemaRule, "the ListResponse schema in schemas", orMissing(gjson.Get(body, "schemas")), w.lastEx, "", "")
	}
	n := len(gjson.Get(body, "Resources").Array())
	for _, f := range []string{"totalResults", "itemsPerPage", "startIndex"} {
		v := gjson.Get(body, f)
		if !v.Exists() && f != "totalResults" && !allCounts {
			rule := listCompleteRule
			if gjson.Get(body, "totalResults").Int() > int64(n) {
				rule = listPartialRule
			}
			if err := w.failAs(rule, f+" in the ListResponse", "missing", w.lastEx, "", ""); err != nil {
				return err
			}
			continue
		}
		if v.Type != gjson.Number || strings.ContainsAny(v.Raw, ".eE") {
			return w.failAs(listCountsRule, f+" as a JSON integer", orMissing(v), w.lastEx,
				"Okta treats the sync as failed when ListResponse counts are not integers", "inferred")
		}
	}
	return nil
}

// refusedAsInvalidValue serves steps ending in ", or the value is refused
// with 400 invalidValue" (orRefused is that ending, or ""): for a startIndex
// or count beyond any integer range RFC 7644 §3.4.2.4 does not say whether to
// clamp it, as the reference does, or refuse it. It reports whether the last
// answer took the refusal and, if so, the check of that refusal.
func (w *World) refusedAsInvalidValue(orRefused string) (bool, error) {
	if orRefused == "" || w.lastStatus() != http.StatusBadRequest {
		return false, nil
	}
	return true, w.assertSCIMError("400", "invalidValue")
}
