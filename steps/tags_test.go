package steps

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/features"
)

// TestFeatureTagsAreKnownConstants: every tag in a feature file is a Tag
// constant, so tag expressions built in Go can select every scenario.
func TestFeatureTagsAreKnownConstants(t *testing.T) {
	tagRe := regexp.MustCompile(`(^|\s)(@[A-Za-z0-9_-]+)`)
	used := map[Tag]bool{}
	err := fs.WalkDir(features.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		b, err := fs.ReadFile(features.FS(), path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "@") {
				continue
			}
			for _, m := range tagRe.FindAllStringSubmatch(line, -1) {
				tag := Tag(m[2])
				if tag.Describe() == "" {
					t.Errorf("%s:%d: tag %s is not a Tag constant", path, i+1, tag)
				}
				used[tag] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range KnownTags() {
		if !used[tag] {
			t.Errorf("tag constant %s is used by no feature file", tag)
		}
	}
}

func TestParseExpr(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "", want: ""},
		{in: "@patch", want: "@patch"},
		{in: "patch", want: "@patch"},
		{in: "@okta&&~@groups", want: "@okta&&~@groups"},
		{in: " @okta && ~ @groups , @cortex ", want: "@okta&&~@groups,@cortex"},
		{in: "@okta&&", err: "empty operand"},
		{in: ",@okta", err: "empty operand"},
		{in: "(@okta)", err: "parentheses"},
		{in: "@okta and @patch", err: "use `,` for OR"},
		{in: "not @patch", err: "use `,` for OR"},
		{in: "@nosuch", err: `unknown tag "@nosuch"`},
		{in: "~", err: "empty tag"},
	}
	for _, tt := range tests {
		got, err := ParseExpr(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseExpr(%q) error = %v, want containing %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseExpr(%q) = %q, %v; want %q", tt.in, got.String(), err, tt.want)
		}
	}
}

func TestExprAndMatch(t *testing.T) {
	okta := ProfileOkta.Expr()
	cortex := ProfileCortex.Expr()
	groups, _ := ParseExpr("@groups,@patch")
	if got, want := okta.And(groups).String(), "@okta&&~@cortex&&~@entra&&@groups,@okta&&~@cortex&&~@entra&&@patch"; got != want {
		t.Errorf("And = %q, want %q", got, want)
	}
	if got := Expr(nil).And(okta).String(); got != okta.String() {
		t.Errorf("empty.And(okta) = %q", got)
	}
	tests := []struct {
		expr Expr
		tags []string
		want bool
	}{
		{okta, []string{"@okta"}, true},
		{okta, []string{"@okta", "@cortex"}, false},
		{cortex, []string{"@okta", "@cortex"}, true},
		{cortex, []string{"@cortex"}, true},
		{cortex, []string{"@groups"}, false},
		// Entra-driven scenarios belong to the entra profiles only; the
		// @cortex ones to entra-cortex alone.
		{okta, []string{"@entra"}, false},
		{cortex, []string{"@entra", "@cortex"}, false},
		{ProfileEntra.Expr(), []string{"@entra", "@cortex"}, false},
		{ProfileEntraCortex.Expr(), []string{"@entra", "@cortex"}, true},
		{ProfileEntraCortex.Expr(), []string{"@entra"}, true},
		{ProfileEntraCortex.Expr(), []string{"@okta"}, false},
		{ProfileEntra.Expr(), []string{"@entra"}, true},
		{ProfileEntra.Expr(), []string{"@okta"}, false},
		{ProfileEntra.Expr(), []string{"@cortex"}, false},
		{okta.And(groups), []string{"@okta", "@patch"}, true},
		{okta.And(groups), []string{"@okta"}, false},
		{Expr(nil), nil, true},
	}
	for _, tt := range tests {
		if got := tt.expr.Match(tt.tags); got != tt.want {
			t.Errorf("%q.Match(%v) = %t, want %t", tt.expr.String(), tt.tags, got, tt.want)
		}
	}
}

func TestParseSuiteProfile(t *testing.T) {
	for in, want := range map[string]SuiteProfile{"": ProfileCortex, "okta": ProfileOkta, "CORTEX": ProfileCortex, "rfc": ProfileRFC} {
		if got, err := ParseSuiteProfile(in); err != nil || got != want {
			t.Errorf("ParseSuiteProfile(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSuiteProfile("azure"); err == nil {
		t.Error("ParseSuiteProfile(azure) accepted")
	}
}

// TestAtLeastFortyScenariosPerProfile guards the suite's breadth.
func TestAtLeastFortyScenariosPerProfile(t *testing.T) {
	for _, p := range []SuiteProfile{ProfileOkta, ProfileCortex} {
		n, err := countSelected(features.FS(), p.Expr())
		if err != nil {
			t.Fatal(err)
		}
		if n < 40 {
			t.Errorf("profile %s selects %d scenarios, want at least 40", p, n)
		}
	}
}

// TestRFCProfileIsOktaPlusTheRFCRules: the rfc profile runs exactly what
// the okta profile runs and the @rfc scenarios. Each @rfc scenario is an
// RFC rule (its Level line cites an RFC) that the okta profile leaves out
// (it is @cortex, so the cortex profile keeps it) and no Entra scenario.
func TestRFCProfileIsOktaPlusTheRFCRules(t *testing.T) {
	feats, err := (godog.TestSuite{Options: &godog.Options{FS: features.FS(), Paths: []string{"."}}}).RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	rfc, okta, cortex := ProfileRFC.Expr(), ProfileOkta.Expr(), ProfileCortex.Expr()
	descriptions := map[string]string{}
	for _, f := range feats {
		for _, c := range f.GherkinDocument.Feature.Children {
			if c.Scenario != nil {
				descriptions[c.Scenario.Id] = c.Scenario.Description
			}
		}
	}
	var nRFC, nOkta, nTagged int
	for _, f := range feats {
		for _, p := range f.Pickles {
			var tags []string
			for _, tg := range p.Tags {
				tags = append(tags, tg.Name)
			}
			tagged := slices.Contains(tags, string(TagRFC))
			if rfc.Match(tags) != (okta.Match(tags) || tagged) {
				t.Errorf("%s %q: rfc profile selects it = %v, want okta's choice or @rfc", f.Uri, p.Name, rfc.Match(tags))
			}
			if rfc.Match(tags) {
				nRFC++
			}
			if okta.Match(tags) {
				nOkta++
			}
			if !tagged {
				continue
			}
			nTagged++
			if okta.Match(tags) || !cortex.Match(tags) || slices.Contains(tags, string(TagEntra)) {
				t.Errorf("%s %q: an @rfc scenario must be one the cortex profile runs and the okta profile leaves out, tags %v", f.Uri, p.Name, tags)
			}
			if d := descriptions[p.AstNodeIds[0]]; !strings.Contains(d, "Level:") || !regexp.MustCompile(`Level:[^\n]*RFC \d+`).MatchString(d) {
				t.Errorf("%s %q: an @rfc scenario's Level line must cite an RFC, got %q", f.Uri, p.Name, d)
			}
		}
	}
	if nTagged < 40 || nRFC != nOkta+nTagged {
		t.Errorf("rfc profile: %d scenarios, okta %d, @rfc %d; want okta + @rfc and at least 40 @rfc", nRFC, nOkta, nTagged)
	}
}
