package reports

import (
	"strings"
	"testing"
)

// scanSeeds are texts near each rule's edges: matches reached only through
// escapes, case folding, a second URL, a run of name characters, and texts
// that hold the words but cannot match.
var scanSeeds = []string{
	`{"password":"x"}`,
	`{"Password" :  "x"}`,
	`{"a\"password":"x"}`,
	`{"a\\":"b","token": "v"}`,
	`"\"key":"v"`,
	`{"KEY":"v"}`,
	"{\"\u212Aey\":\"v\"}",
	`{"paſſword":"x"}`,
	`{"password": 5}`,
	`{"detail":"the token is invalid"}`,
	"a=1&x.access_token-2=abc",
	"tokenTOKENtoken=abc",
	"paſſword=x",
	"api_KEY : 0123456789abcdef",
	"secret\t:\n0123456789abcdef",
	"http://x//b://user@host",
	"a://b://c@d",
	"HTTPS://u:p@h",
	"mailto://@",
	"see https://example.com/a@b",
	"ana@example.com ://",
	"Bearer abcd",
	"SSWS token 00aB3cD4eF5gH6iJ",
	"x.api-KEY-2 \t =0123456789abcdef",
	"paſſwd \u212A123456789abcdef",
	"token\n0123456789abcde",
	"eyJa.bc.d",
	"",
}

// TestScansAdmitEveryMatch is the scans' promise: whenever a rule's
// expression matches a text, the rule's scan says it may.
func TestScansAdmitEveryMatch(t *testing.T) {
	for _, s := range scanSeeds {
		checkScansAdmit(t, s)
	}
}

func FuzzScansAdmitEveryMatch(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(checkScansAdmit)
}

func checkScansAdmit(t *testing.T, s string) {
	lower := foldForScan(s)
	for i, rule := range textRules {
		if rule.re.MatchString(s) && !rule.may(lower) {
			t.Errorf("rule %d (%s) matches %q, but its scan says it cannot", i, rule.re, s)
		}
	}
}

// TestScansSkipOrdinaryBodies: the scans exist to spare the expressions on
// SCIM bodies that hold a credential word or a URL but no credential.
func TestScansSkipOrdinaryBodies(t *testing.T) {
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401",` +
		`"detail":"invalid credentials: the bearer token is not a valid API key; session expired",` +
		`"meta":{"location":"https://127.0.0.1:8443/scim/v2/Users/ana@example.com"}}`
	lower := foldForScan(body)
	for name, may := range map[string]func(string) bool{
		"member": mayBeCredentialMember, "pair": mayBeCredentialPair,
		"label": mayBeCredentialLabel, "userinfo": mayHoldUserinfo,
		"spaced": mayBeSpacedCredential,
	} {
		if may(lower) {
			t.Errorf("the %s scan admits an ordinary error body", name)
		}
	}
}

// TestScansAreLinear: texts built to make a naive scan quadratic (a word
// repeated a million times inside one name, one long run after "://") are
// scanned in one pass; a quadratic scan would not finish in the test's time.
func TestScansAreLinear(t *testing.T) {
	words := strings.Repeat("token", 1<<20/5)
	for _, s := range []string{words, `"` + words, "x://" + strings.Repeat("a", 1<<20), strings.Repeat("://a", 1<<18)} {
		lower := foldForScan(s)
		for _, may := range []func(string) bool{mayBeCredentialMember, mayBeCredentialPair, mayBeCredentialLabel, mayHoldUserinfo} {
			may(lower)
		}
	}
}

// TestSensitiveNames: every spelling of a credential name is sensitive,
// other names are not.
func TestSensitiveNames(t *testing.T) {
	for _, name := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "api_key", "APIKEY",
		"password", "PASSWD", "client_secret", "X-Auth-Token", "sessionId", "Credential", "paſſword"} {
		if !isSensitiveName(name) {
			t.Errorf("%q is not treated as a credential name", name)
		}
	}
	for _, name := range []string{"Content-Type", "Location", "ETag", "WWW-Authenticate", "userName", "key", "X-Request-Id"} {
		if isSensitiveName(name) {
			t.Errorf("%q is treated as a credential name", name)
		}
	}
}
