package simulator

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// parseBody parses an answer Okta needs as JSON. A body that is not JSON
// fails the way Okta's Jackson parser does (SPEC §2.3: "Unrecognized token
// …"), so the admin sees the parser error rather than the target's text.
func parseBody(body []byte) (any, *failure) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &failure{id: MsgEmptyBody, reason: render(MsgEmptyBody)}
	}
	v, err := parseOrdered(trimmed)
	if err == nil {
		return v, nil
	}
	r, _ := utf8.DecodeRune(trimmed)
	switch {
	case r == '{' || r == '[' || r == '"' || r == '-' || unicode.IsDigit(r):
		return nil, &failure{id: MsgMalformedJSON, reason: render(MsgMalformedJSON, "detail", err.Error())}
	case unicode.IsLetter(r) || r == '_' || r == '$':
		return nil, &failure{id: MsgUnrecognizedToken, reason: render(MsgUnrecognizedToken, "token", jacksonToken(trimmed))}
	default:
		return nil, &failure{id: MsgUnexpectedChar, reason: render(MsgUnexpectedChar,
			"char", string(r), "code", strconv.Itoa(int(r)))}
	}
}

// jacksonToken is the word Jackson quotes in "Unrecognized token": the run
// of identifier characters at the start, at most 256 (Jackson's limit).
func jacksonToken(b []byte) string {
	var sb strings.Builder
	for _, r := range string(b) {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '$') || sb.Len() >= 256 {
			break
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// check2xx passes on a failure to send, and turns a non-2xx answer into
// the failure Okta reports for it.
func check2xx(rep *reply, fl *failure) *failure {
	if fl != nil {
		return fl
	}
	if rep.status < 200 || rep.status > 299 {
		return httpFailure(rep)
	}
	return nil
}

// httpFailure is the reason for an error status: the reason phrase and the
// SCIM error's detail (SPEC §2.3), or the parser error for a non-JSON body.
func httpFailure(rep *reply) *failure {
	status := statusText(rep.status)
	if len(bytes.TrimSpace(rep.body)) == 0 {
		return &failure{id: MsgHTTPErrorNoDetail, status: rep.status, reason: render(MsgHTTPErrorNoDetail, "status", status)}
	}
	v, f := parseBody(rep.body)
	if f != nil {
		f.status = rep.status
		return f
	}
	return &failure{id: MsgHTTPError, status: rep.status,
		reason: render(MsgHTTPError, "status", status, "detail", errorDetail(v))}
}

// errorDetail picks the SCIM error's detail (RFC 7644 §3.12), else a
// trimmed copy of the body (inferred).
func errorDetail(v any) string {
	if o, ok := v.(*jobj); ok {
		if d, ok := o.get("detail"); ok {
			if s, ok := d.(string); ok && s != "" {
				return trimDetail(s)
			}
		}
	}
	return trimDetail(string(marshalOrdered(v)))
}

func trimDetail(s string) string {
	if len(s) > maxErrorDetailSz {
		return s[:maxErrorDetailSz] + "…"
	}
	return s
}

// listPage is a validated ListResponse.
type listPage struct {
	totalResults int
	resources    []*jobj
}

// parseList validates a ListResponse (RFC 7644 §3.4.2): a JSON object with
// an integer totalResults, integer startIndex and itemsPerPage when
// present, and a Resources array of objects (absent means none). SPEC §2.3:
// counts that are not JSON integers fail the sync.
func parseList(body []byte) (listPage, *failure) {
	v, f := parseBody(body)
	if f != nil {
		return listPage{}, f
	}
	o, ok := v.(*jobj)
	if !ok {
		return listPage{}, &failure{id: MsgNotListResponse, reason: render(MsgNotListResponse)}
	}
	if _, ok := o.get("totalResults"); !ok {
		return listPage{}, &failure{id: MsgNotListResponse, reason: render(MsgNotListResponse)}
	}
	var page listPage
	for _, field := range []string{"totalResults", "startIndex", "itemsPerPage"} {
		raw, ok := o.get(field)
		if !ok {
			continue
		}
		n, f := jsonInt(field, raw)
		if f != nil {
			return listPage{}, f
		}
		if field == "totalResults" {
			page.totalResults = n
		}
	}
	if schemas, ok := o.get("schemas"); ok {
		if !containsString(schemas, scimwire.ListResponseSchema) {
			return listPage{}, &failure{id: MsgNotListResponse, reason: render(MsgNotListResponse)}
		}
	}
	res, ok := o.get("Resources")
	if !ok || res == nil {
		return page, nil
	}
	arr, ok := res.([]any)
	if !ok {
		return listPage{}, wrongType("Resources", "array", res)
	}
	for _, r := range arr {
		ro, ok := r.(*jobj)
		if !ok {
			return listPage{}, wrongType("Resources[]", "object", r)
		}
		page.resources = append(page.resources, ro)
	}
	return page, nil
}

// jsonInt accepts a JSON number without fraction or exponent that fits an
// int and is not negative.
func jsonInt(field string, v any) (int, *failure) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, &failure{id: MsgNotInteger, reason: render(MsgNotInteger, "field", field, "jsontype", jsonTypeDesc(v))}
	}
	n, err := strconv.Atoi(num.String())
	if err != nil || n < 0 {
		return 0, &failure{id: MsgNotInteger, reason: render(MsgNotInteger, "field", field, "jsontype", "number "+num.String())}
	}
	return n, nil
}

func jsonTypeDesc(v any) string {
	if s, ok := v.(string); ok {
		return "String " + strconv.Quote(s)
	}
	return jsonType(v)
}

func wrongType(field, want string, got any) *failure {
	return &failure{id: MsgWrongType, reason: render(MsgWrongType, "field", field, "want", want, "got", jsonType(got))}
}

// resourceID returns a resource's id, which must be a non-empty string.
func resourceID(o *jobj) (string, *failure) {
	v, ok := o.get("id")
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", wrongType("id", "string", v)
	}
	return s, nil
}

// requireString returns the string field of a resource that Okta needs
// (an id to address the user or group, a userName to match it): absent,
// null, empty or not a string is a type failure (inferred wording,
// MsgWrongType), never a silent "".
func requireString(o *jobj, field string) (string, *failure) {
	v, ok := o.get(field)
	got := "nothing"
	switch s := v.(type) {
	case string:
		if s != "" {
			return s, nil
		}
		got = "empty string"
	case nil:
		if ok {
			got = "null"
		}
	default:
		got = jsonType(v)
	}
	return "", &failure{id: MsgWrongType, reason: render(MsgWrongType, "field", field, "want", "string", "got", got)}
}

// resourceActive returns the resource's active flag (true when absent, as
// RFC 7643 leaves it to the provider; inferred). A non-boolean is an error.
func resourceActive(o *jobj) (bool, *failure) {
	v, ok := o.get("active")
	if !ok || v == nil {
		return true, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, wrongType("active", "boolean", v)
	}
	return b, nil
}

func stringField(o *jobj, path ...string) string {
	var cur any = o
	for _, p := range path {
		obj, ok := cur.(*jobj)
		if !ok {
			return ""
		}
		cur, _ = obj.get(p)
	}
	s, _ := cur.(string)
	return s
}

func containsString(v any, want string) bool {
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if s, ok := e.(string); ok && s == want {
			return true
		}
	}
	return false
}
