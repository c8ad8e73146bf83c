package filter_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/reference/filter"
)

// TestParseErrors checks each malformed filter gives an *Error with the
// exact message a client sees in `detail`.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		filter string
		want   string
		pos    int
	}{
		{`userName`, `filter: expected operator after "userName" at position 9, found end of input`, 9},
		{`userName "bob"`, `filter: expected operator after "userName" at position 10, found string "bob"`, 10},
		{`userName xx "bob"`, `filter: expected operator after "userName" at position 10, found "xx"`, 10},
		{`userName and x pr`, `filter: expected operator after "userName" at position 10, found "and"`, 10},
		{`userName eq`, `filter: expected value after "userName" "eq" (a string, number, true, false or null) at position 12, found end of input`, 12},
		{`userName eq bob`, `filter: expected value after "userName" "eq" (a string, number, true, false or null) at position 13, found "bob"`, 13},
		{`meta.created lt meta.lastModified`, `filter: expected value after "meta.created" "lt" (a string, number, true, false or null) at position 17, found "meta.lastModified"`, 17},
		{`userName eq ("bob")`, `filter: expected value after "userName" "eq" (a string, number, true, false or null) at position 13, found "("`, 13},
		{`userName eq "bob`, `filter: unterminated string at position 13`, 13},
		{`userName eq "bob\"`, `filter: unterminated string at position 13`, 13},
		{`userName eq "a\qb"`, `filter: invalid string literal (invalid character 'q' in string escape code) at position 13`, 13},
		{"userName eq \"a\tb\"", `filter: invalid string literal (invalid character '\t' in string literal) at position 13`, 13},
		{`userName eq "a" "b"`, `filter: expected "and", "or" or end of filter at position 17, found string "b"`, 17},
		{`userName eq "a" )`, `filter: expected "and", "or" or end of filter at position 17, found ")"`, 17},
		{`userName eq "a" garbage`, `filter: expected "and", "or" or end of filter at position 17, found "garbage"`, 17},
		{`userName eq "a" and`, `filter: expected attribute name, "(" or "not" at position 20, found end of input`, 20},
		{`userName eq "a" or or b pr`, `filter: expected attribute name, "(" or "not" at position 20, found "or"`, 20},
		{`and userName pr`, `filter: expected attribute name, "(" or "not" at position 1, found "and"`, 1},
		{`(userName eq "a"`, `filter: expected ")" to close "(" from position 1 at position 17, found end of input`, 17},
		{`not (userName eq "a" or (x pr)`, `filter: expected ")" to close "(" from position 5 at position 31, found end of input`, 31},
		{`()`, `filter: expected attribute name, "(" or "not" at position 2, found ")"`, 2},
		{`not userName eq "a"`, `filter: expected "(" after "not" at position 5, found "userName"`, 5},
		{`not`, `filter: expected "(" after "not" at position 4, found end of input`, 4},
		{`emails[type eq "work"`, `filter: expected "]" to close "[" from position 7 at position 22, found end of input`, 22},
		{`emails[type eq "work")`, `filter: expected "]" to close "[" from position 7 at position 22, found ")"`, 22},
		{`emails[type[value eq "a"] eq "x"]`, `filter: value filter not allowed inside the value filter of "emails" at position 12, found "["`, 12},
		{`name.givenName[value eq "a"]`, `filter: value filter must follow an attribute, not the sub-attribute "name.givenName" at position 15, found "["`, 15},
		{`emails[type eq "work"].value`, `filter: expected operator after "value" at position 29, found end of input`, 29},
		{`emails[type eq "work"]. "x"`, `filter: expected sub-attribute name after "emails[…]." at position 25, found string "x"`, 25},
		{`emails[type eq "work"].value.x eq "x"`, `filter: expected sub-attribute name after "emails[…]." at position 24, found "value.x"`, 24},
		{`emails[type eq "work"] eq "x"`, `filter: expected "and", "or" or end of filter at position 24, found "eq"`, 24},
		{`name.givenName.x eq "a"`, `filter: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "name.givenName.x"`, 1},
		{`name. eq "a"`, `filter: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "name."`, 1},
		{`user:name eq "a"`, `filter: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "user:name"`, 1},
		{`urn:ietf:params:scim:schemas:core:2.0:User: eq "a"`, `filter: expected attribute name after schema URN at position 1, found "urn:ietf:params:scim:schemas:core:2.0:Us…"`, 1},
		{`1abc eq "x"`, `filter: expected attribute name, "(" or "not" at position 1, found number "1"`, 1},
		{`userName eq 01`, `filter: invalid number "01" at position 13`, 13},
		{`userName eq 1.`, `filter: invalid number "1." at position 13`, 13},
		{`userName eq -`, `filter: invalid number "-" at position 13`, 13},
		{`userName eq 1e`, `filter: invalid number "1e" at position 13`, 13},
		{`userName eq 1e+`, `filter: invalid number "1e+" at position 13`, 13},
		{`userName eq 1-2`, `filter: invalid number "1-2" at position 13`, 13},
		{`a.1b pr`, `filter: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "a.1b"`, 1},
		{`a.b$ pr`, `filter: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "a.b$"`, 1},
		{`$x pr`, `filter: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "$x"`, 1},
		{`userName eq 1e999`, `filter: number "1e999" out of range at position 13`, 13},
		{`userName co 5`, `filter: operator "co" needs a string value at position 13, found number "5"`, 13},
		{`userName sw true`, `filter: operator "sw" needs a string value at position 13, found "true"`, 13},
		{`userName ew null`, `filter: operator "ew" needs a string value at position 13, found "null"`, 13},
		{`active gt true`, `filter: operator "gt" needs a string, number or date-time value at position 11, found "true"`, 11},
		{`active le false`, `filter: operator "le" needs a string, number or date-time value at position 11, found "false"`, 11},
		{`title lt null`, `filter: operator "lt" needs a string, number or date-time value at position 10, found "null"`, 10},
		{`userName eq "a" & x pr`, `filter: unexpected character '&' at position 17`, 17},
		{`userName eq 'a'`, `filter: unexpected character '\'' at position 13`, 13},
		{`ünïcode eq "a"`, `filter: unexpected character 'ü' at position 1`, 1},
		{`名前 eq "x" x`, `filter: unexpected character '名' at position 1`, 1},
		{`userName eq "名前" x`, `filter: expected "and", "or" or end of filter at position 18, found "x"`, 18}, // positions count characters
		{``, `filter: empty filter`, 0},
		{"  \t ", `filter: empty filter`, 0},
		{`userName eq "` + strings.Repeat("a", 100) + `" x`, `filter: expected "and", "or" or end of filter at position 116, found "x"`, 116},
		{`userName eq "a" ` + strings.Repeat("z", 100), `filter: expected "and", "or" or end of filter at position 17, found "` + strings.Repeat("z", 40) + `…"`, 17},
	} {
		_, err := filter.Parse(tc.filter)
		var fe *filter.Error
		if !errors.As(err, &fe) {
			t.Errorf("Parse(%q) error = %v, want *filter.Error", tc.filter, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q) error\n got  %s\n want %s", tc.filter, err, tc.want)
		}
		if fe.Op != "filter" || fe.Pos != tc.pos {
			t.Errorf("Parse(%q): Op %q Pos %d, want filter %d", tc.filter, fe.Op, fe.Pos, tc.pos)
		}
	}
}

