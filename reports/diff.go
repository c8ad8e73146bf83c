package reports

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Diff compares two runs scenario by scenario (scimulator run --baseline,
// scimulator report diff): what newly fails, newly passes, is new or is
// gone. Scenarios are matched by feature and name (names are unique within
// a feature; repeated names are paired in file order), so a scenario that
// moved lines is the same scenario.
type Diff struct {
	// Baseline and Current name the two sides, such as the baseline's path.
	Baseline string `json:"baseline"`
	Current  string `json:"current,omitempty"`
	// BaselineTotal and CurrentTotal count each side's scenarios.
	BaselineTotal int `json:"baselineTotal"`
	CurrentTotal  int `json:"currentTotal"`
	// NewlyFailing failed (or were waived) now and did not before.
	NewlyFailing []DiffEntry `json:"newlyFailing,omitempty"`
	// NewlyPassing pass now and did not before.
	NewlyPassing []DiffEntry `json:"newlyPassing,omitempty"`
	// New are scenarios the baseline does not have.
	New []DiffEntry `json:"new,omitempty"`
	// Gone are baseline scenarios this run does not have (removed, renamed
	// or not selected).
	Gone []DiffEntry `json:"gone,omitempty"`
	// Changed are the other changes of outcome, such as passed → skipped
	// or failed → not-supported.
	Changed []DiffEntry `json:"changed,omitempty"`

	// newFailures holds the current side's failed scenarios that the
	// baseline did not have failing (NewFailure), by identity().
	newFailures map[string]bool
}

// DiffEntry is one scenario that changed.
type DiffEntry struct {
	Feature string `json:"feature"`
	Name    string `json:"name"`
	// Before and After are its outcomes; "" when absent on that side.
	Before Status `json:"before,omitempty"`
	After  Status `json:"after,omitempty"`
}

// outcome is one scenario's outcome on one side of a diff.
type outcome struct {
	Feature, Name string
	Line          int
	Status        Status
}

// key matches scenarios across runs: feature and name, with the
// occurrence number for a name repeated within a feature.
func (o outcome) key(n int) string {
	k := o.Feature + "\x00" + o.Name
	if n > 0 {
		k += fmt.Sprintf("\x00#%d", n)
	}
	return k
}

// identity names a scenario of one run exactly: feature, name and line.
func identity(feature, name string, line int) string {
	return fmt.Sprintf("%s\x00%s\x00%d", feature, name, line)
}

// keyed returns the outcomes by key, and the keys in order.
func keyed(list []outcome) (map[string]outcome, []string) {
	seen := map[string]int{}
	out := map[string]outcome{}
	var order []string
	for _, o := range list {
		base := o.key(0)
		k := o.key(seen[base])
		seen[base]++
		out[k] = o
		order = append(order, k)
	}
	return out, order
}

// failingOutcome reports whether an outcome is a failure for a diff: a
// waived scenario still fails, its waiver only excuses it.
func failingOutcome(st Status) bool {
	return st == StatusWaived || failing(st)
}

// compare builds the diff of two sides.
func compare(baseline, current []outcome) *Diff {
	d := &Diff{BaselineTotal: len(baseline), CurrentTotal: len(current), newFailures: map[string]bool{}}
	before, beforeOrder := keyed(baseline)
	after, afterOrder := keyed(current)
	for _, k := range afterOrder {
		a := after[k]
		e := DiffEntry{Feature: a.Feature, Name: a.Name, After: a.Status}
		b, ok := before[k]
		if !ok {
			d.New = append(d.New, e)
			if failing(a.Status) {
				d.newFailures[identity(a.Feature, a.Name, a.Line)] = true
			}
			continue
		}
		e.Before = b.Status
		switch {
		case failingOutcome(a.Status) && !failingOutcome(b.Status):
			d.NewlyFailing = append(d.NewlyFailing, e)
			if failing(a.Status) {
				d.newFailures[identity(a.Feature, a.Name, a.Line)] = true
			}
		case a.Status == StatusPassed && b.Status != StatusPassed:
			d.NewlyPassing = append(d.NewlyPassing, e)
		case a.Status != b.Status && !(failingOutcome(a.Status) && failingOutcome(b.Status)):
			d.Changed = append(d.Changed, e)
		}
	}
	for _, k := range beforeOrder {
		if _, ok := after[k]; !ok {
			b := before[k]
			d.Gone = append(d.Gone, DiffEntry{Feature: b.Feature, Name: b.Name, Before: b.Status})
		}
	}
	return d
}

// NewFailure reports whether s, a scenario of the current run, failed and
// the baseline did not have it failing (newly failing, or new and failed):
// what --fail-on-new-only fails the run for.
func (d *Diff) NewFailure(s Scenario) bool {
	return d != nil && d.newFailures[identity(s.Feature, s.Name, s.Line)]
}

// NewFailures counts the current run's new failures.
func (d *Diff) NewFailures() int {
	if d == nil {
		return 0
	}
	return len(d.newFailures)
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.NewlyFailing)+len(d.NewlyPassing)+len(d.New)+len(d.Gone)+len(d.Changed) == 0
}

