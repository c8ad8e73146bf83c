package steps

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTrimCutsOnRuneBoundary(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  spaced \n  out  ", 20, "spaced out"},
		{"abcdef", 3, "abc…"},
		{"ééé", 3, "é…"}, // é is 2 bytes: byte 3 is inside the second one
		{"ééé", 4, "éé…"},
		{"日本語", 4, "日…"},
		{"日本語", 2, "…"},
	}
	for _, tt := range tests {
		got := trim(tt.in, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("trim(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestUserForNames(t *testing.T) {
	w := &World{users: map[string]*user{}, suffix: "s1"}
	for alias, given := range map[string]string{"ana": "Ana", "élan": "Élan", "Mixed.Case": "Mixed.Case", "": ""} {
		u := w.userFor(alias) // "" must not panic
		if u.given != given || u.userName != alias+".s1@example.com" {
			t.Errorf("userFor(%q) = given %q, userName %q", alias, u.given, u.userName)
		}
	}
}

func TestExpandVars(t *testing.T) {
	w := &World{users: map[string]*user{}, suffix: "s1"}
	ana := w.userFor("ana")
	ana.scimID = "id-1"
	w.userFor("bo") // introduced, not created: no SCIM id
	tests := []struct {
		in, want string
		wantErr  string
	}{
		{"no variables", "no variables", ""},
		{"${ana.userName}|${ana.email}|${ana.suffix}|${ana.local}|${ana.id}", "ana.s1@example.com|ana.s1@example.com|s1|ana.s1|id-1", ""},
		{"x-${random}", "x-s1", ""},
		{"${nobody.userName}", "", `user "nobody" was not introduced`},
		{"${.userName}", "", "unknown variable ${.userName}"},
		{"${ana.}", "", "unknown variable ${ana.}"},
		{"${foo}", "", "unknown variable ${foo}"},
		{"${ana.nick}", "", "unknown variable ${ana.nick}"},
		{"${bo.id}", "", `user "bo" has no SCIM id yet`},
	}
	for _, tt := range tests {
		got, err := w.expandVars(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("expandVars(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("expandVars(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, ok := w.users["nobody"]; ok {
		t.Error("expandVars introduced an unknown user instead of refusing it")
	}
}
