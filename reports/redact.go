package reports

import (
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Redacted is what replaces a secret in every artefact.
const Redacted = "[REDACTED]"

// minSecretLen is the shortest literal secret Redact scrubs: shorter strings
// would blank out ordinary words and numbers all over the report.
const minSecretLen = 4

// isSensitiveName reports whether a header, JSON key, query parameter or
// cookie name says its value is a credential (SPEC §2: secrets never appear
// in logs, transcripts or reports): it holds one of credentialWords, in any
// case.
func isSensitiveName(name string) bool {
	return containsAny(foldForScan(name), credentialWords)
}

// The words whose presence, in the lower-cased text, makes a rule worth
// running. Most bodies hold none, and skipping the regular expressions for
// them keeps report writing fast.
var (
	// credentialWords name a credential in a JSON key.
	credentialWords = []string{"authorization", "cookie", "password", "passwd", "secret", "token", "api_key", "api-key", "apikey", "session", "credential"}
	// pairWords name a credential in name=value pairs.
	pairWords = []string{"password", "passwd", "secret", "token", "api_key", "api-key", "apikey", "session"}
	// labelWords name a credential in "name: value" lines.
	labelWords = []string{"password", "passwd", "secret", "token", "api_key", "api-key", "apikey"}
	// spacedWords name a credential followed by its value after a space.
	spacedWords = []string{"password", "passwd", "secret", "token", "api_key", "api-key", "apikey", "credential"}
)

// textRules find credential-looking values in free text and bodies. Each
// keeps the label and replaces only the value, so a reader still sees that a
// credential was there. A rule's regular expression runs only when may,
// given the lower-cased text, says it could match: a linear scan that
// answers true for every text the expression matches (redact_test.go fuzzes
// that promise), and false for nearly every SCIM body, where the words
// appear in error details and the URLs carry no userinfo.
var textRules = []struct {
	may  func(lower string) bool
	re   *regexp.Regexp
	repl string
	// keep, when set, spares a match (given its submatches) that only
	// looks like a credential.
	keep func(m []string) bool
}{
	// JSON members whose key names a credential, in compact or pretty JSON,
	// whole or trimmed: "password": "…", "sessionToken":"…", "key": "…".
	{mayBeCredentialMember, regexp.MustCompile(`(?i)("(?:[^"\\]*(?:authorization|cookie|password|passwd|secret|token|api[_-]?key|session|credential)[^"\\]*|key)"\s*:\s*)"(?:[^"\\]|\\.)*"`), `$1"` + Redacted + `"`, nil},
	// Authorization schemes followed by their credential. Prose ("a
	// Bearer token") and a challenge's first auth-param (Bearer
	// realm="…", Bearer error="…") are kept: they name no credential.
	{containsAnyOf("bearer", "basic", "ssws", "digest"), regexp.MustCompile(`(?i)\b(bearer|basic|ssws|digest)(\s+)([A-Za-z0-9._~+/=:-]{4,})(\\?"|)`), `$1$2` + Redacted + `$4`, notACredential},
	// Header lines quoted in error text or request dumps.
	{containsAnyOf("authorization", "cookie", "api-key"), regexp.MustCompile(`(?im)^(\s*(?:proxy-)?(?:authorization|cookie|set-cookie|x-api-key|api-key)\s*:[ \t]*)\S.*$`), `$1` + Redacted, nil},
	// name=value pairs in URLs, forms and logs: ?access_token=…, password=….
	{mayBeCredentialPair, regexp.MustCompile(`(?i)\b([\w.-]*(?:password|passwd|secret|token|api[_-]?key|session)[\w.-]*=)[^&\s"'<>]+`), `$1` + Redacted, nil},
	// "name: value" where the value is long and opaque, as in YAML or logs.
	{mayBeCredentialLabel, regexp.MustCompile(`(?i)\b([\w.-]*(?:password|passwd|secret|token|api[_-]?key)[\w.-]*\s*:\s*)[A-Za-z0-9._~+/=-]{12,}`), `$1` + Redacted, nil},
	// A credential word followed, after a space, by a long opaque value, as
	// in "SSWS token 00aB3…" or "invalid credential 8f1c…": prose after
	// the word ("token verification", "the token expired") is kept.
	{mayBeSpacedCredential, regexp.MustCompile(`(?i)\b([\w.-]*(?:password|passwd|secret|token|api[_-]?key|credential)[\w.-]*)(\s+)([A-Za-z0-9._~+/=-]{16,})`), `$1$2` + Redacted, isProse},
	// JSON Web Tokens wherever they appear.
	{containsAnyOf("eyj"), regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`), Redacted, nil},
	// Userinfo in URLs: https://user:pass@host.
	{mayHoldUserinfo, regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s"'<>]+@`), `$1` + Redacted + `@`, nil},
}

