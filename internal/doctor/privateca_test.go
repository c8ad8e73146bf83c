package doctor

import (
	"crypto/x509"
	"strings"
	"testing"
)

// TestPrivateCA: a certificate trusted only through ExtraRoots (--ca-file)
// fails the run with an error finding even though the test itself passed,
// because Okta trusts public CAs only; one Okta's roots trust passes.
func TestPrivateCA(t *testing.T) {
	srv, pool := tlsServer(t, answer(200, "application/scim+json", listOK))
	other, _ := tlsServer(t, answer(200, "application/scim+json", listOK))
	for _, tt := range []struct {
		name    string
		roots   *x509.CertPool // stands in for Okta's public roots
		extra   []*x509.Certificate
		wantErr bool
	}{
		{"trusted only through --ca-file", x509.NewCertPool(), []*x509.Certificate{srv.Certificate()}, true},
		{"public roots trust it, --ca-file adds nothing", pool, []*x509.Certificate{other.Certificate()}, false},
		{"public roots trust it, no --ca-file", pool, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: tt.roots, ExtraRoots: tt.extra})
			if !rep.Okta.Verified {
				t.Fatalf("Okta's test did not pass through TLS: %+v", rep.Okta)
			}
			f, found := find(rep, CodeTLSPrivateCA)
			if found != tt.wantErr || rep.OK == tt.wantErr {
				t.Fatalf("private-CA finding %v, ok %v; want finding %v (findings %v)", found, rep.OK, tt.wantErr, codes(rep))
			}
			if !tt.wantErr {
				return
			}
			if rep.Findings[0].Code != CodeTLSPrivateCA || f.Severity != SeverityError {
				t.Fatalf("the private-CA error is not the first, error-level finding: %+v", rep.Findings)
			}
			if !strings.Contains(f.Title, "Okta will reject it unless it chains to a public CA") ||
				!strings.Contains(f.Evidence, "does not verify without --ca-file") {
				t.Fatalf("finding does not explain itself: %+v", f)
			}
		})
	}
}

// TestPrivateCAAfterAnotherError: with a failing test, the first cause
// stays first and the certificate finding follows it.
func TestPrivateCAAfterAnotherError(t *testing.T) {
	srv, _ := tlsServer(t, answer(401, "application/scim+json", scimErrorBody(401, "bad key")))
	rep := run(t, Config{URL: srv.URL + "/scim/v2", RootCAs: x509.NewCertPool(), ExtraRoots: []*x509.Certificate{srv.Certificate()}})
	if rep.OK || len(rep.Findings) < 2 || rep.Findings[0].Code != CodeUnauthorized || rep.Findings[len(rep.Findings)-1].Code != CodeTLSPrivateCA {
		t.Fatalf("findings %v, want unauthorized first and tls-private-ca last", codes(rep))
	}
}
