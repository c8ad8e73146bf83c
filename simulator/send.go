package simulator

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Okta's 429 policy (SPEC §2.3): wait Retry-After seconds when it is an
// integer, otherwise 5 minutes; double the wait on each further 429; give
// up after 10 attempts. Nothing else is retried automatically.
const (
	maxAttempts429   = 10
	defaultWait429   = 5 * time.Minute
	scimContentType  = "application/scim+json; charset=utf-8"
	acceptHeader     = "application/scim+json"
	acceptCharset    = "utf-8"
	acceptEncoding   = "gzip,deflate"
	maxErrorDetailSz = 500
)

// call is one request the engine wants to make.
type call struct {
	op      Operation
	subject string
	step    string
	prov    Provenance
	source  string
	method  string
	path    string // "/Users", "/Users/<escaped id>"
	query   string // already encoded the way Okta encodes it
	body    []byte // nil: no body and no Content-Type
	secrets []string
}

// reply is an answer read in full (decompressed, bounded).
type reply struct {
	status int
	header http.Header
	body   []byte
	seq    int // the recorded exchange
}

// failure is what went wrong, as the reason part of an admin message.
type failure struct {
	id     MessageID
	reason string
	status int
	// body is set when the headers arrived and the body read failed.
	body BodyFailure
}

// send makes c, retrying 429 answers on the org's clock. It returns the
// answer (any status other than 429, 3xx) or a failure; the error is only
// the caller's context ending.
func (o *Org) send(ctx context.Context, app appState, c call) (*reply, *failure, error) {
	var wait time.Duration
	for attempt := 1; ; attempt++ {
		rep, fail, err := o.sendOnce(ctx, app, c, attempt)
		if err != nil || fail != nil || rep.status != http.StatusTooManyRequests {
			return rep, fail, err
		}
		if attempt >= maxAttempts429 {
			return rep, &failure{id: MsgRateLimited, status: rep.status,
				reason: render(MsgRateLimited, "attempts", strconv.Itoa(maxAttempts429))}, nil
		}
		var capped bool
		wait, capped = next429Wait(rep.header.Get("Retry-After"), attempt, app.cfg.MaxRetryWait)
		if capped {
			o.annotate(rep.seq, "429: wait capped at MaxRetryWait "+wait.String()+
				" (simulator safety limit, not Okta behaviour); Retry-After was "+strconv.Quote(rep.header.Get("Retry-After")))
		}
		o.log.Debug().Str("op", string(c.op)).Int("attempt", attempt).Dur("wait", wait).Bool("capped", capped).Msg("okta: 429, waiting before retry")
		if err := o.clock.Sleep(ctx, wait); err != nil {
			return nil, nil, fmt.Errorf("%s: waiting after 429: %w", c.op.lower(), err)
		}
	}
}

// next429Wait is the wait after the attempt-th 429: the Retry-After
// seconds (if a non-negative integer) or 5 minutes, doubled for every
// earlier 429 of the same request, and at most max (capped reports that
// max applied). It saturates before converting and before each doubling,
// so no Retry-After can overflow into a negative wait.
func next429Wait(retryAfter string, attempt int, max time.Duration) (wait time.Duration, capped bool) {
	wait = defaultWait429
	n, err := strconv.ParseInt(strings.TrimSpace(retryAfter), 10, 64)
	switch {
	case err == nil && n >= 0:
		if n > int64(max/time.Second) {
			return max, true
		}
		wait = time.Duration(n) * time.Second
	case errors.Is(err, strconv.ErrRange) && n > 0:
		// An integer too large for int64 is still an integer.
		return max, true
	}
	for i := 1; i < attempt; i++ {
		if wait > max/2 {
			return max, true
		}
		wait *= 2
	}
	if wait > max {
		return max, true
	}
	return wait, false
}

