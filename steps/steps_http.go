package steps

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// scimTypeKeywords are the detail error keywords of RFC 7644 §3.12,
// Table 9: the only values the scimType attribute is defined to take.
var scimTypeKeywords = []string{
	"invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
	"invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive",
}

// registerHTTPSteps binds the checks of HTTP-level answers: challenges on
// 401, the scimType keyword set, refused methods and the client address.
func registerHTTPSteps(sc stepDefs) {
	sc.Step(`^the response has a WWW-Authenticate challenge$`, must("RFC 7235 §3.1 (a 401 MUST carry WWW-Authenticate with at least one challenge); RFC 6750 §3"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		got := w.last.Raw().Header.Values("WWW-Authenticate")
		for _, v := range got {
			// RFC 7235 §2.1: a challenge starts with its auth-scheme, a token.
			scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
			if isToken(scheme) {
				return nil
			}
		}
		return w.failLast("a WWW-Authenticate header with a challenge (an auth-scheme such as Bearer)", fmt.Sprintf("%q", got))
	})
	sc.Step(`^the WWW-Authenticate challenge carries no error code$`, should("RFC 6750 §3.1 (a request that lacks any authentication information SHOULD NOT get an error code or other error information)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		got := w.last.Raw().Header.Values("WWW-Authenticate")
		if code, ok := bearerErrorCode(got); ok {
			return w.failLast("a challenge without an error code, since the request sent no credentials", fmt.Sprintf("error=%q in %q", code, got))
		}
		return nil
	})
	sc.Step(`^the WWW-Authenticate challenge names the error "([^"]+)"$`, should("RFC 6750 §3 (a request whose access token failed authentication SHOULD get the error attribute); §3.1 (invalid_token: expired, revoked, malformed or otherwise invalid)"), func(ctx context.Context, want string) error {
		w := worldFrom(ctx)
		got := w.last.Raw().Header.Values("WWW-Authenticate")
		if code, ok := bearerErrorCode(got); ok && code == want {
			return nil
		}
		if scheme, _, hasScheme := strings.Cut(w.conn.authorization, " "); !strings.EqualFold(scheme, "Bearer") && !hasBearerChallenge(got) {
			if !hasScheme {
				// A verbatim credential without a scheme is the secret
				// itself: never put it in the reason.
				scheme = "scheme-less"
			}
			// RFC 6750's error codes belong to Bearer challenges; a target
			// Okta reaches with Basic (or a verbatim header of another
			// scheme) rightly challenges with its own. A target that takes
			// a Bearer token is held to RFC 6750 §3, which makes its
			// challenges Bearer ones.
			return w.skip(reports.StatusSkipped, fmt.Sprintf("the target takes a %s credential and its 401 challenges with %q, not Bearer: RFC 6750's error codes belong to the Bearer scheme", scheme, got))
		}
		return w.failLast(fmt.Sprintf("error=%q in the WWW-Authenticate challenge, so the client can tell a bad token from a missing one", want), fmt.Sprintf("%q", got))
	})
	sc.Step(`^the error carries no scimType, or one of RFC 7644's keywords$`, must("RFC 7644 §3.12 (scimType, when present, is a detail error keyword of Table 9)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		v := gjson.Get(w.lastBody(), "scimType")
		if !v.Exists() || (v.Type == gjson.String && slices.Contains(scimTypeKeywords, v.String())) {
			return nil
		}
		return w.failLast("no scimType, or one of "+strings.Join(scimTypeKeywords, ", "), "scimType "+v.Raw)
	})
	sc.Step(`^the target refused the method with a SCIM error, and a 405's Allow header lists ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?)$`, must("RFC 7644 §3.12 (errors are SCIM error bodies); RFC 9110 §15.5.6 (a 405 MUST carry Allow with the resource's supported methods), §5.6.1 (a sender MUST NOT generate empty list elements)"), func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		status := w.lastStatus()
		// RFC 7644 §3.12: an unsupported operation is a 4xx, or 501.
		if status < 400 {
			// RFC 9110 §9.1 asks a server to refuse such a method (405 or
			// 501) as a SHOULD, so serving it anyway is advice.
			return w.failAs(should("RFC 9110 §9.1 (a method the resource does not allow SHOULD answer 405, one not implemented 501)"),
				"a refusal (405 or 501) of a method the endpoint does not serve", w.lastAnswer(), w.lastEx, "", "")
		}
		if status >= 500 && status != http.StatusNotImplemented {
			return w.failLast("a refusal (4xx or 501) of a method the endpoint does not serve, not a server error", w.lastAnswer())
		}
		if err := w.assertSCIMError(strconv.Itoa(status), ""); err != nil || status != http.StatusMethodNotAllowed {
			return err
		}
		h := w.last.Raw().Header.Values("Allow")
		if len(h) == 0 {
			return w.failLast("an Allow header on the 405", "none")
		}
		var allowed []string
		for _, e := range strings.Split(strings.Join(h, ","), ",") {
			e = strings.TrimSpace(e)
			if e == "" {
				return w.failLast("an Allow list without empty elements", fmt.Sprintf("Allow %q", h))
			}
			allowed = append(allowed, e)
		}
		for _, m := range quoted.FindAllStringSubmatch(list, -1) {
			if !slices.Contains(allowed, m[1]) {
				return w.failLast(fmt.Sprintf("Allow to list %s, which the endpoint serves", m[1]), fmt.Sprintf("Allow %q", h))
			}
		}
		if slices.Contains(allowed, w.lastEx.Method) {
			return w.failLast(fmt.Sprintf("Allow not to list %s, which was refused", w.lastEx.Method), fmt.Sprintf("Allow %q", h))
		}
		return nil
	})
	sc.Step(`^the target's IP allowlist admits every address, with no client IP header$`, must("SPEC §1.1 (no client IP header: the socket address is the caller's)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		if err := w.changeSetting(ctx, target.SetAllowlist, target.Vars{"cidrs": target.J([]string{"0.0.0.0/0", "::/0"}), "header": target.S("")}); err != nil {
			return err
		}
		if w.org != nil {
			return w.configureApp()
		}
		return nil
	})
}

