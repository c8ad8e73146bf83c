package simulator

import (
	"net/http"
	"time"
)

// Exchange is one recorded HTTP exchange (one attempt; a 429 retry is a
// new exchange). Secrets are already redacted: the Authorization header
// reads "[REDACTED]", as do the password in create bodies and any
// occurrence of the app's secret in bodies, headers and errors.
type Exchange struct {
	// Seq numbers exchanges from 1 in the order they were sent.
	Seq int
	// Operation is the Okta action that caused the exchange, Subject the
	// user login or group name it was about.
	Operation Operation
	Subject   string
	// Step says which step of the operation this is, e.g. "existence check".
	Step string
	// Provenance says whether this request's wire shape is documented,
	// observed or inferred, and Source where that comes from.
	Provenance Provenance
	Source     string
	Attempt    int
	Request    RecordedRequest
	// Response is nil when no answer arrived (see Error).
	Response *RecordedResponse
	// Error is the transport failure, if any (redacted).
	Error string
	// Note is what the simulator did about this exchange beyond Okta's
	// rules, e.g. that a 429 wait was capped at AppConfig.MaxRetryWait.
	Note string
	// Started is the org clock's time when the request was sent; Duration
	// the wall time until the answer was read.
	Started  time.Time
	Duration time.Duration
}

// RecordedRequest is a request as sent, redacted.
type RecordedRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// RecordedResponse is an answer as read (decompressed), redacted and
// truncated to maxRecordedBody bytes.
type RecordedResponse struct {
	Status     int
	StatusText string
	Header     http.Header
	Body       []byte
	// Truncated reports whether Body was cut for the transcript.
	Truncated bool
	// BodyRead is how many bytes of the (decoded) body were read; when the
	// read failed (Incomplete set), how far it got.
	BodyRead int64
	// Incomplete says why the body could not be read in full after the
	// status and headers arrived; "" when it was read in full.
	Incomplete BodyFailure
	// DeclaredLength is the Content-Length the answer declared, -1 if none;
	// Chunked reports chunked transfer coding. Together they tell a cut-off
	// body from a complete one.
	DeclaredLength int64
	Chunked        bool
}

// BodyFailure is why an answer's body was not read in full. The message
// Okta shows stays the one its HTTP client gives (Read timed out,
// Connection reset, …); these tell a diagnosis what was actually read.
type BodyFailure string

// Body failures.
const (
	// BodyStalled: the headers arrived, then the body did not finish
	// within the read timeout.
	BodyStalled BodyFailure = "stalled"
	// BodyTruncated: the connection closed or was reset before the body
	// its Content-Length or chunked coding announced was complete.
	BodyTruncated BodyFailure = "truncated"
	// BodyTooLarge: the body exceeds AppConfig.MaxResponseBytes.
	BodyTooLarge BodyFailure = "too-large"
	// BodyUnreadable: any other read or decoding failure.
	BodyUnreadable BodyFailure = "unreadable"
)

// maxRecordedBody bounds each body kept in the transcript.
const maxRecordedBody = 256 << 10

// Transcript is a snapshot of an org's exchanges.
type Transcript struct {
	Exchanges []Exchange
}

// Transcript returns a snapshot of every exchange so far.
func (o *Org) Transcript() *Transcript {
	o.mu.Lock()
	defer o.mu.Unlock()
	ex := make([]Exchange, len(o.exchanges))
	copy(ex, o.exchanges)
	return &Transcript{Exchanges: ex}
}

// Since returns the exchanges with Seq greater than seq, e.g. those caused
// by the last step of a scenario.
func (t *Transcript) Since(seq int) []Exchange {
	var out []Exchange
	for _, e := range t.Exchanges {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

// LastSeq returns the Seq of the last exchange, 0 if none.
func (t *Transcript) LastSeq() int {
	if len(t.Exchanges) == 0 {
		return 0
	}
	return t.Exchanges[len(t.Exchanges)-1].Seq
}
