// Package doctor diagnoses Okta's "Test API Credentials" against a SCIM base
// URL: it sends exactly the request Okta sends (through the simulator), shows
// the message an Okta admin would see, and explains the cause and the fix —
// above all for the Cortex article's "Forbidden from remote server".
//
// Everything Okta itself would do goes through package simulator; the extra
// probes doctor makes to narrow a cause down (a TLS version scan, a TCP
// connect, a second try with /scim/v2 appended) are labelled as doctor's own
// in the report, so nobody mistakes them for Okta traffic.
package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scimulator/scimulator/simulator"
)

// Config is one doctor run.
type Config struct {
	// URL is the SCIM base URL as it would be typed into Okta
	// (e.g. https://api.example.com/scim/v2).
	URL string
	// Auth is the credential, as the app's Authentication Mode sends it.
	Auth simulator.Auth
	// AppName names the app in Okta's messages; "" = "SCIM app".
	AppName string
	// Groups adds Okta's GET /Groups to the test, as when Push groups is on.
	Groups bool
	// Profile is the traffic profile used by Deep; "" = OIN.
	Profile simulator.TrafficProfile
	// AllowHTTP accepts a plain http:// URL for local testing, as the
	// simulator's flag of the same name does (SPEC §2.1): the plain-HTTP
	// finding becomes a warning instead of failing the run. Okta itself
	// never connects over HTTP.
	AllowHTTP bool
	// Deep adds the create–read–deactivate round trip on a throwaway user.
	Deep bool
	// Timeout is the read timeout (Okta: 60 s); 0 = simulator.DefaultTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds TCP and TLS connects; 0 = simulator.DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// RootCAs are the trusted roots; nil = the system roots, which is what
	// Okta trusts (publicly trusted CAs).
	RootCAs *x509.CertPool
	// ExtraRoots are CA certificates doctor trusts on top of RootCAs
	// (--ca-file), so a server with a private CA can be diagnosed past TLS.
	// Okta does not trust them: a certificate that verifies only through
	// them is an error finding, and the run fails (SPEC §2.1: Okta trusts
	// publicly trusted CAs only).
	ExtraRoots []*x509.Certificate
	// ExtraHeaders are sent on every request, e.g. X-Forwarded-For carrying
	// Okta's egress IP in front of a proxy.
	ExtraHeaders http.Header
	// Transport replaces the network (tests, in-process targets). Probes that
	// need real sockets (TLS scan, TCP connect) are skipped with it set.
	Transport http.RoundTripper
}

// Report is the outcome of a doctor run; it is also the --json document.
type Report struct {
	URL string `json:"url"`
	// OK is true only when Okta would say the connection works.
	OK bool `json:"ok"`
	// Okta is what the admin sees after Test API Credentials.
	Okta OktaResult `json:"okta"`
	// Exchanges are Okta's requests and the answers (secrets redacted).
	Exchanges []Exchange `json:"exchanges"`
	// Findings are the diagnosis, most important first.
	Findings []Finding `json:"findings"`
	// Deep is the round trip, when asked for.
	Deep []DeepStep `json:"deep,omitempty"`
}

// OktaResult is the Test API Credentials dialog.
type OktaResult struct {
	Verified  bool   `json:"verified"`
	Message   string `json:"message"`
	MessageID string `json:"messageId,omitempty"`
	Status    int    `json:"status,omitempty"`
	// Provenance says whether the message wording is documented, observed
	// or inferred (simulator message catalog), or ProvenanceDoctor when
	// Okta has no message for the case and the text is doctor's.
	Provenance string `json:"provenance,omitempty"`
	// OverHTTP is what the test returned when doctor ran it over plain HTTP
	// anyway (an http:// URL without AllowHTTP). Okta itself never gets this
	// far, so this is not what an admin sees.
	OverHTTP *OktaResult `json:"overHttp,omitempty"`
}

// ProvenanceDoctor marks an OktaResult message written by doctor because
// Okta shows no message of its own for the case.
const ProvenanceDoctor = "doctor"

