package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/scimulator/scimulator/simulator"
)

// transport explains an exchange that got no HTTP answer, from the
// simulator's classification and doctor's own connect and TLS probes.
func (d diagnoser) transport(ctx context.Context, res simulator.CredentialsResult, e simulator.Exchange) []Finding {
	host, port := hostPort(d.base)
	evidence := orNone(e.Error)
	low := strings.ToLower(e.Error + " " + res.Message)
	switch {
	case res.MessageID == simulator.MsgUnknownHost || strings.Contains(low, "no such host") || strings.Contains(low, "name or service not known"):
		return []Finding{{Code: CodeUnknownHost, Severity: SeverityError,
			Title: "the host name does not resolve", Evidence: evidence,
			Why: "Okta resolves the base URL's host in public DNS; this name has no address.",
			Fix: []string{"Check the spelling of " + host + ", and that it is published in public DNS (not only on an internal resolver)."}}}
	case res.MessageID == simulator.MsgConnectRefused || strings.Contains(low, "connection refused"):
		return []Finding{{Code: CodeConnectRefused, Severity: SeverityError,
			Title: "nothing listens on " + net.JoinHostPort(host, port), Evidence: evidence,
			Why: "The host answered but refused the TCP connection: no server on that port, or a firewall rejecting it.",
			Fix: []string{"Check the port in the base URL (https defaults to 443) and that the SCIM service is running and reachable from the internet."}}}
	case isTLS(res.MessageID, low):
		return d.tlsFindings(ctx, host, port, evidence)
	case res.MessageID == simulator.MsgConnectTimeout || strings.Contains(low, "connect timed out") || (strings.Contains(low, "dial") && strings.Contains(low, "timeout")):
		return []Finding{connectTimeout(host, port, evidence, d.app.ConnectTimeout)}
	case res.MessageID == simulator.MsgReadTimeout || strings.Contains(low, "timeout") || strings.Contains(low, "timed out") || strings.Contains(low, "deadline exceeded"):
		// Tell a read timeout from a connect timeout with a TCP connect of our own.
		if d.cfg.Transport == nil {
			if err := tcpProbe(ctx, host, port, d.app.ConnectTimeout); err != nil {
				return []Finding{connectTimeout(host, port, evidence+"; doctor's own TCP connect: "+err.Error(), d.app.ConnectTimeout)}
			}
		}
		return []Finding{{Code: CodeReadTimeout, Severity: SeverityError,
			Title: fmt.Sprintf("the target accepted the connection but sent no answer within %s", d.app.Timeout), Evidence: evidence,
			Why: "Okta waits 60 seconds for an answer (inferred from Okta's SCIM documentation); a list of two users must come back well within that.",
			Fix: []string{
				"Find what blocks GET /Users?startIndex=1&count=2: a slow count(*) over all users, a lock, an upstream call.",
				"Check proxy and load balancer timeouts between Okta and the service.",
			}}}
	case res.MessageID == simulator.MsgConnectionReset || strings.Contains(low, "reset") || strings.Contains(low, "eof"):
		return []Finding{{Code: CodeConnectionReset, Severity: SeverityError,
			Title: "the connection was closed before an answer arrived", Evidence: evidence,
			Why: "Something on the way (the server, a proxy, a WAF) dropped the connection mid-request.",
			Fix: []string{"Read the server's and proxy's logs for this request; a WAF may be blocking Okta's User-Agent \"Okta SCIM Client 1.0.0\"."}}}
	}
	return []Finding{{Code: CodeTransport, Severity: SeverityError,
		Title: "the request failed before an HTTP answer arrived", Evidence: evidence,
		Fix: []string{"Check that the base URL is reachable over HTTPS from the internet."}}}
}

func isTLS(id simulator.MessageID, low string) bool {
	switch id {
	case simulator.MsgTLSUntrusted, simulator.MsgTLSHostname, simulator.MsgTLSHandshake:
		return true
	}
	return strings.Contains(low, "tls") || strings.Contains(low, "x509") || strings.Contains(low, "certificate") || strings.Contains(low, "ssl")
}

func connectTimeout(host, port, evidence string, limit time.Duration) Finding {
	return Finding{Code: CodeConnectTimeout, Severity: SeverityError,
		Title:    fmt.Sprintf("no TCP connection to %s within %s", net.JoinHostPort(host, port), limit),
		Evidence: evidence,
		Why:      "The connection attempt got no reply at all, which is what a firewall that silently drops packets (or an unroutable address) looks like.",
		Fix: []string{
			"Allow inbound HTTPS from Okta's egress IP ranges in the firewall or security group in front of the service.",
			"Check that the host name resolves to the public address of the service, not a private one.",
		}}
}

// tcpProbe opens and closes one TCP connection.
func tcpProbe(ctx context.Context, host, port string, timeout time.Duration) error {
	dialer := net.Dialer{Timeout: timeout}
	c, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	return c.Close()
}

// tlsVersions are the versions doctor scans, oldest first.
var tlsVersions = []struct {
	v    uint16
	name string
}{{tls.VersionTLS10, "TLS 1.0"}, {tls.VersionTLS11, "TLS 1.1"}, {tls.VersionTLS12, "TLS 1.2"}, {tls.VersionTLS13, "TLS 1.3"}}

