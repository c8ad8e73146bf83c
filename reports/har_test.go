package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/har"
)

// leakyHAR is a HAR writer that, like a buggy producer, writes credentials.
type leakyHAR struct{}

func (leakyHAR) WriteHAR(w io.Writer) error {
	_, err := io.WriteString(w, `{"log":{"version":"1.2","creator":{"name":"sim","version":"1"},"entries":[{
	  "startedDateTime":"2025-03-04T10:30:00Z","time":12.5,
	  "request":{"method":"POST","url":"https://h/scim/v2/Users?token=`+plantedBearer+`","httpVersion":"HTTP/1.1",
	    "headers":[{"name":"Authorization","value":"Bearer `+plantedBearer+`"},{"name":"Accept","value":"application/scim+json"}],
	    "cookies":[{"name":"sid","value":"9d8c7b6a5f4e3d2c1b0a"}],
	    "queryString":[{"name":"token","value":"`+plantedBearer+`"}],
	    "postData":{"mimeType":"application/scim+json","text":"{\"password\":\"`+plantedPass+`\"}"},
	    "headersSize":-1,"bodySize":30},
	  "response":{"status":201,"statusText":"Created","httpVersion":"HTTP/1.1","headers":[],"cookies":[],
	    "content":{"size":2,"mimeType":"application/scim+json","text":"{}"},"redirectURL":"","headersSize":-1,"bodySize":2},
	  "cache":{},"timings":{"send":0,"wait":12.5,"receive":0}}]}}`)
	return err
}

type brokenHAR struct{ data string }

func (b brokenHAR) WriteHAR(w io.Writer) error {
	if b.data == "" {
		return errors.New("transcript closed")
	}
	_, err := io.WriteString(w, b.data)
	return err
}

// harDoc mirrors the HAR 1.2 fields the test checks.
type harDoc struct {
	Log struct {
		Version string `json:"version"`
		Creator struct{ Name string }
		Pages   []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"pages"`
		Entries []struct {
			Pageref         string  `json:"pageref"`
			StartedDateTime string  `json:"startedDateTime"`
			Time            float64 `json:"time"`
			Comment         string  `json:"comment"`
			Request         struct {
				Method      string `json:"method"`
				URL         string `json:"url"`
				Headers     []har.NV
				QueryString []har.NV                         `json:"queryString"`
				PostData    *struct{ MimeType, Text string } `json:"postData"`
			} `json:"request"`
			Response struct {
				Status     int    `json:"status"`
				StatusText string `json:"statusText"`
				Content    struct {
					MimeType string `json:"mimeType"`
					Text     string `json:"text"`
				} `json:"content"`
			} `json:"response"`
		} `json:"entries"`
	} `json:"log"`
}

func TestWriteHARFromRecord(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHAR(&buf, sampleRun()); err != nil {
		t.Fatalf("WriteHAR: %v", err)
	}
	var doc harDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Log.Version != "1.2" || doc.Log.Creator.Name != "scimulator" {
		t.Errorf("log version %q creator %q", doc.Log.Version, doc.Log.Creator.Name)
	}
	// Two scenarios have exchanges; the failure's exchange is also in the
	// scenario's list and must not be duplicated.
	if len(doc.Log.Pages) != 2 || len(doc.Log.Entries) != 2 {
		t.Fatalf("pages %d entries %d, want 2 and 2", len(doc.Log.Pages), len(doc.Log.Entries))
	}
	e := doc.Log.Entries[1]
	if e.Pageref != doc.Log.Pages[1].ID || doc.Log.Pages[1].Title != "Reactivate users › PATCH active:true is rejected and the user stays inactive" {
		t.Errorf("entry pageref %q, page %+v", e.Pageref, doc.Log.Pages[1])
	}
	if e.Request.Method != "PATCH" || e.Response.Status != 200 || e.Response.StatusText != "OK" || e.Time != 42 || e.Comment != "Reactivate user" {
		t.Errorf("entry = %+v", e)
	}
	if e.StartedDateTime != "2025-03-04T10:30:02Z" {
		t.Errorf("startedDateTime = %q", e.StartedDateTime)
	}
	if e.Request.PostData == nil || e.Request.PostData.MimeType != "application/scim+json" || !strings.Contains(e.Request.PostData.Text, `"op":"replace"`) {
		t.Errorf("postData = %+v", e.Request.PostData)
	}
	if len(e.Request.QueryString) != 1 || e.Request.QueryString[0].Name != "access_token" || e.Request.QueryString[0].Value != Redacted {
		t.Errorf("queryString = %+v, want the token redacted", e.Request.QueryString)
	}
	for _, h := range e.Request.Headers {
		if h.Name == "Authorization" && h.Value != Redacted {
			t.Errorf("Authorization = %q", h.Value)
		}
	}
}

func TestWriteHARTransportError(t *testing.T) {
	run := Run{Scenarios: []Scenario{{Feature: "f", Name: "n", Status: StatusFailed, Exchanges: []Exchange{{
		Method: "GET", URL: "https://h/Users", Error: "dial tcp: connection refused",
	}}}}}
	var buf bytes.Buffer
	if err := WriteHAR(&buf, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"_error": "dial tcp: connection refused"`) || !strings.Contains(buf.String(), `"status": 0`) {
		t.Errorf("transport error not recorded:\n%s", buf.String())
	}
}

func TestRedactHAR(t *testing.T) {
	var raw bytes.Buffer
	if err := (leakyHAR{}).WriteHAR(&raw); err != nil {
		t.Fatal(err)
	}
	clean, err := redactHAR(raw.Bytes())
	if err != nil {
		t.Fatalf("redactHAR: %v", err)
	}
	var doc harDoc
	if err := json.Unmarshal(clean, &doc); err != nil {
		t.Fatalf("redacted HAR is not JSON: %v", err)
	}
	e := doc.Log.Entries[0]
	if e.Request.URL != "https://h/scim/v2/Users?token="+Redacted {
		t.Errorf("url = %q", e.Request.URL)
	}
	if e.Time != 12.5 || e.Response.Status != 201 {
		t.Errorf("numbers changed: time %v status %d", e.Time, e.Response.Status)
	}
	if e.Request.Headers[1].Value != "application/scim+json" {
		t.Errorf("ordinary header changed: %+v", e.Request.Headers[1])
	}
	for _, bad := range []string{plantedBearer, plantedPass, "9d8c7b6a5f4e3d2c1b0a"} {
		if bytes.Contains(clean, []byte(bad)) {
			t.Errorf("redacted HAR still holds %q", bad)
		}
	}
	for _, in := range []string{"not json", `{"nolog":1}`, `{"log":{"version":"1.2"}}`} {
		if _, err := redactHAR([]byte(in)); err == nil {
			t.Errorf("redactHAR(%q) accepted data that is not a HAR log", in)
		}
	}
}

func TestHarTimeFallback(t *testing.T) {
	fb := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := harTime(time.Time{}, fb); got != "2025-01-02T03:04:05Z" {
		t.Errorf("harTime fallback = %q", got)
	}
	if got := harTime(time.Time{}, time.Time{}); got != "1970-01-01T00:00:00Z" {
		t.Errorf("harTime with no time = %q", got)
	}
}
