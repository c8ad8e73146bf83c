package selftest

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/scimulator/scimulator/features"
	"github.com/scimulator/scimulator/reference"
)

var update = flag.Bool("update", false,
	"rewrite the missing or stale entries of expected.json from a real run, and the README table; review the diff by hand")

// TestSelftest runs the real suite against the clean in-process reference
// server and against every fault of reference.KnownFaults, each alone, and
// holds it to expected.json: the clean run fully passes, every fault is
// caught, every scenario listed for a fault fails under it (so a scenario
// that silently stops checking its rule breaks the build), and every fault
// has an entry.
func TestSelftest(t *testing.T) {
	started := time.Now()
	rep, err := Run(t.Context(), Config{Runner: SuiteRunner(0)})
	if err != nil {
		t.Fatalf("selftest: %v", err)
	}
	t.Logf("selftest: %d faults, clean run %d scenarios, wall time %s", len(rep.Outcomes), len(rep.Clean.Scenarios),
		time.Since(started).Round(time.Millisecond))
	if !rep.CleanPassed() {
		var buf bytes.Buffer
		_ = WriteText(&buf, rep, nil)
		t.Fatalf("the clean reference server must pass every scenario:\n%s", buf.String())
	}

	known := reference.KnownFaults()
	if len(rep.Outcomes) != len(known) {
		t.Fatalf("selftest injected %d faults, reference.KnownFaults has %d", len(rep.Outcomes), len(known))
	}
	exp := readExpected(t)
	if *update {
		refreshed, notes := exp.Refresh(rep, known)
		for _, n := range notes {
			t.Logf("update %s: %s", ExpectedFile, n)
		}
		data, err := refreshed.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(ExpectedFile, data, 0o644); err != nil {
			t.Fatalf("update %s: %v", ExpectedFile, err)
		}
		exp = refreshed
	}

	for _, p := range exp.CheckFaults(known) {
		t.Errorf("%s", p)
	}
	problems := map[string][]Problem{}
	for _, p := range exp.Check(rep) {
		problems[p.Fault] = append(problems[p.Fault], p)
	}
	for _, o := range rep.Outcomes {
		t.Run(o.Fault.Name, func(t *testing.T) {
			if o.Err != nil {
				t.Fatalf("the suite could not run under the fault: %v", o.Err)
			}
			if !o.Caught() {
				t.Errorf("fault %q (%s) is not caught: no scenario failed under it", o.Fault.Name, o.Fault.Description)
			}
			for _, p := range problems[o.Fault.Name] {
				t.Errorf("%s", p)
			}
		})
	}
	if t.Failed() && !*update {
		t.Logf("if the change is intended: go test ./internal/selftest -run TestSelftest -update, then review %s by hand", ExpectedFile)
	}
}