// TestParseLimits checks hostile input is refused quickly, not by
// exhausting the stack or the clock.
func TestParseLimits(t *testing.T) {
	nest := func(n int, open, inner, close string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	ok := []string{
		nest(filter.MaxDepth, "(", `userName pr`, ")"),
		nest(filter.MaxDepth, "not (", `userName pr`, ")"),
		nest(filter.MaxDepth-1, "(", `emails[type eq "work"]`, ")"),
	}
	for _, s := range ok {
		if _, err := filter.Parse(s); err != nil {
			t.Errorf("Parse(depth %d): %v", filter.MaxDepth, err)
		}
	}
	tooDeep := []string{
		nest(filter.MaxDepth+1, "(", `userName pr`, ")"),
		nest(filter.MaxDepth+1, "not (", `userName pr`, ")"),
		nest(filter.MaxDepth, "(", `emails[type eq "work"]`, ")"),
		nest(16000, "(", `userName pr`, ")"),
		strings.Repeat("(", 30000),
	}
	for _, s := range tooDeep {
		_, err := filter.Parse(s)
		if err == nil || !strings.Contains(err.Error(), "filter: filter nested deeper than 64 levels at position") {
			t.Errorf("Parse(%.20s… len %d) error = %v, want nesting error", s, len(s), err)
		}
	}

	long := `userName eq "` + strings.Repeat("a", filter.MaxLength) + `"`
	if _, err := filter.Parse(long); err == nil || err.Error() != fmt.Sprintf("filter: filter is %d bytes long; the limit is %d", len(long), filter.MaxLength) {
		t.Errorf("Parse(too long) error = %v", err)
	}

	// A long flat chain stays flat: fast to parse, match and print.
	var terms []string
	for i := 0; len(strings.Join(terms, " or ")) < filter.MaxLength-40; i++ {
		terms = append(terms, fmt.Sprintf(`userName eq "u%d@example.com"`, i))
	}
	chain := strings.Join(terms, " or ")
	start := time.Now()
	e, err := filter.Parse(chain)
	if err != nil {
		t.Fatalf("Parse(chain of %d): %v", len(terms), err)
	}
	last := fmt.Sprintf("u%d@example.com", len(terms)-1)
	if !e.Match(filter.Resource{"userName": last}) || e.Match(filter.Resource{"userName": "none"}) {
		t.Error("chain matched wrongly")
	}
	if e.String() != chain {
		t.Error("chain did not print back unchanged")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("chain of %d terms took %v", len(terms), d)
	}
}

// TestString checks the canonical rendering and that it parses back to the
// same expression (also what FuzzParse checks on random input).
func TestString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`userName eq "a"`, `userName eq "a"`},
		{`  USERNAME   EQ   "a"  `, `USERNAME eq "a"`},
		{`title PR`, `title pr`},
		{`active eq TRUE`, `active eq true`},
		{`x eq False`, `x eq false`},
		{`x eq NULL`, `x eq null`},
		{`x gt 1.5E3`, `x gt 1.5E3`},
		{`x eq -0`, `x eq -0`},
		{`x eq "a\"b\\c\u00e9\n<&>"`, `x eq "a\"b\\cé\n<&>"`},
		{`((a pr))`, `a pr`},
		{`a pr and b pr or c pr`, `a pr and b pr or c pr`},
		{`a pr or b pr and c pr`, `a pr or b pr and c pr`},
		{`(a pr or b pr) and c pr`, `(a pr or b pr) and c pr`},
		{`(a pr and b pr) and c pr`, `(a pr and b pr) and c pr`},
		{`(a pr or b pr) or c pr`, `(a pr or b pr) or c pr`},
		{`a pr or (b pr and c pr)`, `a pr or b pr and c pr`},
		{`not(a pr)`, `not (a pr)`},
		{`not ((a pr or b pr))`, `not (a pr or b pr)`},
		{`emails[type eq "work"and(primary eq true)]`, `emails[type eq "work" and primary eq true]`},
		{`emails[type eq "work"].value co "x"`, `emails[type eq "work"].value co "x"`},
		{`urn:ietf:params:scim:schemas:core:2.0:User:name.familyName pr`, `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName pr`},
		{ent + `:manager[value eq "x"]`, ent + `:manager[value eq "x"]`},
	} {
		e, err := filter.Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%s): %v", tc.in, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Parse(%s).String()\n got  %s\n want %s", tc.in, got, tc.want)
		}
		checkRoundTrip(t, tc.in, e)
	}
}