// isToken reports whether s is an RFC 9110 §5.6.2 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c > 0x7e || c <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c) {
			return false
		}
	}
	return true
}

// challenge is one challenge of a WWW-Authenticate field: its auth-scheme
// and its auth-params, names lower-cased (RFC 9110 §11.2: both are
// case-insensitive). A token68 credential is not kept.
type challenge struct {
	scheme string
	params map[string]string
}

// parseChallenges reads the challenges of WWW-Authenticate field values
// (RFC 9110 §11.6.1). A value may hold several challenges separated by
// commas, and commas also separate a challenge's auth-params, so each
// comma-separated item (commas inside quoted strings do not count) is
// either `name=value`, another param of the challenge before it, or a
// scheme, optionally followed by a space and its first param or a
// token68. Field values concatenate with commas (RFC 9110 §5.3), so a
// param may continue the last challenge of the previous value; a param
// before any scheme belongs to nothing and is dropped, as is any other
// malformed item.
func parseChallenges(values []string) []challenge {
	var out []challenge
	for _, v := range values {
		for _, item := range splitOutsideQuotes(v, ',') {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if name, value, ok := authParam(item); ok {
				if len(out) > 0 {
					out[len(out)-1].params[name] = value
				}
				continue
			}
			scheme, rest, _ := strings.Cut(item, " ")
			if !isToken(scheme) {
				continue
			}
			c := challenge{scheme: scheme, params: map[string]string{}}
			if name, value, ok := authParam(strings.TrimSpace(rest)); ok {
				c.params[name] = value
			}
			out = append(out, c)
		}
	}
	return out
}

// authParam reads an item that is exactly one RFC 9110 §11.2 auth-param:
// token BWS "=" BWS ( token / quoted-string ). A quoted value is unescaped;
// an unterminated one yields what there is.
func authParam(item string) (name, value string, ok bool) {
	name, value, found := strings.Cut(item, "=")
	name = strings.TrimRight(name, " \t")
	if !found || !isToken(name) {
		return "", "", false
	}
	value = strings.TrimLeft(value, " \t")
	if !strings.HasPrefix(value, `"`) {
		return strings.ToLower(name), value, isToken(value)
	}
	var b strings.Builder
	for i := 1; i < len(value); i++ {
		switch c := value[i]; {
		case c == '\\' && i+1 < len(value):
			i++
			b.WriteByte(value[i])
		case c == '"':
			return strings.ToLower(name), b.String(), strings.TrimSpace(value[i+1:]) == ""
		default:
			b.WriteByte(c)
		}
	}
	return strings.ToLower(name), b.String(), true
}

// bearerErrorCode returns the value of the "error" auth-param of the first
// Bearer challenge that has one (RFC 6750 §3).
func bearerErrorCode(values []string) (string, bool) {
	for _, c := range parseChallenges(values) {
		if code, ok := c.params["error"]; ok && strings.EqualFold(c.scheme, "Bearer") {
			return code, true
		}
	}
	return "", false
}

// hasBearerChallenge reports whether one of the challenges in the
// WWW-Authenticate values uses the Bearer scheme.
func hasBearerChallenge(values []string) bool {
	return slices.ContainsFunc(parseChallenges(values), func(c challenge) bool {
		return strings.EqualFold(c.scheme, "Bearer")
	})
}

// splitOutsideQuotes splits s at every sep that is not inside a quoted
// string (backslash escapes honoured).
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
