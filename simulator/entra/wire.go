package entra

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/simulator"
)

// Operations, as recorded in the transcript.
const (
	OpTestConnection simulator.Operation = "Entra Test Connection"
	OpCycle          simulator.Operation = "Entra provisioning cycle"
	OpOnDemand       simulator.Operation = "Entra provision on demand"
)

// maxAnswer bounds an answer read (inferred, as on the Okta side).
const maxAnswer = 10 << 20

// call is one request the provisioning service makes.
type call struct {
	op      simulator.Operation
	subject string
	step    string
	prov    simulator.Provenance
	source  string
	method  string
	path    string
	query   url.Values
	body    []byte
}

// reply is an answer read in full.
type reply struct {
	status int
	body   []byte
}

// send makes c and records it. A transport failure is returned as detail
// (what the admin would read); err is only the caller's context ending.
func (t *Tenant) send(ctx context.Context, cfg *AppConfig, client *http.Client, c call) (*reply, string, error) {
	u := cfg.TenantURL + c.path
	if len(c.query) > 0 {
		// Form encoding (space as "+", quotes and "@" escaped), as in
		// published Entra request captures (inferred for every query).
		u += "?" + c.query.Encode()
	}
	actx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if c.body != nil {
		rd = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(actx, c.method, u, rd)
	if err != nil {
		return nil, "invalid request: " + err.Error(), nil
	}
	for k, vs := range cfg.ExtraHeaders {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	// Entra's own headers: the bearer token (documented: tutorial, "Secret
	// Token"), Content-Type application/scim+json on bodies. Microsoft
	// documents no User-Agent, so none is sent rather than an invented one
	// (an empty value keeps Go from adding its own).
	req.Header.Set("Authorization", "Bearer "+cfg.SecretToken)
	req.Header["User-Agent"] = []string{""}
	if c.body != nil {
		req.Header.Set("Content-Type", scimwire.MediaType)
	}
	ex := simulator.Exchange{Operation: c.op, Subject: c.subject, Step: c.step, Provenance: c.prov, Source: c.source,
		Attempt: 1, Started: time.Now()}
	red := func(s string) string { return redact(s, cfg.SecretToken) }
	hdr := req.Header.Clone()
	hdr.Set("Authorization", simulator.Redacted)
	delete(hdr, "User-Agent")
	ex.Request = simulator.RecordedRequest{Method: c.method, URL: red(u), Header: hdr}
	if c.body != nil {
		ex.Request.Body = []byte(red(string(c.body)))
	}
	began := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		ex.Duration = time.Since(began)
		if ctx.Err() != nil {
			ex.Error = "canceled by the caller"
			t.record(ex)
			return nil, "", ctxErr(string(c.op), ctx)
		}
		detail := red(transportDetail(err))
		ex.Error = detail
		t.record(ex)
		return nil, detail, nil
	}
	defer resp.Body.Close()
	data, rerr := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	ex.Duration = time.Since(began)
	rh := resp.Header.Clone()
	ex.Response = &simulator.RecordedResponse{Status: resp.StatusCode, StatusText: http.StatusText(resp.StatusCode),
		Header: rh, Body: []byte(red(string(data))), BodyRead: int64(len(data)),
		DeclaredLength: resp.ContentLength, Chunked: slices.Contains(resp.TransferEncoding, "chunked")}
	// Why the body was not read in full, for the diagnosis (issue 11).
	switch {
	case len(data) > maxAnswer:
		ex.Response.Incomplete = simulator.BodyTooLarge
	case rerr != nil:
		ex.Response.Incomplete = simulator.BodyFailureOf(rerr)
	}
	switch {
	case rerr != nil:
		if ctx.Err() != nil {
			ex.Error = "canceled by the caller"
			t.record(ex)
			return nil, "", ctxErr(string(c.op), ctx)
		}
		ex.Error = red("reading the answer: " + rerr.Error())
		t.record(ex)
		return nil, ex.Error, nil
	case len(data) > maxAnswer:
		ex.Error = fmt.Sprintf("answer larger than %d bytes", maxAnswer)
		t.record(ex)
		return nil, ex.Error, nil
	}
	t.record(ex)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, fmt.Sprintf("redirect %d to %q not followed", resp.StatusCode, resp.Header.Get("Location")), nil
	}
	return &reply{status: resp.StatusCode, body: []byte(red(string(data)))}, "", nil
}

// transportDetail words a transport failure for the admin (inferred).
func transportDetail(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the request timed out"
	}
	return err.Error()
}

// redact replaces the token in s.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, simulator.Redacted)
}

func (t *Tenant) record(ex simulator.Exchange) {
	t.mu.Lock()
	ex.Seq = len(t.exchanges) + 1
	t.exchanges = append(t.exchanges, ex)
	t.mu.Unlock()
}
