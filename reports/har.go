package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/scimulator/scimulator/internal/har"
)

// HARWriter is anything that can write its HTTP transcript as HAR 1.2, such
// as the simulator's transcript.
type HARWriter interface {
	WriteHAR(w io.Writer) error
}

// harEntry is a HAR 1.2 entry with the reports' one custom field.
type harEntry struct {
	har.Entry
	Error string `json:"_error,omitempty"`
}

// WriteHAR writes every exchange in the run as one HAR 1.2 file with a page
// per scenario, so a HAR viewer groups requests by scenario. Use it when the
// exchanges live in the record; WriteAll prefers a HARWriter when given one.
func WriteHAR(w io.Writer, run Run) error {
	return writeHAR(w, run.Redact())
}

// writeHAR is WriteHAR for a run that is already redacted.
func writeHAR(w io.Writer, run Run) error {
	version := run.Version
	if version == "" {
		version = "dev"
	}
	doc := har.File[harEntry]{Log: har.Log[harEntry]{
		Version: har.Version,
		Creator: har.Creator{Name: "scimulator", Version: version},
		Pages:   []har.Page{},
		Entries: []harEntry{},
	}}
	for i, s := range run.Scenarios {
		exchanges := s.Exchanges
		if s.Failure != nil && s.Failure.Exchange != nil && !containsExchange(exchanges, *s.Failure.Exchange) {
			exchanges = append(append([]Exchange(nil), exchanges...), *s.Failure.Exchange)
		}
		if len(exchanges) == 0 {
			continue
		}
		id := fmt.Sprintf("scenario_%d", i+1)
		doc.Log.Pages = append(doc.Log.Pages, har.Page{
			StartedDateTime: harTime(exchanges[0].Started, run.Started),
			ID:              id,
			Title:           s.Feature + " › " + s.Name,
			PageTimings:     har.PageTimings{OnContentLoad: -1, OnLoad: -1},
		})
		for _, e := range exchanges {
			doc.Log.Entries = append(doc.Log.Entries, harEntryFor(id, e, run.Started))
		}
	}
	return har.Encode(w, doc)
}

func containsExchange(list []Exchange, e Exchange) bool {
	for _, x := range list {
		if x.Method == e.Method && x.URL == e.URL && x.Status == e.Status && x.Started.Equal(e.Started) && x.RequestBody == e.RequestBody {
			return true
		}
	}
	return false
}

func harEntryFor(page string, e Exchange, fallback time.Time) harEntry {
	ms := float64(e.Duration) / float64(time.Millisecond)
	req := har.Request{
		Method:      e.Method,
		URL:         e.URL,
		HTTPVersion: har.HTTPVersion,
		Cookies:     []har.NV{},
		Headers:     har.Headers(e.RequestHeaders),
		QueryString: []har.NV{},
		HeadersSize: -1,
		BodySize:    len(e.RequestBody),
	}
	if u, err := url.Parse(e.URL); err == nil {
		for name, values := range u.Query() {
			for _, v := range values {
				req.QueryString = append(req.QueryString, har.NV{Name: name, Value: v})
			}
		}
		sort.SliceStable(req.QueryString, func(i, j int) bool { return req.QueryString[i].Name < req.QueryString[j].Name })
	}
	if e.RequestBody != "" {
		req.PostData = &har.PostData{MimeType: mediaType(e.RequestHeaders), Text: e.RequestBody}
	}
	resp := har.Response{
		Status:      e.Status,
		StatusText:  http.StatusText(e.Status),
		HTTPVersion: har.HTTPVersion,
		Cookies:     []har.NV{},
		Headers:     har.Headers(e.ResponseHeaders),
		Content:     har.Content{Size: len(e.ResponseBody), MimeType: mediaType(e.ResponseHeaders), Text: e.ResponseBody},
		RedirectURL: e.ResponseHeaders.Get("Location"),
		HeadersSize: -1,
		BodySize:    len(e.ResponseBody),
	}
	if e.Error != "" {
		// HAR 1.2: a response that never came has status 0 and sizes -1.
		resp.Status, resp.StatusText, resp.BodySize = 0, "", -1
	}
	return harEntry{
		Entry: har.Entry{
			Pageref:         page,
			StartedDateTime: harTime(e.Started, fallback),
			Time:            ms,
			Request:         req,
			Response:        resp,
			Timings:         har.Timings{Send: 0, Wait: ms, Receive: 0},
			Comment:         e.Operation,
		},
		Error: e.Error,
	}
}

// harTime formats t as HAR wants (ISO 8601), falling back when t is zero.
func harTime(t, fallback time.Time) string {
	if t.IsZero() {
		t = fallback
	}
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// mediaType is the Content-Type's media type, or "" when absent.
func mediaType(h http.Header) string {
	ct := h.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}

// redactHAR re-reads a HAR file written by someone else (the simulator) and
// scrubs it the way the record is scrubbed: any name/value pair whose name
// means a credential, and every cookie, has its value replaced; every other
// string passes through the text rules. It rejects data that is not a HAR
// log rather than copying it unread.
func redactHAR(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("read har: %w", err)
	}
	log, ok := doc["log"].(map[string]any)
	if !ok {
		return nil, errors.New("read har: no \"log\" object")
	}
	if _, ok := log["entries"].([]any); !ok {
		return nil, errors.New("read har: no \"log.entries\" array")
	}
	redactJSONValue(doc, "")
	var buf bytes.Buffer
	if err := har.Encode(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// redactJSONValue scrubs v in place; parent is the key v sits under.
func redactJSONValue(v any, parent string) any {
	rd := redactor{}
	switch x := v.(type) {
	case map[string]any:
		name, hasName := x["name"].(string)
		if _, hasValue := x["value"].(string); hasName && hasValue &&
			(parent == "cookies" || isSensitiveName(name)) {
			x["value"] = Redacted
		}
		for k, child := range x {
			x[k] = redactJSONValue(child, k)
		}
		return x
	case []any:
		for i, child := range x {
			x[i] = redactJSONValue(child, parent)
		}
		return x
	case string:
		if x == Redacted {
			return x
		}
		return rd.text(x)
	default:
		return v
	}
}
