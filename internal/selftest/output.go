package selftest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scimulator/scimulator/reports"
)

// maxReasonLen trims a clean-run failure reason to one terminal line.
const maxReasonLen = 160

// WriteText writes the self-test as a terminal table: the clean run's
// verdict (with the reason of each clean failure), then one block per fault
// with its result and the scenarios that failed under it, then the
// detection rate and any differences from the expectations (probs, from
// Expectations.Check; nil when not compared).
func WriteText(w io.Writer, r Report, probs []Problem) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	clean := r.Clean.Redact()
	c := clean.Counts()
	verdict := "FAILED"
	if r.CleanPassed() {
		verdict = "PASSED"
	}
	p("clean run %s: %d scenarios, %d passed, %d failed, %d not run in %s\n",
		verdict, c.Total, c.Passed, c.Failed, c.Skipped+c.NotSupported, clean.Duration.Round(time.Millisecond))
	for _, s := range clean.Scenarios {
		if s.Status == reports.StatusPassed {
			continue
		}
		p("  %-13s %s\n", strings.ToUpper(string(s.Status)), s.Name)
		if reason := scenarioReason(s); reason != "" {
			p("                %s\n", reason)
		}
	}

	width := len("FAULT")
	for _, o := range r.Outcomes {
		width = max(width, len(o.Fault.Name))
	}
	p("\n%-*s  %-6s  %s\n", width, "FAULT", "RESULT", "SCENARIOS THAT FAILED")
	indent := strings.Repeat(" ", width+2+6+2)
	for _, o := range r.Outcomes {
		result := "caught"
		if !o.Caught() {
			result = "MISSED"
		}
		var lines []string
		switch {
		case o.Err != nil:
			lines = []string{"error: " + oneLine(reports.RedactText(o.Err.Error()), maxReasonLen)}
		case len(o.Failed) == 0:
			lines = []string{"(none)"}
		default:
			setup := map[string]bool{}
			for _, n := range o.InSetup {
				setup[n] = true
			}
			for _, n := range o.Failed {
				if setup[n] {
					n += " (failed in set-up)"
				}
				lines = append(lines, n)
			}
		}
		for _, n := range o.NotRun {
			lines = append(lines, "not run: "+n)
		}
		for i, l := range lines {
			if i == 0 {
				p("%-*s  %-6s  %s\n", width, o.Fault.Name, result, l)
				continue
			}
			p("%s%s\n", indent, l)
		}
	}

	caught, total := r.Detection()
	p("\ndetection rate: %d/%d faults caught (%.1f%%); clean run %s; %s\n",
		caught, total, 100*r.DetectionRate(), strings.ToLower(verdict), r.Duration.Round(time.Millisecond))
	if un := r.Unexercised(); len(un) > 0 && total > 0 {
		p("\nscenarios no injected fault made fail (their checks are not proven by a fault):\n")
		for _, n := range un {
			p("  %s\n", n)
		}
	}
	if len(probs) > 0 {
		p("\ndifferences from %s (regenerate with go test ./internal/selftest -run TestSelftest -update, then review):\n", ExpectedFile)
		for _, pr := range probs {
			p("  %s\n", pr)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write selftest table: %w", err)
	}
	return nil
}

// JSONReport is the machine-readable form of a self-test (--json).
type JSONReport struct {
	// OK is Report.OK: the clean run passed and every fault was caught.
	OK            bool        `json:"ok"`
	Clean         JSONClean   `json:"clean"`
	Faults        []JSONFault `json:"faults"`
	Caught        int         `json:"caught"`
	Total         int         `json:"total"`
	DetectionRate float64     `json:"detectionRate"`
	DurationMS    int64       `json:"durationMs"`
	// Unexercised are the scenarios no injected fault made fail.
	Unexercised []string `json:"unexercised,omitempty"`
	// ExpectationProblems are the differences from the expectation file.
	ExpectationProblems []string `json:"expectationProblems,omitempty"`
}

// JSONClean summarises the clean run.
type JSONClean struct {
	Passed       bool     `json:"passed"`
	Total        int      `json:"total"`
	PassedCount  int      `json:"passedCount"`
	Failed       int      `json:"failed"`
	Skipped      int      `json:"skipped"`
	NotSupported int      `json:"notSupported"`
	NotPassing   []string `json:"notPassing,omitempty"`
}

// JSONFault is one fault's row.
type JSONFault struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Caught      bool     `json:"caught"`
	Failed      []string `json:"failed"`
	InSetup     []string `json:"failedInSetup,omitempty"`
	NotRun      []string `json:"notRun,omitempty"`
	Error       string   `json:"error,omitempty"`
	DurationMS  int64    `json:"durationMs"`
}

// ToJSON converts a report (and its expectation problems) to JSONReport.
func ToJSON(r Report, probs []Problem) JSONReport {
	c := r.Clean.Counts()
	caught, total := r.Detection()
	out := JSONReport{
		OK: r.OK(),
		Clean: JSONClean{Passed: r.CleanPassed(), Total: c.Total, PassedCount: c.Passed, Failed: c.Failed,
			Skipped: c.Skipped, NotSupported: c.NotSupported},
		Faults:        []JSONFault{},
		Caught:        caught,
		Total:         total,
		DetectionRate: r.DetectionRate(),
		DurationMS:    r.Duration.Milliseconds(),
	}
	for _, s := range r.Clean.Scenarios {
		if s.Status != reports.StatusPassed {
			out.Clean.NotPassing = append(out.Clean.NotPassing, s.Name)
		}
	}
	for _, o := range r.Outcomes {
		jf := JSONFault{Name: o.Fault.Name, Description: o.Fault.Description, Caught: o.Caught(),
			Failed: append([]string{}, o.Failed...), InSetup: o.InSetup, NotRun: o.NotRun, DurationMS: o.Duration.Milliseconds()}
		if o.Err != nil {
			jf.Error = reports.RedactText(o.Err.Error())
		}
		out.Faults = append(out.Faults, jf)
	}
	if total > 0 {
		out.Unexercised = r.Unexercised()
	}
	for _, p := range probs {
		out.ExpectationProblems = append(out.ExpectationProblems, p.String())
	}
	return out
}

// WriteJSON writes ToJSON(r, probs) as indented JSON.
func WriteJSON(w io.Writer, r Report, probs []Problem) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ToJSON(r, probs)); err != nil {
		return fmt.Errorf("write selftest json: %w", err)
	}
	return nil
}

// scenarioReason is a one-line reason for a clean-run scenario that did not
// pass: its skip reason, or what the failed step expected and got.
func scenarioReason(s reports.Scenario) string {
	switch {
	case s.SkipReason != "":
		return oneLine(s.SkipReason, maxReasonLen)
	case s.Failure == nil:
		return ""
	}
	f := s.Failure
	var parts []string
	if f.Step != "" {
		parts = append(parts, "step "+f.Step)
	}
	if f.Expected != "" {
		parts = append(parts, "expected "+f.Expected)
	}
	if f.Actual != "" {
		parts = append(parts, "got "+f.Actual)
	}
	return oneLine(strings.Join(parts, "; "), maxReasonLen)
}

// oneLine collapses whitespace and trims s to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
