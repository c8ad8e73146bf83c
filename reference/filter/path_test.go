package filter_test

import (
	"errors"
	"testing"

	"github.com/scimulator/scimulator/reference/filter"
)

func TestParsePath(t *testing.T) {
	work := filter.Resource{"type": "Work", "value": "a@example.com", "primary": true}
	home := filter.Resource{"type": "home", "value": "b@example.com"}
	for _, tc := range []struct {
		path           string
		urn, attr, sub string
		hasFilter      bool
		matchWork      bool // Filter.Match(work), when hasFilter
		matchHome      bool
	}{
		{path: `active`, attr: "active"},
		{path: `name.givenName`, attr: "name", sub: "givenName"},
		{path: `NAME.FAMILYNAME`, attr: "NAME", sub: "FAMILYNAME"},
		{path: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`,
			urn: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attr: "department"},
		{path: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`,
			urn: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attr: "manager", sub: "value"},
		{path: `urn:ietf:params:scim:schemas:core:2.0:User:userName`,
			urn: "urn:ietf:params:scim:schemas:core:2.0:User", attr: "userName"},
		{path: `emails[type eq "work"]`, attr: "emails", hasFilter: true, matchWork: true},
		{path: `emails[type eq "work"].value`, attr: "emails", sub: "value", hasFilter: true, matchWork: true},
		{path: `emails[type eq "work" and primary eq true].display`, attr: "emails", sub: "display", hasFilter: true, matchWork: true},
		{path: `emails[not (type eq "work")]`, attr: "emails", hasFilter: true, matchHome: true},
		{path: `emails[value ew "@example.com"]`, attr: "emails", hasFilter: true, matchWork: true, matchHome: true},
		{path: `members[value eq "2819c223"]`, attr: "members", hasFilter: true},
		{path: `addresses[type eq "work"].streetAddress`, attr: "addresses", sub: "streetAddress", hasFilter: true, matchWork: true},
		{path: `urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "home"].value`,
			urn: "urn:ietf:params:scim:schemas:core:2.0:User", attr: "emails", sub: "value", hasFilter: true, matchHome: true},
	} {
		p, err := filter.ParsePath(tc.path)
		if err != nil {
			t.Errorf("ParsePath(%s): %v", tc.path, err)
			continue
		}
		if p.URN != tc.urn || p.Attr != tc.attr || p.Sub != tc.sub || (p.Filter != nil) != tc.hasFilter {
			t.Errorf("ParsePath(%s) = %+v", tc.path, p)
			continue
		}
		if p.String() != tc.path {
			t.Errorf("ParsePath(%s).String() = %s", tc.path, p)
		}
		if p.Filter != nil {
			if got := p.Filter.Match(work); got != tc.matchWork {
				t.Errorf("ParsePath(%s).Filter.Match(work) = %v", tc.path, got)
			}
			if got := p.Filter.Match(home); got != tc.matchHome {
				t.Errorf("ParsePath(%s).Filter.Match(home) = %v", tc.path, got)
			}
		}
	}

	members, err := filter.ParsePath(`members[value eq "2819c223"]`)
	if err != nil {
		t.Fatal(err)
	}
	if !members.Filter.Match(filter.Resource{"value": "2819C223", "display": "x"}) ||
		members.Filter.Match(filter.Resource{"value": "2819c224"}) {
		t.Error("members value filter matched wrongly")
	}
}

func TestParsePathCaseExact(t *testing.T) {
	opts := filter.Options{CaseExact: map[string]bool{"emails.type": true}}
	p, err := filter.ParsePathWithOptions(`emails[type eq "work"].value`, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.Filter.Match(filter.Resource{"type": "Work"}) || !p.Filter.Match(filter.Resource{"type": "work"}) {
		t.Error("emails.type not compared case-exactly")
	}
}

func TestParsePathErrors(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{``, `path: empty path`},
		{`"name"`, `path: expected attribute name at position 1, found string "name"`},
		{`[type eq "work"]`, `path: expected attribute name at position 1, found "["`},
		{`name.givenName.x`, `path: invalid attribute path (want attr, attr.subAttr or urn:…:attr) at position 1, found "name.givenName.x"`},
		{`name givenName`, `path: expected end of path at position 6, found "givenName"`},
		{`emails[type eq "work"`, `path: expected "]" to close "[" from position 7 at position 22, found end of input`},
		{`emails[]`, `path: expected attribute name, "(" or "not" at position 8, found "]"`},
		{`emails[type]`, `path: expected operator after "type" at position 12, found "]"`},
		{`emails[type eq "work"].`, `path: expected sub-attribute name after "emails[…]." at position 24, found end of input`},
		{`emails[type eq "work"].value.x`, `path: expected sub-attribute name after "emails[…]." at position 24, found "value.x"`},
		{`emails[type eq "work"]x`, `path: expected end of path at position 23, found "x"`},
		{`emails[type eq "work"] and x pr`, `path: expected end of path at position 24, found "and"`},
		{`emails[type eq "work"][value pr]`, `path: expected end of path at position 23, found "["`},
		{`name.givenName[type eq "a"]`, `path: value filter must follow an attribute, not the sub-attribute "name.givenName" at position 15, found "["`},
		{`emails[type[value eq "a"] eq "x"]`, `path: value filter not allowed inside the value filter of "emails" at position 12, found "["`},
		{`emails[type eq "unterminated]`, `path: unterminated string at position 16`},
		{`urn:ietf:params:scim:schemas:core:2.0:User:`, `path: expected attribute name after schema URN at position 1, found "urn:ietf:params:scim:schemas:core:2.0:Us…"`},
	} {
		_, err := filter.ParsePath(tc.path)
		var fe *filter.Error
		if !errors.As(err, &fe) || fe.Op != "path" {
			t.Errorf("ParsePath(%q) error = %v, want *filter.Error with Op path", tc.path, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("ParsePath(%q) error\n got  %s\n want %s", tc.path, err, tc.want)
		}
	}
}
