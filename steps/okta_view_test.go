package steps

import (
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// TestOktaViewOfRawExchanges: a failing raw SCIM exchange carries the
// message Okta would show for the operation sending the same request,
// labelled as such; "would not notice" only when Okta takes the answer as
// a success; nothing when Okta sends no such request.
func TestOktaViewOfRawExchanges(t *testing.T) {
	w := &World{users: map[string]*user{}}
	u := w.userFor("ana")
	u.scimID = "id-1"
	base := "http://t/scim/v2"
	tests := []struct {
		name string
		ex   reports.Exchange
		want []string // substrings; empty means no message
	}{
		{"PUT refused", reports.Exchange{Method: "PUT", URL: base + "/Users/id-1", RequestBody: `{"userName":"` + u.userName + `"}`,
			Status: 400, ResponseBody: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","detail":"userName is immutable"}`},
			[]string{"message Okta would show for its push profile update", "Error while trying to push profile update for '" + u.userName + "'", "Bad Request. Errors reported by remote server: userName is immutable"}},
		{"PATCH accepted", reports.Exchange{Method: "PATCH", URL: base + "/Users/id-1", Status: 200, ResponseBody: `{"id":"id-1"}`},
			[]string{"Okta would not notice this: for its push profile update it takes HTTP 200"}},
		{"POST as HTML", reports.Exchange{Method: "POST", URL: base + "/Users", RequestBody: `{"userName":"x@example.com","name":{"givenName":"Xi","familyName":"Yu"}}`,
			Status: 409, ResponseBody: `<html>conflict</html>`},
			[]string{"Error while creating user Xi Yu", "Unexpected character ('<'"}},
		{"POST empty 201", reports.Exchange{Method: "POST", URL: base + "/Users", RequestBody: `{"userName":"x@example.com"}`, Status: 201},
			[]string{"Create new user returned empty user."}},
		{"filter with string counts", reports.Exchange{Method: "GET", URL: base + `/Users?filter=userName%20eq%20%22` + u.userName + `%22`, Status: 200,
			ResponseBody: `{"totalResults":"1","Resources":[]}`},
			[]string{"verifying if user Ana Example exists", `from String value for field "totalResults"`}},
		{"list 401", reports.Exchange{Method: "GET", URL: base + "/Users?startIndex=1&count=2", Status: 401, ResponseBody: `{"detail":"no"}`},
			[]string{"Test API Credentials", "Error authenticating: Unauthorized."}},
		{"list 403", reports.Exchange{Method: "GET", URL: base + "/Users?startIndex=1&count=2", Status: 403, ResponseBody: `{"detail":"SCIM is disabled"}`},
			[]string{"Forbidden from remote server. Errors reported by remote server: SCIM is disabled"}},
		{"DELETE: Okta never sends it", reports.Exchange{Method: "DELETE", URL: base + "/Users/id-1", Status: 200}, nil},
		{"a filter Okta never sends", reports.Exchange{Method: "GET", URL: base + `/Users?filter=userName%20co%20%22x%22%20and%20meta.resourceType%20eq%20%22User%22`, Status: 400,
			ResponseBody: `{"detail":"not supported"}`}, nil},
		{"discovery: Okta never reads it", reports.Exchange{Method: "GET", URL: base + "/ServiceProviderConfig", Status: 200}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := tt.ex
			msg, basis := w.oktaViewOf(&ex)
			if len(tt.want) == 0 {
				if msg != "" {
					t.Fatalf("message %q, want none", msg)
				}
				return
			}
			if basis != reports.BasisInferred {
				t.Errorf("basis %q, want inferred", basis)
			}
			for _, want := range tt.want {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

// TestRawFailureCarriesOktaView: end to end, a raw-SCIM scenario failing
// under a fault records the Okta view in its failure.
func TestRawFailureCarriesOktaView(t *testing.T) {
	p := target.Default()
	p.InProcess = &target.InProcessSpec{Faults: []string{"email-mutable"}}
	s := runNamed(t, p, "Changing the userName with PUT is rejected with mutability and nothing changes")
	if s.Failure == nil || !strings.HasPrefix(s.Failure.AdminMessage, "Okta would not notice this: for its push profile update") {
		t.Fatalf("failure %+v: want the Okta view of the accepted PUT", s.Failure)
	}
}
