package reference

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// checkJSONMembers walks a body that already decoded as JSON, token by
// token, and refuses what encoding/json lets through silently: a member name
// that appears twice in one object, at any nesting level (encoding/json
// keeps the last one, so `"userName":"a","userName":"b"` would quietly mean
// "b"). RFC 8259 §4: names within an object SHOULD be unique; a SCIM server
// cannot know which one the client meant, so it answers 400 invalidSyntax
// naming the member (RFC 7644 §3.12).
func checkJSONMembers(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*jsonFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			// io.EOF at the end; any other error was already reported by
			// the real decode, which ran first.
			return nil
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
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
