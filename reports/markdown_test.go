package reports

import (
	"bytes"
	"strings"
	"testing"
)

func renderMarkdown(t *testing.T, run Run) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, run); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	return buf.String()
}

func TestWriteMarkdown(t *testing.T) {
	md := renderMarkdown(t, sampleRun())
	for _, want := range []string{
		"## SCIM conformance: ❌ FAILED",
		"**Profile:** cortex",
		"| 4 | 1 | 1 | 0 | 1 | 1 |",
		"| `@patch` | yes | 0 | **1** | 0 | 0 | 0 |",
		"| `@okta` | — | 1 | 0 | 0 | 1 | 0 |",
		"#### `must` Reactivate users › PATCH active:true is rejected and the user stays inactive",
		"- **Rule:** must: SPEC §1.3 (PATCH active true is 400 mutability)",
		"| Failed at level | Scenarios | Fails the run |\n|---|---:|:---:|\n| `must` — an RFC 7643/7644 MUST or the SPEC is violated | 1 | **yes** |",
		"**Fail on:** must",
		"- **Expected:** status 400 with scimType mutability",
		"- **Okta admin sees:** " + adminMessage + " _(inferred)_",
		"- **Exchange:** `PATCH https://cortex.example.com/scim/v2/Users/8c1e?access_token=[REDACTED]` → **200**",
		"<details><summary>Response body</summary>",
		"| skipped | Reactivate users › Groups push keeps members | no probe for team membership in the target profile |",
		"| not-supported | Deprovision › Deprovision revokes personal API keys | target does not advertise @etag |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q\n---\n%s", want, md)
		}
	}
	// specialMessage holds <, >, &, quotes and a pipe: escaped, never markup.
	if strings.Contains(md, "<b>") {
		t.Errorf("record markup reached the markdown unescaped")
	}
	if !strings.Contains(md, `- **Actual:** status 200 &lt;b&gt;"x"&lt;/b&gt; &amp; 'q' \| pipe`) {
		t.Errorf("actual not escaped as expected:\n%s", md)
	}
}

func TestWriteMarkdownPassedAndEmpty(t *testing.T) {
	md := renderMarkdown(t, Run{Scenarios: []Scenario{{Feature: "f", Name: "n", Status: StatusPassed}}})
	if !strings.HasPrefix(md, "## SCIM conformance: ✅ PASSED") || strings.Contains(md, "### Failures") {
		t.Errorf("passing run rendered wrongly:\n%s", md)
	}
	md = renderMarkdown(t, Run{})
	if !strings.Contains(md, "FAILED") || !strings.Contains(md, "No scenario ran.") {
		t.Errorf("empty run not reported as a failure:\n%s", md)
	}
}

func TestMarkdownCellsCannotBreakTables(t *testing.T) {
	run := Run{Scenarios: []Scenario{{
		Feature: "f", Name: "a | b\nc", Status: StatusSkipped, SkipReason: "x | y",
	}}}
	md := renderMarkdown(t, run)
	if !strings.Contains(md, `| skipped | f › a \| b c | x \| y |`) {
		t.Errorf("table row not escaped into one line:\n%s", md)
	}
}

func TestMarkdownFenceOutlastsBackticksInBody(t *testing.T) {
	body := "```\n# not a heading\n```"
	got := mdFence(body)
	if !strings.HasPrefix(got, "````\n") || !strings.HasSuffix(got, "\n````\n") {
		t.Errorf("mdFence(%q) = %q, want a four-backtick fence", body, got)
	}
	if c := mdCode("a`b"); c != "``a`b``" {
		t.Errorf("mdCode = %q", c)
	}
}
