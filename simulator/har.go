package simulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"time"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the fields
// browsers' dev tools need. Custom fields start with "_" as the spec allows.
type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Entries []harEntry `json:"entries"`
	Comment string     `json:"comment,omitempty"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
	Operation       string      `json:"_oktaOperation"`
	Subject         string      `json:"_subject,omitempty"`
	Step            string      `json:"_step,omitempty"`
	Provenance      string      `json:"_provenance"`
	Source          string      `json:"_source,omitempty"`
	Attempt         int         `json:"_attempt"`
	Error           string      `json:"_error,omitempty"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int          `json:"bodySize"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// WriteHAR writes the transcript as a HAR 1.2 document. Each entry's
// comment names the Okta operation and whether its wire shape is
// documented, observed or inferred. The transcript is already redacted.
func (t *Transcript) WriteHAR(w io.Writer) error {
	f := harFile{Log: harLog{
		Version: "1.2",
		Creator: harCreator{Name: "scimulator Okta simulator", Version: "1"},
		Entries: make([]harEntry, 0, len(t.Exchanges)),
		Comment: "Requests an Okta org would send; Authorization and passwords redacted.",
	}}
	for _, e := range t.Exchanges {
		f.Log.Entries = append(f.Log.Entries, harEntryOf(e))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write har: %w", err)
	}
	return nil
}

func harEntryOf(e Exchange) harEntry {
	ms := float64(e.Duration) / float64(time.Millisecond)
	he := harEntry{
		StartedDateTime: e.Started.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Time:            ms,
		Request: harRequest{
			Method:      e.Request.Method,
			URL:         e.Request.URL,
			HTTPVersion: "HTTP/1.1",
			Cookies:     []harNV{},
			Headers:     harHeaders(e.Request.Header),
			QueryString: harQuery(e.Request.URL),
			HeadersSize: -1,
			BodySize:    len(e.Request.Body),
		},
		Timings:    harTimings{Send: 0, Wait: ms, Receive: 0},
		Comment:    fmt.Sprintf("Okta operation %q (%s); wire shape %s", e.Operation, e.Step, e.Provenance),
		Operation:  string(e.Operation),
		Subject:    e.Subject,
		Step:       e.Step,
		Provenance: string(e.Provenance),
		Source:     e.Source,
		Attempt:    e.Attempt,
		Error:      e.Error,
	}
	if e.Request.Body != nil {
		he.Request.PostData = &harPostData{MimeType: e.Request.Header.Get("Content-Type"), Text: string(e.Request.Body)}
	}
	if r := e.Response; r != nil {
		he.Response = harResponse{
			Status:      r.Status,
			StatusText:  r.StatusText,
			HTTPVersion: "HTTP/1.1",
			Cookies:     []harNV{},
			Headers:     harHeaders(r.Header),
			Content:     harContent{Size: len(r.Body), MimeType: r.Header.Get("Content-Type"), Text: string(r.Body)},
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
		he.Response = harResponse{HTTPVersion: "HTTP/1.1", Cookies: []harNV{}, Headers: []harNV{},
			HeadersSize: -1, BodySize: -1, Content: harContent{MimeType: "x-unknown"}}
	}
	return he
}

func harHeaders(h http.Header) []harNV {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []harNV{}
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, harNV{Name: k, Value: v})
		}
	}
	return out
}

func harQuery(raw string) []harNV {
	out := []harNV{}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return out
	}
	// Keep Okta's parameter order: split by hand rather than url.Values.
	for _, part := range splitQuery(u.RawQuery) {
		name, value := part, ""
		if i := indexByte(part, '='); i >= 0 {
			name, value = part[:i], part[i+1:]
		}
		n, _ := url.QueryUnescape(name)
		v, _ := url.QueryUnescape(value)
		out = append(out, harNV{Name: n, Value: v})
	}
	return out
}

func splitQuery(q string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(q); i++ {
		if i == len(q) || q[i] == '&' {
			if i > start {
				out = append(out, q[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
