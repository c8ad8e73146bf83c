package selftest

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

func TestParseExpectations(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Expectations
		wantErr string
	}{
		{"valid", `{"a":["X","Y"],"b":["Z"]}`, Expectations{"a": {"X", "Y"}, "b": {"Z"}}, ""},
		{"empty object", `{}`, Expectations{}, ""},
		{"null", `null`, nil, "got null"},
		{"not an object", `["a"]`, nil, "parse expectations"},
		{"value not a list", `{"a":"X"}`, nil, "parse expectations"},
		{"empty list", `{"a":[]}`, nil, `fault "a": no scenarios listed`},
		{"empty scenario", `{"a":["X",""]}`, nil, `fault "a": empty scenario name`},
		{"blank scenario", `{"a":["  "]}`, nil, `fault "a": empty scenario name`},
		{"repeated scenario", `{"a":["X","X"]}`, nil, `scenario "X" listed twice`},
		{"empty fault", `{"":["X"]}`, nil, "empty fault name"},
		{"trailing data", `{"a":["X"]} {}`, nil, "trailing data"},
		{"truncated", `{"a":["X"`, nil, "parse expectations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseExpectations([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseExpectations error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMarshalIsSortedAndRoundTrips(t *testing.T) {
	e := Expectations{"z-fault": {"b", "a"}, "a-fault": {"Quote \" and <tag>"}}
	data, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a-fault\": [\n    \"Quote \\\" and \\u003ctag\\u003e\"\n  ],\n  \"z-fault\": [\n    \"a\",\n    \"b\"\n  ]\n}\n"
	if string(data) != want {
		t.Errorf("Marshal =\n%s\nwant\n%s", data, want)
	}
	back, err := ParseExpectations(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, Expectations{"z-fault": {"a", "b"}, "a-fault": {"Quote \" and <tag>"}}) {
		t.Errorf("round trip = %v", back)
	}
	if !reflect.DeepEqual(e["z-fault"], []string{"b", "a"}) {
		t.Error("Marshal reordered the caller's slice")
	}
}

// report builds a Report from a clean record and outcomes.
func report(clean reports.Run, outcomes ...Outcome) Report {
	return Report{Clean: clean, Outcomes: outcomes}
}

func faultOutcome(name string, failed ...string) Outcome {
	return Outcome{Fault: faults(name)[0], Failed: failed}
}

func TestCheck(t *testing.T) {
	clean := record(passing("A"), passing("B"), passing("C"))
	tests := []struct {
		name string
		exp  Expectations
		rep  Report
		want []string
	}{
		{"listed scenarios failed", Expectations{"f": {"A", "B"}}, report(clean, faultOutcome("f", "A", "B")), nil},
		{"other scenarios may fail too", Expectations{"f": {"A"}}, report(clean, faultOutcome("f", "A", "B", "C")), nil},
		{"listed scenario stopped failing", Expectations{"f": {"A", "B"}}, report(clean, faultOutcome("f", "A")),
			[]string{`f: scenario "B": expected to fail under the fault but did not`}},
		{"listed scenario no longer in the suite", Expectations{"f": {"A", "Gone"}}, report(clean, faultOutcome("f", "A")),
			[]string{`f: scenario "Gone": expected scenario is not in the suite`}},
		{"fault missing from the file", Expectations{"f": {"A"}}, report(clean, faultOutcome("f", "A"), faultOutcome("new", "B")),
			[]string{"new: fault missing from the expectation file"}},
		{"suite could not run", Expectations{"f": {"A"}},
			report(clean, Outcome{Fault: faults("f")[0], Err: errors.New("boom")}),
			[]string{"f: the suite could not run under the fault"}},
		{"entries for faults not injected are ignored", Expectations{"f": {"A"}, "other": {"B"}},
			report(clean, faultOutcome("f", "A")), nil},
		{"sorted by fault then scenario", Expectations{"b": {"C", "A"}, "a": {"B"}},
			report(clean, faultOutcome("b"), faultOutcome("a")),
			[]string{
				`a: scenario "B": expected to fail under the fault but did not`,
				`b: scenario "A": expected to fail under the fault but did not`,
				`b: scenario "C": expected to fail under the fault but did not`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range tt.exp.Check(tt.rep) {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestCheckFaults(t *testing.T) {
	e := Expectations{"a": {"X"}, "gone": {"Y"}}
	var got []string
	for _, p := range e.CheckFaults(faults("a", "b")) {
		got = append(got, p.String())
	}
	want := []string{
		"b: fault missing from the expectation file",
		"gone: expectation file names a fault the reference server does not have",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckFaults = %q, want %q", got, want)
	}
}

func TestFromReport(t *testing.T) {
	rep := report(record(),
		Outcome{Fault: faults("mixed")[0], Failed: []string{"A", "B", "C"}, InSetup: []string{"B"}},
		Outcome{Fault: faults("setup-only")[0], Failed: []string{"A", "B"}, InSetup: []string{"A", "B"}},
		Outcome{Fault: faults("missed")[0]},
		Outcome{Fault: faults("broken")[0], Failed: []string{"A"}, Err: errors.New("boom")},
	)
	// setup-only is not caught (no failure outside set-up): no entry.
	want := Expectations{"mixed": {"A", "C"}}
	if got := FromReport(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("FromReport = %v, want %v", got, want)
	}
}

func TestRefresh(t *testing.T) {
	clean := record(passing("A"), passing("B"), passing("C"))
	old := Expectations{
		"curated": {"A"},      // still valid: kept although B failed too
		"stale":   {"A", "C"}, // C stopped failing: rewritten
		"lost":    {"A"},      // no longer caught: dropped
		"ghost":   {"A"},      // not a known fault: dropped
	}
	rep := report(clean,
		Outcome{Fault: faults("curated")[0], Failed: []string{"A", "B"}},
		Outcome{Fault: faults("stale")[0], Failed: []string{"A", "B"}, InSetup: []string{"B"}},
		Outcome{Fault: faults("lost")[0]},
		Outcome{Fault: faults("new")[0], Failed: []string{"C"}},
	)
	got, notes := old.Refresh(rep, faults("curated", "stale", "lost", "new"))
	want := Expectations{"curated": {"A"}, "stale": {"A"}, "new": {"C"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Refresh = %v, want %v", got, want)
	}
	joined := strings.Join(notes, "\n")
	for _, w := range []string{"ghost: dropped", "stale: rewritten", "new: rewritten", "lost: no scenario caught it"} {
		if !strings.Contains(joined, w) {
			t.Errorf("notes lack %q:\n%s", w, joined)
		}
	}
	if strings.Contains(joined, "curated") {
		t.Errorf("a valid hand-reviewed entry was touched:\n%s", joined)
	}
	if !reflect.DeepEqual(old["stale"], []string{"A", "C"}) {
		t.Error("Refresh modified the receiver")
	}
}

func TestExpectedCoversEveryKnownFault(t *testing.T) {
	exp, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	// Without a suite run: the file names exactly the reference's faults.
	if probs := exp.CheckFaults(reference.KnownFaults()); len(probs) > 0 {
		t.Errorf("%s does not match reference.KnownFaults: %v", ExpectedFile, probs)
	}
}

// TestCheckRefusesSetupOnlyFailures: an expected scenario that failed only
// in a Given did not check its rule.
func TestCheckRefusesSetupOnlyFailures(t *testing.T) {
	clean := record(passing("A"), passing("B"))
	exp := Expectations{"f": {"A", "B"}}
	rep := report(clean, Outcome{Fault: faults("f")[0], Failed: []string{"A", "B"}, InSetup: []string{"B"}})
	want := []Problem{{Fault: "f", Scenario: "B", Kind: OnlyInSetup}}
	if got := exp.Check(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("Check = %v, want %v", got, want)
	}
}
