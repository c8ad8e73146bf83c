package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// The JUnit XML shape common CI parsers (Jenkins, GitLab, GitHub test
// reporters) accept: <testsuites> holding one <testsuite> per feature and one
// <testcase> per scenario, with <failure> or <skipped> children.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	File       string          `xml:"file,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemErr  *junitCDATA     `xml:"system-err,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	Time      string `xml:"time,attr"`
	File      string `xml:"file,attr,omitempty"`
	Line      int    `xml:"line,attr,omitempty"`
	// Properties carry a failed scenario's level and citation (issue 12).
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitFailure   `xml:"failure,omitempty"`
	Skipped    *junitSkipped   `xml:"skipped,omitempty"`
	SystemOut  *junitCDATA     `xml:"system-out,omitempty"`
}

// junitCDATA holds multi-line text as CDATA, so the raw file stays readable.
type junitCDATA struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the run as JUnit XML: one <testsuite> per feature, one
// <testcase> per scenario, a <failure> carrying expected, actual, the Okta
// admin message and the exchange for each failed scenario, and a <skipped>
// with the reason for each skipped or not-supported one.
func WriteJUnit(w io.Writer, run Run) error {
	return writeJUnit(w, run.Redact())
}

// writeJUnit is WriteJUnit for a run that is already redacted.
func writeJUnit(w io.Writer, run Run) error {
	c := run.Counts()
	doc := junitSuites{
		Name:     "scimulator",
		Tests:    c.Total,
		Failures: c.Failed,
		Skipped:  c.Skipped + c.NotSupported + c.Waived,
		Time:     seconds(run.Duration),
	}
	props := []junitProperty{
		{"target", run.Target.Name},
		{"baseURL", run.Target.BaseURL},
		{"trafficProfile", run.Target.TrafficProfile},
		{"profile", run.Profile},
		{"tags", run.Tags},
		{"capabilities", strings.Join(capabilityTags(run.Capabilities), " ")},
		{"version", run.Version},
		// Issue 12: the gate and the failures by level.
		{"failOn", string(failOn(run))},
		{"failed.okta", fmt.Sprint(c.Levels.Okta)},
		{"failed.must", fmt.Sprint(c.Levels.Must)},
		{"failed.should", fmt.Sprint(c.Levels.Should)},
		{"failed.error", fmt.Sprint(c.Levels.Error)},
	}
	for _, f := range features(run.Scenarios) {
		suite := junitSuite{Name: f.Name, File: f.URI, Properties: props}
		if !run.Started.IsZero() {
			suite.Timestamp = run.Started.UTC().Format("2006-01-02T15:04:05")
		}
		var total time.Duration
		for _, s := range f.Scenarios {
			tc := junitCase{
				Name:      s.Name,
				Classname: f.Name,
				Time:      seconds(s.Duration),
				File:      s.URI,
				Line:      s.Line,
			}
			if out := stepsText(s.Steps); out != "" {
				tc.SystemOut = &junitCDATA{Text: xmlSafe(out)}
			}
			suite.Tests++
			total += s.Duration
			switch s.Status {
			case StatusPassed:
			case StatusSkipped, StatusNotSupported:
				suite.Skipped++
				tc.Skipped = &junitSkipped{Message: skipMessage(s)}
			case StatusWaived:
				// A waived failure does not fail CI: JUnit's skipped, with
				// the waiver and the failure it excuses.
				suite.Skipped++
				tc.Skipped = &junitSkipped{Message: waivedMessage(s)}
				if tc.SystemOut != nil {
					tc.SystemOut.Text += "\n"
				} else {
					tc.SystemOut = &junitCDATA{}
				}
				tc.SystemOut.Text += xmlSafe("waived failure:\n" + failureText(s))
			default:
				suite.Failures++
				level := s.FailureLevel()
				tc.Properties = []junitProperty{{"level", string(level)}, {"failsRun", fmt.Sprint(run.Blocks(s))}}
				if s.Failure != nil && s.Failure.Citation != "" {
					tc.Properties = append(tc.Properties, junitProperty{"citation", s.Failure.Citation})
				}
				tc.Failure = &junitFailure{
					Message: "[" + string(level) + "] " + reason(s),
					Type:    "scimulator." + string(level),
					Text:    xmlSafe(failureText(s)),
				}
			}
			suite.Cases = append(suite.Cases, tc)
		}
		suite.Time = seconds(total)
		if run.TargetLogs != "" && suite.Failures > 0 {
			// The target's logs explain failures; each suite with one
			// carries them, where CI parsers show a suite's stderr.
			suite.SystemErr = &junitCDATA{Text: xmlSafe("target container logs:\n" + run.TargetLogs)}
		}
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

// skipMessage says why a scenario did not run, naming not-supported as such.
func skipMessage(s Scenario) string {
	msg := reason(s)
	if s.Status == StatusNotSupported {
		return "not supported: " + msg
	}
	return msg
}

// stepsText lists a scenario's steps one per line with their outcome.
func stepsText(steps []Step) string {
	var b strings.Builder
	for _, st := range steps {
		fmt.Fprintf(&b, "[%s] %s%s (%s s)\n", st.Status, st.Keyword, st.Text, seconds(st.Duration))
		if st.Error != "" {
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(st.Error, "\n", "\n    "))
		}
	}
	return b.String()
}

// failureText is the plain-text body of a failure: the step, expected,
// actual, the Okta admin message and the exchange with trimmed bodies.
func failureText(s Scenario) string {
	var b strings.Builder
	f := s.Failure
	if f == nil {
		fmt.Fprintf(&b, "%s\n", reason(s))
		return b.String()
	}
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-14s %s\n", label+":", v)
		}
	}
	if s.Waiver != nil && s.Waiver.Problem != "" {
		line("Waiver", s.Waiver.Problem)
	}
	line("Step", f.Step)
	line("Level", string(s.FailureLevel()))
	line("Rule", f.Citation)
	line("Expected", f.Expected)
	line("Actual", f.Actual)
	admin := f.AdminMessage
	if admin != "" && f.AdminMessageBasis != "" {
		admin += " (" + string(f.AdminMessageBasis) + ")"
	}
	line(f.AdminName()+" admin", admin)
	for _, o := range s.OtherFailures() {
		line("Also failed", o.Brief()+" ("+o.Citation+")")
	}
	if e := f.Exchange; e != nil {
		b.WriteString("\n")
		b.WriteString(exchangeText(*e))
	}
	return b.String()
}

