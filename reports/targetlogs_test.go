package reports

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTargetLogsInEveryReadableArtefact: a run's container logs appear in
// the HTML report (collapsed), the Markdown summary (collapsed) and the
// JUnit <system-err> of each suite with failures, redacted.
func TestTargetLogsInEveryReadableArtefact(t *testing.T) {
	run := sampleRun()
	run.TargetLogs = `{"level":"info","faults":["string-counts"],"message":"reference server listening"}` + "\nAuthorization: Bearer " + plantedBearer
	dir := t.TempDir()
	if _, err := WriteAll(dir, run, nil); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	html, md, junit := read(FileHTML), read(FileMarkdown), read(FileJUnit)
	const line = "reference server listening"
	if !strings.Contains(html, `<details id="target-logs">`) || !strings.Contains(html, line) {
		t.Error("HTML report lacks the collapsed target logs")
	}
	if !strings.Contains(md, "<details><summary>Target container logs</summary>") || !strings.Contains(md, line) {
		t.Error("Markdown summary lacks the collapsed target logs")
	}
	var doc struct {
		Suites []struct {
			Failures  int    `xml:"failures,attr"`
			SystemErr string `xml:"system-err"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(junit), &doc); err != nil {
		t.Fatal(err)
	}
	withLogs := 0
	for _, s := range doc.Suites {
		if s.Failures > 0 != strings.Contains(s.SystemErr, line) {
			t.Errorf("suite with %d failures has system-err %q", s.Failures, s.SystemErr)
		}
		if s.SystemErr != "" {
			withLogs++
		}
	}
	if withLogs == 0 {
		t.Error("no JUnit suite carries the target logs")
	}
	for name, text := range map[string]string{"html": html, "md": md, "junit": junit} {
		if strings.Contains(text, plantedBearer) {
			t.Errorf("%s leaks the planted bearer token from the logs", name)
		}
	}
}