// runOutcomes lists a run's scenarios as diff outcomes.
func runOutcomes(run Run) []outcome {
	out := make([]outcome, len(run.Scenarios))
	for i, s := range run.Scenarios {
		out[i] = outcome{Feature: s.Feature, Name: s.Name, Line: s.Line, Status: s.Status}
	}
	return out
}

// Baseline is a previous run's outcomes, read from its cucumber.json.
type Baseline struct {
	// Path is the file read.
	Path     string
	outcomes []outcome
}

// Len is the number of scenarios in the baseline.
func (b Baseline) Len() int { return len(b.outcomes) }

// LoadBaseline reads a previous run's Cucumber JSON report: the file
// itself, or a report folder holding cucumber.json. A missing file, a file
// that is not a Cucumber JSON report, and one without scenarios are errors.
func LoadBaseline(path string) (Baseline, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, FileCucumber)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Baseline{}, fmt.Errorf("baseline %s: no such file: give a previous run's %s or its report folder", path, FileCucumber)
		}
		return Baseline{}, fmt.Errorf("baseline: %w", err)
	}
	out, err := parseCucumberOutcomes(b)
	if err != nil {
		return Baseline{}, fmt.Errorf("baseline %s: not a Cucumber JSON report: %w", path, err)
	}
	if len(out) == 0 {
		return Baseline{}, fmt.Errorf("baseline %s: the report holds no scenario", path)
	}
	return Baseline{Path: path, outcomes: out}, nil
}

// Compare returns the diff from the baseline to run.
func (b Baseline) Compare(run Run) *Diff {
	d := compare(b.outcomes, runOutcomes(run))
	d.Baseline = b.Path
	return d
}

// CompareBaselines returns the diff between two stored runs (scimulator
// report diff A B).
func CompareBaselines(before, after Baseline) *Diff {
	d := compare(before.outcomes, after.outcomes)
	d.Baseline, d.Current = before.Path, after.Path
	return d
}

