package filter_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/scimulator/scimulator/reference/filter"
)

// userJSON is an RFC 7643 §8.2-style user with an enterprise extension,
// decoded the way the server decodes resources.
const userJSON = `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "id": "2819c223-7f76-453a-919d-413861904646",
  "externalId": "ExtID-7",
  "userName": "Bjensen@Example.com",
  "name": {"givenName": "Barbara", "familyName": "Jensen", "middleName": ""},
  "title": null,
  "nickName": "",
  "active": true,
  "loginCount": 42,
  "emails": [
    {"value": "bjensen@example.com", "type": "work", "primary": true},
    {"value": "babs@jensen.org", "type": "home"}
  ],
  "phoneNumbers": [],
  "roles": ["admin", "Editor"],
  "meta": {"created": "2011-08-01T18:29:49.793Z", "lastModified": "2011-08-01T21:32:44.882Z"},
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "Tour Operations",
    "manager": {"value": "26118915", "displayName": "John Smith"}
  }
}`

// decode decodes userJSON, with json.Number for numbers when useNumber.
func decode(t testing.TB, useNumber bool) filter.Resource {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(userJSON)))
	if useNumber {
		dec.UseNumber()
	}
	var r filter.Resource
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

type matchCase struct {
	filter string
	want   bool
}

