package reports

import (
	"net/http"
	"time"
)

// Values the fixture plants so tests can prove they never reach an artefact.
const (
	plantedBearer  = "sk_live_4f9a8b7c6d5e4f3a2b1c"
	plantedCookie  = "sid=9d8c7b6a5f4e3d2c1b0a"
	plantedPass    = "Hunter2-Secret!"
	plantedJWT     = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLXZhbHVl"
	plantedSession = "sess_7e6d5c4b3a2918"
)

// specialMessage has every character XML, HTML and Markdown treat specially.
const specialMessage = `status 200 <b>"x"</b> & 'q' | pipe`

// adminMessage is the failing scenario's Okta admin message.
const adminMessage = "Matching user not found. Reactivation of user ana@example.com failed"

// sampleRun is a run with one scenario of every outcome across three
// features, a failure with an exchange carrying planted secrets, and tags
// shared between scenarios so the capability matrix has real sums.
func sampleRun() Run {
	started := time.Date(2025, 3, 4, 10, 30, 0, 0, time.UTC)
	failing := Exchange{
		Operation: "Reactivate user",
		Started:   started.Add(2 * time.Second),
		Method:    http.MethodPatch,
		URL:       "https://cortex.example.com/scim/v2/Users/8c1e?access_token=" + plantedBearer,
		RequestHeaders: http.Header{
			"Authorization": {"Bearer " + plantedBearer},
			"Content-Type":  {"application/scim+json; charset=utf-8"},
			"Cookie":        {plantedCookie},
		},
		RequestBody: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}],"password":"` + plantedPass + `"}`,
		Status:      200,
		ResponseHeaders: http.Header{
			"Content-Type": {"application/scim+json"},
			"Set-Cookie":   {plantedCookie + "; HttpOnly"},
		},
		ResponseBody: `{"id":"8c1e","userName":"Ana@Example.com","active":true,"sessionToken":"` + plantedSession + `"}`,
		Duration:     42 * time.Millisecond,
	}
	return Run{
		Target: Target{
			Name:           "acme staging",
			BaseURL:        "https://admin:" + plantedPass + "@cortex.example.com/scim/v2",
			TrafficProfile: "OIN",
			AuthMode:       "bearer",
		},
		Profile:      "cortex",
		Tags:         "@okta,@cortex",
		Started:      started,
		Duration:     3*time.Second + 250*time.Millisecond,
		Capabilities: []string{"@patch", "revocation"},
		Version:      "v0.1.0-test",
		Scenarios: []Scenario{
			{
				Feature: "Test API Credentials", URI: "features/connect.feature", Line: 7,
				Name:   "Test API Credentials succeeds with a key holding the three permissions",
				Tags:   []string{"@okta", "@connect"},
				Status: StatusPassed, Duration: 120 * time.Millisecond,
				Basis: BasisDocumented, Source: "Okta SCIM guide, Test API Credentials",
				Steps: []Step{
					{Keyword: "Given ", Text: "SCIM is enabled on the target", Line: 8, Status: StatusPassed, Duration: 10 * time.Millisecond},
					{Keyword: "When ", Text: "the admin clicks Test API Credentials", Line: 9, Status: StatusPassed, Duration: 100 * time.Millisecond},
					{Keyword: "Then ", Text: "Okta reports the app as connected", Line: 10, Status: StatusPassed, Duration: 10 * time.Millisecond},
				},
				Exchanges: []Exchange{{
					Operation: "Test API Credentials", Started: started, Method: http.MethodGet,
					URL:            "https://cortex.example.com/scim/v2/Users?count=1&startIndex=1",
					RequestHeaders: http.Header{"Authorization": {"Bearer " + plantedBearer}},
					Status:         200, ResponseBody: `{"totalResults":1,"itemsPerPage":1,"startIndex":1,"Resources":[]}`,
					Duration: 30 * time.Millisecond,
				}},
			},
			{
				Feature: "Reactivate users", URI: "features/reactivate.feature", Line: 12,
				Name:   "PATCH active:true is rejected and the user stays inactive",
				Tags:   []string{"@cortex", "@patch", "@reactivation"},
				Status: StatusFailed, Duration: 2 * time.Second,
				Basis: BasisInferred, Source: "SPEC §1.5",
				Level: LevelMust, Citation: "SPEC §1.3 (PATCH active true is 400 mutability)",
				Failure: &Failure{
					Step:              "Then the target rejects the PATCH",
					Level:             LevelMust,
					Citation:          "SPEC §1.3 (PATCH active true is 400 mutability)",
					Expected:          "status 400 with scimType mutability",
					Actual:            specialMessage,
					AdminMessage:      adminMessage,
					AdminMessageBasis: BasisInferred,
					Exchange:          &failing,
				},
				Steps: []Step{
					{Keyword: "Given ", Text: "a deactivated user ana@example.com", Line: 13, Status: StatusPassed, Duration: time.Second},
					{Keyword: "When ", Text: "Okta sends PATCH active:true", Line: 14, Status: StatusPassed, Duration: 500 * time.Millisecond},
					{Keyword: "Then ", Text: "the target rejects the PATCH", Line: 15, Status: StatusFailed, Duration: 500 * time.Millisecond,
						Error: "expected status 400, got 200 (Authorization: Bearer " + plantedBearer + ")"},
					{Keyword: "And ", Text: "the user is still inactive", Line: 16, Status: StatusSkipped},
				},
				Exchanges: []Exchange{failing},
			},
			{
				Feature: "Reactivate users", URI: "features/reactivate.feature", Line: 20,
				Name:   "Groups push keeps members",
				Tags:   []string{"@okta", "@groups"},
				Status: StatusSkipped, SkipReason: "no probe for team membership in the target profile",
				Steps: []Step{{Keyword: "Given ", Text: "a group with two members", Line: 21, Status: StatusSkipped}},
			},
			{
				Feature: "Deprovision", URI: "features/deprovision.feature", Line: 3,
				Name:   "Deprovision revokes personal API keys",
				Tags:   []string{"@cortex", "@revocation"},
				Status: StatusNotSupported, SkipReason: "target does not advertise @etag",
			},
		},
	}
}
