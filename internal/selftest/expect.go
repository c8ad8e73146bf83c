package selftest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/reference"
)

// ExpectedFile is the expectation file's name in this package's folder.
const ExpectedFile = "expected.json"

//go:embed expected.json
var expectedJSON []byte

// Expectations maps each fault name to the names of the scenarios that must
// fail under it: the ones that genuinely check the rule the fault breaks. The file is generated from a real run
// (go test ./internal/selftest -run TestSelftest -update) and reviewed by
// hand: a scenario listed for a fault must genuinely check the rule the
// fault breaks.
type Expectations map[string][]string

// Expected returns the expectations kept in the repository (expected.json,
// embedded at build time).
func Expected() (Expectations, error) {
	return ParseExpectations(expectedJSON)
}

// ParseExpectations decodes an expectation file: one JSON object whose keys
// are fault names and whose values are non-empty lists of distinct,
// non-empty scenario names.
func ParseExpectations(data []byte) (Expectations, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var e Expectations
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("parse expectations: %w", err)
	}
	if dec.More() {
		return nil, errors.New("parse expectations: trailing data after the JSON object")
	}
	if e == nil {
		return nil, errors.New("parse expectations: want a JSON object of fault name to scenario names, got null")
	}
	for _, fault := range sortedKeys(e) {
		names := e[fault]
		if strings.TrimSpace(fault) == "" {
			return nil, errors.New("parse expectations: empty fault name")
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("parse expectations: fault %q: no scenarios listed (a fault no scenario catches is a detection gap, not an expectation)", fault)
		}
		seen := map[string]bool{}
		for _, n := range names {
			switch {
			case strings.TrimSpace(n) == "":
				return nil, fmt.Errorf("parse expectations: fault %q: empty scenario name", fault)
			case seen[n]:
				return nil, fmt.Errorf("parse expectations: fault %q: scenario %q listed twice", fault, n)
			}
			seen[n] = true
		}
	}
	return e, nil
}

// Marshal encodes the expectations as indented JSON with sorted faults and
// scenarios, so regenerating the file gives a reviewable diff.
func (e Expectations) Marshal() ([]byte, error) {
	sorted := make(Expectations, len(e))
	for k, v := range e {
		s := slices.Clone(v)
		sort.Strings(s)
		sorted[k] = s
	}
	// encoding/json sorts map keys.
	out, err := json.MarshalIndent(sorted, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode expectations: %w", err)
	}
	return append(out, '\n'), nil
}

// FromReport proposes expectations from what a self-test observed: for
// every caught fault, the scenarios that failed under it in a When or Then
// step, the steps that check the scenario's rule. Scenarios that only failed
// in set-up (Outcome.InSetup) are left out, because they do not check the
// rule the fault breaks (a fault caught only in set-up is not caught at
// all). Missed faults get no entry, so a later Check
// reports them rather than enshrining the gap. The result is a proposal to
// review by hand.
func FromReport(r Report) Expectations {
	e := Expectations{}
	for _, o := range r.Outcomes {
		if !o.Caught() {
			continue
		}
		// Caught means at least one failure outside set-up, so this is
		// never empty.
		e[o.Fault.Name] = o.Checked()
	}
	return e
}

// Problem is one difference between a self-test and the expectations.
type Problem struct {
	// Fault is the fault concerned.
	Fault string
	// Scenario is the scenario concerned; empty for fault-level problems.
	Scenario string
	// Kind says what is wrong.
	Kind ProblemKind
}

// ProblemKind classifies a Problem.
type ProblemKind string

// The kinds of Problem.
const (
	// NotExpected: the fault has no entry in the expectation file.
	NotExpected ProblemKind = "fault missing from the expectation file"
	// UnknownFault: the file names a fault the reference does not have.
	UnknownFault ProblemKind = "expectation file names a fault the reference server does not have"
	// StoppedFailing: an expected scenario passed under its fault, so it
	// no longer checks the rule the fault breaks.
	StoppedFailing ProblemKind = "expected to fail under the fault but did not"
	// UnknownScenario: the file names a scenario the suite does not have
	// (renamed or removed).
	UnknownScenario ProblemKind = "expected scenario is not in the suite"
	// RunError: the suite could not run under the fault.
	RunError ProblemKind = "the suite could not run under the fault"
	// OnlyInSetup: an expected scenario failed under the fault, but in a
	// Given step, so it did not check the rule.
	OnlyInSetup ProblemKind = "expected to fail on its rule but failed only in set-up (a Given step)"
)

