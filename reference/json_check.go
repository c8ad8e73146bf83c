package reference

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// checkJSONMembers walks a body that already decoded as JSON, token by
// token, and refuses what encoding/json lets through silently (RFC 7644
// §3.12 statuses):
//   - a body that is not an object (`null` would decode to nothing at all):
//     400 invalidSyntax;
//   - a member name that appears twice in one object, at any nesting level
//     (encoding/json keeps the last one, so `"userName":"a","userName":"b"`
//     would quietly mean "b"; RFC 8259 §4 says names SHOULD be unique and
//     the server cannot know which one was meant): 400 invalidSyntax naming
//     the member;
//   - a string that is not valid UTF-8 (encoding/json would replace the bad
//     bytes with U+FFFD and store a name the client never sent; RFC 8259
//     §8.1 requires UTF-8): 400 invalidValue naming the member.
func checkJSONMembers(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*jsonFrame
	first := true
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			// io.EOF at the end; any other error was already reported by
			// the real decode, which ran first.
			return nil
		}
		if first {
			first = false
			if tok != json.Delim('{') {
				return badRequest(scimwire.ScimTypeInvalidSyntax, "request body must be a JSON object, got %s", tokenType(tok))
			}
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if _, ok := tok.(string); ok && !utf8.Valid(body[before:dec.InputOffset()]) {
			where := "a member name"
			if top != nil && !(top.object && top.wantKey) {
				where = "the value of " + strconv.Quote(top.peekPath())
			} else if top != nil && top.path != "" {
				where = "a member name in " + strconv.Quote(top.path)
			}
			return badRequest(scimwire.ScimTypeInvalidValue, "%s is not valid UTF-8: JSON text must be UTF-8 (RFC 8259 §8.1)", where)
		}
		if top != nil && top.object && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			key, _ := tok.(string)
			if top.seen[key] {
				return badRequest(scimwire.ScimTypeInvalidSyntax,
					"member %q appears more than once in the same JSON object", top.child(key))
			}
			top.seen[key] = true
			top.key, top.wantKey = key, false
			continue
		}
		// A value: its path inside the parent.
		path := ""
		if top != nil {
			path = top.childPath()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{object: true, wantKey: true, seen: map[string]bool{}, path: path})
		case json.Delim('['):
			stack = append(stack, &jsonFrame{path: path})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}

// jsonFrame is one open object or array in checkJSONMembers.
type jsonFrame struct {
	object  bool
	wantKey bool            // object: the next token is a member name or '}'
	seen    map[string]bool // object: member names so far
	key     string          // object: the member whose value comes next
	index   int             // array: index of the next element
	path    string          // where this object or array sits in the body
}

// child names member key of this object, e.g. "name.givenName".
func (f *jsonFrame) child(key string) string {
	if f.path == "" {
		return key
	}
	return f.path + "." + key
}

// peekPath returns the path of the value that comes next in f, without
// moving on.
func (f *jsonFrame) peekPath() string {
	if f.object {
		return f.child(f.key)
	}
	return f.path + "[" + strconv.Itoa(f.index) + "]"
}

// tokenType names the JSON type a first token starts, for error details.
func tokenType(tok json.Token) string {
	switch tok {
	case json.Delim('['):
		return "an array"
	case nil:
		return "null"
	}
	switch tok.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return "another value"
}

// childPath returns the path of the value that comes next in f and moves on.
func (f *jsonFrame) childPath() string {
	if f.object {
		f.wantKey = true
		return f.child(f.key)
	}
	p := f.path + "[" + strconv.Itoa(f.index) + "]"
	f.index++
	return p
}
