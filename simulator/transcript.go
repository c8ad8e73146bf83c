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
}

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
