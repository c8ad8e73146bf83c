package steps

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
)

// appName is the app's name in the scenarios' Okta org (configureApp).
const appName = "SCIM app"

// rawOperation is the Okta operation that sends the same request as a raw
// SCIM exchange, with the phase its task message names (simulator/flow.go:
// the push, create and existence-check phases are observed wording).
type rawOperation struct {
	name  string // what the admin did, for the label
	phase string // "" for Test API Credentials, which has a dialog
	list  bool   // the answer must be a ListResponse
}

// oktaUserFilter is the filter of Okta's existence check, userName eq
// "<login>", with the login as its submatch.
var oktaUserFilter = regexp.MustCompile(`(?i)^userName eq "((?:[^"\\]|\\.)*)"$`)

// oktaOperationFor maps a raw SCIM request to the Okta operation sending
// the same request, or false when Okta sends no such request.
func (w *World) oktaOperationFor(ex *reports.Exchange) (rawOperation, bool) {
	u, err := url.Parse(ex.URL)
	if err != nil {
		return rawOperation{}, false
	}
	path, q := u.Path, u.Query()
	isUser := strings.Contains(path, "/Users/")
	switch {
	case (ex.Method == http.MethodPut || ex.Method == http.MethodPatch) && isUser:
		login := gjson.Get(ex.RequestBody, "userName").String()
		if login == "" {
			login = w.userNameByID(path[strings.LastIndex(path, "/")+1:])
		}
		return rawOperation{name: "push profile update", phase: "trying to push profile update for '" + login + "'"}, true
	case ex.Method == http.MethodPost && strings.HasSuffix(path, "/Users"):
		return rawOperation{name: "assign (create user)", phase: "creating user " + w.labelFor(gjson.Get(ex.RequestBody, "userName").String(), ex.RequestBody)}, true
	case ex.Method == http.MethodGet && strings.HasSuffix(path, "/Users") && q.Get("filter") != "":
		// Okta's only user filter is its existence check (SPEC §2.2);
		// any other filter is a request Okta never sends.
		m := oktaUserFilter.FindStringSubmatch(q.Get("filter"))
		if m == nil {
			return rawOperation{}, false
		}
		return rawOperation{name: "assign (existence check)", phase: "verifying if user " + w.labelFor(m[1], "") + " exists", list: true}, true
	case ex.Method == http.MethodGet && strings.HasSuffix(path, "/Users"):
		return rawOperation{name: "Test API Credentials", list: true}, true
	}
	return rawOperation{}, false
}

// oktaSends reports whether Okta sends a request like ex (one of the
// operations above, or a read of one user, which AIW apps send before a
// PUT): only then does an answer Okta cannot parse break Okta. A request
// Okta never sends (PATCH /Users, DELETE /ServiceProviderConfig, an
// unknown path) is held to RFC 7644 alone.
func (w *World) oktaSends(ex *reports.Exchange) bool {
	if ex == nil {
		return true
	}
	if _, ok := w.oktaOperationFor(ex); ok {
		return true
	}
	u, err := url.Parse(ex.URL)
	return err == nil && ex.Method == http.MethodGet && strings.Contains(u.Path, "/Users/") && !strings.Contains(u.Path[strings.Index(u.Path, "/Users/")+len("/Users/"):], "/")
}

// labelFor is how Okta names a user in task messages: the display name
// (given and family), else the login.
func (w *World) labelFor(userName, body string) string {
	if g, f := gjson.Get(body, "name.givenName").String(), gjson.Get(body, "name.familyName").String(); g != "" || f != "" {
		return strings.TrimSpace(g + " " + f)
	}
	for _, u := range w.users {
		if strings.EqualFold(u.userName, userName) {
			return u.given + " " + u.family
		}
	}
	return userName
}

func (w *World) userNameByID(id string) string {
	for _, u := range w.users {
		if u.scimID == id && id != "" {
			return u.userName
		}
	}
	return id
}