// String renders the problem for a test failure or a terminal.
func (p Problem) String() string {
	if p.Scenario == "" {
		return fmt.Sprintf("%s: %s", p.Fault, p.Kind)
	}
	return fmt.Sprintf("%s: scenario %q: %s", p.Fault, p.Scenario, p.Kind)
}

// CheckFaults compares the file's fault names with the reference server's
// fault switches: every known fault must have an entry and every entry must
// name a known fault.
func (e Expectations) CheckFaults(known []reference.Fault) []Problem {
	var probs []Problem
	names := map[string]bool{}
	for _, f := range known {
		names[f.Name] = true
		if _, ok := e[f.Name]; !ok {
			probs = append(probs, Problem{Fault: f.Name, Kind: NotExpected})
		}
	}
	for _, fault := range sortedKeys(e) {
		if !names[fault] {
			probs = append(probs, Problem{Fault: fault, Kind: UnknownFault})
		}
	}
	return probs
}

// Check compares a self-test with the expectations, for the faults the
// self-test injected: each must have an entry, and every listed scenario
// must exist and have failed under it outside its set-up (a failure in a
// Given does not check the rule). Other scenarios may fail too (a
// fault often breaks the set-up of scenarios about other rules); the list
// is the reviewed subset that genuinely checks the fault's rule. Problems
// come sorted by fault, then scenario.
func (e Expectations) Check(r Report) []Problem {
	suite := map[string]bool{}
	for _, s := range r.Clean.Scenarios {
		suite[s.Name] = true
	}
	var probs []Problem
	for _, o := range r.Outcomes {
		want, ok := e[o.Fault.Name]
		switch {
		case !ok:
			probs = append(probs, Problem{Fault: o.Fault.Name, Kind: NotExpected})
			continue
		case o.Err != nil:
			probs = append(probs, Problem{Fault: o.Fault.Name, Kind: RunError})
			continue
		}
		got, setup := map[string]bool{}, map[string]bool{}
		for _, n := range o.Failed {
			got[n] = true
		}
		for _, n := range o.InSetup {
			setup[n] = true
		}
		for _, n := range sortedCopy(want) {
			switch {
			case !suite[n]:
				probs = append(probs, Problem{Fault: o.Fault.Name, Scenario: n, Kind: UnknownScenario})
			case !got[n]:
				probs = append(probs, Problem{Fault: o.Fault.Name, Scenario: n, Kind: StoppedFailing})
			case setup[n]:
				probs = append(probs, Problem{Fault: o.Fault.Name, Scenario: n, Kind: OnlyInSetup})
			}
		}
	}
	sort.SliceStable(probs, func(i, j int) bool {
		if probs[i].Fault != probs[j].Fault {
			return probs[i].Fault < probs[j].Fault
		}
		return probs[i].Scenario < probs[j].Scenario
	})
	return probs
}

func sortedKeys(e Expectations) []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return c
}

// Refresh returns the expectations updated from a self-test, for the
// test's -update flag: an entry whose fault was injected is replaced by
// FromReport's proposal when it is missing or Check finds a problem with it,
// and kept as it is (hand-reviewed) otherwise; entries naming faults outside
// known are dropped. Notes say what changed, for the reviewer.
func (e Expectations) Refresh(r Report, known []reference.Fault) (Expectations, []string) {
	out := make(Expectations, len(e))
	for k, v := range e {
		out[k] = slices.Clone(v)
	}
	var notes []string
	isKnown := map[string]bool{}
	for _, f := range known {
		isKnown[f.Name] = true
	}
	for _, fault := range sortedKeys(out) {
		if !isKnown[fault] {
			delete(out, fault)
			notes = append(notes, fmt.Sprintf("%s: dropped (no such fault)", fault))
		}
	}
	proposed := FromReport(r)
	stale := map[string]bool{}
	for _, p := range e.Check(r) {
		stale[p.Fault] = true
	}
	for _, o := range r.Outcomes {
		name := o.Fault.Name
		if !stale[name] || !isKnown[name] {
			continue
		}
		if names, ok := proposed[name]; ok {
			out[name] = names
			notes = append(notes, fmt.Sprintf("%s: rewritten from the run (%d scenarios); review that each genuinely checks the rule", name, len(names)))
		} else {
			delete(out, name)
			notes = append(notes, fmt.Sprintf("%s: no scenario caught it; left without an entry (a detection gap)", name))
		}
	}
	return out, notes
}
