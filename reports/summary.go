package reports

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits that keep the terminal summary on one screen; the HTML report and
// JUnit file list everything.
const (
	summaryWidth       = 110
	summaryMaxFailures = 5
	summaryMaxSkips    = 5
	summaryMaxWhyLines = 3
)

// WriteSummary writes the one-screen terminal summary printed at the end of
// `scimulator run`: the verdict and counts, each failed scenario with a
// one-line reason, the skip reasons with the scenarios they covered, and
// where the artefacts are. Pass the Paths WriteAll returned, or a zero Paths
// when no reports were written.
func WriteSummary(w io.Writer, run Run, paths Paths) error {
	// The summary prints no transcript, so the exchanges are dropped before
	// scrubbing: redacting them again would cost as much as a report.
	run = withoutTranscripts(run).Redact()
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	c := run.Counts()

	verdict := "FAILED"
	if run.Passed() {
		verdict = "PASSED"
	}
	failed := fmt.Sprintf("%d failed", c.Failed)
	if c.Failed > 0 {
		failed += " (" + c.Levels.String() + ")"
	}
	if c.Waived > 0 {
		failed += fmt.Sprintf(", %d waived", c.Waived)
	}
	p("%s  %d scenarios: %d passed, %s, %d skipped, %d not supported  in %s\n",
		verdict, c.Total, c.Passed, failed, c.Skipped, c.NotSupported, formatDuration(run.Duration))
	if t := targetLine(run.Target); t != "" {
		p("target: %s\n", oneLine(t, summaryWidth-8))
	}
	var how []string
	if run.Profile != "" {
		how = append(how, "profile "+run.Profile)
	}
	if run.Target.TrafficProfile != "" {
		how = append(how, "Okta "+run.Target.TrafficProfile)
	}
	if run.Tags != "" {
		how = append(how, "tags "+run.Tags)
	}
	if c.Failed > 0 {
		how = append(how, "fail-on "+string(failOn(run)))
	}
	if len(how) > 0 {
		p("%s\n", oneLine(strings.Join(how, " · "), summaryWidth))
	}
	if c.Total == 0 {
		p("\nno scenario ran: check the tag expression and the target's capabilities\n")
	}

	// Failures that fail the run first, worst level first; advice below
	// the --fail-on level is listed after them, never left out (issue 12).
	var blocking, advice, known, waived []Scenario
	for _, s := range run.Scenarios {
		switch {
		case s.Status == StatusWaived:
			waived = append(waived, s)
		case !c.isFailed(s.Status):
		case run.Blocks(s):
			blocking = append(blocking, s)
		case run.NewOnly && run.Diff != nil && !run.Diff.NewFailure(s):
			known = append(known, s)
		default:
			advice = append(advice, s)
		}
	}
	sort.SliceStable(blocking, func(i, j int) bool { return blocking[i].FailureLevel().Worse(blocking[j].FailureLevel()) })
	if len(blocking) > 0 {
		p("\nfailed:\n")
		writeFailures(p, blocking, "failed scenarios")
	}
	if len(advice) > 0 {
		p("\n%s:\n", adviceTitle(run))
		writeFailures(p, advice, "")
	}
	if len(known) > 0 {
		p("\nfailing in the baseline too (not failing the run under --fail-on-new-only):\n")
		writeFailures(p, known, "scenarios failing in the baseline too")
	}
	if len(waived) > 0 {
		p("\nwaived (known failures; they do not fail the run):\n")
		for i, s := range waived {
			if i == summaryMaxFailures {
				p("  … and %d more waived scenarios (see the HTML report)\n", len(waived)-i)
				break
			}
			p("  ~ %s\n", oneLine(s.Feature+" › "+s.Name, summaryWidth-4))
			if s.Waiver != nil {
				p("      %s\n", oneLine(s.Waiver.describe(), summaryWidth-6))
			}
		}
	}
	// One section per status, so each list agrees with its count above.
	writeSkips(p, "skipped", skipGroups(run.Scenarios, StatusSkipped))
	writeSkips(p, "not supported", skipGroups(run.Scenarios, StatusNotSupported))
	if len(run.CleanupWarnings) > 0 {
		p("\nclean-up warnings (the scenarios' outcomes stand):\n")
		for _, cw := range run.CleanupWarnings {
			for j, line := range wrap(cw, summaryWidth-4, summaryMaxWhyLines) {
				if j == 0 {
					p("  ! %s\n", line)
				} else {
					p("    %s\n", line)
				}
			}
		}
	}
	if run.Diff != nil {
		p("\n")
		if err := WriteDiffText(bw, run.Diff); err != nil {
			return err
		}
		if run.NewOnly {
			p("--fail-on-new-only: %d scenarios fail the run (new failures and waiver problems); failures the baseline already had, and skips, do not\n", len(run.Blocking()))
		}
	}
	if list := paths.List(); len(list) > 0 {
		p("\nreports:\n")
		for _, path := range list {
			p("  %s\n", path)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// failOn is the run's --fail-on level, LevelMust when unset.
func failOn(r Run) Level {
	if r.FailOn == "" {
		return LevelMust
	}
	return r.FailOn
}

// adviceTitle heads the list of failures that do not fail the run: below
// --fail-on, or (--fail-on-new-only) already in the baseline.
func adviceTitle(r Run) string {
	if r.NewOnly && r.Diff != nil {
		return fmt.Sprintf("listed, not failing the run (below --fail-on %s, or not new since the baseline)", failOn(r))
	}
	return fmt.Sprintf("below --fail-on %s (listed, not failing the run)", failOn(r))
}

// writeFailures lists failed scenarios, at most summaryMaxFailures of them
// in full: level, name, expected and actual, the rule's citation and what
// Okta's admin would see. The rest are counted as what, or, when what is
// "" (advice), named one per line: advice is never left out (issue 12).
func writeFailures(p func(string, ...any), failed []Scenario, what string) {
	for i, s := range failed {
		switch {
		case i >= summaryMaxFailures && what == "":
			// Advice is never cut: past the first few, one line each.
			p("  ✗ %s\n", oneLine("["+string(s.FailureLevel())+"] "+s.Feature+" › "+s.Name, summaryWidth-4))
			continue
		case i == summaryMaxFailures:
			p("  … and %d more %s (see the HTML report)\n", len(failed)-i, what)
			return
		}
		p("  ✗ %s\n", oneLine("["+string(s.FailureLevel())+"] "+s.Feature+" › "+s.Name, summaryWidth-4))
		if s.Waiver != nil && s.Waiver.Problem != "" {
			for _, line := range wrap("waiver: "+s.Waiver.Problem, summaryWidth-6, summaryMaxWhyLines) {
				p("      %s\n", line)
			}
		}
		f := s.Failure
		if f == nil || (f.Expected == "" && f.Actual == "") {
			p("      %s\n", oneLine(reason(s), summaryWidth-6))
			continue
		}
		p("      %s\n", oneLine("expected "+oneLine(f.Expected, 45)+", got "+f.Actual, summaryWidth-6))
		if f.Citation != "" && f.Level != LevelError {
			p("      %s\n", oneLine("rule: "+f.Citation, summaryWidth-6))
		}
		if f.AdminMessage != "" {
			p("      %s\n", oneLine(f.AdminName()+" admin sees: "+f.AdminMessage, summaryWidth-6))
		}
		for _, o := range s.OtherFailures() {
			p("      %s\n", oneLine("also "+o.Brief(), summaryWidth-6))
		}
	}
}

// skipGroups groups the scenarios with status st by their reason without
// its per-scenario detail: "no admin API for probes (needs a, b)" and
// "(needs c)" are one reason, not two.
func skipGroups(scenarios []Scenario, st Status) []skipGroup {
	var groups []skipGroup
	index := map[string]int{}
	for _, s := range scenarios {
		if s.Status != st {
			continue
		}
		// The whole reason: skipMessage cuts it, which would lose the
		// detail's closing parenthesis.
		full := strings.Join(strings.Fields(s.SkipReason), " ")
		if full == "" {
			full = "no reason recorded"
		}
		key, _ := splitDetail(full)
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, skipGroup{Reason: key})
		}
		groups[i].Names = append(groups[i].Names, s.Name)
		groups[i].Full = append(groups[i].Full, full)
	}
	return groups
}

// writeSkips writes one section of skip groups under title ("skipped",
// "not supported"); nothing when there are none.
func writeSkips(p func(string, ...any), title string, groups []skipGroup) {
	if len(groups) == 0 {
		return
	}
	p("\n%s:\n", title)
	for i, g := range groups {
		if i == summaryMaxSkips {
			rest := 0
			for _, g := range groups[i:] {
				rest += len(g.Names)
			}
			p("  … and %d more %s scenarios for %d other reasons\n", rest, title, len(groups)-i)
			return
		}
		// Names first, each reason on its own line: a long probe reason
		// must not push the scenario names off the line. The names that
		// do not fit are counted, not cut.
		count := fmt.Sprintf(" (%d)", len(g.Names))
		shown, rest := fitNames(g.Names, summaryWidth-4-len(count))
		p("  - %s%s\n", shown, count)
		if rest > 0 {
			p("      … and %d more with the same reason\n", rest)
		}
		for j, line := range wrap("why: "+g.why(), summaryWidth-11, summaryMaxWhyLines) {
			if j == 0 {
				p("      %s\n", line)
			} else {
				p("           %s\n", line)
			}
		}
	}
}

// skipGroup is the scenarios skipped for one reason.
type skipGroup struct {
	// Reason is the reason without its per-scenario detail.
	Reason string
	Names  []string
	// Full are the scenarios' whole reasons, detail included.
	Full []string
}

// why is the group's reason with the details of all its scenarios merged:
// the whole reason when they share it, "(needs a, b, c)" when each detail
// is a list after the same word, else a pointer to the full reports.
func (g skipGroup) why() string {
	var details []string
	for _, f := range g.Full {
		_, d := splitDetail(f)
		details = append(details, d)
	}
	if d, ok := mergeDetails(details); ok {
		if d == "" {
			return g.Reason
		}
		return g.Reason + " (" + d + ")"
	}
	return g.Reason + " (details differ per scenario: see the HTML report)"
}

// splitDetail splits a reason into its general part and a trailing
// parenthesised detail: "no probes (needs a, b)" → "no probes", "needs a, b".
func splitDetail(reason string) (general, detail string) {
	r := strings.TrimSpace(reason)
	if !strings.HasSuffix(r, ")") {
		return r, ""
	}
	depth := 0
	for i := len(r) - 1; i >= 0; i-- {
		switch r[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if i == 0 || r[i-1] != ' ' {
					return r, "" // "f(x)": not a detail
				}
				return strings.TrimSpace(r[:i]), r[i+1 : len(r)-1]
			}
		}
	}
	return r, ""
}

