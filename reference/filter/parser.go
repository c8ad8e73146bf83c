package filter

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parser is a recursive-descent parser over the token list of one filter or
// path. Recursion happens only on "(", "not (" and "[", and depth counts
// those, so it is bounded by MaxDepth.
type parser struct {
	op    string // "filter" or "path", for errors
	src   string
	toks  []token
	i     int
	depth int
	opts  Options
}

// newParser checks the size limit and lexes s; op ("filter" or "path")
// prefixes errors.
func newParser(op, s string, opts Options) (*parser, error) {
	if len(s) > MaxLength {
		return nil, &Error{Op: op, Msg: fmt.Sprintf("%s is %d bytes long; the limit is %d", op, len(s), MaxLength)}
	}
	if strings.TrimSpace(s) == "" {
		return nil, &Error{Op: op, Msg: "empty " + op}
	}
	toks, err := lex(op, s)
	if err != nil {
		return nil, err
	}
	return &parser{op: op, src: s, toks: toks, opts: opts}, nil
}

// peek returns the current token without consuming it.
func (p *parser) peek() token { return p.toks[p.i] }

// next consumes and returns the current token; at the end it keeps
// returning the EOF token.
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// errAt reports msg at token t, naming what t is.
func (p *parser) errAt(t token, msg string) *Error {
	return &Error{Op: p.op, Pos: charPos(p.src, t.off), Msg: msg, Found: t.describe()}
}

// isKeyword reports whether t is the word kw, case-insensitively.
func isKeyword(t token, kw string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, kw)
}

// enter counts one nesting level at t and fails beyond MaxDepth.
func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > MaxDepth {
		return &Error{Op: p.op, Pos: charPos(p.src, t.off), Msg: fmt.Sprintf("%s nested deeper than %d levels", p.op, MaxDepth)}
	}
	return nil
}

// parseOr parses `andExpr *("or" andExpr)`. RFC 7644 §3.4.2.2: "not"
// takes precedence over "and", which takes precedence over "or". parent is the multi-valued attribute whose
// elements a value filter is evaluated against, or "" at the top level.
func (p *parser) parseOr(parent string) (Expr, error) {
	return p.parseChain(parent, "or")
}

