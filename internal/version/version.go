// Package version says which scimulator this is: the module version from
// the binary's build information, and the User-Agent the harness sends.
package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Devel is the version of a build without module version information: a
// binary built from a work tree with `go build`, or a test binary.
const Devel = "(devel)"

// Version returns scimulator's module version as the Go toolchain stamped
// it (a tag such as v1.2.0 after `go install …@v1.2.0`, or a pseudo-version),
// or Devel when the build carries none.
func Version() string { return buildVersion() }

// buildVersion reads the build information once: it cannot change while
// the program runs, and the harness asks for it on every request it sends.
var buildVersion = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Devel
	}
	return moduleVersion(info)
})

// moduleVersion is Version for given build information.
func moduleVersion(info *debug.BuildInfo) string {
	if v := strings.TrimSpace(info.Main.Version); v != "" {
		return v
	}
	return Devel
}

// GoVersion returns the Go version the binary was built with.
func GoVersion() string { return runtime.Version() }

// UserAgent is the User-Agent of every request the harness itself sends
// (set-up, checks, clean-up, probes, discovery), so that a target's logs
// tell them apart from the simulated Okta traffic, which keeps Okta's own
// "Okta SCIM Client 1.0.0". RFC 9110 §10.1.5: product "/" product-version
// with a comment; a version is a token, so the parenthesised Devel is
// written "devel".
func UserAgent() string { return userAgent(Version()) }

func userAgent(v string) string {
	if v == Devel {
		v = "devel"
	}
	return "scimulator/" + v + " (harness)"
}
