package reports

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAllWritesEveryArtefact(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "report")
	paths, err := WriteAll(dir, sampleRun(), nil)
	if err != nil {
		t.Fatalf("WriteAll: %v", err)
	}
	want := Paths{
		Dir:      dir,
		JUnit:    filepath.Join(dir, FileJUnit),
		Cucumber: filepath.Join(dir, FileCucumber),
		HTML:     filepath.Join(dir, FileHTML),
		Markdown: filepath.Join(dir, FileMarkdown),
		HAR:      filepath.Join(dir, FileHAR),
	}
	if paths != want {
		t.Errorf("paths = %+v\nwant %+v", paths, want)
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		return b
	}
	if err := xml.Unmarshal(read(paths.JUnit), new(parsedSuites)); err != nil {
		t.Errorf("junit.xml: %v", err)
	}
	if err := json.Unmarshal(read(paths.Cucumber), new(cuke)); err != nil {
		t.Errorf("cucumber.json: %v", err)
	}
	var har harDoc
	if err := json.Unmarshal(read(paths.HAR), &har); err != nil || len(har.Log.Entries) != 2 {
		t.Errorf("transcript.har from the record: err %v, %d entries", err, len(har.Log.Entries))
	}
	if !strings.Contains(string(read(paths.HTML)), `id="capability-matrix"`) {
		t.Errorf("report.html lacks the matrix")
	}
	if !strings.HasPrefix(string(read(paths.Markdown)), "## SCIM conformance") {
		t.Errorf("summary.md lacks its heading")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want exactly the five artefacts (no temporary files)", names)
	}
}

func TestWriteAllUsesTheHARWriter(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteAll(dir, sampleRun(), leakyHAR{})
	if err != nil {
		t.Fatalf("WriteAll: %v", err)
	}
	b, _ := os.ReadFile(paths.HAR)
	if !strings.Contains(string(b), `"name": "sim"`) {
		t.Errorf("transcript.har is not the HAR writer's transcript:\n%.300s", b)
	}
	var typedNil *leakyHARPtr
	if _, err := WriteAll(t.TempDir(), sampleRun(), typedNil); err != nil {
		t.Errorf("a typed-nil HAR writer should fall back to the record: %v", err)
	}
}

type leakyHARPtr struct{ leakyHAR }

func TestWriteAllReportsFailuresAndKeepsGoing(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteAll(dir, sampleRun(), brokenHAR{})
	if err == nil || !strings.Contains(err.Error(), "write transcript.har: transcript: transcript closed") {
		t.Fatalf("err = %v, want the HAR writer's failure named", err)
	}
	if paths.HAR != "" || paths.HTML == "" || paths.JUnit == "" {
		t.Errorf("paths = %+v, want all but the HAR", paths)
	}
	if _, statErr := os.Stat(filepath.Join(dir, FileHAR)); !os.IsNotExist(statErr) {
		t.Errorf("a failed artefact left a file behind: %v", statErr)
	}
	if _, err := WriteAll(t.TempDir(), sampleRun(), brokenHAR{data: "<html>"}); err == nil || !strings.Contains(err.Error(), "read har") {
		t.Errorf("a HAR writer producing non-JSON: err = %v", err)
	}
	if _, err := WriteAll("", sampleRun(), nil); err == nil || !strings.Contains(err.Error(), "no directory") {
		t.Errorf("empty dir: err = %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := WriteAll(filepath.Join(file, "sub"), sampleRun(), nil); err == nil || !strings.HasPrefix(err.Error(), "write reports:") {
		t.Errorf("dir under a file: err = %v", err)
	}
}
