package reference

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxLoggedQuery caps the query string in a request log line, so a huge
// filter cannot bloat the log.
const maxLoggedQuery = 512

// credentialParams are query parameter names (compared case-insensitively,
// ignoring '_' and '-') whose values are credentials: clients sometimes put
// a token in the URL, and it must not reach the log (issue 2: logs never
// hold a secret).
var credentialParams = map[string]bool{
	"accesstoken": true, "token": true, "key": true, "secret": true,
	"password": true, "apikey": true,
}

// logQuery returns raw with the values of credential-like parameters
// replaced by REDACTED, cut to maxLoggedQuery bytes with "…(truncated)".
// Parameters keep their order and spelling, so the line still shows what
// the client sent.
func logQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if isCredentialParam(name) && hasValue {
			parts[i] = k + "=REDACTED"
		}
	}
	out := strings.Join(parts, "&")
	if len(out) <= maxLoggedQuery {
		return out
	}
	cut := maxLoggedQuery
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return out[:cut] + "…(truncated)"
}

func isCredentialParam(name string) bool {
	n := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(name)))
	return credentialParams[n]
}
