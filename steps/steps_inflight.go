package steps

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// The steps in this file race a deprovision against a request that is
// already authenticated with the user's own key (SPEC §1.4 step 4: such a
// request, "even one in flight or racing the deprovision, must not succeed
// after the deprovision returns"). The request is held open from outside:
// its headers go first with "Expect: 100-continue" and its body only after
// the harness has seen the key revoked, so whatever the request does, it
// does after the revocation, and the deprovision was one atomic step.

// Bounds of the race. They are waits for the target, not timings of it: a
// target that answers sooner ends each wait sooner.
const (
	// continueWait is how long the held request waits for "100 Continue",
	// the sign that the target is reading its body (RFC 9110 §10.1.1: a
	// client need not wait for it forever).
	continueWait = 2 * time.Second
	// revokeWait is how long the harness polls for the key to stop working
	// while the held request is open.
	revokeWait = 5 * time.Second
	// raceTimeout bounds each of the two requests.
	raceTimeout = 30 * time.Second
)

// inFlightRace is what the race observed.
type inFlightRace struct {
	holder, subject *user
	givenBefore     string
	// revoked: the key stopped working while the request was held.
	revoked bool
	held    reports.Exchange
	deact   reports.Exchange
}

func registerInFlightSteps(sc stepDefs) {
	sc.Step(`^"([^"]*)" has a personal API key on the target that can call SCIM$`, must("SPEC §1.2 (a key carries a role; a role with the three permissions may call SCIM)"), onUser(func(ctx context.Context, w *World, u *user) error {
		if w.conn.auth.Mode != target.AuthBearer {
			return w.skip(reports.StatusSkipped, "the target's SCIM credential is not a bearer token, so a personal key cannot stand in for it")
		}
		if err := w.mintPersonalKey(ctx, u, target.MintSCIMKey, "scim-"); err != nil {
			return err
		}
		if _, err := w.send(ctx, raw{method: http.MethodGet, path: "/Users?count=1", authorization: "Bearer " + u.apiKey}); err != nil {
			return err
		}
		if w.lastStatus() != http.StatusOK {
			return w.skip(reports.StatusSkipped, fmt.Sprintf("the key probe %s mints cannot call SCIM on this target (GET /Users answered %d), so no SCIM request of the user's can race its deprovision", target.MintSCIMKey, w.lastStatus()))
		}
		return nil
	}))
	sc.Step(`^"([^"]*)" is deactivated through SCIM while a PATCH of "([^"]*)" sent with "([^"]*)"'s key is still being sent$`, must("SPEC §1.4 step 4"), func(ctx context.Context, gone, subject, holder string) error {
		w := worldFrom(ctx)
		t, err := w.known(gone)
		if err != nil {
			return err
		}
		s, err := w.known(subject)
		if err != nil {
			return err
		}
		h, err := w.known(holder)
		if err != nil {
			return err
		}
		return w.raceDeprovision(ctx, t, s, h)
	})
	sc.Step(`^the deactivation succeeded, and the PATCH whose key it revoked did not succeed and changed nothing$`, must("SPEC §1.4 step 4 (a request racing the deprovision must not succeed after it); SPEC §1.4 (one atomic step)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		r := w.inFlight
		if r == nil {
			return fmt.Errorf("scenario error: no race was run")
		}
		if r.deact.Error != "" || r.deact.Status/100 != 2 {
			return w.fail("the deactivation (PATCH active false) to succeed (SPEC §1.4)", answerOf(r.deact), &r.deact, "", "")
		}
		if !r.revoked {
			return w.skip(reports.StatusSkipped, fmt.Sprintf("the key of %s still worked %s after the deactivation was sent while a request made with it was open: the target seems to finish that request first, so nothing raced the deprovision here", r.holder.email, revokeWait))
		}
		if r.held.Error == "" && r.held.Status/100 == 2 {
			return w.fail(fmt.Sprintf("the PATCH sent with %s's key, whose body arrived only after the key was revoked, not to succeed (SPEC §1.4 step 4)", r.holder.email),
				answerOf(r.held), &r.held, "", "")
		}
		body, err := w.read(ctx, r.subject)
		if err != nil {
			return err
		}
		if got := gjson.Get(body, "name.givenName").String(); got != r.givenBefore {
			return w.failLast(fmt.Sprintf("%s's givenName still %q: a request that did not succeed changes nothing", r.subject.userName, r.givenBefore),
				fmt.Sprintf("givenName %q", got))
		}
		return nil
	})
}

// answerOf renders an exchange's outcome for a failure message.
func answerOf(ex reports.Exchange) string {
	if ex.Error != "" {
		return "no answer: " + ex.Error
	}
	return fmt.Sprintf("%d %s", ex.Status, quoteShort(ex.ResponseBody))
}

