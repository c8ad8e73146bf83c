package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Limits that keep the terminal summary on one screen; the HTML report and
// JUnit file list everything.
const (
	summaryWidth       = 110
	summaryMaxFailures = 5
	summaryMaxSkips    = 5
)

// WriteSummary writes the one-screen terminal summary printed at the end of
// `scimulator run`: the verdict and counts, each failed scenario with a
// one-line reason, the skip reasons with the scenarios they covered, and
// where the artefacts are. Pass the Paths WriteAll returned, or a zero Paths
// when no reports were written.
func WriteSummary(w io.Writer, run Run, paths Paths) error {
	run = run.Redact()
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	c := run.Counts()

	verdict := "FAILED"
	if run.Passed() {
		verdict = "PASSED"
	}
	p("%s  %d scenarios: %d passed, %d failed, %d skipped, %d not supported  in %s\n",
		verdict, c.Total, c.Passed, c.Failed, c.Skipped, c.NotSupported, formatDuration(run.Duration))
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
	if len(how) > 0 {
		p("%s\n", oneLine(strings.Join(how, " · "), summaryWidth))
	}
	if c.Total == 0 {
		p("\nno scenario ran: check the tag expression and the target's capabilities\n")
	}

	var failed []Scenario
	var groups []skipGroup
	index := map[string]int{}
	for _, s := range run.Scenarios {
		switch s.Status {
		case StatusPassed:
		case StatusSkipped, StatusNotSupported:
			key := skipMessage(s)
			i, ok := index[key]
			if !ok {
				i = len(groups)
				index[key] = i
				groups = append(groups, skipGroup{Reason: key})
			}
			groups[i].Names = append(groups[i].Names, s.Name)
		default:
			failed = append(failed, s)
		}
	}
	if len(failed) > 0 {
		p("\nfailed:\n")
		for i, s := range failed {
			if i == summaryMaxFailures {
				p("  … and %d more failed scenarios (see the HTML report)\n", len(failed)-i)
				break
			}
			p("  ✗ %s\n", oneLine(s.Feature+" › "+s.Name, summaryWidth-4))
			if f := s.Failure; f != nil && (f.Expected != "" || f.Actual != "") {
				p("      %s\n", oneLine("expected "+oneLine(f.Expected, 45)+", got "+f.Actual, summaryWidth-6))
				if f.AdminMessage != "" {
					p("      %s\n", oneLine("Okta admin sees: "+f.AdminMessage, summaryWidth-6))
				}
			} else {
				p("      %s\n", oneLine(reason(s), summaryWidth-6))
			}
		}
	}
	if len(groups) > 0 {
		p("\nskipped:\n")
		for i, g := range groups {
			if i == summaryMaxSkips {
				rest := 0
				for _, g := range groups[i:] {
					rest += len(g.Names)
				}
				p("  … and %d more skipped scenarios for other reasons\n", rest)
				break
			}
			// Names first, each reason on its own line: a long probe reason
			// must not push the scenario names off the line.
			p("  - %s\n", oneLine(fmt.Sprintf("%s (%d)", strings.Join(g.Names, "; "), len(g.Names)), summaryWidth-4))
			p("      %s\n", oneLine("why: "+g.Reason, summaryWidth-6))
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

// skipGroup is the scenarios skipped for one reason.
type skipGroup struct {
	Reason string
	Names  []string
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