// TestReadmeTable keeps the README's fault table generated from
// reference.KnownFaults and expected.json.
func TestReadmeTable(t *testing.T) {
	const readmeFile = "../../README.md" // the fault table lives in the top README
	raw, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReplaceTable(string(raw), MarkdownTable(reference.KnownFaults(), readExpected(t)))
	if err != nil {
		t.Fatal(err)
	}
	if want == string(raw) {
		return
	}
	if *update {
		if err := os.WriteFile(readmeFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s's fault table is stale: go test ./internal/selftest -run TestReadmeTable -update", readmeFile)
}

// TestEmbeddedExpectations checks that the copy of the expectation file
// compiled into the binary (used by scimulator selftest) parses and is in
// the canonical form Marshal writes, so hand edits keep diffs reviewable.
func TestEmbeddedExpectations(t *testing.T) {
	exp, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	canonical, err := exp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canonical, expectedJSON) {
		t.Errorf("%s is not in canonical form (sorted faults and scenarios, two-space indent); rewrite it with Marshal", ExpectedFile)
	}
}

// readExpected reads expected.json from disk (not the embedded copy), so
// that an -update in the same run is seen.
func readExpected(t *testing.T) Expectations {
	t.Helper()
	data, err := os.ReadFile(ExpectedFile)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := ParseExpectations(data)
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

// TestSelftestCatchesAScenarioThatStopsChecking weakens the suite the way a
// careless edit would (each ServiceProviderConfig scenario loses all but
// one of its Then steps, the one the fault does not break, so it passes
// whatever the server claims) and checks that the self-test then reports
// the fault as missed and each scenario as no longer failing.
func TestSelftestCatchesAScenarioThatStopsChecking(t *testing.T) {
	const fault = reference.FaultSPCMisreports
	// weakenings: per feature file, the scenario checking the fault's rule,
	// the steps this test removes and the one it keeps.
	weakenings := map[string]struct{ scenario, checks, kept string }{
		"protocol.feature": {
			scenario: "ServiceProviderConfig tells the truth about PATCH, filter, ETag and bulk",
			checks: "    Then the response body has \"patch.supported\" equal to true\n" +
				"    And the response body has \"filter.supported\" equal to true\n" +
				"    And the response body has \"etag.supported\" equal to true\n" +
				"    And the response body has \"bulk.supported\" equal to false\n" +
				"    And the response body has \"changePassword.supported\" equal to false\n",
			kept: "    Then the response body has \"filter.supported\" equal to true\n",
		},
		"discovery.feature": {
			scenario: "ServiceProviderConfig states every capability exactly",
			checks: "    And the response body has \"patch.supported\" equal to true\n" +
				"    And the response body has \"filter.supported\" equal to true\n" +
				"    And the response body has \"filter.maxResults\" as a positive integer\n" +
				"    And the response body has \"etag.supported\" equal to true\n" +
				"    And the response body has \"bulk.supported\" equal to false\n" +
				"    And the response body has \"sort.supported\" equal to false\n" +
				"    And the response body has \"changePassword.supported\" equal to false\n",
			kept: "    And the response body has \"filter.supported\" equal to true\n",
		},
	}
	exp := readExpected(t)
	var scenarios []string
	for _, w := range weakenings {
		scenarios = append(scenarios, w.scenario)
	}
	slices.Sort(scenarios)
	if got := slices.Sorted(slices.Values(exp[fault])); !slices.Equal(got, scenarios) {
		t.Fatalf("this test assumes %s lists exactly %q for %s, not %q; adapt it", ExpectedFile, scenarios, fault, got)
	}
	weakened := fstest.MapFS{}
	err := fs.WalkDir(features.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(features.FS(), path)
		if err != nil {
			return err
		}
		if w, ok := weakenings[path]; ok {
			if !bytes.Contains(data, []byte(w.checks)) {
				return fmt.Errorf("%s no longer holds the steps this test removes; adapt it", path)
			}
			data = bytes.Replace(data, []byte(w.checks), []byte(w.kept), 1)
		}
		weakened[path] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	rep, err := Run(t.Context(), Config{Runner: suiteRunner(weakened, 0, nil), Faults: []reference.Fault{{Name: fault}}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.CleanPassed() {
		t.Fatal("the weakened suite should still pass on the clean server")
	}
	if o, _ := rep.Outcome(fault); o.Caught() {
		t.Errorf("%s is still caught by %v after its checks were removed", fault, o.Failed)
	}
	probs := exp.Check(rep)
	for _, sc := range scenarios {
		if want := (Problem{Fault: fault, Scenario: sc, Kind: StoppedFailing}); !slices.Contains(probs, want) {
			t.Errorf("Check = %v, want it to contain %v", probs, want)
		}
	}
}

// TestSuiteRunnerRejectsUnknownFaults: a misspelt fault must not look
// caught because every scenario failed to start its server.
func TestSuiteRunnerRejectsUnknownFaults(t *testing.T) {
	rep, err := Run(t.Context(), Config{Runner: SuiteRunner(0), Faults: []reference.Fault{{Name: "no-such-fault"}}})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := rep.Outcome("no-such-fault")
	if o.Caught() || o.Err == nil || !strings.Contains(o.Err.Error(), `unknown fault "no-such-fault"`) {
		t.Errorf("outcome = caught %v, err %v; want not caught with an unknown-fault error", o.Caught(), o.Err)
	}
}
