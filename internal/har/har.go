// Package har holds the HTTP Archive 1.2 data types and the small encoding
// helpers that the simulator (its own transcript) and the reports (the run's
// record) both write. It knows nothing about either side: each keeps its own
// record-to-HAR mapping, custom "_" fields and redaction.
//
// The format is HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/).
package har

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// Version is the HAR format version every File declares.
const Version = "1.2"

// HTTPVersion is the protocol version written for every request and
// response; both sides speak HTTP/1.1 to the target.
const HTTPVersion = "HTTP/1.1"

// File is a HAR document. E is the entry type: an Entry embedded in a struct
// that adds the writer's own "_" fields, which HAR 1.2 allows.
type File[E any] struct {
	Log Log[E] `json:"log"`
}

// Log is the HAR "log" object.
type Log[E any] struct {
	Version string  `json:"version"`
	Creator Creator `json:"creator"`
	// Pages is optional in HAR 1.2: a nil slice leaves the field out, an
	// empty one writes "pages": [].
	Pages   []Page `json:"pages,omitzero"`
	Entries []E    `json:"entries"`
	Comment string `json:"comment,omitempty"`
}

// Creator names the program that wrote the file.
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Page groups entries in a HAR viewer, such as one scenario's requests.
type Page struct {
	StartedDateTime string      `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     PageTimings `json:"pageTimings"`
}

// PageTimings are a page's load times; -1 means not applicable.
type PageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

// Entry is one HTTP exchange: the fields HAR 1.2 defines. Writers embed it
// and add their custom fields after it.
type Entry struct {
	Pageref         string   `json:"pageref,omitempty"`
	StartedDateTime string   `json:"startedDateTime"`
	Time            float64  `json:"time"`
	Request         Request  `json:"request"`
	Response        Response `json:"response"`
	Cache           struct{} `json:"cache"`
	Timings         Timings  `json:"timings"`
	Comment         string   `json:"comment,omitempty"`
}

// NV is a HAR name/value pair (headers, query parameters, cookies).
type NV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Request is a HAR request object.
type Request struct {
	Method      string    `json:"method"`
	URL         string    `json:"url"`
	HTTPVersion string    `json:"httpVersion"`
	Cookies     []NV      `json:"cookies"`
	Headers     []NV      `json:"headers"`
	QueryString []NV      `json:"queryString"`
	PostData    *PostData `json:"postData,omitempty"`
	HeadersSize int       `json:"headersSize"`
	BodySize    int       `json:"bodySize"`
}

// PostData is a request body.
type PostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

// Response is a HAR response object.
type Response struct {
	Status      int     `json:"status"`
	StatusText  string  `json:"statusText"`
	HTTPVersion string  `json:"httpVersion"`
	Cookies     []NV    `json:"cookies"`
	Headers     []NV    `json:"headers"`
	Content     Content `json:"content"`
	RedirectURL string  `json:"redirectURL"`
	HeadersSize int     `json:"headersSize"`
	BodySize    int     `json:"bodySize"`
}

// Content is a response body.
type Content struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Timings splits an entry's time. Both writers see only the whole round
// trip, so they report it as Wait.
type Timings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// Headers lists h as name/value pairs sorted by name, each name's values in
// their original order. It never returns nil: HAR requires the array.
func Headers(h http.Header) []NV {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	out := []NV{}
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, NV{Name: name, Value: v})
		}
	}
	return out
}

// QueryInOrder lists rawURL's query parameters in the order they were sent,
// unescaped; a parameter that fails to unescape keeps an empty name or value
// rather than being dropped. It never returns nil.
func QueryInOrder(rawURL string) []NV {
	out := []NV{}
	u, err := url.Parse(rawURL)
	if err != nil {
		return out
	}
	for part := range strings.SplitSeq(u.RawQuery, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		n, _ := url.QueryUnescape(name)
		v, _ := url.QueryUnescape(value)
		out = append(out, NV{Name: n, Value: v})
	}
	return out
}

// Encode writes doc as indented JSON. HTML characters are left as they are
// so that bodies read naturally in a HAR viewer.
func Encode(w io.Writer, doc any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write har: %w", err)
	}
	// DEL and C1 from a target as \u escapes: the same JSON (issue 11).
	if _, err := w.Write(termsafe.JSON(buf.Bytes())); err != nil {
		return fmt.Errorf("write har: %w", err)
	}
	return nil
}