// matchCases cover every operator, type, precedence rule and path form
// against userJSON with default Options.
var matchCases = []matchCase{
	// eq: strings case-insensitive by default (RFC 7643 §2.2 caseExact=false).
	{`userName eq "bjensen@example.com"`, true},
	{`userName eq "BJENSEN@EXAMPLE.COM"`, true},
	{`userName eq "bjensen"`, false},
	{`USERNAME EQ "bjensen@example.com"`, true}, // names and operators case-insensitive
	{`username Eq "bjensen@example.com"`, true},
	{`name.givenName eq "barbara"`, true},
	{`NAME.GIVENNAME eq "Barbara"`, true},
	{`name.familyName eq "Barbara"`, false},
	{`id eq "2819C223-7F76-453A-919D-413861904646"`, true},
	{`active eq true`, true},
	{`active eq false`, false},
	{`active eq TRUE`, true},
	{`active eq "true"`, false}, // a string never equals a boolean
	{`loginCount eq 42`, true},
	{`loginCount eq 42.0`, true},
	{`loginCount eq 4.2e1`, true},
	{`loginCount eq -42`, false},
	{`loginCount eq "42"`, false},
	{`userName eq 42`, false},
	// eq/ne null: RFC 7643 §2.5, unassigned is null.
	{`title eq null`, true},
	{`nickName eq null`, true},
	{`phoneNumbers eq null`, true},
	{`missing eq null`, true},
	{`userName eq null`, false},
	{`title ne null`, false},
	{`userName ne null`, true},
	// ne is not(eq).
	{`userName ne "x"`, true},
	{`userName ne "BJENSEN@example.com"`, false},
	{`missing ne "x"`, true},
	{`emails.value ne "babs@jensen.org"`, false},
	{`emails.value ne "nobody@example.com"`, true},
	{`active ne false`, true},
	{`loginCount ne 42`, false},
	// co, sw, ew.
	{`userName co "JENSEN@"`, true},
	{`userName co "zzz"`, false},
	{`userName co ""`, true},
	{`userName sw "bjen"`, true},
	{`userName sw "jensen"`, false},
	{`userName ew ".COM"`, true},
	{`userName ew "bjensen"`, false},
	{`name.familyName sw "J"`, true},
	{`emails co "jensen.org"`, true}, // complex without sub-attribute: its "value"
	{`emails sw "babs"`, true},
	{`active co "t"`, false},
	{`loginCount co "4"`, false},
	{`missing co "a"`, false},
	// pr: present, not null, not "", not [].
	{`userName pr`, true},
	{`userName PR`, true},
	{`title pr`, false},
	{`nickName pr`, false},
	{`phoneNumbers pr`, false},
	{`name pr`, true},
	{`name.middleName pr`, false},
	{`missing pr`, false},
	{`emails.type pr`, true},
	{`emails.display pr`, false},
	{`active pr`, true},
	{`loginCount pr`, true},
	// gt/ge/lt/le on numbers.
	{`loginCount gt 41`, true},
	{`loginCount gt 42`, false},
	{`loginCount ge 42`, true},
	{`loginCount ge 42.5`, false},
	{`loginCount lt 43`, true},
	{`loginCount lt 42`, false},
	{`loginCount le 42`, true},
	{`loginCount le 41.99`, false},
	{`loginCount gt "40"`, false}, // number against string: no order
	// gt/ge/lt/le on strings: lexicographic, case-insensitive by default.
	{`name.familyName gt "J"`, true},
	{`name.familyName gt "jensen"`, false},
	{`name.familyName ge "JENSEN"`, true},
	{`name.familyName lt "k"`, true},
	{`name.familyName le "Jen"`, false},
	{`userName gt 5`, false},
	{`active gt "a"`, false}, // boolean attribute: no order, no match
	{`missing gt "a"`, false},
	// gt/ge/lt/le on RFC 3339 date-times: chronological.
	{`meta.lastModified gt "2011-08-01T21:00:00Z"`, true},
	{`meta.lastModified gt "2011-08-01T21:32:44.882Z"`, false},
	{`meta.lastModified ge "2011-08-01T21:32:44.882Z"`, true},
	{`meta.lastModified eq "2011-08-01T23:32:44.882+02:00"`, true}, // same instant
	{`meta.lastModified gt "2011-08-01T22:32:44.882+01:00"`, false},
	{`meta.lastModified ge "2011-08-01T22:32:44.882+01:00"`, true},
	{`meta.lastModified le "2011-08-01T22:32:44.882+01:00"`, true},
	// 20:00-05:00 is 01:00Z the next day: later, although it sorts earlier as text.
	{`meta.lastModified lt "2011-08-01T20:00:00-05:00"`, true},
	{`meta.lastModified gt "2011-08-01T20:00:00-05:00"`, false},
	// Multi-valued attributes: any element matches.
	{`emails.value eq "babs@jensen.org"`, true},
	{`emails.value eq "BJENSEN@example.com"`, true},
	{`emails.type eq "home"`, true},
	{`emails.type eq "other"`, false},
	{`emails.primary eq true`, true},
	{`emails.value ew "@example.com"`, true},
	{`roles eq "EDITOR"`, true},
	{`roles eq "viewer"`, false},
	{`schemas eq "` + ent + `"`, true},
	// Value paths.
	{`emails[type eq "work"]`, true},
	{`emails[type eq "other"]`, false},
	{`emails[type eq "work" and primary eq true]`, true},
	{`emails[type eq "home" and primary eq true]`, false},
	{`emails[type eq "home" or primary eq true]`, true},
	{`emails[not (type eq "work")]`, true},
	{`emails[primary pr]`, true},
	{`emails[value co "jensen.org" and type eq "home"]`, true},
	{`emails[value co "jensen.org" and type eq "work"]`, false},
	{`emails[type eq "work"].value eq "bjensen@example.com"`, true},
	{`emails[type eq "work"].value eq "babs@jensen.org"`, false},
	{`emails[type eq "home"].value ew "jensen.org"`, true},
	{`emails[type eq "home"].primary pr`, false},
	{`roles[value eq "admin"]`, true},  // simple multi-valued: elements stand for "value"
	{`name[givenName sw "bar"]`, true}, // single complex attribute
	{`phoneNumbers[type eq "work"]`, false},
	{`missing[type eq "work"]`, false},
	{`emails[type eq "work"] and emails[type eq "home"]`, true},
	// RFC 7644 §3.4.2.2 example shapes.
	{`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`, true},
	{`title pr and userName sw "B" or active eq false`, false},
	// Schema URN prefixes.
	{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"`, true},
	{`URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME sw "B"`, true},
	{`urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "jensen"`, true},
	{ent + `:department eq "tour operations"`, true},
	{ent + `:department eq "Sales"`, false},
	{ent + `:manager.value eq "26118915"`, true},
	{ent + `:manager.displayName co "smith"`, true},
	{ent + `:userName pr`, false}, // not in the extension
	{`urn:example:other:1.0:Thing:userName pr`, false},
	{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr`, false},
	// Precedence: "and" binds tighter than "or" (RFC 7644 §3.4.2.2 Table 5).
	{`userName eq "x" and active eq true or loginCount eq 42`, true},     // (F and T) or T
	{`loginCount eq 42 or userName eq "x" and active eq false`, true},    // T or (F and F)
	{`(loginCount eq 42 or userName eq "x") and active eq false`, false}, // grouping overrides
	{`active eq false or userName eq "x" or loginCount eq 42`, true},
	{`active eq true and userName pr and loginCount eq 41`, false},
	{`active eq true and (userName eq "x" or loginCount eq 42)`, true},
	{`((((active eq true))))`, true},
	// not.
	{`not (userName eq "x")`, true},
	{`not (active eq true)`, false},
	{`NOT (active eq true)`, false},
	{`not (not (active eq true))`, true},
	{`not(active eq false)and(loginCount gt 1)`, true}, // no spaces around parentheses
	{`not (userName eq "x" or active eq true)`, false},
	{`not (userName eq "x") and not (title pr)`, true},
	// Strings with escapes.
	{`name.givenName eq "Barb\u0061ra"`, true},
	{`name.givenName eq "Barbara\""`, false},
}

func TestMatch(t *testing.T) {
	for _, useNumber := range []bool{false, true} {
		r := decode(t, useNumber)
		for _, tc := range matchCases {
			e, err := filter.Parse(tc.filter)
			if err != nil {
				t.Errorf("Parse(%s): %v", tc.filter, err)
				continue
			}
			if got := e.Match(r); got != tc.want {
				t.Errorf("Parse(%s).Match (useNumber=%v) = %v, want %v", tc.filter, useNumber, got, tc.want)
			}
		}
	}
}

// TestMatchKeysCaseInsensitive checks that resource keys are looked up
// case-insensitively too (RFC 7643 §2.1), preferring the exact key.
func TestMatchKeysCaseInsensitive(t *testing.T) {
	r := filter.Resource{
		"USERNAME": "Ana@Example.com",
		"Name":     map[string]any{"GivenName": "Ana"},
		"Emails":   []any{map[string]any{"VALUE": "ana@example.com", "Type": "work"}},
	}
	for _, tc := range []matchCase{
		{`userName eq "ana@example.com"`, true},
		{`name.givenName eq "ana"`, true},
		{`emails.value eq "ana@example.com"`, true},
		{`emails[type eq "work"].value pr`, true},
		{`emails co "ana@"`, true},
	} {
		e, err := filter.Parse(tc.filter)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.filter, err)
		}
		if got := e.Match(r); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.filter, got, tc.want)
		}
	}
	exact := filter.Resource{"userName": "exact", "username": "other"}
	e, _ := filter.Parse(`userName eq "exact"`)
	if !e.Match(exact) {
		t.Error("exact key not preferred over a case variant")
	}
}

// TestMatchCaseExact checks Options.CaseExact (RFC 7643 §2.2 caseExact).
func TestMatchCaseExact(t *testing.T) {
	r := decode(t, false)
	opts := filter.Options{CaseExact: map[string]bool{
		"externalId":        true,
		"EMAILS.TYPE":       true,
		ent + ":department": true,
		"name.givenName":    false, // listed but false: still case-insensitive
	}}
	for _, tc := range []matchCase{
		{`externalId eq "ExtID-7"`, true},
		{`externalId eq "extid-7"`, false},
		{`EXTERNALID eq "ExtID-7"`, true}, // the name is still case-insensitive
		{`externalId ne "extid-7"`, true},
		{`externalId sw "ext"`, false},
		{`externalId sw "Ext"`, true},
		{`externalId co "id"`, false},
		{`externalId co "ID"`, true},
		{`externalId ew "id-7"`, false},
		{`externalId gt "a"`, false}, // "E" < "a" in byte order
		{`externalId lt "a"`, true},
		{`emails[type eq "WORK"]`, false},
		{`emails[type eq "work"]`, true},
		{`emails.type eq "HOME"`, false},
		{`emails.type eq "home"`, true},
		{`emails[type eq "home"].value eq "BABS@jensen.org"`, true}, // emails.value not listed
		{ent + `:department eq "tour operations"`, false},
		{ent + `:department eq "Tour Operations"`, true},
		{`userName eq "bjensen@example.com"`, true},
		{`name.givenName eq "BARBARA"`, true},
	} {
		e, err := filter.ParseWithOptions(tc.filter, opts)
		if err != nil {
			t.Fatalf("ParseWithOptions(%s): %v", tc.filter, err)
		}
		if got := e.Match(r); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.filter, got, tc.want)
		}
	}
}

// TestMatchOddShapes checks values a hand-built resource may hold.
func TestMatchOddShapes(t *testing.T) {
	r := filter.Resource{
		"count":                     int64(7),
		"n":                         7,
		"f32":                       float32(1.5),
		"ext":                       "not an object",
		"nested":                    []any{[]any{"deep"}},
		"emails":                    []any{"plain@example.com", map[string]any{"value": nil}},
		"urn:example:ext:1.0:Thing": "a string, not an object",
		"emptyObj":                  map[string]any{"a": nil, "b": ""},
		"emptyArr":                  []any{"", nil, []any{}},
		"members":                   []any{map[string]any{"value": "1", "$ref": "https://x/Users/1"}},
		"big":                       1500.0,
	}
	for _, tc := range []matchCase{
		{`count eq 7`, true},
		{`n ge 7`, true},
		{`f32 lt 2`, true},
		{`emails.value pr`, false}, // plain strings have no sub-attributes
		{`emails eq "plain@example.com"`, true},
		{`emails[value eq "plain@example.com"]`, true},
		{`nested pr`, true},
		{`ext.sub pr`, false},
		{`urn:example:ext:1.0:Thing:attr pr`, false},
		{`emptyObj pr`, false},
		{`emptyArr pr`, false},
		{`members.$ref sw "https:"`, true},
		{`members[$REF ew "/1"]`, true},
		{`big eq 1.5e+3`, true},
		{`big eq 15E2`, true},
		{`big gt 1.4999e3`, true},
		{`big lt 150000e-2`, false},
	} {
		e, err := filter.Parse(tc.filter)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.filter, err)
		}
		if got := e.Match(r); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.filter, got, tc.want)
		}
	}
}
