// Package filter parses and evaluates SCIM filters (RFC 7644 §3.4.2.2) and
// PATCH paths (RFC 7644 §3.5.2) for the reference server.
//
// A filter is parsed once into an Expr and evaluated against resources shaped
// as encoding/json decodes them. Attribute names and operators are
// case-insensitive; string values compare case-insensitively unless the
// attribute is listed as case-exact in Options (RFC 7643 §2.2 caseExact).
//
// Documented choices where the RFC leaves room:
//   - gt/ge/lt/le, co/sw/ew with a true/false/null value are parse errors,
//     and so are gt/ge/lt/le on an attribute listed in Options.Boolean,
//     whatever the value (RFC 7644 §3.4.2.2: Boolean attributes with
//     ordering operators "SHALL cause a failed response ... invalidFilter");
//     against a boolean value of an unlisted attribute they simply do not
//     match.
//   - "ne" is the negation of "eq": it matches when no value of the attribute
//     equals the operand, including when the attribute is absent.
//   - "eq null" matches an absent or empty attribute and "ne null" a present
//     one (RFC 7643 §2.5: unassigned and null are equivalent).
//   - Two strings that both parse as RFC 3339 date-times compare as instants,
//     for eq/ne as well as for ordering, when the attribute is listed in
//     Options.DateTime, or for any attribute when that list is nil (the
//     parser then does not know the schema).
//   - A complex attribute compared without a sub-attribute compares its
//     "value" sub-attribute (RFC 7644 §3.4.2.2 example `emails co "example.com"`).
//   - `attr[filter].sub op value` is accepted as an extension of the grammar.
package filter

import "strings"

// MaxDepth is how deeply parentheses, "not ( )" and value-path brackets may
// nest. Deeper filters are rejected with an *Error instead of recursing
// without bound on hostile input.
const MaxDepth = 64

// MaxLength is the longest filter or path accepted, in bytes. It bounds the
// work one request can ask for; real filters are far shorter.
const MaxLength = 32 << 10

// Resource is what a filter is evaluated against: a JSON-shaped value
// (map[string]any with string keys, []any, string, float64 or json.Number,
// bool, nil), exactly what encoding/json produces, keyed by canonical
// attribute names. Key lookup is case-insensitive.
type Resource = map[string]any

// Expr is a parsed filter.
type Expr interface {
	// Match reports whether r satisfies the filter.
	Match(r Resource) bool
	// String renders the filter in canonical syntax; parsing it again
	// yields an equivalent Expr.
	String() string
}

// Options tune comparisons.
type Options struct {
	// CaseExact lists the attribute paths whose string values compare
	// case-sensitively (RFC 7643 §2.2 caseExact=true), e.g. "id",
	// "externalId", "emails.type". Keys are matched case-insensitively and
	// without the schema URN; a key of the full "urn:…:attr" form is also
	// honoured. Every other string attribute compares case-insensitively,
	// the RFC 7643 default.
	CaseExact map[string]bool
	// DateTime lists the attribute paths of type dateTime (RFC 7643 §2.3.5),
	// keyed like CaseExact, e.g. "meta.lastModified". Comparing one with
	// eq, ne, gt, ge, lt or le needs an RFC 3339 date-time value (or null
	// for eq/ne); anything else is a parse error, so `meta.lastModified gt
	// "notadate"` is refused instead of silently compared as a string.
	// Only listed attributes compare as instants; any other attribute
	// compares as text even if its value looks like a date. A nil map
	// (the default) instead compares any two RFC 3339 strings as instants.
	DateTime map[string]bool
	// Boolean lists the attribute paths of type boolean (RFC 7643 §2.3.2),
	// keyed like CaseExact, e.g. "active", "emails.primary". gt, ge, lt
	// and le on one are a parse error whatever the value: RFC 7644
	// §3.4.2.2 says ordering a Boolean attribute "SHALL cause a failed
	// response (HTTP status code 400) with "scimType" of "invalidFilter"".
	Boolean map[string]bool
}

// caseExact reports whether the attribute at p (with parent, for paths
// inside a value filter) is listed as case-exact.
func (o Options) caseExact(parent string, p attrPath) bool {
	return listed(o.CaseExact, parent, p)
}

// dateTime reports whether the attribute at p is listed as a dateTime.
func (o Options) dateTime(parent string, p attrPath) bool {
	return listed(o.DateTime, parent, p)
}

// boolean reports whether the attribute at p is listed as a boolean.
func (o Options) boolean(parent string, p attrPath) bool {
	return listed(o.Boolean, parent, p)
}

// listed reports whether the attribute at p (with parent, for paths inside
// a value filter) is a true key of set: lower-cased, with or without the
// schema URN.
func listed(set map[string]bool, parent string, p attrPath) bool {
	if len(set) == 0 {
		return false
	}
	key := p.key()
	if parent != "" {
		key = strings.ToLower(parent) + "." + key
	}
	for k, v := range set {
		if !v {
			continue
		}
		k = strings.ToLower(k)
		if k == key || (p.urn != "" && parent == "" && k == strings.ToLower(p.urn)+":"+key) {
			return true
		}
	}
	return false
}

// Parse parses a SCIM filter (RFC 7644 §3.4.2.2) with default Options.
// Errors are *Error, worded for the `detail` of an invalidFilter response.
func Parse(s string) (Expr, error) {
	return ParseWithOptions(s, Options{})
}

// ParseWithOptions parses a SCIM filter (RFC 7644 §3.4.2.2); opts decide
// which attributes compare case-exactly. Errors are *Error.
func ParseWithOptions(s string, opts Options) (Expr, error) {
	p, err := newParser("filter", s, opts)
	if err != nil {
		return nil, err
	}
	e, err := p.parseOr("")
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, `expected "and", "or" or end of filter`)
	}
	return e, nil
}

// coreURNPrefix starts every core schema URN (RFC 7643 §8.7.1), whose
// attributes live at the top level of a resource.
const coreURNPrefix = "urn:ietf:params:scim:schemas:core:"

// Indexable reports whether e is exactly `userName eq "x"`,
// `externalId eq "x"` or `id eq "x"` (any attribute-name case, optional core
// schema URN prefix), returning the attribute lower-cased ("username",
// "externalid", "id") and the value, so a store can use its index instead
// of scanning.
func Indexable(e Expr) (attr, value string, ok bool) {
	c, isCmp := e.(*compareExpr)
	if !isCmp || c.op != opEq || c.value.kind != litString || c.path.sub != "" {
		return "", "", false
	}
	if c.path.urn != "" && !strings.HasPrefix(strings.ToLower(c.path.urn), coreURNPrefix) {
		return "", "", false
	}
	switch a := strings.ToLower(c.path.attr); a {
	case "username", "externalid", "id":
		return a, c.value.str, true
	}
	return "", "", false
}