// sendOnce makes one attempt and records it.
func (o *Org) sendOnce(ctx context.Context, app appState, c call, attempt int) (*reply, *failure, error) {
	url := app.cfg.BaseURL + c.path
	if c.query != "" {
		url += "?" + c.query
	}
	actx, cancel := context.WithTimeout(ctx, app.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(actx, c.method, url, body)
	if err != nil {
		return nil, &failure{id: MsgIOError, reason: render(MsgIOError, "method", c.method, "url", url, "detail", err.Error())}, nil
	}
	for k, vs := range app.cfg.ExtraHeaders {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	setOktaHeaders(req.Header, app.cfg.Auth, c.body != nil)

	ex := Exchange{
		Operation: c.op, Subject: c.subject, Step: c.step, Provenance: c.prov, Source: c.source,
		Attempt: attempt, Started: o.clock.Now(),
	}
	red := func(s string) string { return o.redactor.string(scrub(s, c.secrets)) }
	ex.Request = RecordedRequest{Method: c.method, URL: red(url), Header: o.redactor.header(req.Header)}
	if c.body != nil {
		ex.Request.Body = []byte(red(string(c.body)))
	}

	began := time.Now()
	resp, err := app.client.Do(req)
	if err != nil {
		ex.Duration = time.Since(began)
		if ctx.Err() != nil {
			ex.Error = "canceled by the caller"
			o.record(ex)
			return nil, nil, fmt.Errorf("%s: %w", c.op.lower(), ctx.Err())
		}
		fail := classifyTransport(err, app.cfg, c.method, url)
		fail.reason = red(fail.reason)
		ex.Error = red(err.Error())
		o.record(ex)
		return nil, fail, nil
	}
	defer resp.Body.Close()
	data, fail := readBody(resp, app.cfg.MaxResponseBytes)
	ex.Duration = time.Since(began)
	rr := &RecordedResponse{Status: resp.StatusCode, StatusText: http.StatusText(resp.StatusCode),
		Header: o.redactor.header(resp.Header), BodyRead: int64(len(data)),
		DeclaredLength: resp.ContentLength, Chunked: slices.Contains(resp.TransferEncoding, "chunked")}
	if fail != nil {
		rr.Incomplete = fail.body
	}
	rec := data
	if len(rec) > maxRecordedBody {
		rec, rr.Truncated = rec[:maxRecordedBody], true
	}
	rr.Body = []byte(red(string(rec)))
	ex.Response = rr
	if fail != nil {
		if ctx.Err() != nil {
			ex.Error = "canceled by the caller"
			o.record(ex)
			return nil, nil, fmt.Errorf("%s: %w", c.op.lower(), ctx.Err())
		}
		fail.status = resp.StatusCode
		fail.reason = red(fail.reason)
		ex.Error = fail.reason
		o.record(ex)
		return nil, fail, nil
	}
	seq := o.record(ex)
	// The answer is redacted before anyone reads it: a target that echoes
	// the credential or the generated password (in an error detail, say)
	// must not get it into a task message.
	data = []byte(red(string(data)))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.StatusCode != http.StatusNotModified {
		// SPEC §2.1 (inferred): Okta does not follow redirects.
		return nil, &failure{id: MsgRedirect, status: resp.StatusCode, reason: red(render(MsgRedirect,
			"status", statusText(resp.StatusCode), "location", resp.Header.Get("Location")))}, nil
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: data, seq: seq}, nil, nil
}

// setOktaHeaders sets the headers Okta sends on every request (SPEC §2.1,
// observed in real captures). No If-Match, ever.
func setOktaHeaders(h http.Header, a Auth, hasBody bool) {
	switch a.Mode {
	case AuthHeader:
		h.Set("Authorization", a.Secret)
	case AuthBearer:
		h.Set("Authorization", "Bearer "+a.Secret)
	case AuthBasic:
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	}
	h.Set("User-Agent", UserAgent)
	h.Set("Accept", acceptHeader)
	h.Set("Accept-Charset", acceptCharset)
	h.Set("Accept-Encoding", acceptEncoding)
	h.Del("If-Match")
	if hasBody {
		h.Set("Content-Type", scimContentType)
	} else {
		h.Del("Content-Type")
	}
}

// readBody reads the answer, decoding gzip or deflate itself (Okta asks
// for them, so Go's transport does not decode), bounded to max bytes after
// decoding so a compression bomb is caught too.
func readBody(resp *http.Response, max int64) ([]byte, *failure) {
	br := bufio.NewReader(resp.Body)
	var r io.Reader = br
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if _, err := br.Peek(1); err == nil {
		switch enc {
		case "", "identity":
		case "gzip", "x-gzip":
			gz, err := gzip.NewReader(br)
			if err != nil {
				f := ioFailure("decoding gzip answer", err)
				f.body = BodyUnreadable
				return nil, f
			}
			defer gz.Close()
			r = gz
		case "deflate":
			// HTTP "deflate" is zlib (RFC 9110 §8.4.1.2), but some servers
			// send raw deflate; accept both, as browsers do.
			if hdr, _ := br.Peek(2); len(hdr) == 2 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 && hdr[0]&0x0f == 8 {
				zr, err := zlib.NewReader(br)
				if err != nil {
					f := ioFailure("decoding deflate answer", err)
					f.body = BodyUnreadable
					return nil, f
				}
				defer zr.Close()
				r = zr
			} else {
				fr := flate.NewReader(br)
				defer fr.Close()
				r = fr
			}
		default:
			f := ioFailure("reading answer", fmt.Errorf("unsupported Content-Encoding %q", enc))
			f.body = BodyUnreadable
			return nil, f
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(data)) > max {
		return data, &failure{id: MsgTooLarge, body: BodyTooLarge, reason: render(MsgTooLarge, "limit", strconv.FormatInt(max, 10))}
	}
	if err != nil {
		// What was read so far is kept: it tells a stalled or cut-off
		// body from an empty one.
		f := classifyRead(err)
		f.body = BodyFailureOf(err)
		return data, f
	}
	return data, nil
}

// BodyFailureOf says why reading a body failed with err, after the status
// and headers arrived: a timeout is a stall, a reset or an early end of the
// stream a truncation. Other IdP simulators (Entra) use it for their own
// reads, so every diagnosis draws the same distinctions.
func BodyFailureOf(err error) BodyFailure {
	switch classifyRead(err).id {
	case MsgReadTimeout:
		return BodyStalled
	case MsgConnectionReset, MsgNoResponse:
		return BodyTruncated
	}
	return BodyUnreadable
}

func ioFailure(what string, err error) *failure {
	return &failure{id: MsgIOError, reason: render(MsgIOError, "method", "", "url", "", "detail", what+": "+err.Error())}
}

// scrub replaces per-request secrets (the generated password) in s.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

// statusText is the HTTP reason phrase Okta prints, e.g. "Conflict".
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "HTTP " + strconv.Itoa(code)
}

// record appends ex to the transcript with the next Seq, logs it and
// returns the Seq.
func (o *Org) record(ex Exchange) int {
	o.mu.Lock()
	ex.Seq = len(o.exchanges) + 1
	o.exchanges = append(o.exchanges, ex)
	o.mu.Unlock()
	ev := o.log.Debug().Int("seq", ex.Seq).Str("op", string(ex.Operation)).Str("step", ex.Step).
		Str("method", ex.Request.Method).Str("url", ex.Request.URL).Int("attempt", ex.Attempt).
		Dur("duration", ex.Duration).Str("provenance", string(ex.Provenance))
	if ex.Response != nil {
		ev = ev.Int("status", ex.Response.Status)
	}
	if ex.Error != "" {
		ev = ev.Str("error", ex.Error)
	}
	ev.Msg("okta: exchange")
	return ex.Seq
}

// annotate adds a note to the recorded exchange seq (e.g. that a 429 wait
// was capped) and logs it.
func (o *Org) annotate(seq int, note string) {
	o.mu.Lock()
	if seq >= 1 && seq <= len(o.exchanges) {
		ex := &o.exchanges[seq-1]
		if ex.Note != "" {
			ex.Note += "; "
		}
		ex.Note += o.redactor.string(note)
	}
	o.mu.Unlock()
	o.log.Debug().Int("seq", seq).Str("note", note).Msg("okta: exchange note")
}