// parseChain parses terms joined by kw: "or" chains of "and" chains of
// unary expressions.
func (p *parser) parseChain(parent, kw string) (Expr, error) {
	term := p.parseUnary
	if kw == "or" {
		term = func(parent string) (Expr, error) { return p.parseChain(parent, "and") }
	}
	first, err := term(parent)
	if err != nil {
		return nil, err
	}
	terms := []Expr{first}
	for isKeyword(p.peek(), kw) {
		p.next()
		t, err := term(parent)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &logicalExpr{and: kw == "and", terms: terms}, nil
}

// parseUnary parses `"not" "(" filter ")"`, `"(" filter ")"` or an
// attribute expression.
func (p *parser) parseUnary(parent string) (Expr, error) {
	t := p.next()
	switch {
	case isKeyword(t, "not"):
		// RFC 7644 §3.4.2.2: not is written `not ( valFilter )`.
		lp := p.next()
		if lp.kind != tokLParen {
			return nil, p.errAt(lp, `expected "(" after "not"`)
		}
		inner, err := p.parseGroup(parent, lp)
		if err != nil {
			return nil, err
		}
		return &notExpr{inner: inner}, nil
	case t.kind == tokLParen:
		return p.parseGroup(parent, t)
	case t.kind == tokWord && !isKeyword(t, "and") && !isKeyword(t, "or"):
		// "and" and "or" are not taken as attribute names: no schema has
		// them, and `a pr or or b pr` deserves a clear error.
		return p.parseAttrExpr(parent, t)
	}
	return nil, p.errAt(t, `expected attribute name, "(" or "not"`)
}

// parseGroup parses the filter and ")" following the "(" token lp.
func (p *parser) parseGroup(parent string, lp token) (Expr, error) {
	if err := p.enter(lp); err != nil {
		return nil, err
	}
	e, err := p.parseOr(parent)
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokRParen {
		return nil, p.errAt(t, fmt.Sprintf(`expected ")" to close "(" from position %d`, charPos(p.src, lp.off)))
	}
	p.depth--
	return e, nil
}

// parseAttrExpr parses what follows an attribute path word w: a value
// filter in brackets, "pr", or an operator and a value.
func (p *parser) parseAttrExpr(parent string, w token) (Expr, error) {
	path, err := p.attrPath(w)
	if err != nil {
		return nil, err
	}
	if lb := p.peek(); lb.kind == tokLBracket {
		return p.parseValuePath(parent, w, path)
	}
	return p.parseComparison(parent, w, path)
}

// parseValuePath parses `"[" valFilter "]" ["." ATTRNAME compareOp …]`
// after the attribute path w.
func (p *parser) parseValuePath(parent string, w token, path attrPath) (Expr, error) {
	lb := p.next()
	if parent != "" {
		// RFC 7644 §3.4.2.2 valFilter has no valuePath: brackets do not nest.
		return nil, p.errAt(lb, fmt.Sprintf("value filter not allowed inside the value filter of %q", parent))
	}
	if path.sub != "" {
		return nil, p.errAt(lb, fmt.Sprintf(`value filter must follow an attribute, not the sub-attribute %q`, path.String()))
	}
	inner, err := p.parseBracket(path.attr, lb)
	if err != nil {
		return nil, err
	}
	vp := &valuePathExpr{path: path, filter: inner}
	if p.peek().kind != tokDot {
		return vp, nil
	}
	p.next()
	sw := p.next()
	sub, err := p.subAttr(sw, path.attr)
	if err != nil {
		return nil, err
	}
	cmp, err := p.parseComparison(path.attr, sw, attrPath{attr: sub})
	if err != nil {
		return nil, err
	}
	vp.then = cmp
	return vp, nil
}

// parseBracket parses the value filter and "]" following the "[" token lb,
// for the multi-valued attribute attr.
func (p *parser) parseBracket(attr string, lb token) (Expr, error) {
	if err := p.enter(lb); err != nil {
		return nil, err
	}
	inner, err := p.parseOr(attr)
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokRBracket {
		return nil, p.errAt(t, fmt.Sprintf(`expected "]" to close "[" from position %d`, charPos(p.src, lb.off)))
	}
	p.depth--
	return inner, nil
}

// parseComparison parses `"pr"` or `compareOp compValue` after the
// attribute path w (RFC 7644 §3.4.2.2 attrExp).
func (p *parser) parseComparison(parent string, w token, path attrPath) (*compareExpr, error) {
	ot := p.next()
	o, ok := parseOp(ot.text)
	if ot.kind != tokWord || !ok {
		return nil, p.errAt(ot, fmt.Sprintf("expected operator after %s", quote(w.text)))
	}
	// Without a DateTime list the parser does not know the schema, so any
	// two RFC 3339 strings compare as instants; with one, only the listed
	// attributes do: a string attribute compares as text even when its value
	// looks like a date (RFC 7644 §3.4.2.2: "dependent on the attribute type").
	dateTime := p.opts.DateTime == nil || p.opts.dateTime(parent, path)
	c := &compareExpr{path: path, op: o, caseExact: p.opts.caseExact(parent, path), dateTime: dateTime}
	if o == opPr {
		return c, nil
	}
	vt := p.next()
	lit, ok := literalOf(vt)
	if !ok {
		return nil, p.errAt(vt, fmt.Sprintf("expected value after %s %s (a string, number, true, false or null)", quote(w.text), quote(ot.text)))
	}
	switch {
	case (o == opCo || o == opSw || o == opEw) && lit.kind != litString:
		// Substring operators are defined on strings only.
		return nil, p.errAt(vt, fmt.Sprintf("operator %q needs a string value", o))
	case (o == opGt || o == opGe || o == opLt || o == opLe) && (lit.kind == litBool || lit.kind == litNull):
		// RFC 7644 §3.4.2.2: ordering on Boolean attributes "SHALL cause a
		// failed response ... invalidFilter"; null has no order either.
		return nil, p.errAt(vt, fmt.Sprintf("operator %q needs a string, number or date-time value", o))
	case (o == opGt || o == opGe || o == opLt || o == opLe) && p.opts.boolean(parent, path):
		// RFC 7644 §3.4.2.2: the attribute is a Boolean, whatever the value.
		return nil, p.errAt(ot, fmt.Sprintf("%s is a Boolean attribute: operator %q does not apply to it", quote(w.text), o))
	case o != opCo && o != opSw && o != opEw && p.opts.dateTime(parent, path) &&
		!(lit.kind == litString && lit.isTime) && !(lit.kind == litNull && (o == opEq || o == opNe)):
		// RFC 7643 §2.3.5: a dateTime compares with an xsd:dateTime
		// (RFC 3339) value; RFC 7644 §3.4.2.2 makes a bad value invalidFilter.
		return nil, p.errAt(vt, fmt.Sprintf("%s is a date-time attribute: %q needs an RFC 3339 date-time value such as \"2025-01-02T03:04:05Z\"", quote(w.text), o))
	}
	c.value = lit
	return c, nil
}

// literalOf converts a value token to a compValue literal.
func literalOf(t token) (literal, bool) {
	switch t.kind {
	case tokString:
		l := literal{kind: litString, str: t.text, lower: strings.ToLower(t.text)}
		l.when, l.isTime = parseTime(t.text)
		return l, true
	case tokNumber:
		f, _ := strconv.ParseFloat(t.text, 64) // lex checked the range
		return literal{kind: litNumber, text: t.text, num: f}, true
	case tokWord:
		switch strings.ToLower(t.text) {
		case "true":
			return literal{kind: litBool, b: true}, true
		case "false":
			return literal{kind: litBool}, true
		case "null":
			return literal{kind: litNull}, true
		}
	}
	return literal{}, false
}

// parseTime parses an RFC 3339 date-time (RFC 7643 §2.3.5 dateTime).
func parseTime(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || !isDigit(s[0]) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// attrPath splits the word w into RFC 7644 §3.4.2.2
// attrPath = [URI ":"] ATTRNAME *1subAttr.
func (p *parser) attrPath(w token) (attrPath, error) {
	s := w.text
	var path attrPath
	if len(s) >= 4 && strings.EqualFold(s[:4], "urn:") {
		i := strings.LastIndexByte(s, ':')
		path.urn, s = w.text[:i], w.text[i+1:]
		if s == "" {
			return attrPath{}, p.errAt(w, "expected attribute name after schema URN")
		}
	}
	dot := strings.IndexByte(s, '.')
	if dot >= 0 {
		path.attr, path.sub = s[:dot], s[dot+1:]
	} else {
		path.attr = s
	}
	if !validName(path.attr) || (dot >= 0 && !validName(path.sub)) {
		return attrPath{}, p.errAt(w, "invalid attribute path (want attr, attr.subAttr or urn:…:attr)")
	}
	return path, nil
}

// subAttr checks the sub-attribute name after "]." in a value path.
func (p *parser) subAttr(t token, attr string) (string, error) {
	if t.kind != tokWord || !validName(t.text) {
		return "", p.errAt(t, fmt.Sprintf(`expected sub-attribute name after "%s[…]."`, attr))
	}
	return t.text, nil
}

// validName reports whether s is an ATTRNAME (RFC 7644 §3.4.2.2:
// ALPHA *(nameChar)), or "$ref" (RFC 7643 §2.4).
func validName(s string) bool {
	if s == "" {
		return false
	}
	if strings.EqualFold(s, "$ref") {
		return true
	}
	if !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
