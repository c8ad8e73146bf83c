package reports

import "strings"

// The scans below decide, in one pass over a lower-cased text, whether a
// text rule's regular expression could match it. Each answers true for
// every text its expression matches (it checks a necessary condition of the
// match, never a sufficient one), so skipping the expression when a scan
// says false loses nothing. Each runs in time linear in the text, whatever
// the text holds: the report writer sees hostile bodies too.

// foldForScan lower-cases s as the scans expect. Beside strings.ToLower it
// maps the two non-ASCII letters that (?i) matches to ASCII ones and
// ToLower leaves alone: the long s (ſ, which folds to s); the Kelvin sign
// already lower-cases to k.
func foldForScan(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ſ", "s")
}

// containsAnyOf is the plain check: one of the words appears.
func containsAnyOf(words ...string) func(lower string) bool {
	return func(lower string) bool { return containsAny(lower, words) }
}

// reSpace is what RE2's \s matches.
const reSpace = "\t\n\f\r "

// mayBeCredentialMember: a JSON member whose key names a credential and
// whose value is a string. The expression's key is a quote, characters other
// than a quote or backslash, and a quote; it names a credential word or is
// exactly "key", and is followed by \s*:\s*".
func mayBeCredentialMember(lower string) bool {
	i := strings.IndexByte(lower, '"')
	for i >= 0 {
		j := strings.IndexAny(lower[i+1:], `"\`)
		if j < 0 {
			return false
		}
		j += i + 1
		if lower[j] == '\\' {
			// No key starts at i; the next candidate is the next quote,
			// which may be the one the backslash escapes.
			k := strings.IndexByte(lower[j+1:], '"')
			if k < 0 {
				return false
			}
			i = j + 1 + k
			continue
		}
		key := lower[i+1 : j]
		if (key == "key" || containsAny(key, credentialWords)) && startsStringMember(lower[j+1:]) {
			return true
		}
		i = j // a closing quote can open the next candidate
	}
	return false
}

// startsStringMember reports whether rest begins \s*:\s*".
func startsStringMember(rest string) bool {
	rest = strings.TrimLeft(rest, reSpace)
	if !strings.HasPrefix(rest, ":") {
		return false
	}
	return strings.HasPrefix(strings.TrimLeft(rest[1:], reSpace), `"`)
}

// mayBeCredentialPair: name=value where the name holds a credential word.
// The name is a run of [\w.-] around the word, so the run that follows the
// word must end at '='.
func mayBeCredentialPair(lower string) bool {
	return wordNameFollowedBy(lower, pairWords, func(rest string) bool {
		return strings.HasPrefix(rest, "=")
	})
}

// mayBeCredentialLabel: "name: value" where the name holds a credential
// word; the run of [\w.-] after the word ends at \s*:.
func mayBeCredentialLabel(lower string) bool {
	return wordNameFollowedBy(lower, labelWords, func(rest string) bool {
		return strings.HasPrefix(strings.TrimLeft(rest, reSpace), ":")
	})
}

// mayBeSpacedCredential: a name holding a credential word, then at least
// one space, then 16 or more characters of [A-Za-z0-9._~+/=-].
func mayBeSpacedCredential(lower string) bool {
	return wordNameFollowedBy(lower, spacedWords, func(rest string) bool {
		value := strings.TrimLeft(rest, reSpace)
		if len(value) == len(rest) {
			return false
		}
		n := 0
		for n < len(value) && n < 16 && isOpaqueValueByte(value[n]) {
			n++
		}
		return n == 16
	})
}

// isOpaqueValueByte is [A-Za-z0-9._~+/=-], the characters of a token68
// credential (RFC 9110 §11.2).
func isOpaqueValueByte(c byte) bool {
	return isNameByte(c) || c == '~' || c == '+' || c == '/' || c == '='
}

// wordNameFollowedBy reports whether some occurrence of one of words is
// followed by a run of [\w.-] and then by what after accepts. Occurrences
// inside a run already scanned share its end, so each word costs one pass.
func wordNameFollowedBy(lower string, words []string, after func(rest string) bool) bool {
	for _, w := range words {
		end := -1 // where the last scanned run ended
		for from := 0; from < len(lower); {
			p := strings.Index(lower[from:], w)
			if p < 0 {
				break
			}
			p += from
			if p+len(w) > end {
				end = p + len(w)
				for end < len(lower) && isNameByte(lower[end]) {
					end++
				}
				if after(lower[end:]) {
					return true
				}
			}
			from = p + 1
		}
	}
	return false
}

// isNameByte is RE2's [\w.-].
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// mayHoldUserinfo: a URL with userinfo, scheme://userinfo@. After "://"
// comes at least one character other than / @ \s " ' < >, then '@'.
func mayHoldUserinfo(lower string) bool {
	for from := 0; ; {
		p := strings.Index(lower[from:], "://")
		if p < 0 {
			return false
		}
		start := from + p + 3
		n := strings.IndexAny(lower[start:], "/@\"'<>"+reSpace)
		if n > 0 && lower[start+n] == '@' {
			return true
		}
		if n < 0 {
			return false
		}
		// The scan stopped at a character no userinfo holds. The next
		// "://" can start no earlier than the character before it (a
		// ':' followed by the '/' that stopped the scan).
		from = max(start+n-1, start)
	}
}
