package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sync"
)

// The artefact file names WriteAll uses inside its folder.
const (
	FileJUnit    = "junit.xml"
	FileCucumber = "cucumber.json"
	FileHTML     = "report.html"
	FileMarkdown = "summary.md"
	FileHAR      = "transcript.har"
	// FileDiff is written only when the run has a baseline (Run.Diff).
	FileDiff = "diff.md"
)

// Paths are where WriteAll wrote each artefact; a field is empty when that
// artefact was not written.
type Paths struct {
	Dir      string
	JUnit    string
	Cucumber string
	HTML     string
	Markdown string
	HAR      string
	Diff     string
}

// List returns the written artefacts' paths, the HTML report first.
func (p Paths) List() []string {
	var out []string
	for _, s := range []string{p.HTML, p.JUnit, p.Cucumber, p.Markdown, p.HAR, p.Diff} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// WriteAll creates dir (and its parents) and writes every artefact into it:
// junit.xml, cucumber.json, report.html, summary.md, transcript.har and,
// when the run has a baseline, diff.md. The
// HAR comes from har when it is non-nil (the simulator's transcript, scrubbed
// again here), otherwise from the run's own exchanges. Each file is written
// to a temporary name and renamed, so a reader never sees half a report. An
// artefact that fails does not stop the others; the error joins every
// failure and Paths holds the artefacts that were written.
func WriteAll(dir string, run Run, har HARWriter) (Paths, error) {
	if dir == "" {
		return Paths{}, errors.New("write reports: no directory given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Paths{}, fmt.Errorf("write reports: %w", err)
	}
	paths := Paths{Dir: dir}
	// Redact once for all five artefacts; it is the costly part of writing.
	run = run.Redact()
	transcript := writeHAR
	if har != nil && !isNilInterface(har) {
		transcript = func(w io.Writer, _ Run) error { return copyRedactedHAR(w, har) }
	}
	type artefact struct {
		name  string
		write func(io.Writer, Run) error
		path  *string
	}
	artefacts := []artefact{
		{FileJUnit, writeJUnit, &paths.JUnit},
		{FileCucumber, writeCucumber, &paths.Cucumber},
		{FileHTML, writeHTML, &paths.HTML},
		{FileMarkdown, writeMarkdown, &paths.Markdown},
		{FileHAR, transcript, &paths.HAR},
	}
	if run.Diff != nil {
		artefacts = append(artefacts, artefact{FileDiff, func(w io.Writer, r Run) error { return WriteDiffMarkdown(w, r.Diff) }, &paths.Diff})
	}
	// The artefacts only read the redacted run, so they are written at
	// once: the HTML report and the HAR transcript each take about a
	// third of the writing time, and a second core halves it.
	errs := make([]error, len(artefacts))
	var wg sync.WaitGroup
	for i, a := range artefacts {
		wg.Go(func() {
			path := filepath.Join(dir, a.name)
			if err := writeFileAtomic(path, func(w io.Writer) error { return a.write(w, run) }); err != nil {
				errs[i] = fmt.Errorf("write %s: %w", a.name, err)
				return
			}
			*a.path = path
		})
	}
	wg.Wait()
	return paths, errors.Join(errs...)
}

// copyRedactedHAR writes har's transcript to w after scrubbing it.
func copyRedactedHAR(w io.Writer, har HARWriter) error {
	var buf bytes.Buffer
	if err := har.WriteHAR(&buf); err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	clean, err := redactHAR(buf.Bytes())
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	_, err = w.Write(clean)
	return err
}

// isNilInterface reports whether v holds a typed nil pointer, which would
// otherwise pass the != nil check and panic when called.
func isNilInterface(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// writeFileAtomic writes through a temporary file in the same folder and
// renames it over path once complete.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
