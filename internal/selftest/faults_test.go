package selftest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/reference"
)

func TestSelectFaults(t *testing.T) {
	known := reference.KnownFaults()
	tests := []struct {
		name    string
		list    string
		want    []string // nil: every known fault
		wantErr string
	}{
		{"empty means all", "", nil, ""},
		{"blank means all", "  ", nil, ""},
		{"order kept, spaces trimmed", " no-auth , etag-ignored", []string{"no-auth", "etag-ignored"}, ""},
		{"unknown", "no-auth,nope", nil, `unknown fault "nope" (known: ` + known[0].Name},
		{"empty element", "no-auth,,etag-ignored", nil, "empty name in the list"},
		{"trailing comma", "no-auth,", nil, "empty name in the list"},
		{"repeated", "no-auth,no-auth", nil, `fault "no-auth" listed twice`},
		{"case matters", "No-Auth", nil, `unknown fault "No-Auth"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SelectFaults(tt.list)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("SelectFaults(%q) error = %v, want one containing %q", tt.list, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if !reflect.DeepEqual(got, known) {
					t.Errorf("SelectFaults(%q) = %v, want every known fault", tt.list, got)
				}
				return
			}
			if names := faultNames(got); !reflect.DeepEqual(names, tt.want) {
				t.Errorf("SelectFaults(%q) = %v, want %v", tt.list, names, tt.want)
			}
			for _, f := range got {
				if f.Description == "" {
					t.Errorf("fault %q has no description", f.Name)
				}
			}
		})
	}
}
