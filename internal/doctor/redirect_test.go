package doctor

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/simulator"
)

// TestRedirectFixWording checks that the fix names what the redirect does.
func TestRedirectFixWording(t *testing.T) {
	tests := []struct {
		name     string
		base     string // the configured base URL
		location string
		want     []string // every fix line, in order, contains the matching phrase
		absent   []string // in no fix line nor the title
	}{
		{"http to https, same path", "http://api.example.com:8080/scim/v2", "https://api.example.com/scim/v2/Users?startIndex=1&count=2",
			[]string{"redirects HTTP to HTTPS: enter the https:// URL in Okta: https://api.example.com/scim/v2"}, []string{"Or ", "another"}},
		{"http to https elsewhere", "http://api.example.com/scim/v2", "https://api.example.com/v3/scim/Users",
			[]string{"redirects to HTTPS at another location: enter the final URL in Okta: https://api.example.com/v3/scim", "Or make the server answer /scim/v2/Users"}, nil},
		{"another path, relative Location", "https://api.example.com/scim/v2", "/api/scim/v2/Users?startIndex=1&count=2",
			[]string{"serves SCIM under another path: enter the final URL in Okta: https://api.example.com/api/scim/v2", "Or make the server answer"}, []string{"HTTP to HTTPS"}},
		{"another host", "https://api.example.com/scim/v2", "https://scim.example.net/v2/Users",
			[]string{"another host (scim.example.net): enter the final URL in Okta: https://scim.example.net/v2", "Or make the server answer"}, []string{"HTTP to HTTPS"}},
		{"sign-in page on another host", "http://app.example.com/scim/v2", "https://login.example-idp.com/oauth2/authorize?client_id=web",
			[]string{"Exempt the SCIM path from interactive sign-in at login.example-idp.com", "base URL points at the API host"}, []string{"HTTP to HTTPS", "Or "}},
		{"sign-in page on the same host", "https://app.example.com/scim/v2", "/login?next=%2Fscim%2Fv2%2FUsers",
			[]string{"Exempt the SCIM path from interactive sign-in at app.example.com", "base URL points at the API host"}, []string{"Or "}},
		{"same host, not SCIM, not a sign-in", "https://api.example.com/scim/v2", "/docs/",
			[]string{"sends /Users to /docs/, which is not a SCIM endpoint", "make the server answer /scim/v2/Users"}, []string{"Or "}},
		{"no Location", "https://api.example.com/scim/v2", "",
			[]string{"Configure the URL the server actually serves SCIM at"}, []string{"Or "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := url.Parse(tt.base)
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			if tt.location != "" {
				h.Set("Location", tt.location)
			}
			e := simulator.Exchange{
				Request:  simulator.RecordedRequest{Method: http.MethodGet, URL: tt.base + "/Users?startIndex=1&count=2"},
				Response: &simulator.RecordedResponse{Status: http.StatusFound, Header: h},
			}
			f := diagnoser{base: base}.redirect(e)
			if f.Code != CodeRedirect || f.Severity != SeverityError {
				t.Fatalf("finding %s/%s, want a redirect error", f.Code, f.Severity)
			}
			if len(f.Fix) != len(tt.want) {
				t.Fatalf("fix has %d lines, want %d:\n%s", len(f.Fix), len(tt.want), strings.Join(f.Fix, "\n"))
			}
			for i, w := range tt.want {
				if !strings.Contains(f.Fix[i], w) {
					t.Fatalf("fix line %d %q lacks %q", i+1, f.Fix[i], w)
				}
			}
			if strings.HasPrefix(f.Fix[0], "Or ") {
				t.Fatalf("the first fix line begins with \"Or\": %q", f.Fix[0])
			}
			text := f.Title + "\n" + strings.Join(f.Fix, "\n")
			for _, a := range tt.absent {
				if strings.Contains(text, a) {
					t.Fatalf("finding says %q, wrong for this case:\n%s", a, text)
				}
			}
		})
	}
}
