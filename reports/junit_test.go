package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// parsed mirrors the JUnit shape independently of the writer's own types, so
// a renamed tag or attribute in the writer breaks this test.
type parsedSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			SystemOut string `xml:"system-out"`
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestWriteJUnitParsesBackWithCounts(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, sampleRun()); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	if !strings.HasPrefix(buf.String(), "<?xml") {
		t.Errorf("output does not start with an XML declaration: %.40q", buf.String())
	}
	var got parsedSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not valid XML: %v\n%s", err, buf.String())
	}
	if got.Tests != 4 || got.Failures != 1 || got.Skipped != 2 {
		t.Errorf("testsuites counts = tests %d failures %d skipped %d, want 4 1 2", got.Tests, got.Failures, got.Skipped)
	}
	wantSuites := []struct {
		name                     string
		tests, failures, skipped int
	}{
		{"Test API Credentials", 1, 0, 0},
		{"Reactivate users", 2, 1, 1},
		{"Deprovision", 1, 0, 1},
	}
	if len(got.Suites) != len(wantSuites) {
		t.Fatalf("got %d testsuites, want one per feature (%d)", len(got.Suites), len(wantSuites))
	}
	cases := 0
	for i, w := range wantSuites {
		s := got.Suites[i]
		if s.Name != w.name || s.Tests != w.tests || s.Failures != w.failures || s.Skipped != w.skipped {
			t.Errorf("suite %d = %q %d/%d/%d, want %q %d/%d/%d", i, s.Name, s.Tests, s.Failures, s.Skipped, w.name, w.tests, w.failures, w.skipped)
		}
		if len(s.Cases) != s.Tests {
			t.Errorf("suite %q has %d testcases, tests attribute says %d", s.Name, len(s.Cases), s.Tests)
		}
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("testcase %q classname %q, want feature %q", c.Name, c.Classname, s.Name)
			}
		}
		cases += len(s.Cases)
	}
	if cases != 4 {
		t.Errorf("got %d testcases, want one per scenario (4)", cases)
	}

	failed := got.Suites[1].Cases[0]
	if failed.Failure == nil {
		t.Fatalf("failed scenario has no <failure>")
	}
	// The message attribute must survive <, >, &, quotes intact.
	// Issue 12: the failure's level in its type, message and properties,
	// and the run's gate and per-level counts in the suite's properties.
	props := map[string]string{}
	for _, p := range failed.Properties {
		props[p.Name] = p.Value
	}
	if failed.Failure.Type != "scimulator.must" || !strings.HasPrefix(failed.Failure.Message, "[must] ") ||
		props["level"] != "must" || props["failsRun"] != "true" || props["citation"] != "SPEC §1.3 (PATCH active true is 400 mutability)" {
		t.Errorf("failed testcase level: type %q, message %q, properties %v", failed.Failure.Type, failed.Failure.Message, props)
	}
	suiteProps := map[string]string{}
	for _, p := range got.Suites[0].Properties {
		suiteProps[p.Name] = p.Value
	}
	if suiteProps["failOn"] != "must" || suiteProps["failed.must"] != "1" || suiteProps["failed.okta"] != "0" || suiteProps["failed.should"] != "0" {
		t.Errorf("suite properties = %v", suiteProps)
	}
	if !strings.Contains(failed.Failure.Message, specialMessage) {
		t.Errorf("failure message lost special characters: %q", failed.Failure.Message)
	}
	for _, want := range []string{"status 400 with scimType mutability", adminMessage, "(inferred)", "PATCH https://cortex.example.com/scim/v2/Users/8c1e", "-> 200", `"op": "replace"`} {
		if !strings.Contains(failed.Failure.Text, want) {
			t.Errorf("failure body lacks %q:\n%s", want, failed.Failure.Text)
		}
	}
	if sk := got.Suites[1].Cases[1].Skipped; sk == nil || sk.Message != "no probe for team membership in the target profile" {
		t.Errorf("skipped scenario <skipped> = %+v, want the skip reason", sk)
	}
	if sk := got.Suites[2].Cases[0].Skipped; sk == nil || sk.Message != "not supported: target does not advertise @etag" {
		t.Errorf("not-supported scenario <skipped> = %+v, want the reason marked not supported", sk)
	}
	if out := failed.SystemOut; !strings.Contains(out, "[failed] Then the target rejects the PATCH") || !strings.Contains(out, "[skipped] And the user is still inactive") {
		t.Errorf("system-out lacks the step outcomes:\n%s", out)
	}
	if got.Suites[0].Cases[0].Failure != nil || got.Suites[0].Cases[0].Skipped != nil {
		t.Errorf("passed scenario has a failure or skipped element")
	}
}

func TestWriteJUnitReplacesCharactersXMLCannotHold(t *testing.T) {
	run := Run{Scenarios: []Scenario{{
		Feature: "f", Name: "control \x00\x1b chars", Status: StatusFailed,
		Failure: &Failure{Expected: "a\x07b", Actual: "c\x0cd ]]> e"},
		Steps:   []Step{{Text: "step \x01", Status: StatusFailed, Error: "boom\x00 ]]>"}},
	}}}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, run); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	var got parsedSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("control characters made invalid XML: %v\n%q", err, buf.String())
	}
	if got.Failures != 1 {
		t.Errorf("failures = %d, want 1", got.Failures)
	}
	// "]]>" inside CDATA must be split, not end the section early.
	// The control character is shown as an escape (termsafe, issue 11).
	if body := got.Suites[0].Cases[0].Failure.Text; !strings.Contains(body, `c\x0cd ]]> e`) {
		t.Errorf("failure body = %q, want the control character escaped and ]]> kept", body)
	}
}