// httpsRequired is what happens in Okta with an http:// base URL: the app
// cannot be saved, so there is no Test API Credentials message at all
// (SPEC §2.1; the simulator's catalog has no wording for it).
const httpsRequired = "Okta refuses a base URL that is not https://, so the app cannot be saved and the test never runs"

// Exchange is one request Okta sent and what came back, redacted.
type Exchange struct {
	Method      string        `json:"method"`
	URL         string        `json:"url"`
	Status      int           `json:"status,omitempty"`
	StatusText  string        `json:"statusText,omitempty"`
	ContentType string        `json:"contentType,omitempty"`
	Location    string        `json:"location,omitempty"`
	Body        string        `json:"body,omitempty"` // trimmed
	Error       string        `json:"error,omitempty"`
	Duration    time.Duration `json:"durationNs"`
}

// Severity ranks a finding.
type Severity string

// Severities.
const (
	// SeverityError: Okta's test fails (or would, for the stated reason).
	SeverityError Severity = "error"
	// SeverityWarning: the test passes, but provisioning will break later.
	SeverityWarning Severity = "warning"
	// SeverityInfo: context that helps, no action needed.
	SeverityInfo Severity = "info"
)

// Finding is one diagnosed cause with its fix.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Title is one line: what is wrong.
	Title string `json:"title"`
	// Evidence is what showed it: a status, a detail, a probe result.
	Evidence string `json:"evidence,omitempty"`
	// Why explains the cause in an Okta admin's terms.
	Why string `json:"why,omitempty"`
	// Fix lists the steps that resolve it (or, for an unnamed 403 cause,
	// how to check each candidate).
	Fix []string `json:"fix,omitempty"`
}

// DeepStep is one step of the --deep round trip.
type DeepStep struct {
	Step    string `json:"step"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped,omitempty"`
	// Request is "METHOD path" of the step's deciding request.
	Request string `json:"request,omitempty"`
	Status  int    `json:"status,omitempty"`
	Detail  string `json:"detail"`
}

