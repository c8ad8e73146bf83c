package simulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// classifyTransport turns a failed request into the reason Okta's Java
// HTTP client would report (wordings inferred unless the catalog says
// otherwise).
func classifyTransport(err error, cfg AppConfig, method, rawURL string) *failure {
	host, hostport := hostPort(cfg.BaseURL)
	var (
		dnsErr  *net.DNSError
		hostErr x509.HostnameError
		uaErr   x509.UnknownAuthorityError
		invErr  x509.CertificateInvalidError
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		opErr   *net.OpError
	)
	switch {
	case errors.As(err, &dnsErr):
		return &failure{id: MsgUnknownHost, reason: render(MsgUnknownHost, "host", host)}
	case errors.As(err, &hostErr):
		var names string
		if hostErr.Certificate != nil {
			names = strings.Join(hostErr.Certificate.DNSNames, ", ")
		}
		return &failure{id: MsgTLSHostname, reason: render(MsgTLSHostname, "host", host, "names", names)}
	case errors.As(err, &uaErr):
		return &failure{id: MsgTLSUntrusted, reason: render(MsgTLSUntrusted)}
	case errors.As(err, &invErr):
		return &failure{id: MsgTLSHandshake, reason: render(MsgTLSHandshake, "detail", "certificate is not valid: "+invErr.Error())}
	case errors.As(err, &recErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return &failure{id: MsgTLSHandshake, reason: render(MsgTLSHandshake, "detail", "Unsupported or unrecognized SSL message")}
	case errors.As(err, &alert):
		return &failure{id: MsgTLSHandshake, reason: render(MsgTLSHandshake, "detail", "Received fatal alert: "+alert.Error())}
	case strings.Contains(err.Error(), "TLS handshake timeout"):
		return &failure{id: MsgConnectTimeout, reason: render(MsgConnectTimeout, "hostport", hostport, "host", host, "ip", host)}
	case errors.As(err, &opErr) && opErr.Op == "dial":
		ip := host
		if opErr.Addr != nil {
			if h, _, e := net.SplitHostPort(opErr.Addr.String()); e == nil {
				ip = h
			}
		}
		switch {
		case opErr.Timeout() || errors.Is(err, context.DeadlineExceeded):
			return &failure{id: MsgConnectTimeout, reason: render(MsgConnectTimeout, "hostport", hostport, "host", host, "ip", ip)}
		case errors.Is(err, syscall.ECONNREFUSED):
			return &failure{id: MsgConnectRefused, reason: render(MsgConnectRefused, "hostport", hostport, "host", host, "ip", ip)}
		}
	}
	if f := classifyRead(err); f.id != MsgIOError {
		return f
	}
	return &failure{id: MsgIOError, reason: render(MsgIOError, "method", method, "url", rawURL, "detail", innerError(err))}
}

// classifyRead classifies a failure while waiting for or reading an answer.
func classifyRead(err error) *failure {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return &failure{id: MsgReadTimeout, reason: render(MsgReadTimeout)}
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return &failure{id: MsgConnectionReset, reason: render(MsgConnectionReset)}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &failure{id: MsgNoResponse, reason: render(MsgNoResponse)}
	}
	return &failure{id: MsgIOError, reason: render(MsgIOError, "method", "", "url", "", "detail", innerError(err))}
}

// innerError drops net/url's "Get \"…\": " prefix, which repeats the URL.
func innerError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// hostPort returns the base URL's host and host:port (default port added).
func hostPort(base string) (host, hostport string) {
	u, err := url.Parse(base)
	if err != nil {
		return base, base
	}
	host = u.Hostname()
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return host, net.JoinHostPort(host, port)
}
