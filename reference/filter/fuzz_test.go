package filter_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/scimulator/scimulator/reference/filter"
)

// checkRoundTrip asserts that e, parsed from in, prints to a filter that
// parses back to an identical expression.
func checkRoundTrip(t *testing.T, in string, e filter.Expr) {
	t.Helper()
	s := e.String()
	e2, err := filter.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q) printed %q, which fails to parse: %v", in, s, err)
	}
	if !reflect.DeepEqual(e, e2) {
		t.Fatalf("Parse(%q) printed %q, which parses to a different expression %q", in, s, e2)
	}
}

// FuzzParse asserts that Parse never panics, fails only with *Error, and
// that String of a parsed filter re-parses to an equivalent expression
// which evaluates without panicking.
func FuzzParse(f *testing.F) {
	for _, tc := range matchCases {
		f.Add(tc.filter)
	}
	for _, s := range []string{
		``, `(`, `)`, `[`, `"`, `"\`, `not (`, `a[b[c eq 1]]`, `a eq 1e999`,
		`emails[type eq "work"].value`, `a eq "\ud800"`, "a eq \"\xff\"", `a.b.c pr`,
		`urn:a:b:c`, `$ref eq "x"`, `a pr and (b pr or not (c pr))`,
	} {
		f.Add(s)
	}
	r := filter.Resource{
		"userName": "a", "a": []any{map[string]any{"b": 1.0, "value": "x"}, "y", nil, true},
		"b": map[string]any{"c": "2011-08-01T21:32:44Z"},
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := filter.Parse(s)
		if err != nil {
			var fe *filter.Error
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%q) error %T %v, want *filter.Error", s, err, err)
			}
			return
		}
		checkRoundTrip(t, s, e)
		e.Match(r)
		filter.Indexable(e)
	})
}

// FuzzParsePath asserts that ParsePath never panics, fails only with
// *Error, and that a parsed path prints back to an equal path.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		`name.givenName`, `active`, `emails[type eq "work"].value`, `members[value eq "2819c223"]`,
		ent + `:department`, `emails[`, `a]`, `a.b.c`, `emails[type eq "work"].`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := filter.ParsePath(s)
		if err != nil {
			var fe *filter.Error
			if !errors.As(err, &fe) {
				t.Fatalf("ParsePath(%q) error %T %v, want *filter.Error", s, err, err)
			}
			return
		}
		p2, err := filter.ParsePath(p.String())
		if err != nil {
			t.Fatalf("ParsePath(%q) printed %q, which fails: %v", s, p, err)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("ParsePath(%q) printed %q, which parses differently", s, p)
		}
		if p.Filter != nil {
			p.Filter.Match(filter.Resource{"type": "work", "value": "x"})
		}
	})
}
