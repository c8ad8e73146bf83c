package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// quoted splits `"a", "b" and "c"` into its strings.
var quoted = regexp.MustCompile(`"([^"]*)"`)

func registerAssertSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the response status is (\d+)$`, func(ctx context.Context, status int) error {
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
	sc.Step(`^the response status is (\d+) or (\d+)$`, func(ctx context.Context, a, b int) error {
		w := worldFrom(ctx)
		if w.lastEx == nil {
			return fmt.Errorf("scenario error: no request was sent")
		}
		if s := w.lastStatus(); s != a && s != b {
			return w.failLast(fmt.Sprintf("status %d or %d", a, b), w.lastAnswer())
		}
		return nil
	})
	sc.Step(`^the response is a SCIM error with status "(\d+)"(?: and scimType "([^"]*)")?$`, func(ctx context.Context, status, scimType string) error {
		return worldFrom(ctx).assertSCIMError(status, scimType)
	})
	sc.Step(`^the response has Content-Type "([^"]*)"$`, func(ctx context.Context, want string) error {
		w := worldFrom(ctx)
		got := w.last.Raw().Header.Get("Content-Type")
		if mediaType(got) != want {
			return w.failLast("Content-Type "+want, fmt.Sprintf("%q", got))
		}
		return nil
	})
	sc.Step(`^the response has a Location header for the new user$`, func(ctx context.Context) error {
		w := worldFrom(ctx)
		id := gjson.Get(w.lastBody(), "id").String()
		loc := w.last.Raw().Header.Get("Location")
		if id == "" || !strings.HasSuffix(loc, "/Users/"+id) {
			return w.failLast("a Location header ending in /Users/<id> (RFC 7644 §3.3)", fmt.Sprintf("Location %q for id %q", loc, id))
		}
		return nil
	})
	sc.Step(`^the response has an ETag header equal to "meta\.version"$`, func(ctx context.Context) error {
		w := worldFrom(ctx)
		etag := w.last.Raw().Header.Get("ETag")
		version := gjson.Get(w.lastBody(), "meta.version").String()
		if etag == "" || etag != version {
			return w.failLast("an ETag header equal to meta.version (RFC 7644 §3.14)", fmt.Sprintf("ETag %q, meta.version %q", etag, version))
		}
		return nil
	})
	sc.Step(`^the response body has "([^"]*)"$`, func(ctx context.Context, path string) error {
		w := worldFrom(ctx)
		if !gjson.Get(w.lastBody(), path).Exists() {
			return w.failLast(fmt.Sprintf("the body to have %q", path), "it is missing")
		}
		return nil
	})
	sc.Step(`^the response body has ((?:"[^"]*", )*"[^"]*" and "[^"]*")$`, func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		return w.assertPaths(w.lastBody(), "", list)
	})
	sc.Step(`^the first listed resource has ((?:"[^"]*", )*"[^"]*" and "[^"]*")$`, func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		return w.assertPaths(w.lastBody(), "Resources.0.", list)
	})
	sc.Step(`^the response body has "([^"]*)" equal to "([^"]*)"$`, func(ctx context.Context, path, want string) error {
		w := worldFrom(ctx)
		want, err := w.expandVars(want)
		if err != nil {
			return err
		}
		return w.assertString(w.lastBody(), path, want)
	})
	sc.Step(`^the response body has "([^"]*)" equal to (-?\d+)$`, func(ctx context.Context, path string, want int64) error {
		w := worldFrom(ctx)
		return w.assertInt(w.lastBody(), path, want)
	})
	sc.Step(`^the response body has "([^"]*)" equal to (true|false)$`, func(ctx context.Context, path, want string) error {
		w := worldFrom(ctx)
		return w.assertBool(w.lastBody(), path, want == "true")
	})
	sc.Step(`^the response body has "([^"]*)" containing "([^"]*)"$`, func(ctx context.Context, path, want string) error {
		w := worldFrom(ctx)
		v := gjson.Get(w.lastBody(), path)
		for _, e := range v.Array() {
			if e.String() == want {
				return nil
			}
		}
		return w.failLast(fmt.Sprintf("%q to contain %q", path, want), orMissing(v))
	})
	sc.Step(`^the response body has "([^"]*)" equal to "([^"]*)"'s (userName|SCIM id)$`, func(ctx context.Context, path, alias, field string) error {
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
	sc.Step(`^the first listed resource has "([^"]*)" equal to "([^"]*)"'s userName$`, func(ctx context.Context, path, alias string) error {
		w := worldFrom(ctx)
		u, err := w.known(alias)
		if err != nil {
			return err
		}
		return w.assertString(w.lastBody(), "Resources.0."+path, u.userName)
	})
	sc.Step(`^the response body has "id" equal to the first listed id$`, func(ctx context.Context) error {
		w := worldFrom(ctx)
		return w.assertString(w.lastBody(), "id", w.firstList)
	})
	sc.Step(`^the response is a ListResponse with integer counts$`, func(ctx context.Context) error {
		return worldFrom(ctx).assertListResponse()
	})
	sc.Step(`^one create answered 201 and the other 409$`, func(ctx context.Context) error {
		w := worldFrom(ctx)
		if len(w.pair) != 2 || w.pair[0] != http.StatusCreated || w.pair[1] != http.StatusConflict {
			return w.fail("one 201 and one 409 (Appendix B: a create racing another create)", fmt.Sprint(w.pair), nil, "", "")
		}
		return nil
	})
	sc.Step(`^both deactivations answered 200 or 204$`, func(ctx context.Context) error {
		w := worldFrom(ctx)
		for _, s := range w.pair {
			if s != http.StatusOK && s != http.StatusNoContent {
				return w.fail("both duplicate deactivations to answer 200 or 204", fmt.Sprint(w.pair), nil, "", "")
			}
		}
		return nil
	})
	sc.Step(`^the pages hold all (\d+) users named "([^"]*)" exactly once, in creation order$`, func(ctx context.Context, n int, prefix string) error {
		w := worldFrom(ctx)
		var want []string
		for i := 1; i <= n; i++ {
			want = append(want, w.memberFor(prefix, i).userName)
		}
		if strings.Join(w.pages, ",") != strings.Join(want, ",") {
			return w.fail(fmt.Sprintf("pages of users in creation order: %v", want), fmt.Sprint(w.pages), w.lastEx, "", "")
		}
		return nil
	})
	sc.Step(`^the first page answered "startIndex" equal to 1$`, func(ctx context.Context) error {
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

// assertSCIMError checks RFC 7644 §3.12: a JSON body with the Error schema,
// status as a string, scimType where given, and a JSON media type (Okta's
// parser fails on HTML or text: "Unrecognized token", SPEC §2.3).
func (w *World) assertSCIMError(status, scimType string) error {
	want := "a SCIM error " + status
	if scimType != "" {
		want += " with scimType " + scimType
	}
	want += " (RFC 7644 §3.12)"
	body := w.lastBody()
	if strconv.Itoa(w.lastStatus()) != status {
		return w.failLast(want, w.lastAnswer())
	}
	ct := mediaType(w.last.Raw().Header.Get("Content-Type"))
	if ct != scimwire.MediaType && ct != "application/json" {
		return w.fail(want, fmt.Sprintf("Content-Type %q, which Okta cannot parse", ct), w.lastEx,
			"Unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", "observed")
	}
	if !gjson.Valid(body) {
		return w.failLast(want, "a body that is not JSON")
	}
	found := false
	for _, s := range gjson.Get(body, "schemas").Array() {
		found = found || s.String() == scimwire.ErrorSchema
	}
	if !found {
		return w.failLast(want, "no "+scimwire.ErrorSchema+" in schemas")
	}
	if v := gjson.Get(body, "status"); v.Type != gjson.String || v.String() != status {
		return w.failLast(want+`, with "status" the string "`+status+`"`, "status "+orMissing(v))
	}
	if scimType != "" {
		if v := gjson.Get(body, "scimType"); v.String() != scimType {
			return w.failLast(want, "scimType "+orMissing(v))
		}
	}
	return nil
}

// assertListResponse checks RFC 7644 §3.4.2: the ListResponse schema,
// integer counts (Okta fails the sync on strings, SPEC §2.3) and
// itemsPerPage equal to the resources returned (Appendix B).
func (w *World) assertListResponse() error {
	body := w.lastBody()
	if w.lastStatus() != http.StatusOK {
		return w.failLast("a 200 ListResponse", w.lastAnswer())
	}
	found := false
	for _, s := range gjson.Get(body, "schemas").Array() {
		found = found || s.String() == scimwire.ListResponseSchema
	}
	if !found {
		return w.failLast("the ListResponse schema in schemas", orMissing(gjson.Get(body, "schemas")))
	}
	for _, f := range []string{"totalResults", "itemsPerPage", "startIndex"} {
		v := gjson.Get(body, f)
		if v.Type != gjson.Number || strings.ContainsAny(v.Raw, ".eE") {
			return w.fail(f+" as a JSON integer", orMissing(v), w.lastEx,
				"Okta treats the sync as failed when ListResponse counts are not integers", "inferred")
		}
	}
	n := len(gjson.Get(body, "Resources").Array())
	if got := gjson.Get(body, "itemsPerPage").Int(); got != int64(n) {
		return w.failLast(fmt.Sprintf("itemsPerPage = %d, the number of Resources returned", n), strconv.FormatInt(got, 10))
	}
	return nil
}
