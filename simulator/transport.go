package simulator

import (
	"crypto/tls"
	"net"
	"net/http"
)

// appState is the configured app and the client that talks to it.
type appState struct {
	cfg    AppConfig
	client *http.Client
}

// httpTransport builds the HTTP client for an app configuration.
type httpTransport struct {
	override http.RoundTripper
}

// client returns a client that never follows redirects (SPEC §2.1,
// inferred: a redirect becomes a failure with a clear message) and, unless
// overridden, verifies TLS with the app's roots and speaks HTTP/1.1 as
// Okta's Java client does. Timeouts are applied per exchange by send.
func (t httpTransport) client(cfg AppConfig) *http.Client {
	rt := t.override
	if rt == nil {
		rt = &http.Transport{
			Proxy: nil,
			DialContext: (&net.Dialer{
				Timeout:   cfg.ConnectTimeout,
				KeepAlive: -1,
			}).DialContext,
			TLSClientConfig: &tls.Config{
				RootCAs:            cfg.RootCAs,
				InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // explicit opt-in for local targets
				MinVersion:         tls.VersionTLS12,
			},
			TLSHandshakeTimeout:   cfg.ConnectTimeout,
			ResponseHeaderTimeout: cfg.Timeout,
			// Okta sets Accept-Encoding itself and decodes the answer;
			// so do we (see readBody).
			DisableCompression:  true,
			MaxIdleConnsPerHost: DefaultConcurrency * 2,
			ForceAttemptHTTP2:   false,
		}
	}
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
