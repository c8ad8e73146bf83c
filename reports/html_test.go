package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func renderHTML(t *testing.T, run Run) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, run); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	if dir := os.Getenv("SCIMULATOR_KEEP_HTML"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "report.html"), buf.Bytes(), 0o644)
	}
	return buf.String()
}

func TestWriteHTMLContent(t *testing.T) {
	page := renderHTML(t, sampleRun())
	for _, want := range []string{
		`id="capability-matrix"`,
		`data-capability="@patch"`,
		`data-capability="@revocation"`,
		`id="verdict" class="verdict fail"`,
		adminMessage,
		"status 400 with scimType mutability",
		"no probe for team membership in the target profile",
		"target does not advertise @etag",
		`<span class="basis inferred">inferred</span>`,
		`<span class="basis documented">documented</span>`,
		// The failing exchange: method, URL, status and an indented body.
		"<b>PATCH</b> https://cortex.example.com/scim/v2/Users/8c1e",
		`<span class="status st-2xx">200</span>`,
		"\n  &#34;Operations&#34;: [",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Scenarios that did not pass start expanded; passed ones collapsed.
	if n := strings.Count(page, "<details open>"); n != 3 {
		t.Errorf("%d expanded scenarios, want 3 (failed, skipped, not supported)", n)
	}
	// The special characters are escaped, never live markup.
	if strings.Contains(page, `<b>"x"</b>`) {
		t.Errorf("unescaped markup from the record reached the page")
	}
	if !strings.Contains(page, `&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; &#39;q&#39;`) {
		t.Errorf("escaped special message not found")
	}
}

// matrixRow pulls the numeric cells of one capability's matrix row.
func matrixRow(t *testing.T, page, tag string) []string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<tr data-capability="` + regexp.QuoteMeta(tag) + `">(.*?)</tr>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no matrix row for %s", tag)
	}
	cells := regexp.MustCompile(`<td class="num[^"]*">(\d+)</td>`).FindAllStringSubmatch(m[1], -1)
	var out []string
	for _, c := range cells {
		out = append(out, c[1])
	}
	advertised := strings.Contains(m[1], `<span class="yes">yes</span>`)
	return append(out, map[bool]string{true: "yes", false: "-"}[advertised])
}

func TestWriteHTMLMatrixCounts(t *testing.T) {
	page := renderHTML(t, sampleRun())
	// passed, failed, waived, skipped, not supported, total, advertised
	want := map[string]string{
		"@okta":         "1 0 0 1 0 2 -",
		"@cortex":       "0 1 0 0 1 2 -",
		"@patch":        "0 1 0 0 0 1 yes",
		"@revocation":   "0 0 0 0 1 1 yes",
		"@groups":       "0 0 0 1 0 1 -",
		"@connect":      "1 0 0 0 0 1 -",
		"@reactivation": "0 1 0 0 0 1 -",
	}
	for tag, w := range want {
		if got := strings.Join(matrixRow(t, page, tag), " "); got != w {
			t.Errorf("matrix row %s = %s, want %s", tag, got, w)
		}
	}
}

func TestWriteHTMLIsSelfContained(t *testing.T) {
	page := renderHTML(t, sampleRun())
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script`),
		regexp.MustCompile(`(?i)<link\b`),
		regexp.MustCompile(`(?i)\bsrc\s*=`),
		regexp.MustCompile(`(?i)@import`),
		regexp.MustCompile(`(?i)url\(`),
		regexp.MustCompile(`(?i)href\s*=\s*"(?:https?:)?//`),
	} {
		if loc := re.FindStringIndex(page); loc != nil {
			t.Errorf("report references something external (%s): %q", re, page[loc[0]:min(len(page), loc[1]+60)])
		}
	}
	if !strings.Contains(page, `content="default-src 'none'`) {
		t.Errorf("report lacks the Content-Security-Policy that forbids loading assets")
	}
}

func TestWriteHTMLPassingAndEmptyRuns(t *testing.T) {
	pass := Run{Target: Target{Name: "ref"}, Scenarios: []Scenario{{Feature: "f", Name: "ok", Status: StatusPassed, Tags: []string{"okta"}}}}
	page := renderHTML(t, pass)
	if !strings.Contains(page, `class="verdict pass">PASSED`) {
		t.Errorf("passing run not shown as passed")
	}
	if !strings.Contains(page, `data-capability="@okta"`) {
		t.Errorf("tag without @ not normalised in the matrix")
	}
	empty := renderHTML(t, Run{Target: Target{Name: "ref"}})
	if !strings.Contains(empty, `class="verdict fail">FAILED`) || !strings.Contains(empty, "No scenario ran.") {
		t.Errorf("empty run not shown as a failure with an explanation")
	}
}

// TestWriteHTMLLevels: each failure shows its level (colour class and
// badge) and rule, the level cards count them, and the script-free filter
// has one radio button per level present; advice says it does not fail
// the run (issue 12).
func TestWriteHTMLLevels(t *testing.T) {
	run := Run{Scenarios: []Scenario{failedAt(LevelShould), failedAt(LevelOkta), {Feature: "f", Name: "ok", Status: StatusPassed}}}
	page := renderHTML(t, run)
	for _, want := range []string{
		`<article class="failure level-okta"`,
		`<article class="failure level-should"`,
		`<span class="citation">RFC 7644 §3.12</span>`,
		`<input type="radio" name="level" id="lvl-okta">`,
		`<input type="radio" name="level" id="lvl-should">`,
		`#lvl-should:checked ~ .failure-list article:not(.level-should) { display:none; }`,
		`(advice: below --fail-on)`,
		`<div class="card level-should" title="advice: a SHOULD or common practice"><b>1</b>`,
		`<span class="advice">listed, does not fail the run</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, `id="lvl-must"`) {
		t.Errorf("a filter button for a level with no failures")
	}
	if okta, should := strings.Index(page, `class="failure level-okta"`), strings.Index(page, `class="failure level-should"`); okta > should {
		t.Errorf("okta failure listed after the advice")
	}
}
