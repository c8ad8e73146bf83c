package steps

import (
	"fmt"
	"strings"
)

// Lit is one tag in a tag expression, possibly negated.
type Lit struct {
	Tag Tag
	Not bool
}

// Term is a conjunction: every literal must hold.
type Term []Lit

// Expr is a tag expression in disjunctive normal form: a scenario matches
// when any term holds. The empty Expr matches every scenario. It mirrors
// godog v0.16's tag grammar exactly (`,` OR, `&&` AND, `~` NOT, no
// parentheses), so String can hand godog an expression it cannot misread
// or panic on (STYLE.md, "Known traps": an empty term makes godog index an
// empty string).
type Expr []Term

// ParseExpr parses a user's tag expression in godog's grammar and checks
// that every tag is a known constant. "" parses to the empty Expr.
func ParseExpr(s string) (Expr, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if strings.ContainsAny(s, "()") {
		return nil, fmt.Errorf("parse tags %q: parentheses are not supported; write an OR of ANDs: `,` is OR, `&&` is AND, `~` is NOT (e.g. \"@okta&&~@groups,@cortex\")", s)
	}
	for _, word := range []string{" and ", " or ", " not ", "!"} {
		if strings.Contains(" "+strings.ToLower(s)+" ", word) {
			return nil, fmt.Errorf("parse tags %q: use `,` for OR, `&&` for AND and `~` for NOT (godog's tag grammar), not %q", s, strings.TrimSpace(word))
		}
	}
	var e Expr
	for _, rawTerm := range strings.Split(s, ",") {
		var term Term
		for _, rawLit := range strings.Split(rawTerm, "&&") {
			lit := strings.TrimSpace(rawLit)
			if lit == "" {
				return nil, fmt.Errorf("parse tags %q: empty operand around `,` or `&&`", s)
			}
			not := strings.HasPrefix(lit, "~")
			t, err := ParseTag(strings.TrimSpace(strings.TrimPrefix(lit, "~")))
			if err != nil {
				return nil, fmt.Errorf("parse tags %q: %w", s, err)
			}
			term = append(term, Lit{Tag: t, Not: not})
		}
		e = append(e, term)
	}
	return e, nil
}

// And returns an expression matching what both e and o match, distributing
// the terms so the result stays an OR of ANDs.
func (e Expr) And(o Expr) Expr {
	switch {
	case len(e) == 0:
		return o
	case len(o) == 0:
		return e
	}
	out := make(Expr, 0, len(e)*len(o))
	for _, a := range e {
		for _, b := range o {
			t := make(Term, 0, len(a)+len(b))
			t = append(append(t, a...), b...)
			out = append(out, t)
		}
	}
	return out
}

// Match reports whether a scenario carrying tags (with or without "@")
// matches the expression.
func (e Expr) Match(tags []string) bool {
	if len(e) == 0 {
		return true
	}
	has := make(map[Tag]bool, len(tags))
	for _, t := range tags {
		has[Tag("@"+strings.TrimPrefix(t, "@"))] = true
	}
	for _, term := range e {
		if term.match(has) {
			return true
		}
	}
	return false
}

func (t Term) match(has map[Tag]bool) bool {
	for _, l := range t {
		if has[l.Tag] == l.Not {
			return false
		}
	}
	return true
}

// String renders the expression in godog's grammar.
func (e Expr) String() string {
	terms := make([]string, len(e))
	for i, term := range e {
		lits := make([]string, len(term))
		for j, l := range term {
			if l.Not {
				lits[j] = "~" + string(l.Tag)
			} else {
				lits[j] = string(l.Tag)
			}
		}
		terms[i] = strings.Join(lits, "&&")
	}
	return strings.Join(terms, ",")
}
