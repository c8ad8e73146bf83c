package reports

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// WriteMarkdown writes a summary for CI job pages (GitHub's step summary,
// GitLab and Gitea job pages render it): the verdict, counts, the capability
// matrix, each failure with expected, actual, the Okta admin message and the
// exchange, and each skip with its reason. Text from the record is escaped
// so it cannot break tables or inject markup.
func WriteMarkdown(w io.Writer, run Run) error {
	return writeMarkdown(w, run.Redact())
}

// writeMarkdown is WriteMarkdown for a run that is already redacted.
func writeMarkdown(w io.Writer, run Run) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	c := run.Counts()

	verdict := "❌ FAILED"
	if run.Passed() {
		verdict = "✅ PASSED"
	}
	p("## SCIM conformance: %s\n\n", verdict)
	var meta []string
	if run.Target.Name != "" || run.Target.BaseURL != "" {
		t := mdText(run.Target.Name)
		if run.Target.BaseURL != "" {
			t = strings.TrimSpace(t + " " + mdCode(run.Target.BaseURL))
		}
		meta = append(meta, "**Target:** "+t)
	}
	add := func(label, v string, code bool) {
		if v == "" {
			return
		}
		if code {
			meta = append(meta, "**"+label+":** "+mdCode(v))
		} else {
			meta = append(meta, "**"+label+":** "+mdText(v))
		}
	}
	add("Profile", run.Profile, false)
	add("Okta traffic", run.Target.TrafficProfile, false)
	add("Tags", run.Tags, true)
	add("Fail on", string(failOn(run)), false)
	add("Duration", formatDuration(run.Duration), false)
	if len(meta) > 0 {
		p("%s\n\n", strings.Join(meta, " · "))
	}
	if c.Total == 0 {
		p("> **No scenario ran.** A run that executes nothing is a failure: check the tag expression and the target's capabilities.\n\n")
	}
	p("| Scenarios | Passed | Failed | Waived | Skipped | Not supported |\n|---:|---:|---:|---:|---:|---:|\n")
	p("| %d | %d | %d | %d | %d | %d |\n\n", c.Total, c.Passed, c.Failed, c.Waived, c.Skipped, c.NotSupported)
	if c.Failed > 0 {
		// Issue 12: the failures by level, and which of them fail the run.
		p("| Failed at level | Scenarios | Fails the run |\n|---|---:|:---:|\n")
		for _, l := range append(append([]Level(nil), Levels...), LevelError) {
			if n := c.Levels.Of(l); n > 0 {
				fails := "no (advice)"
				if l.Fails(run.FailOn) {
					fails = "**yes**"
				}
				p("| %s — %s | %d | %s |\n", mdCode(string(l)), l.Describe(), n, fails)
			}
		}
		p("\n")
	}

	if rows := capabilityMatrix(run); len(rows) > 0 {
		p("### Capabilities\n\n| Capability | Target advertises | Passed | Failed | Waived | Skipped | Not supported |\n|---|:---:|---:|---:|---:|---:|---:|\n")
		for _, r := range rows {
			adv := "—"
			if r.Advertised {
				adv = "yes"
			}
			p("| %s | %s | %d | %s | %d | %d | %d |\n", mdCode(r.Tag), adv, r.Counts.Passed, boldIf(r.Counts.Failed), r.Counts.Waived, r.Counts.Skipped, r.Counts.NotSupported)
		}
		p("\n")
	}

	var failed, advice, notRun, waived []Scenario
	for _, s := range run.Scenarios {
		switch {
		case s.Status == StatusPassed:
		case s.Status == StatusWaived:
			waived = append(waived, s)
		case s.Status == StatusSkipped, s.Status == StatusNotSupported:
			notRun = append(notRun, s)
		case run.Blocks(s):
			failed = append(failed, s)
		default:
			advice = append(advice, s)
		}
	}
	sort.SliceStable(failed, func(i, j int) bool { return failed[i].FailureLevel().Worse(failed[j].FailureLevel()) })
	if len(failed) > 0 {
		p("### Failures\n\n")
		for _, s := range failed {
			writeMarkdownFailure(bw, s)
		}
	}
	if len(advice) > 0 {
		p("### %s\n\n", mdText(adviceTitle(run)))
		for _, s := range advice {
			writeMarkdownFailure(bw, s)
		}
	}
	if len(waived) > 0 {
		p("### Waived\n\nKnown failures a waiver excuses (`--waivers`); they do not fail the run.\n\n| Scenario | Owner | Until | Reason | Failure |\n|---|---|---|---|---|\n")
		for _, s := range waived {
			w := s.Waiver
			if w == nil {
				w = &AppliedWaiver{}
			}
			until := w.Expires
			if until == "" {
				until = "—"
			}
			failure := s
			failure.Status = StatusFailed
			p("| %s › %s | %s | %s | %s | %s |\n", mdText(s.Feature), mdText(s.Name), mdText(w.Owner), until, mdText(w.Reason), mdText(reason(failure)))
		}
		p("\n")
	}
	if run.Diff != nil {
		writeDiffMarkdown(bw, run.Diff)
	}
	if run.TargetLogs != "" {
		p("<details><summary>Target container logs</summary>\n\n%s\n</details>\n\n", mdFence(run.TargetLogs))
	}
	if len(run.CleanupWarnings) > 0 {
		p("### Clean-up warnings\n\nThe harness's clean-up (`--cleanup`) left these on the target; no scenario's outcome changed.\n\n")
		for _, cw := range run.CleanupWarnings {
			p("- %s\n", mdText(cw))
		}
		p("\n")
	}
	if len(notRun) > 0 {
		p("### Skipped and not supported\n\n| Outcome | Scenario | Reason |\n|---|---|---|\n")
		for _, s := range notRun {
			p("| %s | %s › %s | %s |\n", s.Status, mdText(s.Feature), mdText(s.Name), mdText(reason(s)))
		}
		p("\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write markdown summary: %w", err)
	}
	return nil
}

