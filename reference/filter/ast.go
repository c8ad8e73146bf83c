package filter

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// attrPath is RFC 7644 §3.4.2.2 attrPath = [URI ":"] ATTRNAME *1subAttr,
// kept as written so String reproduces the client's spelling.
type attrPath struct {
	urn  string // schema URN prefix without the trailing ":", or ""
	attr string
	sub  string // sub-attribute, or ""
}

func (p attrPath) String() string {
	s := p.attr
	if p.sub != "" {
		s += "." + p.sub
	}
	if p.urn != "" {
		s = p.urn + ":" + s
	}
	return s
}

// key is the lower-cased path without the URN, as Options.CaseExact lists it.
func (p attrPath) key() string {
	if p.sub == "" {
		return strings.ToLower(p.attr)
	}
	return strings.ToLower(p.attr + "." + p.sub)
}

// op is a comparison operator of RFC 7644 §3.4.2.2 Table 3, lower-cased.
type op string

const (
	opEq op = "eq"
	opNe op = "ne"
	opCo op = "co"
	opSw op = "sw"
	opEw op = "ew"
	opPr op = "pr"
	opGt op = "gt"
	opGe op = "ge"
	opLt op = "lt"
	opLe op = "le"
)

// parseOp returns the operator spelled w; operators are case-insensitive
// (RFC 7644 §3.4.2.2: "Attribute names and attribute operators used in
// filters are case insensitive").
func parseOp(w string) (op, bool) {
	switch o := op(strings.ToLower(w)); o {
	case opEq, opNe, opCo, opSw, opEw, opPr, opGt, opGe, opLt, opLe:
		return o, true
	}
	return "", false
}

// litKind is the JSON type of a compValue literal.
type litKind int

const (
	litString litKind = iota
	litNumber
	litBool
	litNull
)

// literal is RFC 7644 §3.4.2.2 compValue = false / null / true / number / string.
// The derived fields are computed once at parse time so a scan over many
// resources does not redo them per comparison.
type literal struct {
	kind   litKind
	str    string    // litString: the decoded value
	lower  string    // litString: strings.ToLower(str)
	when   time.Time // litString: the RFC 3339 instant, if isTime
	isTime bool
	text   string  // litNumber: the literal as written
	num    float64 // litNumber: its value
	b      bool    // litBool
}

func (l literal) String() string {
	switch l.kind {
	case litString:
		return jsonString(l.str)
	case litNumber:
		return l.text
	case litBool:
		if l.b {
			return "true"
		}
		return "false"
	default:
		return "null"
	}
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// compareExpr is attrExp: `attrPath pr` or `attrPath compareOp compValue`.
type compareExpr struct {
	path      attrPath
	op        op
	value     literal // unused for pr
	caseExact bool    // RFC 7643 §2.2 caseExact, from Options
	dateTime  bool    // RFC 3339 strings compare as instants (RFC 7643 §2.3.5), from Options
}

func (e *compareExpr) String() string {
	if e.op == opPr {
		return e.path.String() + " pr"
	}
	return e.path.String() + " " + string(e.op) + " " + e.value.String()
}

// logicalExpr is logExp: terms joined by "and" (or "or"). A chain of the
// same operator at one nesting level is kept flat, so a long chain does not
// become a deep tree.
type logicalExpr struct {
	and   bool
	terms []Expr
}

func (e *logicalExpr) String() string {
	sep := " or "
	if e.and {
		sep = " and "
	}
	parts := make([]string, len(e.terms))
	for i, t := range e.terms {
		parts[i] = t.String()
		// Parentheses only where precedence needs them, so printing never
		// nests deeper than the input did (see MaxDepth).
		if c, ok := t.(*logicalExpr); ok && (e.and || !c.and) {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

// notExpr is `not ( valFilter )`.
type notExpr struct {
	inner Expr
}

func (e *notExpr) String() string { return "not (" + e.inner.String() + ")" }

// valuePathExpr is valuePath = attrPath "[" valFilter "]": it matches when
// any element of the multi-valued attribute matches filter. As an extension
// of the RFC grammar, a sub-attribute comparison may follow
// (`emails[type eq "work"].value co "@example.com"`): then some element must
// match the filter and have a matching sub-attribute.
type valuePathExpr struct {
	path   attrPath     // urn and attr only
	filter Expr         // evaluated against each element
	then   *compareExpr // optional comparison on an element's sub-attribute
}

func (e *valuePathExpr) String() string {
	s := e.path.String() + "[" + e.filter.String() + "]"
	if e.then != nil {
		s += "." + e.then.String()
	}
	return s
}
