package steps

import "testing"

func TestDetailNames(t *testing.T) {
	for _, c := range []struct {
		detail, names, missing string
	}{
		{`filter: expected operator after "userName" at position 10, found "zz"`, `filter; operator; position 10; zz`, ``},
		{`Invalid filter: unexpected token 'zz' at column 10`, `filter; position 10; zz`, ``},
		{`bad filter (pos: 10): zz`, `position 10`, ``},
		{`Invalid filter`, `filter; position 10`, `position 10`},
		{`filter: error at position 100`, `position 10`, `position 10`},
		{`filter: error at position 10`, `position 1`, `position 1`},
		{`filter: error near 10`, `position 10`, `position 10`},
		{`member "name.givenName" appears more than once`, `NAME.GIVENNAME`, ``},
		{`member "givenName" appears more than once`, `name.givenName`, `name.givenName`},
		{``, `userName`, `userName`},
	} {
		if got := detailNames(c.detail, c.names); got != c.missing {
			t.Errorf("detailNames(%q, %q) = %q, want %q", c.detail, c.names, got, c.missing)
		}
	}
}
