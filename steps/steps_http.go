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
