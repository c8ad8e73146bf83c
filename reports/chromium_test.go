package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumNames are the executables Debian, Ubuntu and Google ship.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findChromium returns a headless-capable Chromium or skips the test. With
// SCIMULATOR_REQUIRE_CHROMIUM=1 (CI sets it) a missing browser fails instead,
// so CI can never pass without having rendered the report.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found on PATH (looked for " + strings.Join(chromiumNames, ", ") +
		"); install Debian's chromium package to render the HTML report"
	if os.Getenv("SCIMULATOR_REQUIRE_CHROMIUM") == "1" {
		t.Fatal(msg + "; SCIMULATOR_REQUIRE_CHROMIUM=1 makes this a failure")
	}
	t.Skip(msg + "; set SCIMULATOR_REQUIRE_CHROMIUM=1 to make this a failure")
	return ""
}

// runChromium runs headless Chromium with args against a file and returns
// its standard output.
func runChromium(t *testing.T, bin, file string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+file)...)
	setProcessGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\nstderr (tail): %s", args, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func TestHTMLRendersInChromium(t *testing.T) {
	bin := findChromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, sampleRun()); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("dump-dom", func(t *testing.T) {
		dom := string(runChromium(t, bin, file, "--dump-dom"))
		// --dump-dom serialises the DOM Chromium built, so these prove the
		// page parsed into the structure the report promises.
		for _, want := range []string{
			`<table id="capability-matrix">`,
			`<tr data-capability="@patch">`,
			`<tr data-capability="@revocation">`,
			`<div class="msg admin-message">` + adminMessage + `</div>`,
			`<article class="failure level-must"`,
			"no probe for team membership in the target profile",
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("rendered DOM lacks %q", want)
			}
		}
		if strings.Contains(dom, `<b>"x"</b>`) {
			t.Errorf("record text became live markup in the rendered DOM")
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(dir, "report.png")
		runChromium(t, bin, file, "--window-size=1280,1600", "--screenshot="+shot)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("chromium wrote no screenshot: %v", err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 1600 {
			t.Errorf("screenshot is %dx%d, want 1280x1600", b.Dx(), b.Dy())
		}
		// The inline CSS paints the FAILED verdict red (#cf222e) at the top
		// right and the passed share of matrix bars green (#1a7f37); finding
		// both proves the stylesheet applied, not just that text exists.
		if !hasColour(img, image.Rect(640, 0, 1280, 200), 0xcf, 0x22, 0x2e) {
			t.Errorf("no red verdict badge in the top right of the screenshot")
		}
		if !hasColour(img, img.Bounds(), 0x1a, 0x7f, 0x37) {
			t.Errorf("no green passed bar anywhere in the screenshot")
		}
	})
}

// hasColour reports whether some pixel in r is within a small distance of
// the colour (anti-aliasing and colour management shift values slightly).
func hasColour(img image.Image, r image.Rectangle, cr, cg, cb uint8) bool {
	r = r.Intersect(img.Bounds())
	near := func(a uint32, b uint8) bool {
		d := int(a>>8) - int(b)
		return d > -8 && d < 8
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, cr) && near(pg, cg) && near(pb, cb) {
				return true
			}
		}
	}
	return false
}

// TestRealRunRendersInChromium renders what WriteAll writes for a real run
// of the suite (testdata/recorded-run.json, kept current by steps'
// TestRecordedRunIsARealRun), not a hand-made fixture: every failure,
// skip and exchange of a real record must come out as the report promises.
func TestRealRunRendersInChromium(t *testing.T) {
	bin := findChromium(t)
	b, err := os.ReadFile(filepath.Join("testdata", "recorded-run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var run Run
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := WriteAll(dir, run, nil)
	if err != nil {
		t.Fatalf("WriteAll: %v", err)
	}
	dom := string(runChromium(t, bin, paths.HTML, "--dump-dom"))
	c := run.Counts()
	if n := strings.Count(dom, `<article class="failure level-`); n != c.Failed {
		t.Errorf("rendered %d failures, the run has %d", n, c.Failed)
	}
	for _, s := range run.Scenarios {
		if !strings.Contains(dom, domText(s.Name)) {
			t.Errorf("rendered DOM lacks scenario %q", s.Name)
		}
		if f := s.Failure; f != nil && f.AdminMessage != "" && !strings.Contains(dom, domText(f.AdminMessage)) {
			t.Errorf("rendered DOM lacks the Okta view of %q: %q", s.Name, f.AdminMessage)
		}
	}
	for _, want := range []string{`<table id="capability-matrix">`, `<tr data-capability="@etag">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
}

// domText escapes s as Chromium serialises a text node: only &, < and >.
func domText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
