package target

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"syscall"
	"time"
)

// MaxAnswerBytes bounds a discovery answer the harness reads: the
// simulator's limit for Okta (10 MiB; Okta's own is not documented, so
// this is inferred). A larger answer is an error, never silently cut.
const MaxAnswerBytes = 10 << 20

// How an answer failed after its status and headers arrived.
const (
	AnswerNone      = "no answer"  // the connection was open, but no status and headers came
	AnswerStalled   = "stalled"    // the body did not finish within the timeout
	AnswerTruncated = "truncated"  // closed or reset before the announced body was complete
	AnswerTooLarge  = "too large"  // over MaxAnswerBytes
	AnswerBroken    = "unreadable" // any other read failure
)

// AnswerError is a discovery request that reached the target and then
// failed: no answer in time, or a body that stalled, was cut off or was too
// large. Its text says which, with what was read (issue 11: "target not
// usable" must say what actually happened).
type AnswerError struct {
	Path     string // e.g. "/ServiceProviderConfig"
	Kind     string // AnswerNone, AnswerStalled, …
	Status   int    // 0 for AnswerNone
	Read     int64  // body bytes read
	Declared int64  // Content-Length, -1 if none
	Chunked  bool
	Timeout  time.Duration
	Err      error
}

func (e *AnswerError) Error() string {
	got := fmt.Sprintf("GET %s answered %d, then %d bytes of body", e.Path, e.Status, e.Read)
	switch e.Kind {
	case AnswerNone:
		return fmt.Sprintf("GET %s: the target accepted the connection but sent no answer within %s (--timeout)", e.Path, e.Timeout)
	case AnswerStalled:
		return fmt.Sprintf("%s%s, then the body stalled: it did not finish within %s (--timeout)", got, e.length(), e.Timeout)
	case AnswerTruncated:
		how := "the connection was closed"
		if errors.Is(e.Err, syscall.ECONNRESET) {
			how = "the connection was reset"
		}
		return fmt.Sprintf("%s%s, then %s: the body was cut off", got, e.length(), how)
	case AnswerTooLarge:
		return fmt.Sprintf("GET %s answered %d with a body larger than %d bytes (10 MiB, scimulator's limit for Okta's reads): read %d bytes and stopped%s",
			e.Path, e.Status, MaxAnswerBytes, e.Read, e.length())
	}
	return fmt.Sprintf("%s%s: %v", got, e.length(), e.Err)
}

func (e *AnswerError) Unwrap() error { return e.Err }

// length is what the answer announced about its body's size, if anything.
func (e *AnswerError) length() string {
	if e.Declared >= 0 {
		return fmt.Sprintf(" of the %d its Content-Length announced", e.Declared)
	}
	if e.Chunked {
		return " (chunked)"
	}
	return ""
}

// readAnswer reads resp's body up to MaxAnswerBytes, classifying a failure.
func readAnswer(path string, resp *http.Response, timeout time.Duration) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	fail := func(kind string) error {
		return &AnswerError{Path: path, Kind: kind, Status: resp.StatusCode, Read: int64(len(body)),
			Declared: resp.ContentLength, Chunked: slices.Contains(resp.TransferEncoding, "chunked"), Timeout: timeout, Err: err}
	}
	var ne net.Error
	switch {
	case int64(len(body)) > MaxAnswerBytes:
		return nil, fail(AnswerTooLarge)
	case err == nil:
		return body, nil
	case errors.As(err, &ne) && ne.Timeout():
		return nil, fail(AnswerStalled)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return nil, fail(AnswerTruncated)
	}
	return nil, fail(AnswerBroken)
}

// pathOf is the path and query of a request URL, for messages.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redactURL(raw)
	}
	return u.RequestURI()
}