func writeMarkdownFailure(w io.Writer, s Scenario) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("#### %s %s › %s\n\n", mdCode(string(s.FailureLevel())), mdText(s.Feature), mdText(s.Name))
	if len(s.Tags) > 0 {
		var tags []string
		for _, t := range s.Tags {
			tags = append(tags, mdCode(tagName(t)))
		}
		p("%s", strings.Join(tags, " "))
		if s.Basis != "" {
			p(" · _%s_", s.Basis)
		}
		if s.Source != "" {
			p(" · %s", mdText(s.Source))
		}
		p("\n\n")
	}
	if s.Waiver != nil && s.Waiver.Problem != "" {
		p("- **Waiver:** %s\n", mdText(s.Waiver.Problem))
	}
	f := s.Failure
	if f == nil {
		p("- %s\n\n", mdText(reason(s)))
		return
	}
	item := func(label, v string) {
		if v != "" {
			p("- **%s:** %s\n", label, mdText(v))
		}
	}
	item("Step", f.Step)
	if f.Citation != "" && f.Level != LevelError {
		item("Rule", string(f.Level)+": "+f.Citation)
	}
	item("Expected", f.Expected)
	item("Actual", f.Actual)
	if f.AdminMessage != "" {
		p("- **%s admin sees:** %s", f.AdminName(), mdText(f.AdminMessage))
		if f.AdminMessageBasis != "" {
			p(" _(%s)_", f.AdminMessageBasis)
		}
		p("\n")
	}
	for _, o := range s.OtherFailures() {
		item("Also failed", o.Brief()+" ("+o.Citation+")")
	}
	if e := f.Exchange; e != nil {
		status := fmt.Sprintf("**%d**", e.Status)
		if e.Error != "" {
			status = "no response: " + mdText(e.Error)
		}
		p("- **Exchange:** %s → %s\n", mdCode(e.Method+" "+e.URL), status)
		for _, b := range []struct{ label, body string }{{"Request body", e.RequestBody}, {"Response body", e.ResponseBody}} {
			if b.body == "" {
				continue
			}
			p("\n<details><summary>%s</summary>\n\n%s\n</details>\n", b.label, mdFence(prettyBody(b.body, bodyLimit)))
		}
	}
	p("\n")
}

// mdEscaper escapes the characters that would start Markdown or HTML
// markup, or end a table cell.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "|", `\|`, "#", `\#`,
)

// mdText renders record text inline: one line, escaped.
func mdText(s string) string {
	return mdEscaper.Replace(oneLine(s, 500))
}

// mdCode renders s as an inline code span, with a fence longer than any run
// of backticks inside it and pipes escaped so tables survive.
func mdCode(s string) string {
	s = strings.ReplaceAll(oneLine(s, 500), "|", `\|`)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// mdFence renders s as a fenced code block whose fence no line of s can
// close, with what a terminal would act on escaped (termsafe): summary.md
// is read in terminals too.
func mdFence(s string) string {
	s = termsafe.Lines(s, 0)
	n := max(3, longestRun(s, '`')+1)
	fence := strings.Repeat("`", n)
	return fence + "\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}

func longestRun(s string, c rune) int {
	best, cur := 0, 0
	for _, r := range s {
		if r == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

func boldIf(n int) string {
	if n > 0 {
		return fmt.Sprintf("**%d**", n)
	}
	return "0"
}
