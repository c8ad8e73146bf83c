package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestHeadersSortedByNameValuesInOrder(t *testing.T) {
	h := http.Header{"X-B": {"2", "1"}, "Accept": {"a"}, "X-A": {"z"}}
	want := []NV{{"Accept", "a"}, {"X-A", "z"}, {"X-B", "2"}, {"X-B", "1"}}
	if got := Headers(h); !reflect.DeepEqual(got, want) {
		t.Errorf("Headers = %v, want %v", got, want)
	}
	if got := Headers(nil); got == nil || len(got) != 0 {
		t.Errorf("Headers(nil) = %#v, want an empty non-nil slice", got)
	}
}

func TestQueryInOrder(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want []NV
	}{
		{"https://h/Users?filter=userName%20eq%20%22a%22&startIndex=1&count=100",
			[]NV{{"filter", `userName eq "a"`}, {"startIndex", "1"}, {"count", "100"}}},
		{"https://h/Users?b=2&a=1&&flag", []NV{{"b", "2"}, {"a", "1"}, {"flag", ""}}},
		{"https://h/Users?bad=%zz", []NV{{"bad", ""}}},
		{"https://h/Users", []NV{}},
		{"://not a url", []NV{}},
	} {
		if got := QueryInOrder(tc.url); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("QueryInOrder(%q) = %#v, want %#v", tc.url, got, tc.want)
		}
	}
}

func TestEncodePagesOptionalAndHTMLKept(t *testing.T) {
	type entry struct {
		Entry
		Extra string `json:"_extra"`
	}
	doc := File[entry]{Log: Log[entry]{Version: Version, Entries: []entry{{
		Entry: Entry{Request: Request{URL: "https://h/?a=1&b=<2>"}},
		Extra: "x",
	}}}}
	var buf bytes.Buffer
	if err := Encode(&buf, doc); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, `"pages"`) {
		t.Errorf("nil Pages written:\n%s", out)
	}
	if !strings.Contains(out, `"url": "https://h/?a=1&b=<2>"`) || !strings.Contains(out, `"_extra": "x"`) {
		t.Errorf("url escaped or custom field lost:\n%s", out)
	}
	doc.Log.Pages = []Page{}
	buf.Reset()
	if err := Encode(&buf, doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"pages": []`) {
		t.Errorf("empty Pages not written as []:\n%s", buf.String())
	}
}

func TestEncodeError(t *testing.T) {
	err := Encode(&bytes.Buffer{}, func() {})
	if err == nil || !strings.HasPrefix(err.Error(), "write har: ") {
		t.Fatalf("Encode(func) = %v, want a write har error", err)
	}
	var ute *json.UnsupportedTypeError
	if !errors.As(err, &ute) {
		t.Errorf("error not wrapped: %v", err)
	}
}