// oktaViewOf says what Okta's admin would see had Okta sent the failing raw
// request itself: the task or dialog message rendered from the
// simulator's catalog, labelled as such; "Okta would not notice this" when
// Okta would take the answer as a success; "" when Okta sends no such
// request. The basis is inferred: the mapping is ours.
func (w *World) oktaViewOf(ex *reports.Exchange) (string, reports.Basis) {
	if ex == nil || ex.Error != "" {
		return "", ""
	}
	op, ok := w.oktaOperationFor(ex)
	if !ok {
		return "", ""
	}
	reason, id := oktaReason(ex, op)
	if id == "" {
		return fmt.Sprintf("Okta would not notice this: for its %s it takes HTTP %d with this body as a success", op.name, ex.Status), reports.BasisInferred
	}
	var msg string
	switch {
	case op.phase != "":
		msg = render(simulator.MsgTaskUser, "user", subjectOf(op.phase), "app", appName, "phase", op.phase, "reason", reason)
	case ex.Status == http.StatusUnauthorized:
		msg = render(simulator.MsgUnauthorized)
	case ex.Status == http.StatusForbidden:
		msg = render(simulator.MsgForbidden, "detail", scimDetail(ex.ResponseBody))
	default:
		msg = render(simulator.MsgCredentialsError, "reason", reason)
	}
	return fmt.Sprintf("message Okta would show for its %s on this answer: %s", op.name, msg), reports.BasisInferred
}

// subjectOf is the user named in a phase ("creating user Ana Example").
func subjectOf(phase string) string {
	for _, p := range []string{"creating user ", "verifying if user "} {
		if s, ok := strings.CutPrefix(phase, p); ok {
			return strings.TrimSuffix(s, " exists")
		}
	}
	if _, s, ok := strings.Cut(phase, "'"); ok {
		return strings.TrimSuffix(s, "'")
	}
	return phase
}

// oktaReason is the catalog reason Okta gives for the answer, and its id;
// an empty id means Okta accepts the answer.
func oktaReason(ex *reports.Exchange, op rawOperation) (string, simulator.MessageID) {
	body := strings.TrimSpace(ex.ResponseBody)
	if ex.Status < 200 || ex.Status > 299 {
		if body == "" {
			return render(simulator.MsgHTTPErrorNoDetail, "status", statusPhrase(ex.Status)), simulator.MsgHTTPErrorNoDetail
		}
		if r, id := parseFailure(body); id != "" {
			return r, id
		}
		return render(simulator.MsgHTTPError, "status", statusPhrase(ex.Status), "detail", scimDetail(body)), simulator.MsgHTTPError
	}
	if body == "" && ex.Method == http.MethodPost {
		return render(simulator.MsgEmptyUser), simulator.MsgEmptyUser
	}
	if r, id := parseFailure(body); id != "" {
		return r, id
	}
	if op.list {
		for _, f := range []string{"totalResults", "startIndex", "itemsPerPage"} {
			if v := gjson.Get(body, f); v.Exists() && v.Type != gjson.Number {
				return render(simulator.MsgNotInteger, "jsontype", jsonTypeName(v), "field", f), simulator.MsgNotInteger
			}
		}
	}
	return "", ""
}

// parseFailure is Okta's JSON parser error for a body that is not JSON.
func parseFailure(body string) (string, simulator.MessageID) {
	if body == "" {
		return render(simulator.MsgEmptyBody), simulator.MsgEmptyBody
	}
	if gjson.Valid(body) {
		return "", ""
	}
	r, _ := utf8.DecodeRuneInString(body)
	switch {
	case r == '{' || r == '[' || r == '"' || r == '-' || unicode.IsDigit(r):
		return render(simulator.MsgMalformedJSON, "detail", "invalid JSON"), simulator.MsgMalformedJSON
	case unicode.IsLetter(r) || r == '_' || r == '$':
		end := strings.IndexFunc(body, func(c rune) bool { return !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '$') })
		if end < 0 {
			end = len(body)
		}
		return render(simulator.MsgUnrecognizedToken, "token", body[:end]), simulator.MsgUnrecognizedToken
	}
	return render(simulator.MsgUnexpectedChar, "char", string(r), "code", fmt.Sprint(int(r))), simulator.MsgUnexpectedChar
}

func scimDetail(body string) string {
	if d := gjson.Get(body, "detail").String(); d != "" {
		return trim(d, 500)
	}
	return trim(body, 500)
}

func statusPhrase(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return fmt.Sprintf("HTTP %d", code)
}

func jsonTypeName(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return "String"
	case gjson.True, gjson.False:
		return "Boolean"
	case gjson.Null:
		return "null"
	}
	return "Object"
}

// render renders a catalog message.
func render(id simulator.MessageID, vars ...string) string {
	m, ok := simulator.LookupMessage(id)
	if !ok {
		return string(id)
	}
	return simulator.Render(m.Template, vars...)
}
