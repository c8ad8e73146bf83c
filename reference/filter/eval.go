package filter

import (
	"cmp"
	"encoding/json"
	"strings"
)

// Match reports whether r satisfies the comparison. RFC 7644 §3.4.2.2: for
// a multi-valued attribute it matches if any value matches.
func (e *compareExpr) Match(r Resource) bool {
	switch {
	case e.op == opPr:
		return anyValue(r, e.path, present)
	case e.value.kind == litNull:
		// RFC 7643 §2.5: unassigned and null are equivalent, so "eq null"
		// means "not present" and "ne null" means "present".
		return anyValue(r, e.path, present) == (e.op == opNe)
	case e.op == opNe:
		// Documented: ne is the negation of eq (no value equals the operand).
		return !anyValue(r, e.path, e.equal)
	}
	return anyValue(r, e.path, e.test)
}

// test applies the operator (other than pr and ne) to one attribute value.
func (e *compareExpr) test(v any) bool {
	switch e.op {
	case opEq:
		return e.equal(v)
	case opCo, opSw, opEw:
		s, ok := scalar(v).(string)
		if !ok {
			return false
		}
		want := e.value.lower
		if e.caseExact {
			want = e.value.str
		} else {
			s = strings.ToLower(s)
		}
		switch e.op {
		case opCo:
			return strings.Contains(s, want)
		case opSw:
			return strings.HasPrefix(s, want)
		}
		return strings.HasSuffix(s, want)
	}
	c, ok := e.order(v)
	if !ok {
		return false
	}
	switch e.op {
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	}
	return c <= 0 // opLe
}

// equal reports whether v equals the operand: strings case-insensitively
// unless case-exact, date-times as instants, numbers numerically, booleans
// exactly. Values of another JSON type never equal.
func (e *compareExpr) equal(v any) bool {
	v = scalar(v)
	l := e.value
	switch l.kind {
	case litString:
		s, ok := v.(string)
		if !ok {
			return false
		}
		if e.dateTime && l.isTime {
			if t, ok := parseTime(s); ok {
				return t.Equal(l.when)
			}
		}
		if e.caseExact {
			return s == l.str
		}
		return strings.EqualFold(s, l.str)
	case litNumber:
		f, ok := toFloat(v)
		return ok && f == l.num
	case litBool:
		b, ok := v.(bool)
		return ok && b == l.b
	}
	return false
}

// order compares v with the operand for gt/ge/lt/le (RFC 7644 §3.4.2.2):
// date-times chronologically when both parse as RFC 3339, other strings
// lexicographically, numbers numerically. ok is false when the types do not
// compare (a boolean attribute, a string against a number).
func (e *compareExpr) order(v any) (c int, ok bool) {
	v = scalar(v)
	l := e.value
	switch l.kind {
	case litString:
		s, isStr := v.(string)
		if !isStr {
			return 0, false
		}
		if e.dateTime && l.isTime {
			if t, isTime := parseTime(s); isTime {
				return t.Compare(l.when), true
			}
		}
		if e.caseExact {
			return strings.Compare(s, l.str), true
		}
		return strings.Compare(strings.ToLower(s), l.lower), true
	case litNumber:
		f, isNum := toFloat(v)
		if !isNum {
			return 0, false
		}
		return cmp.Compare(f, l.num), true
	}
	return 0, false
}

// Match reports whether all (and) or any (or) of the terms match.
func (e *logicalExpr) Match(r Resource) bool {
	for _, t := range e.terms {
		if t.Match(r) != e.and {
			return !e.and
		}
	}
	return e.and
}

// Match negates the inner filter.
func (e *notExpr) Match(r Resource) bool { return !e.inner.Match(r) }

// Match reports whether some element of the attribute matches the value
// filter (and, with a trailing sub-attribute comparison, that too).
func (e *valuePathExpr) Match(r Resource) bool {
	return anyValue(r, e.path, func(v any) bool {
		el := element(v)
		return e.filter.Match(el) && (e.then == nil || e.then.Match(el))
	})
}

// element turns one value of a multi-valued attribute into the object a
// value filter is evaluated against. A simple value stands for its "value"
// sub-attribute (inferred from RFC 7643 §2.4, which names the primary value
// of a multi-valued attribute "value").
func element(v any) Resource {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return Resource{"value": v}
}

// anyValue calls fn on each value found at path p in r (arrays flattened,
// so `emails.value` walks every email) and reports whether fn returned true
// for any of them.
func anyValue(r Resource, p attrPath, fn func(any) bool) bool {
	base := r
	if p.urn != "" {
		// An extension's attributes live under its schema URN (RFC 7643
		// §3.3); a core schema's at the top level.
		if ext, ok := get(r, p.urn); ok {
			m, isObj := ext.(map[string]any)
			if !isObj {
				return false
			}
			base = m
		} else if !strings.HasPrefix(strings.ToLower(p.urn), coreURNPrefix) {
			return false
		}
	}
	v, ok := get(base, p.attr)
	if !ok {
		return false
	}
	if p.sub == "" {
		return each(v, fn)
	}
	return each(v, func(x any) bool {
		m, isObj := x.(map[string]any)
		if !isObj {
			return false
		}
		s, ok := get(m, p.sub)
		return ok && each(s, fn)
	})
}

// each calls fn on v, or on each element if v is an array.
func each(v any, fn func(any) bool) bool {
	arr, ok := v.([]any)
	if !ok {
		return fn(v)
	}
	for _, x := range arr {
		if fn(x) {
			return true
		}
	}
	return false
}

// get looks key up in m case-insensitively (RFC 7643 §2.1: attribute names
// are case-insensitive), preferring an exact match.
func get(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// scalar returns the "value" sub-attribute of a complex value compared
// without a sub-attribute (RFC 7644 §3.4.2.2 example `emails co
// "example.com"`), and any other value unchanged.
func scalar(v any) any {
	if m, ok := v.(map[string]any); ok {
		x, _ := get(m, "value")
		return x
	}
	return v
}

// present reports whether v has a value in the sense of "pr" (RFC 7644
// §3.4.2.2): not null, not an empty string, not an empty array, and for a
// complex value at least one present sub-attribute.
func present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case []any:
		for _, el := range x {
			if present(el) {
				return true
			}
		}
		return false
	case map[string]any:
		for _, el := range x {
			if present(el) {
				return true
			}
		}
		return false
	}
	return true
}

// toFloat converts a JSON number (float64 or json.Number from
// encoding/json, or a Go integer a caller built by hand) to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	}
	return 0, false
}