// tlsFindings scans which TLS versions the server accepts and checks its
// certificate the way a Java client would: chain to a trusted root, name match.
func (d diagnoser) tlsFindings(ctx context.Context, host, port, evidence string) []Finding {
	if d.cfg.Transport != nil {
		return []Finding{{Code: CodeTLSHandshake, Severity: SeverityError, Title: "the TLS handshake failed", Evidence: evidence}}
	}
	var accepted []string
	var best uint16
	var chain []*x509.Certificate
	for _, tv := range tlsVersions {
		state, err := handshake(ctx, host, port, tv.v, d.app.ConnectTimeout)
		if err != nil {
			continue
		}
		accepted = append(accepted, tv.name)
		best, chain = tv.v, state.PeerCertificates
	}
	if len(accepted) == 0 {
		return []Finding{{Code: CodeTLSHandshake, Severity: SeverityError,
			Title: "no TLS handshake succeeded with any version from 1.0 to 1.3", Evidence: evidence,
			Why: "The port may not speak TLS at all (plain HTTP on an https:// URL?), or the server requires client certificates.",
			Fix: []string{"Check that the port serves HTTPS; try the URL in a browser."}}}
	}
	versions := "the server accepts " + strings.Join(accepted, ", ")
	if best < tls.VersionTLS12 {
		return []Finding{{Code: CodeTLSVersion, Severity: SeverityError,
			Title: "the server only offers TLS below 1.2", Evidence: evidence + "; doctor's TLS scan: " + versions,
			Why: "Okta requires TLS 1.2 or later for SCIM connections.",
			Fix: []string{"Enable TLS 1.2 and 1.3 on the server or load balancer (and disable 1.0 and 1.1)."}}}
	}
	if f, ok := d.certificateFinding(host, chain, evidence+"; doctor's TLS scan: "+versions); ok {
		return []Finding{f}
	}
	return []Finding{{Code: CodeTLSHandshake, Severity: SeverityError,
		Title: "the TLS handshake failed", Evidence: evidence + "; doctor's TLS scan: " + versions,
		Fix: []string{"Check the server's TLS configuration: cipher suites compatible with Java clients, a complete certificate chain."}}}
}

// handshake completes a TLS handshake at exactly version v without
// verifying the certificate (verification is done separately, to explain it).
func handshake(ctx context.Context, host, port string, v uint16, timeout time.Duration) (tls.ConnectionState, error) {
	dialer := &tls.Dialer{
		NetDialer: &net.Dialer{Timeout: timeout},
		Config: &tls.Config{
			ServerName: host, MinVersion: v, MaxVersion: v,
			// Only the protocol is probed here; certificateFinding verifies
			// the chain against the configured roots and explains failures.
			InsecureSkipVerify: true, //nolint:gosec // see above
		},
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	return c.(*tls.Conn).ConnectionState(), nil
}

// certificateFinding verifies the leaf for host against the configured roots.
func (d diagnoser) certificateFinding(host string, chain []*x509.Certificate, evidence string) (Finding, bool) {
	if len(chain) == 0 {
		return Finding{}, false
	}
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: d.app.RootCAs, Intermediates: inter})
	if err == nil {
		return Finding{}, false
	}
	subject := fmt.Sprintf("certificate for %q issued by %q, valid %s to %s",
		nameOf(leaf.Subject), nameOf(leaf.Issuer), leaf.NotBefore.Format("2006-01-02"), leaf.NotAfter.Format("2006-01-02"))
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) {
		return Finding{Code: CodeTLSHostname, Severity: SeverityError,
			Title:    "the certificate does not name " + host,
			Evidence: evidence + "; " + subject + "; names: " + strings.Join(leaf.DNSNames, ", "),
			Why:      "Okta checks that the certificate's subject alternative names include the base URL's host.",
			Fix:      []string{"Serve a certificate whose SAN list includes " + host + ", or use a host name the certificate covers."}}, true
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		return Finding{Code: CodeTLSUntrusted, Severity: SeverityError,
			Title: "the certificate has expired (or is not yet valid)", Evidence: evidence + "; " + subject,
			Fix: []string{"Renew the certificate."}}, true
	}
	self := leaf.Subject.String() == leaf.Issuer.String()
	why := "Okta trusts certificates that chain to a public certificate authority; this one does not chain to a trusted root."
	if self {
		why = "The certificate is self-signed. Okta trusts only certificates that chain to a public certificate authority."
	}
	return Finding{Code: CodeTLSUntrusted, Severity: SeverityError,
		Title: "the certificate is not trusted", Evidence: evidence + "; " + subject + "; " + err.Error(),
		Why: why,
		Fix: []string{
			"Use a certificate from a public CA (e.g. Let's Encrypt) for " + host + ".",
			"Serve the full chain (leaf and intermediates), not the leaf alone.",
		}}, true
}

// nameOf is a certificate name for people: the common name, else the
// whole distinguished name.
func nameOf(n pkix.Name) string {
	if n.CommonName != "" {
		return n.CommonName
	}
	return n.String()
}
