package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/scimulator/scimulator/simulator"
	"github.com/scimulator/scimulator/simulator/entra"
)

// CodeFilterIgnored: Entra's Test Connection filter, which matches nobody,
// returned users: the target ignores or mis-evaluates filter=userName eq.
const CodeFilterIgnored Code = "filter-ignored"

// EntraConfig is one doctor run of Microsoft Entra ID's Test Connection.
type EntraConfig struct {
	// URL is the Tenant URL as typed into the Entra admin centre.
	URL string
	// Token is the Secret Token; Entra sends it as a bearer token.
	Token string
	// AllowHTTP accepts an http:// URL for local testing; the plain-HTTP
	// finding is then a warning instead of failing the run.
	AllowHTTP bool
	// Timeout bounds the exchange; 0 means 60 s.
	Timeout      time.Duration
	ExtraHeaders http.Header
	// Transport replaces the network (tests, in-process targets).
	Transport http.RoundTripper
	// InsecureSkipVerify is for tests against a self-signed server only.
	InsecureSkipVerify bool
}

// EntraReport is the outcome: what Entra sent, what came back, the
// notification the Entra admin sees and the diagnosis.
type EntraReport struct {
	URL string `json:"url"`
	IdP string `json:"idp"` // "entra"
	OK  bool   `json:"ok"`
	// Entra is the Test Connection notification.
	Entra     OktaResult `json:"entra"`
	Exchanges []Exchange `json:"exchanges"`
	Findings  []Finding  `json:"findings"`
}

// RunEntra sends Entra's Test Connection request (GET /Users?filter=userName
// eq "<random GUID>", Microsoft's SCIM endpoint tutorial) through the Entra
// simulator and diagnoses the answer. The error is a *ConfigError for a
// configuration doctor cannot run with, or the context's error.
func RunEntra(ctx context.Context, cfg EntraConfig) (EntraReport, error) {
	u, err := checkURL(cfg.URL)
	if err != nil {
		return EntraReport{}, &ConfigError{Err: err}
	}
	if cfg.Token == "" {
		return EntraReport{}, &ConfigError{Err: fmt.Errorf("the Secret Token is empty")}
	}
	tn := entra.NewTenant(entra.Options{Transport: cfg.Transport})
	if err := tn.ConfigureApp(entra.AppConfig{Name: "SCIM app", TenantURL: cfg.URL, SecretToken: cfg.Token,
		Timeout: cfg.Timeout, ExtraHeaders: cfg.ExtraHeaders, InsecureSkipVerify: cfg.InsecureSkipVerify}); err != nil {
		return EntraReport{}, &ConfigError{Err: err}
	}
	res, err := tn.TestConnection(ctx)
	if err != nil {
		return EntraReport{}, err
	}
	rep := EntraReport{URL: cfg.URL, IdP: "entra", OK: res.OK}
	rep.Entra = OktaResult{Verified: res.OK, Message: res.Message, MessageID: string(res.MessageID), Status: res.Status}
	if m, ok := entra.LookupMessage(res.MessageID); ok {
		rep.Entra.Provenance = string(m.Provenance)
	}
	exs := tn.Transcript().Exchanges
	for _, e := range exs {
		rep.Exchanges = append(rep.Exchanges, exchangeOf(e))
	}
	if u.Scheme == "http" {
		f := Finding{Code: CodePlainHTTP, Severity: SeverityError, Title: "the Tenant URL is plain http://",
			Why: "Microsoft's SCIM endpoint tutorial requires HTTPS: Entra only provisions to an https:// Tenant URL with a publicly trusted certificate",
			Fix: []string{"serve the SCIM endpoint over HTTPS and type the https:// URL as the Tenant URL"}}
		if cfg.AllowHTTP {
			f.Severity, f.Title = SeverityWarning, f.Title+" (accepted by --allow-http for local testing)"
		} else {
			rep.OK = false
		}
		rep.Findings = append(rep.Findings, f)
	}
	if n := len(exs); n > 0 && exs[n-1].Response != nil && exs[n-1].Response.Incomplete != "" {
		// Headers, then a body that never arrived in full: what was read
		// decides the finding, not "could not reach" (issue 11).
		timeout := cfg.Timeout
		if timeout <= 0 {
			timeout = simulator.DefaultTimeout // the Entra tenant's default too
		}
		rep.Findings = append(rep.Findings, bodyFinding(exs[n-1], "Entra", timeout, simulator.DefaultMaxResponseBytes))
		return rep, nil
	}
	rep.Findings = append(rep.Findings, entraDiagnosis(res, exs)...)
	return rep, nil
}

