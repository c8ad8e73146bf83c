package filter

import "fmt"

// Path is a parsed PATCH operation path (RFC 7644 §3.5.2):
//
//	PATH = attrPath / valuePath [subAttr]
//
// e.g. `name.givenName` (Attr "name", Sub "givenName"),
// `emails[type eq "work"].value` (Attr "emails", Filter, Sub "value"), or
// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`
// (URN, Attr "department"). Names keep the client's spelling; compare them
// case-insensitively.
type Path struct {
	// URN is the schema URN prefix without the trailing ":", or "".
	URN string
	// Attr is the attribute name.
	Attr string
	// Sub is the sub-attribute name, or "".
	Sub string
	// Filter selects elements of a multi-valued attribute; it is evaluated
	// against each element (an object such as {"type":"work","value":…}).
	// It is nil when the path has no value filter.
	Filter Expr
}

// String renders the path in RFC 7644 §3.5.2 syntax.
func (p Path) String() string {
	s := p.Attr
	if p.Filter != nil {
		s += "[" + p.Filter.String() + "]"
	}
	if p.Sub != "" {
		s += "." + p.Sub
	}
	if p.URN != "" {
		s = p.URN + ":" + s
	}
	return s
}

// ParsePath parses a PATCH path (RFC 7644 §3.5.2) with default Options:
// attr, attr.sub, urn:…:attr, attr[valueFilter], attr[valueFilter].sub.
// Errors are *Error with Op "path", worded for the `detail` of an
// invalidPath response.
func ParsePath(s string) (Path, error) {
	return ParsePathWithOptions(s, Options{})
}

// ParsePathWithOptions is ParsePath with Options for the value filter's
// comparisons (case-exact keys are "attr.sub", e.g. "emails.type").
func ParsePathWithOptions(s string, opts Options) (Path, error) {
	p, err := newParser("path", s, opts)
	if err != nil {
		return Path{}, err
	}
	w := p.next()
	if w.kind != tokWord {
		return Path{}, p.errAt(w, "expected attribute name")
	}
	ap, err := p.attrPath(w)
	if err != nil {
		return Path{}, err
	}
	path := Path{URN: ap.urn, Attr: ap.attr, Sub: ap.sub}
	if lb := p.peek(); lb.kind == tokLBracket {
		p.next()
		if ap.sub != "" {
			return Path{}, p.errAt(lb, fmt.Sprintf("value filter must follow an attribute, not the sub-attribute %q", ap.String()))
		}
		if path.Filter, err = p.parseBracket(ap.attr, lb); err != nil {
			return Path{}, err
		}
		if p.peek().kind == tokDot {
			p.next()
			if path.Sub, err = p.subAttr(p.next(), ap.attr); err != nil {
				return Path{}, err
			}
		}
	}
	if t := p.peek(); t.kind != tokEOF {
		return Path{}, p.errAt(t, "expected end of path")
	}
	return path, nil
}
