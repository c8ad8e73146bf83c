package termsafe

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain text is unchanged", `{"detail":"ok \"x\""} é ✓`, 0, `{"detail":"ok \"x\""} é ✓`},
		{"OSC retitle and BEL", "\x1b]0;pwned\x07", 0, `\x1b]0;pwned\x07`},
		{"CSI recolour", "\x1b[31mred", 0, `\x1b[31mred`},
		{"NUL, DEL and line breaks", "a\x00b\x7fc\r\n\td", 0, `a\x00b\x7fc\r\n\td`},
		{"invalid UTF-8 bytes", "a\xffb\xc3", 0, `a\xffb\xc3`},
		{"C1 controls as runes", "\u009b31m\u0085", 0, `\u009b31m\u0085`},
		{"bidi override and separators", "abc\u202edcb\u2028", 0, `abc\u202edcb\u2028`},
		{"short enough: no cut", "abcdef", 6, "abcdef"},
		{"cut with an ellipsis", "abcdefgh", 6, "abcde…"},
		{"cut on a rune boundary", "ééééééé", 4, "ééé…"},
		{"never half an escape", "ab\x1bcdef", 5, "ab…"},
		{"an escape that fits exactly", "ab\x1b", 6, `ab\x1b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Escape(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Escape(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if tt.max > 0 && utf8.RuneCountInString(got) > tt.max {
				t.Errorf("Escape(%q, %d) = %q: longer than %d runes", tt.in, tt.max, got, tt.max)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Escape(%q) = %q: not valid UTF-8", tt.in, got)
			}
		})
	}
}

// TestEscapeLeavesNothingATerminalActsOn runs every byte value, alone and in
// a rune, through Escape.
func TestEscapeLeavesNothingATerminalActsOn(t *testing.T) {
	var all strings.Builder
	for b := 0; b < 256; b++ {
		all.WriteByte(byte(b))
	}
	for r := rune(0x80); r < 0xa0; r++ {
		all.WriteRune(r)
	}
	got := Escape(all.String(), 0)
	for i, r := range got {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == utf8.RuneError {
			t.Fatalf("Escape left %U at byte %d: %q", r, i, got)
		}
	}
}

func TestLinesKeepsNewlines(t *testing.T) {
	got := Lines("ok line\r\n\x1b[2Jcleared\nlong line here", 8)
	want := "ok line\n\\x1b[2J…\nlong li…"
	if got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}

func TestJSONKeepsTheValue(t *testing.T) {
	in, err := json.Marshal(map[string]string{"s": "a\x7fb\u009bc\x1bd é"})
	if err != nil {
		t.Fatal(err)
	}
	got := JSON(in)
	if want := `{"s":"a\u007fb\u009bc\u001bd é"}`; string(got) != want {
		t.Fatalf("JSON = %s, want %s", got, want)
	}
	var a, b map[string]string
	if json.Unmarshal(in, &a) != nil || json.Unmarshal(got, &b) != nil || a["s"] != b["s"] {
		t.Fatalf("the value changed: %q vs %q", a["s"], b["s"])
	}
}

// BenchmarkLinesReport: the HTML report (about 1.2 MB for the in-process
// run) goes through Lines once; clean lines must cost a scan, not a copy
// rune by rune (measured on that report.html: ~500 MB/s with the fast
// path, ~24 MB/s without; this denser, less ASCII page runs slower).
func BenchmarkLinesReport(b *testing.B) {
	line := `<tr><td class="mono">GET /scim/v2/Users?startIndex=1&amp;count=2</td><td>200 — ok › “quoted”</td></tr>` + "\n"
	page := strings.Repeat(line, (1<<20)/len(line)) + "<pre>\x1b[31mred</pre>\n"
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		_ = Lines(page, 0)
	}
}
