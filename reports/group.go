package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// feature is the scenarios of one feature, in record order.
type feature struct {
	Name      string
	URI       string
	Scenarios []Scenario
}

// features groups scenarios by feature, keeping the order in which each
// feature first appears in the record.
func features(scenarios []Scenario) []feature {
	var out []feature
	index := map[string]int{}
	for _, s := range scenarios {
		name := s.Feature
		if name == "" {
			name = "(no feature)"
		}
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, feature{Name: name, URI: s.URI})
		}
		out[i].Scenarios = append(out[i].Scenarios, s)
	}
	return out
}

// tagName returns a tag with exactly one leading "@".
func tagName(tag string) string {
	return "@" + strings.TrimLeft(strings.TrimSpace(tag), "@")
}

// capabilityRow is one row of the capability matrix.
type capabilityRow struct {
	Tag        string
	Advertised bool // the target claims the capability (Run.Capabilities)
	Counts     Counts
}

// capabilityMatrix tallies outcomes per tag over the union of the scenarios'
// tags and the target's capabilities, sorted by tag.
func capabilityMatrix(run Run) []capabilityRow {
	rows := map[string]*capabilityRow{}
	row := func(tag string) *capabilityRow {
		t := tagName(tag)
		r, ok := rows[t]
		if !ok {
			r = &capabilityRow{Tag: t}
			rows[t] = r
		}
		return r
	}
	for _, c := range run.Capabilities {
		row(c).Advertised = true
	}
	for _, s := range run.Scenarios {
		seen := map[string]bool{}
		for _, tag := range s.Tags {
			t := tagName(tag)
			if seen[t] {
				continue
			}
			seen[t] = true
			row(t).Counts.add(s)
		}
	}
	out := make([]capabilityRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tag < out[j].Tag })
	return out
}

// reason is a one-line explanation of a scenario's outcome: the failure's
// expected and actual, or the skip reason.
func reason(s Scenario) string {
	switch s.Status {
	case StatusPassed:
		return ""
	case StatusSkipped, StatusNotSupported:
		if s.SkipReason == "" {
			return "no reason recorded"
		}
		return oneLine(s.SkipReason, 160)
	case StatusWaived:
		return oneLine(waivedMessage(s), 160)
	}
	f := s.Failure
	if f == nil {
		for _, st := range s.Steps {
			if st.Error != "" {
				return oneLine(st.Error, 160)
			}
		}
		if s.Status != StatusFailed {
			return oneLine(fmt.Sprintf("unknown status %q", s.Status), 160)
		}
		return "no failure recorded"
	}
	var b strings.Builder
	if f.Expected != "" || f.Actual != "" {
		fmt.Fprintf(&b, "expected %s, got %s", oneLine(f.Expected, 70), oneLine(f.Actual, 70))
	} else {
		b.WriteString(oneLine(f.Step, 140))
	}
	if f.AdminMessage != "" {
		fmt.Fprintf(&b, " (%s: %s)", f.AdminName(), oneLine(f.AdminMessage, 100))
	}
	return b.String()
}

// oneLine collapses whitespace runs to single spaces, shows what a
// terminal would act on (ESC, BEL, NUL, C1, invalid UTF-8: record text
// quotes the target) as escapes, and cuts s to at most max runes, marking
// a cut with "…" (issue 11: termsafe is the one escaping function).
func oneLine(s string, max int) string { return termsafe.OneLine(s, max) }

// bodyLimit is how much of a body the human-readable reports show.
const bodyLimit = 4096

// prettyBody indents a JSON body and trims any body to limit bytes (on a
// rune boundary), saying how much was left out.
func prettyBody(body string, limit int) string {
	if body == "" {
		return ""
	}
	var buf bytes.Buffer
	if json.Valid([]byte(body)) && json.Indent(&buf, []byte(body), "", "  ") == nil {
		body = buf.String()
	}
	if len(body) <= limit {
		return body
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(body[cut]) {
		cut--
	}
	return fmt.Sprintf("%s\n… (%d more bytes)", body[:cut], len(body)-cut)
}

// seconds formats a duration in seconds for XML and tables.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
