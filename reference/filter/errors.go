package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a filter or PATCH-path syntax error. Its message is meant for the
// `detail` of a SCIM error response with scimType invalidFilter (RFC 7644
// §3.4.2.2) or invalidPath (RFC 7644 §3.5.2): it says what was expected,
// where, and what was found instead.
type Error struct {
	// Op is "filter" or "path": what was being parsed.
	Op string
	// Pos is the 1-based character (not byte) position of the problem in
	// the input, or 0 when the problem is not tied to one place.
	Pos int
	// Msg says what was wrong, e.g. `expected operator after "userName"`.
	Msg string
	// Found describes what stood at Pos instead ("end of input", `"xx"`),
	// or is empty.
	Found string
}

// Error formats the error as `filter: <msg> at position <n>, found <found>`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Pos > 0 {
		b.WriteString(" at position ")
		b.WriteString(strconv.Itoa(e.Pos))
	}
	if e.Found != "" {
		b.WriteString(", found ")
		b.WriteString(e.Found)
	}
	return b.String()
}

// maxQuoted bounds how much of the input an error message repeats, so a
// hostile megabyte-long token does not come back in the response.
const maxQuoted = 40

// quote renders s for an error message: Go-quoted and cut at maxQuoted
// characters.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		r := []rune(s)
		s = string(r[:maxQuoted]) + "…"
	}
	return strconv.Quote(s)
}

// charPos converts a byte offset in s to the 1-based character position
// used in messages.
func charPos(s string, off int) int {
	return utf8.RuneCountInString(s[:off]) + 1
}
