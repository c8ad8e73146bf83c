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
)

// HARWriter is anything that can write its HTTP transcript as HAR 1.2, such
// as the simulator's transcript.
type HARWriter interface {
	WriteHAR(w io.Writer) error
}

// The HAR 1.2 shapes (http://www.softwareishard.com/blog/har-12-spec/).
type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Pages   []harPage  `json:"pages"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     harPageTimings `json:"pageTimings"`
}

type harPageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type harEntry struct {
	Pageref         string      `json:"pageref,omitempty"`
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
	Error           string      `json:"_error,omitempty"`
}

type harRequest struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	HTTPVersion string   `json:"httpVersion"`
	Cookies     []harNV  `json:"cookies"`
	Headers     []harNV  `json:"headers"`
	QueryString []harNV  `json:"queryString"`
	PostData    *harPost `json:"postData,omitempty"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
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

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPost struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
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
	doc := harFile{Log: harLog{
		Version: "1.2",
		Creator: harCreator{Name: "scimulator", Version: version},
		Pages:   []harPage{},
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
		doc.Log.Pages = append(doc.Log.Pages, harPage{
			StartedDateTime: harTime(exchanges[0].Started, run.Started),
			ID:              id,
			Title:           s.Feature + " › " + s.Name,
			PageTimings:     harPageTimings{OnContentLoad: -1, OnLoad: -1},
		})
		for _, e := range exchanges {
			doc.Log.Entries = append(doc.Log.Entries, harEntryFor(id, e, run.Started))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write har: %w", err)
	}
	return nil
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
	req := harRequest{
		Method:      e.Method,
		URL:         e.URL,
		HTTPVersion: "HTTP/1.1",
		Cookies:     []harNV{},
		Headers:     harHeaders(e.RequestHeaders),
		QueryString: []harNV{},
		HeadersSize: -1,
		BodySize:    len(e.RequestBody),
	}
	if u, err := url.Parse(e.URL); err == nil {
		for name, values := range u.Query() {
			for _, v := range values {
				req.QueryString = append(req.QueryString, harNV{Name: name, Value: v})
			}
		}
		sort.SliceStable(req.QueryString, func(i, j int) bool { return req.QueryString[i].Name < req.QueryString[j].Name })
	}
	if e.RequestBody != "" {
		req.PostData = &harPost{MimeType: mediaType(e.RequestHeaders), Text: e.RequestBody}
	}
	resp := harResponse{
		Status:      e.Status,
		StatusText:  http.StatusText(e.Status),
		HTTPVersion: "HTTP/1.1",
		Cookies:     []harNV{},
		Headers:     harHeaders(e.ResponseHeaders),
		Content:     harContent{Size: len(e.ResponseBody), MimeType: mediaType(e.ResponseHeaders), Text: e.ResponseBody},
		RedirectURL: e.ResponseHeaders.Get("Location"),
		HeadersSize: -1,
		BodySize:    len(e.ResponseBody),
	}
	if e.Error != "" {
		// HAR 1.2: a response that never came has status 0 and sizes -1.
		resp.Status, resp.StatusText, resp.BodySize = 0, "", -1
	}
	return harEntry{
		Pageref:         page,
		StartedDateTime: harTime(e.Started, fallback),
		Time:            ms,
		Request:         req,
		Response:        resp,
		Timings:         harTimings{Send: 0, Wait: ms, Receive: 0},
		Comment:         e.Operation,
		Error:           e.Error,
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

func harHeaders(h http.Header) []harNV {
	out := []harNV{}
	for name, values := range h {
		for _, v := range values {
			out = append(out, harNV{Name: name, Value: v})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
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
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("write har: %w", err)
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
			(parent == "cookies" || sensitiveName.MatchString(name)) {
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