// isProse reports whether the value the spaced-credential rule found is a
// word rather than a credential: generated keys and tokens mix letters and
// digits (a random 16-character value without both is rare), while English
// words, even long ones, hold no digit.
func isProse(m []string) bool {
	v := m[3]
	return !strings.ContainsAny(v, "0123456789") || !strings.ContainsFunc(v, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	})
}

// challengeParams are the auth-params a challenge opens with (RFC 6750
// §3, RFC 7617 §2, RFC 7616 §3.3); none of them carries a credential.
var challengeParams = []string{"realm=", "error=", "error_description=", "error_uri=", "scope=", "charset="}

// schemeProse are the words that follow a scheme's name in prose ("not a
// Bearer token", "Basic authentication"); a credential is never one of them.
var schemeProse = []string{"token", "tokens", "credential", "credentials", "scheme", "auth", "authentication", "header", "challenge", "realm"}

// notACredential reports whether a scheme rule's match is prose or a
// challenge's parameter rather than a credential.
func notACredential(m []string) bool {
	return slices.Contains(schemeProse, strings.ToLower(m[3])) || isChallengeParam(m)
}

// isChallengeParam reports whether a scheme rule's match is a challenge's
// quoted auth-param (realm="…", or realm=\"…\" where the challenge is
// quoted in a message) rather than a credential. A padded credential
// (token68) can be followed by a quote too, where it ends a quoted
// string, so only the known parameter names count.
func isChallengeParam(m []string) bool {
	return m[4] != "" && slices.Contains(challengeParams, strings.ToLower(m[3]))
}

// replaceMatches is re.ReplaceAllString(s, repl) that leaves alone every
// match keep (when not nil) spares.
func replaceMatches(re *regexp.Regexp, s, repl string, keep func(m []string) bool) string {
	if keep == nil {
		return re.ReplaceAllString(s, repl)
	}
	var b strings.Builder
	last := 0
	for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		b.WriteString(s[last:loc[0]])
		if keep(m) {
			b.WriteString(m[0])
		} else {
			b.Write(re.ExpandString(nil, repl, s, loc))
		}
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// redactor scrubs credentials from text, headers and whole records. It holds
// literal secrets the producer knows (the target's API key), which are
// scrubbed wherever they appear, on top of the pattern rules.
type redactor struct {
	literals []string
}

func newRedactor(secrets []string) redactor {
	var r redactor
	for _, s := range secrets {
		if len(strings.TrimSpace(s)) >= minSecretLen {
			r.literals = append(r.literals, s)
		}
	}
	return r
}

// RedactText returns s with credential-looking values replaced by Redacted:
// Authorization schemes and header lines, JSON members and name=value pairs
// whose names mean a credential, JSON Web Tokens and URL userinfo.
func RedactText(s string) string {
	return redactor{}.text(s)
}

func (r redactor) text(s string) string {
	if s == "" {
		return s
	}
	for _, lit := range r.literals {
		s = strings.ReplaceAll(s, lit, Redacted)
	}
	lower := foldForScan(s)
	for _, rule := range textRules {
		if !rule.may(lower) {
			continue
		}
		s = replaceMatches(rule.re, s, rule.repl, rule.keep)
		lower = foldForScan(s)
	}
	return s
}

// RedactHeaders returns a copy of h in which every credential header
// (Authorization, Cookie, Set-Cookie, X-Api-Key, anything naming a token,
// secret, session or password) has its values replaced by Redacted, and other
// values pass through RedactText.
func RedactHeaders(h http.Header) http.Header {
	return redactor{}.headers(h)
}

func (r redactor) headers(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		cp := make([]string, len(values))
		for i, v := range values {
			if isSensitiveName(name) {
				cp[i] = Redacted
			} else {
				cp[i] = r.text(v)
			}
		}
		out[name] = cp
	}
	return out
}

