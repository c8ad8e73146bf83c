package selftest

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseMutantListRejectsBadEntries(t *testing.T) {
	cases := map[string]string{
		`{"survivors": [{"id": "", "kind": "equivalent", "reason": "r"}]}`:                                                   "empty id",
		`{"survivors": [{"id": "a", "kind": "equivalent", "reason": " "}]}`:                                                  "empty reason",
		`{"survivors": [{"id": "a", "kind": "fine", "reason": "r"}]}`:                                                        `kind "fine"`,
		`{"survivors": [{"id": "a", "kind": "equivalent", "reason": "r"}, {"id": "a", "kind": "known-gap", "reason": "r"}]}`: "listed twice",
		`{"survivors": [], "extra": 1}`:                                                                                      "unknown field",
		`{"survivors": []} {}`:                                                                                               "trailing data",
	}
	for in, want := range cases {
		if _, err := ParseMutantList([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseMutantList(%s) = %v, want an error containing %q", in, err, want)
		}
	}
	l, err := ParseMutantList([]byte(`{"survivors": [{"id": "reference/a.go f: x → y", "kind": "out-of-scope", "reason": "log text"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := l.Lookup("reference/a.go f: x → y"); !ok || d.Reason != "log text" {
		t.Errorf("Lookup = %+v, %v", d, ok)
	}
}

// TestMutantsFileParses: the repository's mutants.json is well formed.
func TestMutantsFileParses(t *testing.T) {
	if _, err := DeclaredMutants(); err != nil {
		t.Fatal(err)
	}
}

func mutResult(file, fn string, line int, orig, mut string, st MutantStatus) MutantResult {
	m := Mutant{File: file, Func: fn, Line: line, Original: orig, Mutated: mut, Op: OpNegate}
	m.ID = file + " " + fn + ": " + orig + " → " + mut
	return MutantResult{Mutant: m, Status: st}
}

func sampleMutationReport() MutationReport {
	killed := mutResult("reference/a.go", "f", 3, "a == b", "a != b", StatusKilled)
	killed.KilledBy = []string{"Users are found"}
	return MutationReport{
		Results: []MutantResult{
			killed,
			mutResult("reference/a.go", "f", 5, "x < 1", "x <= 1", StatusSurvived),
			mutResult("reference/a.go", "g", 9, "ok", "!ok", StatusTimedOut),
			mutResult("reference/b.go", "h", 2, "n > 0", "n >= 0", StatusNotReached),
			mutResult("reference/b.go", "h", 4, "1", "2", StatusNotBuilt),
		},
		Clean: 900 * time.Millisecond, Duration: 75 * time.Second, Workers: 2,
	}
}

func TestMutationCounts(t *testing.T) {
	rep := sampleMutationReport()
	c := rep.Counts()
	want := MutationCounts{Generated: 5, NotBuilt: 1, Run: 3, NotReached: 1, Killed: 2, Survived: 2}
	if c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
	if c.KillRate() != 0.5 {
		t.Errorf("KillRate = %v, want 0.5", c.KillRate())
	}
	pf := rep.PerFile()
	if len(pf) != 2 || pf[0].File != "reference/a.go" || pf[0].Killed != 2 || pf[0].Survived != 1 || pf[1].Survived != 1 || pf[1].NotBuilt != 1 {
		t.Errorf("PerFile = %+v", pf)
	}
}

// TestMutantListCheck: an undeclared survivor, an equivalent mutant now
// killed, and an equivalent mutant that no longer exists are problems; a
// known gap now killed or gone is a note; a declared survivor and an entry
// for a file outside the run are neither.
func TestMutantListCheck(t *testing.T) {
	rep := sampleMutationReport()
	l := MutantList{Survivors: []DeclaredMutant{
		{ID: "reference/b.go h: n > 0 → n >= 0", Kind: KindKnownGap, Reason: "no scenario reaches it"},
		{ID: "reference/a.go f: a == b → a != b", Kind: KindEquivalent, Reason: "wrong"},
		{ID: "reference/a.go gone: x → y", Kind: KindOutOfScope, Reason: "stale"},
		{ID: "reference/a.go g: ok → !ok", Kind: KindKnownGap, Reason: "killed since"},
		{ID: "reference/a.go gone: p → q", Kind: KindKnownGap, Reason: "stale gap"},
		{ID: "reference/c.go k: x → y", Kind: KindEquivalent, Reason: "file not in this run"},
	}}
	probs, notes := l.Check(rep, func(f string) bool { return f != "reference/c.go" })
	wantProbs := []string{
		`mutants.json lists "reference/a.go f: a == b → a != b" as equivalent, but the suite now kills it by "Users are found": remove it`,
		`mutants.json lists "reference/a.go gone: x → y" as out-of-scope, but no such mutant exists any more (the source changed): update or remove it`,
		`survivor not in mutants.json: reference/a.go:5: x < 1 → x <= 1 (id "reference/a.go f: x < 1 → x <= 1")`,
	}
	wantNotes := []string{
		`mutants.json lists "reference/a.go g: ok → !ok" as known-gap, but the suite now kills it: remove it`,
		`mutants.json lists "reference/a.go gone: p → q" as known-gap, but no such mutant exists any more (the source changed): update or remove it`,
	}
	if !slices.Equal(probs, wantProbs) {
		t.Errorf("Check problems:\n got %q\nwant %q", probs, wantProbs)
	}
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("Check notes:\n got %q\nwant %q", notes, wantNotes)
	}
}

func TestWriteMutantsText(t *testing.T) {
	rep := sampleMutationReport()
	l := MutantList{Survivors: []DeclaredMutant{{ID: "reference/b.go h: n > 0 → n >= 0", Kind: KindKnownGap, Reason: "no scenario reaches it"}}}
	var b bytes.Buffer
	if err := WriteMutantsText(&b, rep, l, []string{"survivor not in mutants.json: x"}, []string{"a known gap is killed"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"mutation analysis of 2 files: 5 mutants generated, 1 not built, 3 run by the suite, 1 not reached by any scenario",
		"reference/a.go        3       2         1      66.7%",
		"reference/b.go        1       0         1       0.0%",
		"TOTAL                 4       2         2      50.0%",
		"surviving mutants (2):\nreference/a.go:5: x < 1 → x <= 1  [NOT DECLARED]\nreference/b.go:2: n > 0 → n >= 0  [not reached; known-gap: no scenario reaches it]\n",
		"declared in mutants.json: 0 equivalent, 0 out of scope, 1 known gaps",
		"not built (left out of the kill rate) (1):\nreference/b.go:4: 1 → 2",
		"to tidy up in mutants.json (1):\n  a known gap is killed\n",
		"problems (1):\n  survivor not in mutants.json: x",
		"kill rate 50.0% (2 of 4 killed) — clean suite 900ms, 2 workers, wall time 1m15s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestDeclaredMutantsAreStillSurvivors keeps mutants.json's claims
// honest: every equivalent or out-of-scope mutant it lists still exists in
// the current source (its id is generated) and — unless -short — still
// survives the suite. Only those mutants run, so it costs one build plus a
// few suite runs. Known gaps are a to-do list, kept current by the full
// run (selftest --mutants notes the ones killed since).
func TestDeclaredMutantsAreStillSurvivors(t *testing.T) {
	l, err := DeclaredMutants()
	if err != nil {
		t.Fatal(err)
	}
	root, err := FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := GenerateMutants(t.Context(), root, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range ms {
		ids[m.ID] = true
	}
	var only []string
	for _, d := range l.Survivors {
		if d.Kind == KindKnownGap {
			continue
		}
		if !ids[d.ID] {
			t.Errorf("%s lists %q (%s), which is no longer generated from the source: update or remove it", MutantsFile, d.ID, d.Kind)
		}
		only = append(only, d.ID)
	}
	if len(only) == 0 || t.Failed() {
		return
	}
	if testing.Short() {
		t.Skip("-short: not running the listed mutants")
	}
	var progress bytes.Buffer
	rep, err := RunMutants(context.WithoutCancel(t.Context()), MutationConfig{Root: root, Only: only, Progress: &progress})
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	for _, r := range rep.Results {
		if r.Status.Dead() {
			t.Errorf("%s lists %q as %s, but the suite kills it (%s %v): remove it", MutantsFile, r.ID, l.kindOf(r.ID), r.Status, r.KilledBy)
		}
	}
	if len(rep.Results) != len(only) {
		t.Errorf("ran %d of the %d listed mutants", len(rep.Results), len(only))
	}
}