// entraDiagnosis explains the Test Connection outcome.
func entraDiagnosis(res entra.ConnectionResult, exs []simulator.Exchange) []Finding {
	var last simulator.Exchange
	if len(exs) > 0 {
		last = exs[len(exs)-1]
	}
	evidence := ""
	if r := last.Response; r != nil {
		evidence = statusLine(r)
		if d := detailOf(r); d != "" {
			evidence += ": " + d
		}
	} else if last.Error != "" {
		evidence = last.Error
	}
	switch res.MessageID {
	case entra.MsgConnectionOK:
		return []Finding{{Code: CodeVerified, Severity: SeverityInfo, Title: "Entra's Test Connection succeeds",
			Evidence: evidence + " with an empty ListResponse"}}
	case entra.MsgConnectionUnauthorized:
		f := Finding{Code: CodeUnauthorized, Severity: SeverityError, Title: "the target refuses the Secret Token",
			Evidence: evidence,
			Why:      "Entra sends the Secret Token as \"Authorization: Bearer <token>\" and nothing else (no other authentication mode for a non-gallery SCIM app)",
			Fix: []string{"check that the Secret Token is a valid, unexpired API token with the SCIM permissions",
				"check that the target accepts it as a bearer token"}}
		if res.Status == http.StatusForbidden {
			f.Title = "the target knows the Secret Token but forbids the request (403)"
			f.Fix = append(f.Fix, "check that SCIM is enabled and Microsoft's provisioning IP ranges are allowlisted (scimulator doctor without --idp explains the Cortex causes of a 403)")
		}
		return []Finding{f}
	case entra.MsgConnectionNotEmpty:
		return []Finding{{Code: CodeFilterIgnored, Severity: SeverityError, Title: "a filter that matches nobody returned users",
			Evidence: evidence,
			Why:      "Entra checks that GET /Users?filter=userName eq \"<random GUID>\" finds nobody; a target that ignores the filter would also make Entra match the wrong user before every create",
			Fix:      []string{"implement filter=userName eq \"…\" on /Users (RFC 7644 §3.4.2.2), matching case-insensitively"}}}
	case entra.MsgConnectionBadResponse:
		return []Finding{{Code: CodeNotListResponse, Severity: SeverityError, Title: "the answer is not a SCIM ListResponse",
			Evidence: evidence,
			Fix:      []string{"answer a query with {\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":0,\"Resources\":[]} (RFC 7644 §3.4.2)"}}}
	case entra.MsgConnectionUnreachable:
		return []Finding{{Code: CodeTransport, Severity: SeverityError, Title: "Entra could not reach the Tenant URL",
			Evidence: evidence,
			Fix:      []string{"check the host name, the port and that the endpoint is reachable from the internet (Entra calls from Microsoft's cloud)"}}}
	}
	if res.Status == http.StatusNotFound {
		return []Finding{{Code: CodeNotFound, Severity: SeverityError, Title: "the Tenant URL's path is not the SCIM base path",
			Evidence: evidence,
			Why:      "Entra appends /Users to the Tenant URL exactly as typed",
			Fix:      []string{"type the SCIM base URL, e.g. https://app.example.com/scim/v2, as the Tenant URL"}}}
	}
	return []Finding{{Code: CodeHTTPError, Severity: SeverityError, Title: fmt.Sprintf("the target answered %d to Entra's query", res.Status),
		Evidence: evidence, Fix: []string{"answer GET /Users?filter=userName eq \"…\" with 200 and a ListResponse"}}}
}

// WriteJSON writes the report as indented JSON.
func (r EntraReport) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

// WriteText writes the report for a person: Entra's request and answer,
// the notification the Entra admin sees, and the diagnosis.
func (r EntraReport) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Microsoft Entra ID Test Connection against %s\n\n", shown(r.URL, 0))
	writeExchanges(&b, "Entra sent ", r.Exchanges)
	fmt.Fprintf(&b, "\nEntra shows: %s%s\n", shown(r.Entra.Message, 0), provenanceNote(r.Entra.Provenance))
	writeFindings(&b, r.Findings)
	if r.OK {
		b.WriteString("\nResult: Entra would say the connection works.\n")
	} else {
		b.WriteString("\nResult: Entra would NOT accept this connection.\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write doctor report: %w", err)
	}
	return nil
}
