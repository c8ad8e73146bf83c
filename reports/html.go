package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/termsafe"
)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate is parsed once; templates are safe for concurrent use.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"dur":     formatDuration,
	"percent": percent,
}).Parse(htmlSource))

// htmlView is everything the HTML template shows, computed up front so the
// template only lays it out.
type htmlView struct {
	Run        Run
	Counts     Counts
	Passed     bool
	Started    string
	Matrix     []capabilityRow
	Failed     []htmlScenario
	NotRun     []htmlScenario
	Waived     []htmlScenario
	Diff       *Diff
	Features   []htmlFeature
	Advertised string
	// FailOn is the run's gate; Levels the failed scenarios by level, for
	// the cards and the failures' filter (issue 12).
	FailOn Level
	Levels []htmlLevel
}

// htmlLevel is one level's count and whether its failures fail the run.
type htmlLevel struct {
	Level    Level
	Count    int
	Describe string
	Fails    bool
}

type htmlFeature struct {
	Name      string
	URI       string
	Counts    Counts
	Scenarios []htmlScenario
}

type htmlScenario struct {
	Scenario
	Anchor   string
	TagNames []string
	Reason   string
	// FailureReason is a waived scenario's failure, in one line.
	FailureReason string
	// Level is a failed scenario's level ("" otherwise); FailsRun says
	// whether it fails the run under --fail-on.
	Level           Level
	FailsRun        bool
	FailureExchange *htmlExchange
	Exchanges       []htmlExchange
}

type htmlExchange struct {
	Exchange
	RequestHeaderList  []htmlHeader
	ResponseHeaderList []htmlHeader
	PrettyRequest      string
	PrettyResponse     string
	StatusClass        string
}

type htmlHeader struct{ Name, Value string }

// WriteHTML writes the conformance report as one self-contained HTML file:
// inline CSS, no scripts, no external assets (a Content-Security-Policy in
// the page forbids loading any). It shows the verdict, a capability ×
// outcome matrix, every failure with expected vs actual, the Okta admin
// message and the exchange, every skip with its reason, and all scenarios
// with their steps and exchanges. html/template escapes every value.
func WriteHTML(w io.Writer, run Run) error {
	return writeHTML(w, run.Redact())
}

// writeHTML is WriteHTML for a run that is already redacted.
func writeHTML(w io.Writer, run Run) error {
	view := htmlView{
		Run:    run,
		Counts: run.Counts(),
		Passed: run.Passed(),
		Matrix: capabilityMatrix(run),
		Diff:   run.Diff,
		FailOn: failOn(run),
	}
	for _, l := range append(append([]Level(nil), Levels...), LevelError) {
		if n := view.Counts.Levels.Of(l); n > 0 || l != LevelError {
			view.Levels = append(view.Levels, htmlLevel{Level: l, Count: n, Describe: l.Describe(), Fails: l.Fails(run.FailOn)})
		}
	}
	if !run.Started.IsZero() {
		view.Started = run.Started.UTC().Format(time.RFC3339)
	}
	var adv []string
	for _, c := range run.Capabilities {
		adv = append(adv, tagName(c))
	}
	view.Advertised = strings.Join(adv, " ")
	anchors := map[string]int{}
	for _, f := range features(run.Scenarios) {
		hf := htmlFeature{Name: f.Name, URI: f.URI, Counts: Run{Scenarios: f.Scenarios}.Counts()}
		for _, s := range f.Scenarios {
			hs := newHTMLScenario(s, anchors)
			if s.Status != StatusPassed && s.Status != StatusSkipped && s.Status != StatusNotSupported {
				hs.Level, hs.FailsRun = s.FailureLevel(), run.Blocks(s)
			}
			hf.Scenarios = append(hf.Scenarios, hs)
			switch s.Status {
			case StatusPassed:
			case StatusSkipped, StatusNotSupported:
				view.NotRun = append(view.NotRun, hs)
			case StatusWaived:
				failure := s
				failure.Status = StatusFailed
				hs.FailureReason = reason(failure)
				view.Waived = append(view.Waived, hs)
			default:
				view.Failed = append(view.Failed, hs)
			}
		}
		view.Features = append(view.Features, hf)
	}
	sort.SliceStable(view.Failed, func(i, j int) bool { return view.Failed[i].Level.Worse(view.Failed[j].Level) })
	var page strings.Builder
	if err := htmlTemplate.Execute(&page, view); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	// html/template escapes markup but passes control bytes (ESC, NUL, C1)
	// and invalid UTF-8 from a target through: the template itself has none
	// (no tabs either), so every one left is target text, shown as an
	// escape (issue 11).
	if _, err := io.WriteString(w, termsafe.Lines(page.String(), 0)); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

func newHTMLScenario(s Scenario, anchors map[string]int) htmlScenario {
	base := "s-" + slug(s.Feature+" "+s.Name)
	anchors[base]++
	anchor := base
	if n := anchors[base]; n > 1 {
		anchor = fmt.Sprintf("%s-%d", base, n)
	}
	hs := htmlScenario{Scenario: s, Anchor: anchor, Reason: reason(s)}
	for _, t := range s.Tags {
		hs.TagNames = append(hs.TagNames, tagName(t))
	}
	if s.Failure != nil && s.Failure.Exchange != nil {
		e := newHTMLExchange(*s.Failure.Exchange)
		hs.FailureExchange = &e
	}
	for _, e := range s.Exchanges {
		hs.Exchanges = append(hs.Exchanges, newHTMLExchange(e))
	}
	return hs
}

func newHTMLExchange(e Exchange) htmlExchange {
	he := htmlExchange{
		Exchange:           e,
		RequestHeaderList:  headerList(e.RequestHeaders),
		ResponseHeaderList: headerList(e.ResponseHeaders),
		PrettyRequest:      prettyBody(e.RequestBody, bodyLimit),
		PrettyResponse:     prettyBody(e.ResponseBody, bodyLimit),
	}
	switch {
	case e.Error != "" || e.Status == 0:
		he.StatusClass = "st-none"
	case e.Status < 300:
		he.StatusClass = "st-2xx"
	case e.Status < 400:
		he.StatusClass = "st-3xx"
	case e.Status < 500:
		he.StatusClass = "st-4xx"
	default:
		he.StatusClass = "st-5xx"
	}
	return he
}

// headerList flattens headers into name/value rows sorted by name.
func headerList(h http.Header) []htmlHeader {
	var out []htmlHeader
	for name, values := range h {
		for _, v := range values {
			out = append(out, htmlHeader{Name: name, Value: v})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// formatDuration renders a duration for people: "42ms", "3.25s".
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
}

// percent is part's share of whole in whole percent, 0 when whole is 0.
func percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}
