// Package termsafe makes text that came from a target (response bodies,
// headers, error details, names it chose) safe to print on a terminal or
// write into Markdown: a hostile target must not be able to retitle,
// recolour or clear the terminal of whoever reads a report (issue 11).
//
// Escape is the one place that decides what is shown as an escape; every
// output point for target text calls it (or Lines, which applies it line by
// line). The HTML and JSON reports keep their own encoders.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Ellipsis ends a value that Escape cut.
const Ellipsis = "…"

// Escape returns s with every character a terminal could act on shown as a
// visible escape, and cut to at most max runes (max <= 0: no limit):
//
//   - C0 controls (NUL … US, including ESC, BEL, tab, CR and newline) and
//     DEL: \n, \r, \t, else \xHH (ESC is \x1b);
//   - C1 controls U+0080–U+009F (8-bit CSI, OSC, …): \u0085 style;
//   - the Unicode bidirectional overrides and isolates (U+202A–U+202E,
//     U+2066–U+2069) and the line and paragraph separators U+2028, U+2029,
//     which reorder or break what a reader sees: \u202e style;
//   - each byte of invalid UTF-8: \xHH.
//
// A cut value ends in "…" and never splits a rune or an escape. Backslashes
// are left as they are, so JSON text stays readable.
func Escape(s string, max int) string {
	// Fast path: most text (a whole HTML report, line by line) has nothing
	// to escape and fits.
	if clean(s) && (max <= 0 || len(s) <= max || utf8.RuneCountInString(s) <= max) {
		return s
	}
	var b strings.Builder
	n := 0 // runes written
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		piece := s[i : i+size]
		switch {
		case r == utf8.RuneError && size == 1:
			piece = fmt.Sprintf(`\x%02x`, s[i])
		case r == '\n':
			piece = `\n`
		case r == '\r':
			piece = `\r`
		case r == '\t':
			piece = `\t`
		case r < 0x20 || r == 0x7f:
			piece = fmt.Sprintf(`\x%02x`, r)
		case needsUnicodeEscape(r):
			piece = fmt.Sprintf(`\u%04x`, r)
		}
		w := utf8.RuneCountInString(piece)
		if max > 0 && n+w > max-1 {
			// Near the limit: the rest either fits whole, or is replaced
			// by the ellipsis (never half an escape).
			if rest := Escape(s[i:], 0); n+utf8.RuneCountInString(rest) <= max {
				b.WriteString(rest)
			} else {
				b.WriteString(Ellipsis)
			}
			return b.String()
		}
		b.WriteString(piece)
		n += w
		i += size
	}
	return b.String()
}

// Lines escapes s line by line (Escape), keeping its newlines, for a block
// of target text such as container logs or a fenced body in Markdown. A
// line longer than max runes is cut (max <= 0: no limit); a CRLF ending is
// kept as a plain newline.
func Lines(s string, max int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(strings.TrimSuffix(l, "\r"), max)
	}
	return strings.Join(lines, "\n")
}

// clean reports whether s has nothing Escape would rewrite.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if c < 0x80 {
			return false // C0 control or DEL
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || needsUnicodeEscape(r) {
			return false
		}
		i += size - 1
	}
	return true
}

// needsUnicodeEscape: C1 controls, bidi overrides and isolates, and the
// Unicode line and paragraph separators.
func needsUnicodeEscape(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// OneLine is Escape for a value shown on one line: runs of white space
// (newlines and tabs included) become one space first, so a multi-line
// body reads as a line instead of a row of \n escapes.
func OneLine(s string, max int) string {
	return Escape(strings.Join(strings.Fields(s), " "), max)
}

// JSON rewrites the DEL and C1 characters that encoding/json leaves raw
// inside strings as \u escapes. The JSON value is the same; the file just
// holds nothing a terminal acts on when someone cats it. (encoding/json
// already escapes C0 controls and turns invalid UTF-8 into U+FFFD.) Only
// valid for encoding/json output, where such characters occur in strings
// only.
func JSON(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
