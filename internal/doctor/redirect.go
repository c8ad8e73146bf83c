package doctor

import (
	"net/url"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/simulator"
)

// redirect explains a 3xx answer to Okta's request, with a fix worded for
// what the redirect does: upgrade http to https, move the API to another
// path or host, or send Okta to a sign-in page.
func (d diagnoser) redirect(e simulator.Exchange) Finding {
	r := e.Response
	loc := r.Header.Get("Location")
	f := Finding{Code: CodeRedirect, Severity: SeverityError,
		Title:    "the target answers with a redirect",
		Evidence: statusLine(r) + ", Location: " + orNone(trimBody([]byte(loc), maxShownHeader)),
		Why:      "Okta does not follow redirects (inferred from its behaviour; SPEC §2.1): the redirect itself is the answer, so the test fails.",
	}
	target, err := url.Parse(loc)
	if loc == "" || err != nil {
		f.Fix = []string{"Configure the URL the server actually serves SCIM at, so that it answers 200 without redirecting."}
		return f
	}
	from := mustURL(e.Request.URL)
	target = from.ResolveReference(target)
	base := baseFromLocation(target)
	answerItself := "make the server answer " + pathOf(from.String()) + " itself instead of redirecting."
	otherHost := !strings.EqualFold(target.Hostname(), from.Hostname())

	switch {
	case base == "" && (otherHost || looksLikeSignIn(target.Path)):
		// A web app's sign-in wall (SSO, a proxy's auth) in front of the API.
		f.Title = "the target sends Okta to a sign-in page"
		f.Why += " The Location is not a SCIM endpoint but a sign-in page, as a web front end or an authenticating proxy answers a request without a browser session."
		f.Fix = []string{
			"Exempt the SCIM path from interactive sign-in at " + target.Host + ": the SCIM API must check the API token itself and answer 200 or 401.",
			"Check that the base URL points at the API host, not the web app (the Cortex base URL ends in /scim/v2).",
		}
	case base == "":
		f.Fix = []string{
			"The server sends /Users to " + target.Path + ", which is not a SCIM endpoint: configure the URL the server actually serves SCIM at, or",
			answerItself,
		}
	case from.Scheme == "http" && target.Scheme == "https" && !otherHost && mustURL(base).Path == strings.TrimRight(d.base.Path, "/"):
		f.Fix = []string{"The server redirects HTTP to HTTPS: enter the https:// URL in Okta: " + base}
	case from.Scheme == "http" && target.Scheme == "https":
		f.Fix = []string{
			"The server redirects to HTTPS at another location: enter the final URL in Okta: " + base,
			"Or " + answerItself,
		}
	case otherHost:
		f.Fix = []string{
			"The server sends Okta to another host (" + target.Host + "): enter the final URL in Okta: " + base,
			"Or " + answerItself,
		}
	default:
		f.Fix = []string{
			"The server serves SCIM under another path: enter the final URL in Okta: " + base,
			"Or " + answerItself,
		}
	}
	return f
}

// looksLikeSignIn reports whether path looks like a sign-in page (SAML,
// OIDC, web forms, identity-aware proxies).
func looksLikeSignIn(path string) bool {
	p := strings.ToLower(path)
	for _, w := range []string{"login", "signin", "sign-in", "sign_in", "sso", "saml", "auth"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// baseFromLocation strips the /Users… that Okta appended from a redirect
// target, giving the base URL to configure.
func baseFromLocation(target *url.URL) string {
	p := target.Path
	i := strings.LastIndex(strings.ToLower(p), strings.ToLower(scimwire.UsersEndpoint))
	if i < 0 {
		return ""
	}
	b := *target
	b.Path, b.RawPath, b.RawQuery = strings.TrimRight(p[:i], "/"), "", ""
	return b.String()
}
