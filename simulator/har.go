package simulator

import (
	"fmt"
	"io"
	"time"

	"github.com/scimulator/scimulator/internal/har"
)

// harEntry is a HAR 1.2 entry with the simulator's custom fields, which
// start with "_" as the spec allows.
type harEntry struct {
	har.Entry
	Operation  string `json:"_oktaOperation"`
	Subject    string `json:"_subject,omitempty"`
	Step       string `json:"_step,omitempty"`
	Provenance string `json:"_provenance"`
	Source     string `json:"_source,omitempty"`
	Attempt    int    `json:"_attempt"`
	Error      string `json:"_error,omitempty"`
	Note       string `json:"_note,omitempty"`
}

// WriteHAR writes the transcript as a HAR 1.2 document. Each entry's
// comment names the Okta operation and whether its wire shape is
// documented, observed or inferred. The transcript is already redacted.
func (t *Transcript) WriteHAR(w io.Writer) error {
	f := har.File[harEntry]{Log: har.Log[harEntry]{
		Version: har.Version,
		Creator: har.Creator{Name: "scimulator Okta simulator", Version: "1"},
		Entries: make([]harEntry, 0, len(t.Exchanges)),
		Comment: "Requests an Okta org would send; Authorization and passwords redacted.",
	}}
	for _, e := range t.Exchanges {
		f.Log.Entries = append(f.Log.Entries, harEntryOf(e))
	}
	return har.Encode(w, f)
}

func harEntryOf(e Exchange) harEntry {
	ms := float64(e.Duration) / float64(time.Millisecond)
	he := harEntry{
		Entry: har.Entry{
			StartedDateTime: e.Started.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
			Time:            ms,
			Request: har.Request{
				Method:      e.Request.Method,
				URL:         e.Request.URL,
				HTTPVersion: har.HTTPVersion,
				Cookies:     []har.NV{},
				Headers:     har.Headers(e.Request.Header),
				// Keep Okta's parameter order, as sent.
				QueryString: har.QueryInOrder(e.Request.URL),
				HeadersSize: -1,
				BodySize:    len(e.Request.Body),
			},
			Timings: har.Timings{Send: 0, Wait: ms, Receive: 0},
			Comment: fmt.Sprintf("Okta operation %q (%s); wire shape %s", e.Operation, e.Step, e.Provenance),
		},
		Operation:  string(e.Operation),
		Subject:    e.Subject,
		Step:       e.Step,
		Provenance: string(e.Provenance),
		Source:     e.Source,
		Attempt:    e.Attempt,
		Error:      e.Error,
		Note:       e.Note,
	}
	if e.Note != "" {
		he.Comment += "; " + e.Note
	}
	if e.Request.Body != nil {
		he.Request.PostData = &har.PostData{MimeType: e.Request.Header.Get("Content-Type"), Text: string(e.Request.Body)}
	}
	if r := e.Response; r != nil {
		he.Response = har.Response{
			Status:      r.Status,
			StatusText:  r.StatusText,
			HTTPVersion: har.HTTPVersion,
			Cookies:     []har.NV{},
			Headers:     har.Headers(r.Header),
			Content:     har.Content{Size: len(r.Body), MimeType: r.Header.Get("Content-Type"), Text: string(r.Body)},
			RedirectURL: r.Header.Get("Location"),
			HeadersSize: -1,
			BodySize:    len(r.Body),
		}
		if r.Truncated {
			he.Response.Content.Comment = "body truncated in the transcript"
		}
	} else {
		// HAR 1.2 has no field for a failed exchange; browsers record
		// status 0, and _error says why.
		he.Response = har.Response{HTTPVersion: har.HTTPVersion, Cookies: []har.NV{}, Headers: []har.NV{},
			HeadersSize: -1, BodySize: -1, Content: har.Content{MimeType: "x-unknown"}}
	}
	return he
}
