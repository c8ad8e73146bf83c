package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/selftest"
)

func writeWaivers(t *testing.T, dir, expires string) string {
	t.Helper()
	path := filepath.Join(dir, "waivers-"+expires+".yaml")
	body := "waivers:\n" +
		"  - scenario: \"@pagination\"\n" +
		"    reason: \"paging fix ships in 2.4\"\n" +
		"    owner: \"scim-team\"\n" +
		"    expires: " + expires + "\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunWithWaivers is issue 13's first "done when": a run against the
// reference server with a fault and a waiver for the scenario it breaks
// exits 0 and every report shows it waived; with the waiver expired the
// same run exits 1 and says why.
func TestRunWithWaivers(t *testing.T) {
	dir := t.TempDir()
	args := func(waivers, report string) []string {
		// paging.feature (@pagination @filter) checks the same rule on
		// filtered pages; left out so the one waiver covers the run.
		return []string{"run", "--fault", "items-per-page-requested", "--tags", "@pagination&&~@filter",
			"--waivers", waivers, "--report-dir", filepath.Join(dir, report)}
	}

	code, stdout, stderr := runCLI(mapEnv(nil), args(writeWaivers(t, dir, "2099-12-31"), "valid")...)
	if code != 0 {
		t.Fatalf("valid waiver: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "waived (known failures; they do not fail the run):") || !strings.Contains(stdout, "owner scim-team, until 2099-12-31: paging fix ships in 2.4") {
		t.Errorf("summary does not show the waiver:\n%s", stdout)
	}
	junit, err := os.ReadFile(filepath.Join(dir, "valid", "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit, &doc); err != nil {
		t.Fatal(err)
	}
	var waived []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Skipped != nil && strings.HasPrefix(c.Skipped.Message, "waived (owner scim-team") {
				waived = append(waived, c.Name)
			}
		}
	}
	if !slices.Contains(waived, "itemsPerPage is the number of resources actually returned") || doc.Failures != 0 {
		t.Errorf("junit: waived %q, %d failures; want the itemsPerPage scenario among the waived and no failure", waived, doc.Failures)
	}
	for file, want := range map[string]string{
		"report.html": `<span class="badge waived">waived</span>`,
		"summary.md":  "| SCIM protocol basics Okta relies on › itemsPerPage is the number of resources actually returned | scim-team | 2099-12-31 | paging fix ships in 2.4 |",
	} {
		b, err := os.ReadFile(filepath.Join(dir, "valid", file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q (err %v)", file, want, err)
		}
	}

	code, stdout, stderr = runCLI(mapEnv(nil), args(writeWaivers(t, dir, "2020-01-31"), "expired")...)
	if code != 1 {
		t.Fatalf("expired waiver: exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "expired on 2020-01-31: the failure counts again") {
		t.Errorf("exit message does not say the waiver expired:\n%s", stderr)
	}
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), "waiver: the waiver at") {
		t.Errorf("summary does not say why:\n%s", stdout)
	}
}

// TestRunWaiverErrors: waiver files the run refuses before it starts.
func TestRunWaiverErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.yaml": "waivers:\n  - scenario: No such scenario\n    reason: r\n    owner: o\n",
		"b.yaml": "waivers:\n  - scenario: \"@nosuch\"\n    reason: r\n    owner: o\n",
		"c.yaml": "waivers: [\n",
		"d.yaml": "waivers:\n  - scenario: \"@groups\"\n    reason: r\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name string) string { return filepath.Join(dir, name) }
	for _, tc := range []struct{ name, file, want string }{
		{"unknown scenario", write("a.yaml"), `no scenario is named "No such scenario"`},
		{"unknown tag", write("b.yaml"), "no scenario has the tag @nosuch"},
		{"malformed YAML", write("c.yaml"), "not valid YAML"},
		{"missing owner", write("d.yaml"), "has no owner"},
		{"missing file", filepath.Join(dir, "none.yaml"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			report := filepath.Join(dir, "report-"+tc.name)
			code, _, stderr := runCLI(mapEnv(nil), "run", "--waivers", tc.file, "--report-dir", report)
			if code != 2 || !strings.Contains(stderr, "--waivers: ") || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 with %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(report); err == nil {
				t.Error("a refused run created its report folder")
			}
		})
	}
}

// diffSection returns the scenario names in one "### Title (n)" table of a
// diff.md.
func diffSection(md, title string) []string {
	_, rest, ok := strings.Cut(md, "### "+title+" (")
	if !ok {
		return nil
	}
	section, _, _ := strings.Cut(rest, "\n\n### ")
	var out []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) == 3 && strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| Feature ") {
			out = append(out, cells[1])
		}
	}
	slices.Sort(out)
	return out
}