func (r redactor) exchange(e Exchange) Exchange {
	e.Operation = r.text(e.Operation)
	e.URL = r.text(e.URL)
	e.RequestHeaders = r.headers(e.RequestHeaders)
	e.RequestBody = r.text(e.RequestBody)
	e.ResponseHeaders = r.headers(e.ResponseHeaders)
	e.ResponseBody = r.text(e.ResponseBody)
	e.Error = r.text(e.Error)
	return e
}

// Redact returns a deep copy of the run with credentials scrubbed from every
// free-text field, URL, header and body. Each literal in secrets (such as
// the target's API key, which the producer knows and the record must not)
// is replaced wherever it appears; literals shorter than four characters are
// ignored. Every writer calls Redact itself, so calling it first is needed
// only to scrub literal secrets.
func (r Run) Redact(secrets ...string) Run {
	rd := newRedactor(secrets)
	out := r
	out.Target.Name = rd.text(r.Target.Name)
	out.Target.BaseURL = rd.text(r.Target.BaseURL)
	out.Tags = rd.text(r.Tags)
	out.TargetLogs = rd.text(r.TargetLogs)
	out.CleanupWarnings = nil
	for _, w := range r.CleanupWarnings {
		out.CleanupWarnings = append(out.CleanupWarnings, rd.text(w))
	}
	out.Capabilities = append([]string(nil), r.Capabilities...)
	// Scenarios are independent and the rules' regexps are safe for
	// concurrent use, so the scenarios are scrubbed on every core: with
	// thousands of exchanges this is the slowest part of writing reports.
	out.Scenarios = make([]Scenario, len(r.Scenarios))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(r.Scenarios)) {
		wg.Go(func() {
			for i := range next {
				out.Scenarios[i] = rd.scenario(r.Scenarios[i])
			}
		})
	}
	for i := range r.Scenarios {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func (r redactor) scenario(s Scenario) Scenario {
	// The name is the suite's own (features/), never a secret, and is
	// kept as written: reports and baselines match scenarios by it, and a
	// name such as "… after an empty Bearer answers 401" must not read
	// "Bearer [REDACTED]".
	s.Tags = append([]string(nil), s.Tags...)
	s.SkipReason = r.text(s.SkipReason)
	if s.Failure != nil {
		f := r.failure(*s.Failure)
		s.Failure = &f
	}
	if s.Failures != nil {
		fs := make([]Failure, len(s.Failures))
		for i, f := range s.Failures {
			fs[i] = r.failure(f)
		}
		s.Failures = fs
	}
	steps := make([]Step, len(s.Steps))
	for i, st := range s.Steps {
		st.Text = r.text(st.Text)
		st.Error = r.text(st.Error)
		steps[i] = st
	}
	s.Steps = steps
	if s.Exchanges != nil {
		ex := make([]Exchange, len(s.Exchanges))
		for i, e := range s.Exchanges {
			ex[i] = r.exchange(e)
		}
		s.Exchanges = ex
	}
	return s
}

// failure redacts one failed check's text and exchange.
func (r redactor) failure(f Failure) Failure {
	f.Step = r.text(f.Step)
	f.Expected = r.text(f.Expected)
	f.Actual = r.text(f.Actual)
	f.AdminMessage = r.text(f.AdminMessage)
	if f.Exchange != nil {
		e := r.exchange(*f.Exchange)
		f.Exchange = &e
	}
	return f
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