// raceDeprovision holds a PATCH of subject's givenName, made with holder's
// key, open; deactivates target meanwhile; waits until holder's key stops
// working; then sends the PATCH's body and collects both answers.
func (w *World) raceDeprovision(ctx context.Context, deprovisioned, subject, holder *user) error {
	if holder.apiKey == "" {
		return fmt.Errorf("scenario error: %q has no personal key", holder.alias)
	}
	before, err := w.read(ctx, subject)
	if err != nil {
		return err
	}
	r := &inFlightRace{holder: holder, subject: subject, givenBefore: gjson.Get(before, "name.givenName").String()}
	w.inFlight = r
	patch, _ := json.Marshal(map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "replace", "path": "name.givenName", "value": "InFlight" + w.suffix}},
	})
	held, err := w.openHeld(ctx, http.MethodPatch, "/Users/"+subject.scimID, "Bearer "+holder.apiKey, string(patch))
	if err != nil {
		return w.failAs(harnessRule, "a connection to the target for the held request", err.Error(), nil, "", "")
	}
	defer held.close()
	held.awaitContinue()

	deactBody := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`
	deact := make(chan reports.Exchange, 1)
	go func() {
		deact <- w.detached(ctx, "SCIM client (deactivation racing a held request)", http.MethodPatch, "/Users/"+deprovisioned.scimID, deactBody)
	}()

	deadline := time.Now().Add(revokeWait)
	for !r.revoked && time.Now().Before(deadline) {
		res, err := w.probe(ctx, target.KeyValid, target.Vars{"secret": target.S(holder.apiKey)})
		if err != nil {
			held.finish()
			<-deact
			return err
		}
		r.revoked = !res.Valid
		if !r.revoked {
			time.Sleep(10 * time.Millisecond)
		}
	}
	r.held = w.redact(held.finish())
	r.deact = w.redact(<-deact)
	w.record(r.held)
	w.record(r.deact)
	return nil
}

// detached sends one SCIM request with the target's credential outside the
// World's "last response" slot, for a goroutine; the caller records it.
func (w *World) detached(ctx context.Context, op, method, path, body string) reports.Exchange {
	ex := reports.Exchange{Operation: op, Started: time.Now(), Method: method, URL: w.conn.baseURL + path, RequestBody: body}
	ctx, cancel := context.WithTimeout(ctx, raceTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, ex.URL, strings.NewReader(body))
	if err != nil {
		ex.Error = err.Error()
		return ex
	}
	req.Header.Set("Authorization", w.conn.authorization)
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("Accept", "application/scim+json")
	req = withHarnessUA(req)
	ex.RequestHeaders = req.Header.Clone()
	client := &http.Client{Transport: w.conn.client.Transport, CheckRedirect: w.conn.client.CheckRedirect}
	resp, err := client.Do(req)
	ex.Duration = time.Since(ex.Started)
	if err != nil {
		ex.Error = err.Error()
		return ex
	}
	_, _ = readAnswer(&ex, resp)
	return ex
}

// heldRequest is an HTTP/1.1 request written by hand on its own
// connection: headers first, body later.
type heldRequest struct {
	c    net.Conn
	br   *bufio.Reader
	req  *http.Request
	body string
	ex   reports.Exchange
	// early is a final answer that came instead of 100 Continue (a refusal
	// before the body was read).
	early *http.Response
}

// openHeld dials the target and writes the request's headers with
// "Expect: 100-continue", leaving the body unsent.
func (w *World) openHeld(ctx context.Context, method, path, authorization, body string) (*heldRequest, error) {
	u, err := url.Parse(w.conn.baseURL + path)
	if err != nil {
		return nil, err
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	var c net.Conn
	d := &net.Dialer{Timeout: 10 * time.Second}
	switch u.Scheme {
	case "http":
		c, err = d.DialContext(ctx, "tcp", host)
	case "https":
		cfg := &tls.Config{ServerName: u.Hostname()}
		if t, ok := w.conn.client.Transport.(*http.Transport); ok && t.TLSClientConfig != nil {
			cfg = t.TLSClientConfig.Clone()
			cfg.ServerName = u.Hostname()
		}
		cfg.NextProtos = []string{"http/1.1"}
		c, err = (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx, "tcp", host)
	default:
		err = fmt.Errorf("base URL scheme %q", u.Scheme)
	}
	if err != nil {
		return nil, err
	}
	req, _ := http.NewRequestWithContext(ctx, method, u.String(), nil)
	req.Header.Set("Authorization", authorization)
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("Expect", "100-continue")
	req = withHarnessUA(req)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", method, u.RequestURI(), u.Host, len(body))
	_ = req.Header.Write(&b)
	b.WriteString("\r\n")
	h := &heldRequest{c: c, br: bufio.NewReader(c), req: req, body: body,
		ex: reports.Exchange{Operation: "SCIM client (held open, body sent after the revocation)", Started: time.Now(), Method: method,
			URL: u.String(), RequestHeaders: req.Header.Clone(), RequestBody: body}}
	_ = c.SetDeadline(time.Now().Add(raceTimeout))
	if _, err := io.WriteString(c, b.String()); err != nil {
		c.Close()
		return nil, err
	}
	return h, nil
}

// awaitContinue waits up to continueWait for the target's interim answer,
// 100 Continue: the sign that it authenticated the request and reads its
// body. A final answer instead is kept for finish; no answer in time means
// a target that ignores Expect, which the race then simply does not wait for.
func (h *heldRequest) awaitContinue() {
	_ = h.c.SetReadDeadline(time.Now().Add(continueWait))
	defer h.c.SetReadDeadline(time.Now().Add(raceTimeout))
	if resp, err := http.ReadResponse(h.br, h.req); err == nil && resp.StatusCode != http.StatusContinue {
		h.early = resp
	}
}

// finish sends the body (unless the target already answered) and reads the
// final answer.
func (h *heldRequest) finish() reports.Exchange {
	ex := h.ex
	resp := h.early
	if resp == nil {
		if _, err := io.WriteString(h.c, h.body); err != nil {
			ex.Error = "send the held body: " + err.Error()
			return ex
		}
		for {
			var err error
			resp, err = http.ReadResponse(h.br, h.req)
			if err != nil {
				ex.Error = "read the held request's answer: " + err.Error()
				return ex
			}
			if resp.StatusCode != http.StatusContinue {
				break
			}
		}
	}
	ex.Duration = time.Since(ex.Started)
	_, _ = readAnswer(&ex, resp)
	return ex
}

func (h *heldRequest) close() { _ = h.c.Close() }