// parseCucumberOutcomes reads each scenario's outcome from a Cucumber JSON
// report, ours or another tool's: any failed, undefined, pending or
// ambiguous step or hook fails it; a step skipped with a "waived" message
// (WriteCucumber) marks it waived, one with "not supported: " not
// supported; other skips skip it; only passed steps pass it.
func parseCucumberOutcomes(data []byte) ([]outcome, error) {
	var feats []struct {
		Name     *string `json:"name"`
		Elements []struct {
			Name   *string    `json:"name"`
			Line   int        `json:"line"`
			Type   string     `json:"type"`
			Before []cukeHook `json:"before"`
			Steps  []cukeStep `json:"steps"`
			After  []cukeHook `json:"after"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &feats); err != nil {
		return nil, fmt.Errorf("want a JSON array of features: %w", err)
	}
	var out []outcome
	for i, f := range feats {
		if f.Name == nil {
			return nil, fmt.Errorf("feature %d has no name", i+1)
		}
		for j, el := range f.Elements {
			if el.Name == nil {
				return nil, fmt.Errorf("feature %q, element %d has no name", *f.Name, j+1)
			}
			if el.Type == "background" {
				continue
			}
			var results []cukeResult
			for _, h := range el.Before {
				results = append(results, h.Result)
			}
			for _, st := range el.Steps {
				results = append(results, st.Result)
			}
			for _, h := range el.After {
				results = append(results, h.Result)
			}
			out = append(out, outcome{Feature: *f.Name, Name: *el.Name, Line: el.Line, Status: cukeOutcome(results)})
		}
	}
	return out, nil
}

// cukeOutcome is a scenario's outcome from its step and hook results.
func cukeOutcome(results []cukeResult) Status {
	st := StatusPassed
	if len(results) == 0 {
		st = StatusSkipped
	}
	for _, r := range results {
		switch r.Status {
		case "passed":
		case "skipped":
			switch {
			case strings.HasPrefix(r.ErrorMessage, "waived"):
				st = StatusWaived
			case strings.HasPrefix(r.ErrorMessage, "not supported: ") && st != StatusWaived:
				st = StatusNotSupported
			case st == StatusPassed:
				st = StatusSkipped
			}
		default: // failed, undefined, pending, ambiguous, anything unknown
			return StatusFailed
		}
	}
	return st
}

// DiffSection is one list of a diff with its heading.
type DiffSection struct {
	Title   string
	Entries []DiffEntry
}

// Sections are the diff's lists with their headings, in print order.
func (d *Diff) Sections() []DiffSection {
	return []DiffSection{
		{"Newly failing", d.NewlyFailing},
		{"Newly passing", d.NewlyPassing},
		{"New", d.New},
		{"Gone", d.Gone},
		{"Other changes", d.Changed},
	}
}

// Transition is "passed → failed", "new: failed" or "gone (was passed)".
func (e DiffEntry) Transition() string {
	switch {
	case e.Before == "":
		return "new: " + string(e.After)
	case e.After == "":
		return "gone (was " + string(e.Before) + ")"
	}
	return string(e.Before) + " → " + string(e.After)
}

// diffMaxLines is how many scenarios of one list the terminal shows.
const diffMaxLines = 20

// WriteDiffText writes the diff for a terminal: one line per changed
// scenario under its heading.
func WriteDiffText(w io.Writer, d *Diff) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	if d.Current != "" {
		p("changes from %s to %s (%d scenarios then, %d now):\n", d.Baseline, d.Current, d.BaselineTotal, d.CurrentTotal)
	} else {
		p("changes since the baseline %s (%d scenarios then, %d now):\n", d.Baseline, d.BaselineTotal, d.CurrentTotal)
	}
	if d.Empty() {
		p("  none: every scenario has the outcome it had\n")
	}
	for _, sec := range d.Sections() {
		if len(sec.Entries) == 0 {
			continue
		}
		p("  %s (%d):\n", strings.ToLower(sec.Title), len(sec.Entries))
		for i, e := range sec.Entries {
			if i == diffMaxLines {
				p("    … and %d more (diff.md lists them all)\n", len(sec.Entries)-i)
				break
			}
			p("    %s  (%s)\n", oneLine(e.Feature+" › "+e.Name, summaryWidth-30), e.Transition())
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

// WriteDiffMarkdown writes the diff as Markdown (diff.md): a count table
// and one table per non-empty list.
func WriteDiffMarkdown(w io.Writer, d *Diff) error {
	bw := bufio.NewWriter(w)
	writeDiffMarkdown(bw, d)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

func writeDiffMarkdown(w io.Writer, d *Diff) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("## Changes since the baseline\n\n")
	p("**Baseline:** %s (%d scenarios)", mdCode(d.Baseline), d.BaselineTotal)
	if d.Current != "" {
		p(" · **Compared with:** %s", mdCode(d.Current))
	}
	p(" · **Now:** %d scenarios\n\n", d.CurrentTotal)
	p("| Newly failing | Newly passing | New | Gone | Other changes |\n|---:|---:|---:|---:|---:|\n")
	p("| %s | %d | %d | %d | %d |\n\n", boldIf(len(d.NewlyFailing)), len(d.NewlyPassing), len(d.New), len(d.Gone), len(d.Changed))
	if d.Empty() {
		p("No scenario changed its outcome.\n\n")
		return
	}
	for _, sec := range d.Sections() {
		if len(sec.Entries) == 0 {
			continue
		}
		p("### %s (%d)\n\n| Feature | Scenario | Change |\n|---|---|---|\n", sec.Title, len(sec.Entries))
		for _, e := range sec.Entries {
			p("| %s | %s | %s |\n", mdText(e.Feature), mdText(e.Name), mdText(e.Transition()))
		}
		p("\n")
	}
}
