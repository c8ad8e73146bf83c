package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// The Cucumber JSON report format: an array of features, each with elements
// (scenarios), each with steps whose result has a status, a duration in
// nanoseconds and an error message.
type cukeFeature struct {
	URI         string        `json:"uri"`
	ID          string        `json:"id"`
	Keyword     string        `json:"keyword"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Elements    []cukeElement `json:"elements"`
}

type cukeElement struct {
	ID          string     `json:"id"`
	Keyword     string     `json:"keyword"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Line        int        `json:"line"`
	Type        string     `json:"type"`
	Tags        []cukeTag  `json:"tags"`
	Before      []cukeHook `json:"before,omitempty"`
	Steps       []cukeStep `json:"steps"`
	After       []cukeHook `json:"after,omitempty"`
}

type cukeTag struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type cukeStep struct {
	Keyword string     `json:"keyword"`
	Name    string     `json:"name"`
	Line    int        `json:"line"`
	Match   cukeMatch  `json:"match"`
	Result  cukeResult `json:"result"`
}

type cukeHook struct {
	Match  cukeMatch  `json:"match"`
	Result cukeResult `json:"result"`
}

type cukeMatch struct {
	Location string `json:"location"`
}

type cukeResult struct {
	Status       string `json:"status"`
	Duration     int64  `json:"duration"`
	ErrorMessage string `json:"error_message,omitempty"`
}

// WriteCucumber writes the run in the Cucumber JSON format. Steps of skipped
// and not-supported scenarios are "skipped" and carry the reason; the failed
// step of a failed scenario carries expected, actual, the Okta admin message
// and the exchange. A scenario whose recorded steps do not show its outcome
// (no steps, or failed without a failed step) gets a hook result that does,
// so no Cucumber reader counts it as passed.
func WriteCucumber(w io.Writer, run Run) error {
	return writeCucumber(w, run.Redact())
}

// writeCucumber is WriteCucumber for a run that is already redacted.
func writeCucumber(w io.Writer, run Run) error {
	out := []cukeFeature{}
	for _, f := range features(run.Scenarios) {
		fid := slug(f.Name)
		cf := cukeFeature{URI: f.URI, ID: fid, Keyword: "Feature", Name: f.Name, Line: 1, Elements: []cukeElement{}}
		for _, s := range f.Scenarios {
			cf.Elements = append(cf.Elements, cukeScenario(fid, s))
		}
		out = append(out, cf)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write cucumber json: %w", err)
	}
	// DEL and C1 from a target as \u escapes: the same JSON (issue 11).
	if _, err := w.Write(termsafe.JSON(buf.Bytes())); err != nil {
		return fmt.Errorf("write cucumber json: %w", err)
	}
	return nil
}

func cukeScenario(featureID string, s Scenario) cukeElement {
	el := cukeElement{
		ID:      featureID + ";" + slug(s.Name),
		Keyword: "Scenario",
		Name:    s.Name,
		Line:    s.Line,
		Type:    "scenario",
		Tags:    []cukeTag{},
		Steps:   []cukeStep{},
	}
	if s.Source != "" || s.Basis != "" {
		el.Description = strings.TrimSpace(fmt.Sprintf("%s %s", s.Basis, s.Source))
	}
	tagLine := 0
	if s.Line > 1 {
		tagLine = s.Line - 1
	}
	for _, t := range s.Tags {
		el.Tags = append(el.Tags, cukeTag{Name: tagName(t), Line: tagLine})
	}
	notRun := s.Status == StatusSkipped || s.Status == StatusNotSupported
	waived := s.Status == StatusWaived
	if (Counts{}).isFailed(s.Status) {
		// Issue 12: a failed scenario's level as a tag, so a Cucumber
		// report can filter by it (@level:okta, @level:must, …).
		el.Tags = append(el.Tags, cukeTag{Name: "@level:" + string(s.FailureLevel()), Line: tagLine})
	}
	failedStepSeen, attached := false, false
	for _, st := range s.Steps {
		res := cukeResult{Status: cukeStatus(st.Status), Duration: st.Duration.Nanoseconds(), ErrorMessage: st.Error}
		if notRun {
			res = cukeResult{Status: "skipped", ErrorMessage: skipMessage(s)}
		}
		if res.Status == "failed" || res.Status == "undefined" {
			// The failure's text goes on the step that reported it; a
			// should-level failure earlier does not take it.
			if !attached && s.Failure != nil && (s.Failure.Step == "" || s.Failure.Step == st.Text || !hasStep(s.Steps, s.Failure.Step)) {
				res.ErrorMessage = joinNonEmpty("\n\n", res.ErrorMessage, failureText(s))
				attached = true
			}
			failedStepSeen = true
			if waived {
				// Cucumber has no "waived": the excused failure is a skip
				// whose message starts with "waived" (LoadBaseline reads
				// it back), so no Cucumber reader fails the build on it.
				res.Status, res.ErrorMessage = "skipped", joinNonEmpty("\n\n", waivedMessage(s), res.ErrorMessage)
			}
		}
		el.Steps = append(el.Steps, cukeStep{
			Keyword: st.Keyword,
			Name:    st.Text,
			Line:    st.Line,
			Result:  res,
		})
	}
	switch {
	case notRun && len(s.Steps) == 0:
		el.Before = []cukeHook{{Result: cukeResult{Status: "skipped", ErrorMessage: skipMessage(s)}}}
	case waived && !failedStepSeen:
		el.After = []cukeHook{{Result: cukeResult{Status: "skipped", ErrorMessage: joinNonEmpty("\n\n", waivedMessage(s), failureText(s))}}}
	case !notRun && !waived && s.Status != StatusPassed && !failedStepSeen:
		el.After = []cukeHook{{Result: cukeResult{Status: "failed", ErrorMessage: failureText(s)}}}
	}
	return el
}

// cukeStatus maps a step status onto Cucumber's vocabulary. A step that
// never ran is skipped; an unknown status is failed, never passed.
func cukeStatus(s Status) string {
	switch s {
	case StatusPassed, StatusFailed, StatusSkipped, StatusUndefined:
		return string(s)
	case StatusNotSupported, "":
		return string(StatusSkipped)
	default:
		return string(StatusFailed)
	}
}

// slug lowercases s and turns every run of other characters into one "-",
// the way Cucumber builds element ids.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// hasStep reports whether a step with text is among steps.
func hasStep(steps []Step, text string) bool {
	for _, st := range steps {
		if st.Text == text {
			return true
		}
	}
	return false
}