// exchangeText is a plain-text rendering of one exchange with trimmed,
// indented bodies.
func exchangeText(e Exchange) string {
	var b strings.Builder
	if e.Operation != "" {
		fmt.Fprintf(&b, "%s\n", e.Operation)
	}
	fmt.Fprintf(&b, "%s %s\n", e.Method, e.URL)
	if body := prettyBody(e.RequestBody, bodyLimit); body != "" {
		fmt.Fprintf(&b, "%s\n", body)
	}
	if e.Error != "" {
		fmt.Fprintf(&b, "-> no response: %s\n", e.Error)
		return b.String()
	}
	fmt.Fprintf(&b, "-> %d (%s s)\n", e.Status, seconds(e.Duration))
	if body := prettyBody(e.ResponseBody, bodyLimit); body != "" {
		fmt.Fprintf(&b, "%s\n", body)
	}
	return b.String()
}

// xmlSafe makes target text fit for a CDATA section, which encoding/xml
// does not check: the characters XML 1.0 §2.2 forbids (most C0 controls,
// surrogates) and those a terminal acts on become visible escapes, and
// U+FFFE/U+FFFF become U+FFFD.
func xmlSafe(s string) string {
	// termsafe shows controls and invalid UTF-8 as escapes (issue 11: one
	// escaping function); XML 1.0 also forbids U+FFFE and U+FFFF.
	return strings.Map(func(r rune) rune {
		if r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, termsafe.Lines(s, 0))
}

// capabilityTags normalises capability names to tags with one leading "@".
func capabilityTags(caps []string) []string {
	out := make([]string, len(caps))
	for i, c := range caps {
		out[i] = tagName(c)
	}
	return out
}
