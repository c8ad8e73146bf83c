// Package features holds scimulator's Gherkin scenarios, grouped by what an
// Okta admin does (connect, assign, update, deactivate, reactivate, Force sync,
// import, deprovision, reprovision, Okta's OIN tests, protocol basics), and
// embeds them so the suite runs from a single binary with no files around.
//
// Example target profiles a vendor can copy live in targets/.
package features

import (
	"embed"
	"io/fs"
)

//go:embed *.feature
var files embed.FS

// FS returns the embedded feature files, at the root of the file system.
func FS() fs.FS { return files }

//go:embed targets/*.yaml
var targets embed.FS

// Targets returns the embedded example target profiles, under "targets/".
func Targets() fs.FS { return targets }
