package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/scimulator/scimulator/simulator"
)

// CodeTLSPrivateCA: the certificate verifies only through --ca-file.
const CodeTLSPrivateCA Code = "tls-private-ca"

// trustedRoots is the pool doctor's requests trust: cfg.RootCAs (nil = the
// system roots) plus cfg.ExtraRoots. Without ExtraRoots it is cfg.RootCAs
// unchanged.
func trustedRoots(cfg Config) (*x509.CertPool, error) {
	if len(cfg.ExtraRoots) == 0 {
		return cfg.RootCAs, nil
	}
	var pool *x509.CertPool
	if cfg.RootCAs != nil {
		pool = cfg.RootCAs.Clone()
	} else {
		sys, err := x509.SystemCertPool()
		if err != nil || sys == nil {
			// No system roots here: only the extra ones are trusted, and
			// the private-CA check below says Okta would not agree.
			sys = x509.NewCertPool()
		}
		pool = sys
	}
	for _, c := range cfg.ExtraRoots {
		if c == nil {
			return nil, errors.New("--ca-file: empty certificate")
		}
		pool.AddCert(c)
	}
	return pool, nil
}

// privateCAFinding checks, when ExtraRoots were given and Okta's request got
// through TLS, whether the server's certificate also verifies without them.
// If it does not, Okta (which trusts public CAs only, SPEC §2.1) would fail
// the TLS handshake before any of the answers doctor saw.
func (d diagnoser) privateCAFinding(ctx context.Context, exs []simulator.Exchange) (Finding, bool) {
	if len(d.cfg.ExtraRoots) == 0 || d.base.Scheme != "https" || !gotAnswer(exs) {
		return Finding{}, false
	}
	host, port := hostPort(d.base)
	f := Finding{Code: CodeTLSPrivateCA, Severity: SeverityError,
		Title: "the certificate is trusted only through --ca-file; Okta will reject it unless it chains to a public CA",
		Why:   "Okta trusts certificates that chain to a publicly trusted certificate authority; it has no way to add yours. doctor trusted the --ca-file certificates only to diagnose the rest.",
		Fix: []string{
			"Serve a certificate from a public CA (e.g. Let's Encrypt) for " + host + ", with the full chain.",
			"If the CA is public but missing from this machine's trust store, update the system CA certificates and run doctor without --ca-file.",
		}}
	if d.cfg.Transport != nil {
		// No real socket to look at the certificate: say so rather than pass.
		f.Evidence = "doctor could not check the certificate without --ca-file (custom transport)"
		return f, true
	}
	// Version 0: Go's defaults (TLS 1.2 and 1.3), what Okta negotiates.
	state, err := handshake(ctx, host, port, 0, d.app.ConnectTimeout)
	if err != nil {
		f.Evidence = "doctor's own TLS handshake failed: " + err.Error()
		return f, true
	}
	chain := state.PeerCertificates
	if len(chain) == 0 {
		f.Evidence = "doctor's own TLS handshake got no certificate"
		return f, true
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	// d.cfg.RootCAs nil = the system roots, as Okta's public ones.
	_, err = chain[0].Verify(x509.VerifyOptions{DNSName: host, Roots: d.cfg.RootCAs, Intermediates: inter})
	if err == nil {
		return Finding{}, false
	}
	leaf := chain[0]
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		// Its text adds a "possibly because of …" guess that helps nobody here.
		err = errors.New("signed by an unknown authority")
	}
	f.Evidence = fmt.Sprintf("doctor's own TLS handshake: certificate for %q issued by %q does not verify without --ca-file: %v",
		nameOf(leaf.Subject), nameOf(leaf.Issuer), err)
	return f, true
}

// gotAnswer reports whether any exchange got an HTTP answer, i.e. TLS
// succeeded with the configured roots.
func gotAnswer(exs []simulator.Exchange) bool {
	for _, e := range exs {
		if e.Response != nil {
			return true
		}
	}
	return false
}