// mergeDetails merges the details of one reason: equal details are one;
// details that are each "word item, item; rest" with the same word and
// rest become one list of every item, in first-seen order.
func mergeDetails(details []string) (string, bool) {
	if len(details) == 0 {
		return "", true
	}
	same := true
	for _, d := range details[1:] {
		same = same && d == details[0]
	}
	if same {
		return details[0], true
	}
	var word, tail string
	var items []string
	seen := map[string]bool{}
	for i, d := range details {
		list, t, _ := strings.Cut(d, "; ")
		w, rest, ok := strings.Cut(list, " ")
		if !ok || (i > 0 && (w != word || t != tail)) {
			return "", false
		}
		word, tail = w, t
		for _, it := range strings.Split(rest, ",") {
			if it = strings.TrimSpace(it); it != "" && !seen[it] {
				seen[it] = true
				items = append(items, it)
			}
		}
	}
	out := word + " " + strings.Join(items, ", ")
	if tail != "" {
		out += "; " + tail
	}
	return out, true
}

// fitNames joins as many names as fit in width with "; " and says how many
// were left out; a first name too long for the line is cut.
func fitNames(names []string, width int) (string, int) {
	var b strings.Builder
	for i, n := range names {
		n = oneLine(n, width)
		sep := ""
		if i > 0 {
			sep = "; "
		}
		if i > 0 && utf8.RuneCountInString(b.String()+sep+n) > width {
			return b.String(), len(names) - i
		}
		b.WriteString(sep + n)
	}
	return b.String(), 0
}

// targetLine names the target once: a --url target's name is its URL, so
// the URL is not repeated.
func targetLine(t Target) string {
	name, url := strings.TrimSpace(t.Name), strings.TrimSpace(t.BaseURL)
	switch {
	case url == "" || name == url || strings.Contains(name, url):
		return name
	case name == "" || strings.Contains(url, name):
		return url
	}
	return name + " (" + url + ")"
}

// wrap breaks s into at most maxLines lines of at most width runes at
// spaces; what does not fit ends in "…".
func wrap(s string, width, maxLines int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	for i := range lines {
		lines[i] = oneLine(lines[i], width)
	}
	if len(lines) > maxLines {
		last := oneLine(lines[maxLines-1]+" "+strings.Join(lines[maxLines:], " "), width)
		lines = append(lines[:maxLines-1], last)
	}
	return lines
}

// withoutTranscripts returns run with every scenario's exchanges left out;
// the failures keep theirs.
func withoutTranscripts(run Run) Run {
	scenarios := make([]Scenario, len(run.Scenarios))
	for i, s := range run.Scenarios {
		s.Exchanges = nil
		scenarios[i] = s
	}
	run.Scenarios = scenarios
	return run
}