func TestIndexable(t *testing.T) {
	for _, tc := range []struct {
		filter      string
		attr, value string
		ok          bool
	}{
		{`userName eq "Ana@Example.com"`, "username", "Ana@Example.com", true},
		{`USERNAME EQ "a"`, "username", "a", true},
		{`externalId eq "00u1"`, "externalid", "00u1", true},
		{`ExternalID eq "00u1"`, "externalid", "00u1", true},
		{`id eq "2819c223"`, "id", "2819c223", true},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"`, "username", "a", true},
		{`(userName eq "a")`, "username", "a", true},
		{ent + `:userName eq "a"`, "", "", false},
		{`userName ne "a"`, "", "", false},
		{`userName sw "a"`, "", "", false},
		{`userName eq 5`, "", "", false},
		{`userName eq null`, "", "", false},
		{`userName pr`, "", "", false},
		{`name.userName eq "a"`, "", "", false},
		{`displayName eq "a"`, "", "", false},
		{`not (userName eq "a")`, "", "", false},
		{`userName eq "a" and active eq true`, "", "", false},
		{`userName eq "a" or userName eq "b"`, "", "", false},
		{`emails[value eq "a"]`, "", "", false},
	} {
		e, err := filter.Parse(tc.filter)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.filter, err)
		}
		attr, value, ok := filter.Indexable(e)
		if attr != tc.attr || value != tc.value || ok != tc.ok {
			t.Errorf("Indexable(%s) = %q, %q, %v; want %q, %q, %v", tc.filter, attr, value, ok, tc.attr, tc.value, tc.ok)
		}
	}
}

