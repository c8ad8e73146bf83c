package entra

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNeverImportsTheReferenceServer: the two sides of the wire are built
// and tested apart (package doc), so no file here, tests included, may
// import the reference server.
func TestNeverImportsTheReferenceServer(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "github.com/scimulator/scimulator/reference") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