// ConfigError is a Config doctor cannot run with (a usage error on the
// command line). Its text names the setting, e.g. "--url ... has no host",
// and carries no "doctor:" prefix: the command line adds its own.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Run sends Okta's Test API Credentials request to cfg.URL and diagnoses the
// answer. The error is a *ConfigError for a configuration doctor cannot run
// with (an unparseable URL, a missing secret), or the context's error when
// the run was cut short; every target failure is a Finding.
func Run(ctx context.Context, cfg Config) (Report, error) {
	u, err := checkURL(cfg.URL)
	if err != nil {
		return Report{}, &ConfigError{Err: err}
	}
	rep := Report{URL: cfg.URL}
	plainHTTP := u.Scheme == "http"

	// A virtual clock: Okta's 429 back-off (Retry-After, doubling, up to 10
	// attempts, SPEC §2.3) is replayed without waiting minutes, and the
	// schedule Okta would follow is reported instead.
	roots, err := trustedRoots(cfg)
	if err != nil {
		return Report{}, &ConfigError{Err: err}
	}
	clock := simulator.NewVirtualClock(time.Now())
	org := simulator.NewOrg(simulator.Options{Transport: cfg.Transport, Clock: clock})
	app := simulator.AppConfig{
		Name:           cfg.AppName,
		BaseURL:        cfg.URL,
		Auth:           cfg.Auth,
		Profile:        cfg.Profile,
		Provisioning:   simulator.Provisioning{CreateUsers: true, DeactivateUsers: true, UpdateAttributes: true, PushGroups: cfg.Groups},
		AllowHTTP:      plainHTTP, // diagnose the rest; the finding below still fails the run
		RootCAs:        roots,
		Timeout:        cfg.Timeout,
		ConnectTimeout: cfg.ConnectTimeout,
		ExtraHeaders:   cfg.ExtraHeaders,
	}
	if err := org.ConfigureApp(app); err != nil {
		return Report{}, &ConfigError{Err: err} // already prefixed "configure app: "
	}
	app, _ = org.App() // with defaults filled in

	res, err := org.TestAPICredentials(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("test api credentials: %w", err)
	}
	rep.Okta = oktaResult(res)
	exchanges := org.Transcript().Exchanges
	for _, e := range exchanges {
		rep.Exchanges = append(rep.Exchanges, exchangeOf(e))
	}

	d := newDiagnoser(cfg, app, u)
	d.waits = clock.Sleeps()
	rep.Findings = d.diagnose(ctx, res, exchanges)
	if plainHTTP {
		f := plainHTTPFinding(u)
		if cfg.AllowHTTP {
			f.Severity = SeverityWarning
		}
		rep.Findings = append([]Finding{f}, rep.Findings...)
	}
	rep.OK = res.OK && (!plainHTTP || cfg.AllowHTTP)
	if f, ok := d.privateCAFinding(ctx, exchanges); ok {
		rep.OK = false
		if res.OK {
			// The only error: first, before the "would verify" note.
			rep.Findings = append([]Finding{f}, rep.Findings...)
			for i, g := range rep.Findings {
				if g.Code == CodeVerified {
					rep.Findings[i].Title = "trusting the --ca-file certificate, the rest of Okta's test passes: only the certificate stands in the way"
				}
			}
		} else {
			rep.Findings = append(rep.Findings, f)
		}
	}
	if plainHTTP && !cfg.AllowHTTP {
		// Okta would not get as far as the test: show that, not the result
		// of doctor's own run over HTTP.
		over := rep.Okta
		rep.Okta = OktaResult{Message: httpsRequired, Provenance: ProvenanceDoctor, OverHTTP: &over}
		for i, f := range rep.Findings {
			if f.Code == CodeVerified {
				rep.Findings[i].Title = "over plain HTTP the rest of Okta's test passes: only the scheme stands in the way"
			}
		}
	}

	if cfg.Deep {
		if res.OK {
			rep.Deep = deepRoundTrip(ctx, org, d)
		} else {
			rep.Deep = []DeepStep{{Step: "round trip", Skipped: true,
				Detail: "skipped: Test API Credentials must pass first"}}
		}
		for _, s := range rep.Deep {
			if !s.OK && !s.Skipped {
				rep.OK = false
			}
		}
	}
	return rep, nil
}

// checkURL refuses what is not a base URL at all (a usage error), leaving
// http and odd paths to the diagnosis.
func checkURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("--url is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the whole URL, which may hold a password:
		// report only what is wrong with it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("--url is not a URL: %w", err)
	}
	// Checked first, so no later message quotes a URL holding a password.
	if u.User != nil {
		return nil, errors.New("--url must not carry user:password@ (the password would be printed in every report line, " +
			"and Okta's base URL field has no such part): use --auth basic --username NAME with the password in --token-env")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("--url %q must start with https:// (Okta only talks HTTPS)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("--url %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--url %q must not carry a query or fragment: Okta appends /Users?... itself", raw)
	}
	return u, nil
}

func oktaResult(res simulator.CredentialsResult) OktaResult {
	o := OktaResult{Verified: res.OK, Message: res.Message, MessageID: string(res.MessageID), Status: res.Status}
	if m, ok := simulator.LookupMessage(res.MessageID); ok {
		o.Provenance = string(m.Provenance)
	}
	return o
}

// maxShownBody bounds the body kept in a report, maxShownHeader a header.
const (
	maxShownBody   = 600
	maxShownHeader = 300
)

func exchangeOf(e simulator.Exchange) Exchange {
	x := Exchange{Method: e.Request.Method, URL: e.Request.URL, Error: e.Error, Duration: e.Duration}
	if r := e.Response; r != nil {
		x.Status, x.StatusText = r.Status, r.StatusText
		x.ContentType = trimBody([]byte(r.Header.Get("Content-Type")), maxShownHeader)
		x.Location = trimBody([]byte(r.Header.Get("Location")), maxShownHeader)
		x.Body = trimBody(r.Body, maxShownBody)
	}
	return x
}

// trimBody returns b as text, cut to at most n bytes on a rune boundary,
// with a marker. It does not escape: the text and JSON writers do.
func trimBody(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n] + "…"
	}
	return s
}
