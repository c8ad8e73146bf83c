package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/simulator"
)

// prober sends doctor's own requests — never presented as Okta's — with the
// app's credential, TLS roots, timeouts and extra headers.
type prober struct {
	app    simulator.AppConfig
	client *http.Client
}

// maxProbeBody bounds what doctor reads of an answer to its own probes.
const maxProbeBody = 1 << 20

func newProber(cfg Config, app simulator.AppConfig) prober {
	rt := cfg.Transport
	if rt == nil {
		dialer := &net.Dialer{Timeout: app.ConnectTimeout}
		rt = &http.Transport{
			DialContext:         dialer.DialContext,
			TLSHandshakeTimeout: app.ConnectTimeout,
			// Okta requires TLS 1.2 or later; so does doctor's probe.
			TLSClientConfig: &tls.Config{RootCAs: app.RootCAs, MinVersion: tls.VersionTLS12},
		}
	}
	return prober{app: app, client: &http.Client{
		Transport: rt,
		Timeout:   app.Timeout,
		// SPEC §2.1: Okta does not follow redirects (inferred); neither do probes.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// probeResult is the answer to one of doctor's own requests.
type probeResult struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends method url with Okta's headers and the app's credential.
func (p prober) do(ctx context.Context, method, url string, body io.Reader) (probeResult, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return probeResult{}, fmt.Errorf("probe %s %s: %w", method, url, err)
	}
	req.Header.Set("User-Agent", simulator.UserAgent)
	req.Header.Set("Accept", scimwire.MediaType)
	if body != nil {
		req.Header.Set("Content-Type", scimwire.MediaType+"; charset=utf-8")
	}
	for k, vs := range p.app.ExtraHeaders {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	switch a := p.app.Auth; a.Mode {
	case simulator.AuthHeader:
		req.Header.Set("Authorization", a.Secret)
	case simulator.AuthBearer:
		req.Header.Set("Authorization", "Bearer "+a.Secret)
	case simulator.AuthBasic:
		req.SetBasicAuth(a.Username, a.Password)
	}
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		// The error text carries the URL, never the Authorization header.
		return probeResult{}, fmt.Errorf("probe %s %s after %s: %w", method, url, time.Since(start).Round(time.Millisecond), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
	if err != nil {
		return probeResult{}, fmt.Errorf("probe %s %s: read body: %w", method, url, err)
	}
	return probeResult{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}