// TestDateTimeOption: attributes listed as dateTime (RFC 7643 §2.3.5) need
// an RFC 3339 value for eq/ne/gt/ge/lt/le; substring operators, null with
// eq/ne and unlisted attributes are unaffected.
func TestDateTimeOption(t *testing.T) {
	opts := filter.Options{DateTime: map[string]bool{"meta.lastmodified": true, "meta.created": true}}
	tests := []struct {
		filter string
		ok     bool
	}{
		{`meta.lastModified gt "2025-01-02T03:04:05Z"`, true},
		{`META.LASTMODIFIED le "2025-01-02T03:04:05.5+02:00"`, true},
		{`urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified lt "2025-01-02T03:04:05Z"`, true},
		{`meta.lastModified eq null`, true},
		{`meta.lastModified sw "2025"`, true},
		{`meta.lastModified pr`, true},
		{`meta.version gt "notadate"`, true},
		{`meta.lastModified gt "notadate"`, false},
		{`meta.created eq "2025-01-02"`, false},
		{`meta.lastModified ge 5`, false},
		{`meta.lastModified gt null`, false},
		{`userName eq "a" and meta.lastModified lt "yesterday"`, false},
	}
	for _, tc := range tests {
		_, err := filter.ParseWithOptions(tc.filter, opts)
		if tc.ok != (err == nil) {
			t.Errorf("%s: err = %v, want ok=%v", tc.filter, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "date-time attribute") && !strings.Contains(err.Error(), "needs a string") {
			t.Errorf("%s: error %q does not say the attribute is a date-time", tc.filter, err)
		}
	}
	// Without the option the value is compared as a string (the parser
	// does not know the schema).
	if _, err := filter.Parse(`meta.lastModified gt "notadate"`); err != nil {
		t.Errorf("default options: %v", err)
	}
}

// TestBooleanOption: gt/ge/lt/le on an attribute listed as Boolean are
// invalidFilter whatever the value (RFC 7644 §3.4.2.2), also inside a value
// filter; eq/ne/pr/co on it and unlisted attributes are unaffected.
func TestBooleanOption(t *testing.T) {
	opts := filter.Options{Boolean: map[string]bool{"active": true, "emails.primary": true}}
	tests := []struct {
		filter string
		ok     bool
	}{
		{`active eq true`, true},
		{`active ne "a"`, true},
		{`active pr`, true},
		{`active co "t"`, true},
		{`emails[primary eq true]`, true},
		{`title ge "a"`, true},
		{`active ge "a"`, false},
		{`ACTIVE gt 1`, false},
		{`active lt "2025-01-02T03:04:05Z"`, false},
		{`urn:ietf:params:scim:schemas:core:2.0:User:active le "z"`, false},
		{`emails.primary gt "a"`, false},
		{`emails[primary lt "x"]`, false},
		{`userName eq "a" or not (active ge "a")`, false},
	}
	for _, tc := range tests {
		_, err := filter.ParseWithOptions(tc.filter, opts)
		if tc.ok != (err == nil) {
			t.Errorf("%s: err = %v, want ok=%v", tc.filter, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "Boolean attribute") {
			t.Errorf("%s: error %q does not say the attribute is a Boolean", tc.filter, err)
		}
	}
	// Without the option the parser does not know the schema: an ordering
	// against a string value parses (and matches no boolean).
	if _, err := filter.Parse(`active ge "a"`); err != nil {
		t.Errorf("default options: %v", err)
	}
}

// TestDateTimeOnlyListed: with a DateTime list only the listed attributes
// compare as instants; a string attribute whose value looks like a date
// compares as text (RFC 7644 §3.4.2.2: the comparison depends on the
// attribute type). Without a list any two RFC 3339 strings are instants.
func TestDateTimeOnlyListed(t *testing.T) {
	r := filter.Resource{
		"name": map[string]any{"givenName": "2025-01-02T03:04:05Z"},
		"meta": map[string]any{"lastModified": "2025-01-02T03:04:05Z"},
	}
	listed := filter.Options{DateTime: map[string]bool{"meta.lastmodified": true}}
	tests := []struct {
		filter         string
		listed, noList bool
	}{
		{`meta.lastModified eq "2025-01-02T04:04:05+01:00"`, true, true},
		{`meta.lastModified gt "2025-01-02T03:04:05.5Z"`, false, false},
		{`meta.lastModified lt "2025-01-02T03:04:05.5Z"`, true, true},
		{`name.givenName eq "2025-01-02T04:04:05+01:00"`, false, true},
		{`name.givenName eq "2025-01-02t03:04:05z"`, true, true},
		{`name.givenName gt "2025-01-02T03:04:05.5Z"`, true, false},
		{`name.givenName lt "2025-01-02T03:04:05.5Z"`, false, true},
		{`name.givenName ne "2025-01-02T04:04:05+01:00"`, true, false},
	}
	for _, tc := range tests {
		for _, c := range []struct {
			opts filter.Options
			want bool
		}{{listed, tc.listed}, {filter.Options{}, tc.noList}} {
			e, err := filter.ParseWithOptions(tc.filter, c.opts)
			if err != nil {
				t.Fatalf("%s: %v", tc.filter, err)
			}
			if got := e.Match(r); got != c.want {
				t.Errorf("%s with DateTime %v: Match = %v, want %v", tc.filter, c.opts.DateTime, got, c.want)
			}
		}
	}
}
