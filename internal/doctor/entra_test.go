package doctor

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRunEntra(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request)
		path   string
		ok     bool
		code   Code
		shows  string
	}{
		{"verified", func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer s3cret" || !strings.HasPrefix(r.URL.Query().Get("filter"), `userName eq "`) {
				w.WriteHeader(400)
				return
			}
			w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`))
		}, "/scim/v2", true, CodeVerified, "authorized to enable provisioning"},
		{"unauthorized", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) }, "/scim/v2", false, CodeUnauthorized, "invalid credentials"},
		{"filter ignored", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"Resources":[{"id":"1"},{"id":"2"}]}`))
		}, "/scim/v2", false, CodeFilterIgnored, "returned 2 result(s)"},
		{"not a list", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"ok":true}`)) }, "/scim/v2", false, CodeNotListResponse, "not a SCIM ListResponse"},
		{"wrong base path", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, "/scim", false, CodeNotFound, "404 Not Found"},
		{"server error", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, "/scim/v2", false, CodeHTTPError, "500 Internal Server Error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(tc.handle))
			defer srv.Close()
			rep, err := RunEntra(context.Background(), EntraConfig{URL: srv.URL + tc.path, Token: "s3cret", AllowHTTP: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK != tc.ok || !strings.Contains(rep.Entra.Message, tc.shows) {
				t.Fatalf("ok=%t message %q, want ok=%t and %q", rep.OK, rep.Entra.Message, tc.ok, tc.shows)
			}
			found := false
			for _, f := range rep.Findings {
				found = found || f.Code == tc.code
			}
			if !found {
				t.Fatalf("findings %+v lack %s", rep.Findings, tc.code)
			}
			var text, js bytes.Buffer
			if err := rep.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{text.String(), js.String()} {
				if strings.Contains(out, "s3cret") {
					t.Fatalf("the token leaked:\n%s", out)
				}
			}
			if !strings.Contains(text.String(), "Entra shows: ") || !strings.Contains(text.String(), "Entra sent  GET ") {
				t.Fatalf("text report:\n%s", text.String())
			}
		})
	}
}

func TestRunEntraPlainHTTPAndConfig(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`))
	}))
	defer srv.Close()
	rep, err := RunEntra(context.Background(), EntraConfig{URL: srv.URL + "/scim/v2", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK || rep.Findings[0].Code != CodePlainHTTP || rep.Findings[0].Severity != SeverityError {
		t.Fatalf("plain http without --allow-http: ok=%t findings %+v", rep.OK, rep.Findings)
	}
	if _, err := RunEntra(context.Background(), EntraConfig{URL: srv.URL, Token: ""}); err == nil {
		t.Fatal("an empty token was accepted")
	}
	if _, err := RunEntra(context.Background(), EntraConfig{URL: "::nope", Token: "t"}); err == nil {
		t.Fatal("a bad URL was accepted")
	}
}
