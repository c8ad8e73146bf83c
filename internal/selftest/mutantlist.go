package selftest

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// MutantsFile is the declared-survivors file's name in this package's folder.
const MutantsFile = "mutants.json"

//go:embed mutants.json
var mutantsJSON []byte

// The kinds of declared survivor. Equivalent and out-of-scope mutants are
// not detection gaps; a known gap is one, written down so that it is not
// forgotten, and the report prints it apart from the others.
const (
	KindEquivalent = "equivalent"   // no behaviour change at all
	KindOutOfScope = "out-of-scope" // a change the suite does not check by design (log text, wording, capacity)
	KindKnownGap   = "known-gap"    // a real semantic change the suite misses today
)

// DeclaredMutant is one survivor mutants.json accounts for.
type DeclaredMutant struct {
	// ID is the Mutant.ID.
	ID string `json:"id"`
	// Kind is KindEquivalent, KindOutOfScope or KindKnownGap.
	Kind string `json:"kind"`
	// Reason says in one line why the suite cannot or need not kill it.
	Reason string `json:"reason"`
}

// MutantList is mutants.json: the survivors judged equivalent, out of the
// suite's scope, or known gaps. A survivor not listed fails the run.
type MutantList struct {
	Survivors []DeclaredMutant `json:"survivors"`
}

// DeclaredMutants returns the list kept in the repository (mutants.json,
// embedded at build time).
func DeclaredMutants() (MutantList, error) { return ParseMutantList(mutantsJSON) }

// ParseMutantList decodes a mutants.json: unknown fields, empty ids or
// reasons, unknown kinds and repeated ids are errors.
func ParseMutantList(data []byte) (MutantList, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l MutantList
	if err := dec.Decode(&l); err != nil {
		return MutantList{}, fmt.Errorf("parse %s: %w", MutantsFile, err)
	}
	if dec.More() {
		return MutantList{}, fmt.Errorf("parse %s: trailing data after the JSON object", MutantsFile)
	}
	seen := map[string]bool{}
	for i, d := range l.Survivors {
		switch {
		case strings.TrimSpace(d.ID) == "":
			return MutantList{}, fmt.Errorf("parse %s: survivor %d: empty id", MutantsFile, i+1)
		case strings.TrimSpace(d.Reason) == "":
			return MutantList{}, fmt.Errorf("parse %s: survivor %q: empty reason (say why the suite cannot or need not kill it)", MutantsFile, d.ID)
		case d.Kind != KindEquivalent && d.Kind != KindOutOfScope && d.Kind != KindKnownGap:
			return MutantList{}, fmt.Errorf("parse %s: survivor %q: kind %q: want %s, %s or %s", MutantsFile, d.ID, d.Kind, KindEquivalent, KindOutOfScope, KindKnownGap)
		case seen[d.ID]:
			return MutantList{}, fmt.Errorf("parse %s: survivor %q listed twice", MutantsFile, d.ID)
		}
		seen[d.ID] = true
	}
	return l, nil
}

// Lookup returns the declaration of a mutant id.
func (l MutantList) Lookup(id string) (DeclaredMutant, bool) {
	for _, d := range l.Survivors {
		if d.ID == id {
			return d, true
		}
	}
	return DeclaredMutant{}, false
}

// mutantFile is the file part of a mutant id ("reference/x.go func: …").
func mutantFile(id string) string {
	f, _, _ := strings.Cut(id, " ")
	return f
}

// Check compares a mutation report with the list. Problems fail the run:
// a survivor not listed; an equivalent or out-of-scope mutant the suite
// kills (its reason was wrong) or that no longer exists in a file the run
// covered (the source changed: update or remove it). Notes do not: a known
// gap the suite now kills, or that no longer exists, is good news to tidy
// up (remove it), not a regression. covered says whether a file was in the
// run's selection. Both are sorted.
func (l MutantList) Check(rep MutationReport, covered func(file string) bool) (problems, notes []string) {
	byID := map[string]MutantResult{}
	for _, r := range rep.Results {
		byID[r.ID] = r
		if (r.Status == StatusSurvived || r.Status == StatusNotReached) && !l.has(r.ID) {
			problems = append(problems, fmt.Sprintf("survivor not in %s: %s (id %q)", MutantsFile, r.Mutant, r.ID))
		}
	}
	for _, d := range l.Survivors {
		out := &problems
		if d.Kind == KindKnownGap {
			out = &notes
		}
		r, ok := byID[d.ID]
		switch {
		case ok && r.Status.Dead():
			by := ""
			if len(r.KilledBy) > 0 {
				by = " by " + fmt.Sprintf("%q", r.KilledBy[0])
			}
			*out = append(*out, fmt.Sprintf("%s lists %q as %s, but the suite now kills it%s: remove it", MutantsFile, d.ID, d.Kind, by))
		case !ok && covered(mutantFile(d.ID)):
			*out = append(*out, fmt.Sprintf("%s lists %q as %s, but no such mutant exists any more (the source changed): update or remove it", MutantsFile, d.ID, d.Kind))
		}
	}
	sort.Strings(problems)
	sort.Strings(notes)
	return problems, notes
}

