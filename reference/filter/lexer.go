package filter

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// tokenKind classifies a lexical token of a filter or PATCH path.
type tokenKind int

const (
	tokEOF      tokenKind = iota
	tokWord               // attribute path, operator, keyword or true/false/null
	tokString             // JSON string literal; text is the decoded value
	tokNumber             // JSON number literal; text is the literal as written
	tokLParen             // (
	tokRParen             // )
	tokLBracket           // [
	tokRBracket           // ]
	tokDot                // . directly after "]" (value path sub-attribute)
)

// token is one lexical token. off is its byte offset in the input.
type token struct {
	kind tokenKind
	text string
	off  int
}

// describe renders t for the "found …" part of an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return "string " + quote(t.text)
	case tokNumber:
		return "number " + quote(t.text)
	default:
		return quote(t.text)
	}
}

// lex splits s into tokens. RFC 7644 §3.4.2.2 separates tokens with SP; we
// accept any run of spaces or tabs, and none next to brackets and
// parentheses, because clients are not always exact about it.
func lex(op, s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
		case c == '[':
			toks = append(toks, token{tokLBracket, "[", i})
			i++
		case c == ']':
			toks = append(toks, token{tokRBracket, "]", i})
			i++
		case c == '.':
			toks = append(toks, token{tokDot, ".", i})
			i++
		case c == '"':
			t, next, err := lexString(op, s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		case c == '-' || isDigit(c):
			j := i + 1
			for j < len(s) && isNumberChar(s[j]) {
				j++
			}
			lit := s[i:j]
			if !validNumber(lit) {
				return nil, &Error{Op: op, Pos: charPos(s, i), Msg: "invalid number " + quote(lit)}
			}
			if _, err := strconv.ParseFloat(lit, 64); err != nil {
				return nil, &Error{Op: op, Pos: charPos(s, i), Msg: "number " + quote(lit) + " out of range"}
			}
			toks = append(toks, token{tokNumber, lit, i})
			i = j
		case isNameStart(c):
			j := i + 1
			for j < len(s) && isWordChar(s[j]) {
				j++
			}
			toks = append(toks, token{tokWord, s[i:j], i})
			i = j
		default:
			r := []rune(s[i:min(len(s), i+4)])[0]
			return nil, &Error{Op: op, Pos: charPos(s, i), Msg: fmt.Sprintf("unexpected character %q", r)}
		}
	}
	return append(toks, token{tokEOF, "", len(s)}), nil
}

// lexString reads the JSON string literal starting at s[start] == '"' and
// returns its decoded value and the offset just past the closing quote.
// RFC 7644 §3.4.2.2: compValue strings are JSON strings (RFC 7159 §7).
func lexString(op, s string, start int) (token, int, error) {
	j := start + 1
	for j < len(s) {
		switch s[j] {
		case '\\':
			j += 2
			continue
		case '"':
			var v string
			if err := json.Unmarshal([]byte(s[start:j+1]), &v); err != nil {
				return token{}, 0, &Error{Op: op, Pos: charPos(s, start), Msg: "invalid string literal (" + err.Error() + ")"}
			}
			return token{tokString, v, start}, j + 1, nil
		}
		j++
	}
	return token{}, 0, &Error{Op: op, Pos: charPos(s, start), Msg: "unterminated string"}
}

// validNumber reports whether lit is a JSON number (RFC 7159 §6):
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(lit string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(lit) && isDigit(lit[i]) {
			i++
			n++
		}
		return n
	}
	if i < len(lit) && lit[i] == '-' {
		i++
	}
	if i < len(lit) && lit[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(lit) && lit[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(lit) && (lit[i] == 'e' || lit[i] == 'E') {
		i++
		if i < len(lit) && (lit[i] == '+' || lit[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(lit)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isNameStart: RFC 7644 §3.4.2.2 ATTRNAME = ALPHA *(nameChar); "$" also
// starts one because RFC 7643 §2.4 names the sub-attribute "$ref".
func isNameStart(c byte) bool { return isAlpha(c) || c == '$' }

// isWordChar covers nameChar ("-" / "_" / DIGIT / ALPHA) plus the ":" and
// "." of a schema URN prefix and sub-attribute ("urn:…:2.0:User:name.givenName").
func isWordChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '$'
}

func isNumberChar(c byte) bool {
	return isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}