// TestBaselineDiffOfAFault is issue 13's second "done when": the diff
// between a clean run and a --fault run lists exactly the scenarios that
// fault breaks (those its run fails, the selftest's expectation among
// them), live (--baseline) and
// offline (report diff); --fail-on-new-only lets failures the baseline
// already had through.
func TestBaselineDiffOfAFault(t *testing.T) {
	const fault = "case-sensitive-username"
	exp, err := selftest.Expected()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	clean, faulty := filepath.Join(dir, "clean"), filepath.Join(dir, "fault")
	if code, stdout, stderr := runCLI(mapEnv(nil), "run", "--report-dir", clean); code != 0 {
		t.Fatalf("clean run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr := runCLI(mapEnv(nil), "run", "--fault", fault, "--baseline", filepath.Join(clean, "cucumber.json"), "--report-dir", faulty)
	if code != 1 {
		t.Fatalf("fault run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "changes since the baseline") || !strings.Contains(stdout, "newly failing (") {
		t.Errorf("the run does not print the diff:\n%s", stdout)
	}
	md, err := os.ReadFile(filepath.Join(faulty, "diff.md"))
	if err != nil {
		t.Fatal(err)
	}
	// What the fault breaks, read independently of the diff: the
	// scenarios the fault run's JUnit report has failing (the clean run
	// passed them all). The selftest's expectation for the fault, for the
	// scenarios this run selects (it covers Entra's too), must be among
	// them.
	want := junitFailures(t, filepath.Join(faulty, "junit.xml"))
	selected := cucumberNames(t, filepath.Join(clean, "cucumber.json"))
	var expected []string
	for _, name := range exp[fault] {
		if selected[name] {
			expected = append(expected, name)
			if !slices.Contains(want, name) {
				t.Errorf("the selftest expects %s to break %q, but the run did not fail it", fault, name)
			}
		}
	}
	if len(expected) < 2 {
		t.Fatalf("the selftest expects %v of %s in this run; the test needs a fault that breaks several scenarios", expected, fault)
	}
	got := diffSection(string(md), "Newly failing")
	if !slices.Equal(got, want) {
		t.Errorf("newly failing:\n  %s\nwant exactly what %s breaks:\n  %s", strings.Join(got, "\n  "), fault, strings.Join(want, "\n  "))
	}
	for _, other := range []string{"Newly passing", "New", "Gone", "Other changes"} {
		if got := diffSection(string(md), other); len(got) > 0 {
			t.Errorf("%s: %v, want none", other, got)
		}
	}
	if page, _ := os.ReadFile(filepath.Join(faulty, "report.html")); !strings.Contains(string(page), `<h2 id="diff">Changes since the baseline</h2>`) {
		t.Error("report.html has no diff section")
	}

	// Offline, the same diff; --fail-on-new turns new failures into exit 1.
	out := filepath.Join(dir, "offline", "diff.md")
	code, stdout, stderr = runCLI(mapEnv(nil), "report", "diff", clean, faulty, "--out", out)
	if code != 0 {
		t.Fatalf("report diff: exit %d\n%s\n%s", code, stdout, stderr)
	}
	offline, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := diffSection(string(offline), "Newly failing"); !slices.Equal(got, want) {
		t.Errorf("report diff lists %v", got)
	}
	if code, _, stderr = runCLI(mapEnv(nil), "report", "diff", "--fail-on-new", clean, faulty); code != 1 || !strings.Contains(stderr, "scenarios fail in") {
		t.Errorf("report diff --fail-on-new: exit %d\n%s", code, stderr)
	}
	if code, _, _ = runCLI(mapEnv(nil), "report", "diff", "--fail-on-new", faulty, clean); code != 0 {
		t.Errorf("report diff --fail-on-new from the fault run to the clean one: exit %d, want 0", code)
	}

	// --fail-on-new-only: against the fault run's own baseline nothing is
	// new, so the same failures pass; against the clean one they fail.
	code, stdout, stderr = runCLI(mapEnv(nil), "run", "--fault", fault, "--fail-on-new-only",
		"--baseline", faulty, "--report-dir", filepath.Join(dir, "again"))
	if code != 0 || !strings.Contains(stdout, "--fail-on-new-only: 0 scenarios fail the run") {
		t.Errorf("old failures under --fail-on-new-only: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = runCLI(mapEnv(nil), "run", "--fault", fault, "--tags", "@filter", "--fail-on-new-only",
		"--baseline", clean, "--report-dir", filepath.Join(dir, "new"))
	if code != 1 || !strings.Contains(stderr, "--fail-on-new-only (new failures and waiver problems only)") {
		t.Errorf("new failures under --fail-on-new-only: exit %d\n%s", code, stderr)
	}
}

// junitFailures returns the sorted names of the failed test cases in a
// junit.xml.
func junitFailures(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				out = append(out, c.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// cucumberNames returns the scenario names in a cucumber.json.
func cucumberNames(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var feats []struct {
		Elements []struct {
			Name string `json:"name"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(b, &feats); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range feats {
		for _, el := range f.Elements {
			out[el.Name] = true
		}
	}
	return out
}

// TestBaselineErrors: a baseline the run cannot use is a usage error.
func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"not":"cucumber"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--baseline", filepath.Join(dir, "none")}, "no such file"},
		{[]string{"run", "--baseline", bad}, "not a Cucumber JSON report"},
		{[]string{"run", "--fail-on-new-only"}, "--fail-on-new-only needs --baseline"},
		{[]string{"report", "diff", bad}, "needs two runs"},
		{[]string{"report", "diff", bad, bad}, "not a Cucumber JSON report"},
		{[]string{"report", "nosuch"}, `unknown subcommand "nosuch"`},
		{[]string{"report"}, "name a subcommand"},
	} {
		code, _, stderr := runCLI(mapEnv(nil), append(tc.args, "--report-dir", filepath.Join(dir, "r"))...)
		if tc.args[0] == "report" {
			code, _, stderr = runCLI(mapEnv(nil), tc.args...)
		}
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s\nwant exit 2 with %q", tc.args, code, stderr, tc.want)
		}
	}
}