func (l MutantList) kindOf(id string) string {
	d, _ := l.Lookup(id)
	return d.Kind
}

func (l MutantList) has(id string) bool {
	_, ok := l.Lookup(id)
	return ok
}

// FileCounts is one file's line of the report.
type FileCounts struct {
	File string
	MutationCounts
}

// PerFile sums the results per file, sorted by file.
func (r MutationReport) PerFile() []FileCounts {
	byFile := map[string][]MutantResult{}
	for _, res := range r.Results {
		byFile[res.File] = append(byFile[res.File], res)
	}
	out := make([]FileCounts, 0, len(byFile))
	for f, rs := range byFile {
		out = append(out, FileCounts{File: f, MutationCounts: countResults(rs)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

func percent(c MutationCounts) string {
	if c.Killed+c.Survived == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*c.KillRate())
}

// WriteMutantsText writes the mutation report: counts, the kill rate per
// file, every survivor as "file:line: original → mutant" (with its
// declaration, if any), the mutants that did not build, and the problems
// and notes Check found.
func WriteMutantsText(w io.Writer, r MutationReport, l MutantList, probs, notes []string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	c := r.Counts()
	p("mutation analysis of %d files: %d mutants generated, %d not built, %d run by the suite, %d not reached by any scenario\n",
		len(r.PerFile()), c.Generated, c.NotBuilt, c.Run, c.NotReached)
	p("(killed: a scenario failed, the suite hung past the timeout, or the server crashed)\n\n")
	width := len("TOTAL")
	for _, f := range r.PerFile() {
		width = max(width, len(f.File))
	}
	p("%-*s  %7s  %6s  %8s  %9s\n", width, "FILE", "MUTANTS", "KILLED", "SURVIVED", "KILL RATE")
	for _, f := range r.PerFile() {
		p("%-*s  %7d  %6d  %8d  %9s\n", width, f.File, f.Killed+f.Survived, f.Killed, f.Survived, percent(f.MutationCounts))
	}
	p("%-*s  %7d  %6d  %8d  %9s\n", width, "TOTAL", c.Killed+c.Survived, c.Killed, c.Survived, percent(c))

	surv := r.Survivors()
	p("\nsurviving mutants (%d):\n", len(surv))
	kinds := map[string]int{}
	for _, s := range surv {
		var notes []string
		if s.Status == StatusNotReached {
			notes = append(notes, "not reached")
		}
		if s.Detail != "" {
			notes = append(notes, s.Detail)
		}
		if d, ok := l.Lookup(s.ID); ok {
			kinds[d.Kind]++
			notes = append(notes, d.Kind+": "+d.Reason)
		} else {
			notes = append(notes, "NOT DECLARED")
		}
		p("%s  [%s]\n", s.Mutant, strings.Join(notes, "; "))
	}
	if len(surv) > 0 {
		p("declared in %s: %d equivalent, %d out of scope, %d known gaps\n", MutantsFile,
			kinds[KindEquivalent], kinds[KindOutOfScope], kinds[KindKnownGap])
	}
	var unbuilt []MutantResult
	for _, res := range r.Results {
		if res.Status == StatusNotBuilt {
			unbuilt = append(unbuilt, res)
		}
	}
	if len(unbuilt) > 0 {
		p("\nnot built (left out of the kill rate) (%d):\n", len(unbuilt))
		for _, u := range unbuilt {
			p("%s  [%s]\n", u.Mutant, u.Detail)
		}
	}
	if len(notes) > 0 {
		p("\nto tidy up in %s (%d):\n", MutantsFile, len(notes))
		for _, n := range notes {
			p("  %s\n", n)
		}
	}
	if len(probs) > 0 {
		p("\nproblems (%d):\n", len(probs))
		for _, pr := range probs {
			p("  %s\n", pr)
		}
	}
	p("\nkill rate %s (%d of %d killed) — clean suite %s, %d workers, wall time %s\n", percent(c), c.Killed, c.Killed+c.Survived,
		r.Clean.Round(time.Millisecond), r.Workers, r.Duration.Round(time.Second))
	return bw.Flush()
}

// WriteMutantsJSON writes the report, the problems and the notes as one
// JSON object.
func WriteMutantsJSON(w io.Writer, r MutationReport, probs, notes []string) error {
	c := r.Counts()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		MutationReport
		KillRate float64        `json:"kill_rate"`
		Counts   MutationCounts `json:"counts"`
		Problems []string       `json:"problems"`
		Notes    []string       `json:"notes"`
	}{r, c.KillRate(), c, append([]string{}, probs...), append([]string{}, notes...)})
}

// InMutationScope reports whether a module-relative file is mutated by a
// run over the given globs (all files of the scope when none).
func InMutationScope(file string, globs []string) bool {
	return inScope(file) && matchAny(globs, file)
}
