package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	for _, tc := range []struct{ stamped, want string }{
		{"v1.4.0", "v1.4.0"},
		{"v0.0.0-20261204120000-abcdef123456+dirty", "v0.0.0-20261204120000-abcdef123456+dirty"},
		{"", Devel},
		{"(devel)", Devel},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/scimulator/scimulator", Version: tc.stamped}}
		if got := moduleVersion(info); got != tc.want {
			t.Errorf("moduleVersion(%q) = %q, want %q", tc.stamped, got, tc.want)
		}
	}
}

func TestUserAgent(t *testing.T) {
	if got := userAgent("v1.4.0"); got != "scimulator/v1.4.0 (harness)" {
		t.Errorf("userAgent(v1.4.0) = %q", got)
	}
	// A product version is an RFC 9110 token: no parentheses.
	if got := userAgent(Devel); got != "scimulator/devel (harness)" {
		t.Errorf("userAgent(devel) = %q", got)
	}
	if ua := UserAgent(); !strings.HasPrefix(ua, "scimulator/") || !strings.HasSuffix(ua, " (harness)") {
		t.Errorf("UserAgent() = %q", ua)
	}
}
