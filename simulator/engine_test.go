package simulator

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Test429Schedule checks Okta's 429 policy on the virtual clock (SPEC
// §2.3): Retry-After seconds when an integer, else 5 minutes; doubling;
// at most 10 attempts; no real sleeping.
func Test429Schedule(t *testing.T) {
	cases := []struct {
		name       string
		retryAfter string
		fails      int // 429s before success; 10 means never succeeds
		want       []time.Duration
		ok         bool
		maxWait    time.Duration // AppConfig.MaxRetryWait; 0: default
		capped     int           // 429 exchanges whose Note says the wait was capped
	}{
		{"honours integer Retry-After and doubles", "2", 3, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}, true, 0, 0},
		{"HTTP-date Retry-After means 5 minutes", "Wed, 21 Oct 2015 07:28:00 GMT", 2, []time.Duration{5 * time.Minute, 10 * time.Minute}, true, 0, 0},
		{"no Retry-After means 5 minutes", "", 1, []time.Duration{5 * time.Minute}, true, 0, 0},
		{"gives up after 10 attempts", "1", 10, []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
			16 * time.Second, 32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second}, false, 0, 0},
		{"no Retry-After, 10 attempts: SPEC's schedule fits under the default cap", "", 10, []time.Duration{5 * time.Minute, 10 * time.Minute,
			20 * time.Minute, 40 * time.Minute, 80 * time.Minute, 160 * time.Minute, 320 * time.Minute, 640 * time.Minute, 1280 * time.Minute}, false, 0, 0},
		{"huge Retry-After saturates at the default cap", "9223372036", 3,
			[]time.Duration{DefaultMaxRetryWait, DefaultMaxRetryWait, DefaultMaxRetryWait}, true, 0, 3},
		{"Retry-After beyond int64 is still capped", "99999999999999999999", 1, []time.Duration{DefaultMaxRetryWait}, true, 0, 1},
		{"doubling stops at MaxRetryWait", "3", 4, []time.Duration{3 * time.Second, 6 * time.Second, 10 * time.Second, 10 * time.Second}, true, 10 * time.Second, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, vc := newTestOrg(t, ft, ProfileOIN)
			reconfigure(t, org, func(c *AppConfig) { c.Provisioning.PushGroups = false; c.MaxRetryWait = tc.maxWait })
			var n atomic.Int32
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				if int(n.Add(1)) > tc.fails {
					return false
				}
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			})
			began := time.Now()
			res, err := org.TestAPICredentials(bg)
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(began) > 5*time.Second {
				t.Errorf("the virtual clock should make retries instant; took %v", time.Since(began))
			}
			if res.OK != tc.ok {
				t.Fatalf("ok = %v (%s), want %v", res.OK, res.Message, tc.ok)
			}
			if got := vc.Sleeps(); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("waits = %v, want %v", got, tc.want)
			}
			wantReqs := tc.fails + 1
			if !tc.ok {
				wantReqs = 10
				if res.MessageID != MsgRateLimited {
					t.Errorf("message id = %s, want %s", res.MessageID, MsgRateLimited)
				}
			}
			if got := len(ft.requests()); got != wantReqs {
				t.Errorf("requests = %d, want %d", got, wantReqs)
			}
			var total time.Duration
			for _, d := range tc.want {
				total += d
			}
			if got := vc.Now().Sub(testStart); got != total {
				t.Errorf("virtual time advanced %v, want %v", got, total)
			}
			tr := org.Transcript()
			if len(tr.Exchanges) != wantReqs || tr.Exchanges[len(tr.Exchanges)-1].Attempt != wantReqs {
				t.Errorf("transcript should record each attempt; got %d exchanges", len(tr.Exchanges))
			}
			capped := 0
			for _, ex := range tr.Exchanges {
				if strings.Contains(ex.Note, "wait capped at MaxRetryWait") && strings.Contains(ex.Note, "not Okta behaviour") {
					capped++
				}
			}
			if capped != tc.capped {
				t.Errorf("%d exchanges note a capped wait, want %d", capped, tc.capped)
			}
		})
	}
}

// TestNothingElseRetried: a 500 or 503 is not retried automatically.
func TestNothingElseRetried(t *testing.T) {
	for _, status := range []int{500, 502, 503, 400, 409} {
		ft := newFakeTarget(t)
		org, vc := newTestOrg(t, ft, ProfileOIN)
		u := org.AddUser(ana())
		ft.setOverride(answer("POST", "/Users", status, ctSCIM, scimError(fmt.Sprint(status), "no")))
		res, _ := org.Assign(bg, u.ID)
		if res.OK || res.Status != status {
			t.Errorf("%d: result %+v", status, res)
		}
		if n := len(ft.requests()); n != 2 || len(vc.Sleeps()) != 0 {
			t.Errorf("%d: %d requests, %d waits; want 2 requests and no retry", status, n, len(vc.Sleeps()))
		}
	}
}

// TestImportPaging covers paging by 100 until totalResults is covered, and
// safe stops on targets that lie about totalResults.
func TestImportPaging(t *testing.T) {
	listPage := func(total int, start, n int, active func(i int) bool) string {
		res := []any{}
		for i := start; i < start+n; i++ {
			res = append(res, map[string]any{"id": fmt.Sprint("id-", i), "userName": fmt.Sprintf("u%d@example.com", i), "active": active(i)})
		}
		b, _ := json.Marshal(map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
			"totalResults": total, "startIndex": start, "itemsPerPage": n, "Resources": res})
		return string(b)
	}
	startOf := func(r *http.Request) int {
		var s int
		_, _ = fmt.Sscan(r.URL.Query().Get("startIndex"), &s)
		return s
	}
	t.Run("pages until covered, inactive skipped", func(t *testing.T) {
		ft := newFakeTarget(t)
		for i := range 250 {
			ft.seedUser(fmt.Sprintf("u%03d@example.com", i), "U", "X", i%5 != 0)
		}
		org, _ := newTestOrg(t, ft, ProfileOIN)
		res, err := org.Import(bg)
		if err != nil || !res.OK {
			t.Fatalf("import: %v %+v", err, res.Message)
		}
		if res.Pages != 3 || len(res.Users) != 200 || res.SkippedInactive != 50 || res.TotalResults != 250 {
			t.Errorf("pages=%d users=%d skipped=%d total=%d", res.Pages, len(res.Users), res.SkippedInactive, res.TotalResults)
		}
		var uris []string
		for _, r := range ft.requests() {
			uris = append(uris, strings.TrimPrefix(r.RequestURI, fakeBase))
		}
		want := "[/Users?startIndex=1&count=100 /Users?startIndex=101&count=100 /Users?startIndex=201&count=100]"
		if fmt.Sprint(uris) != want {
			t.Errorf("requests = %v, want %v", uris, want)
		}
		if res.Users[0].UserName != "u001@example.com" || res.Users[0].Email != "u001@example.com" || res.Users[0].GivenName != "U" {
			t.Errorf("first user = %+v", res.Users[0])
		}
	})
	t.Run("empty page ends an import whose total lies, with a task", func(t *testing.T) {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		ft.setOverride(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			n := 100
			if startOf(r) > 1 {
				n = 0
			}
			w.Header().Set("Content-Type", ctSCIM)
			_, _ = w.Write([]byte(listPage(1000, startOf(r), n, func(int) bool { return true })))
			return true
		})
		res, err := org.Import(bg)
		if err != nil || res.OK || res.MessageID != MsgImportIncomplete || res.Pages != 2 || len(res.Users) != 100 {
			t.Errorf("import = %v ok=%v id=%s pages=%d users=%d", err, res.OK, res.MessageID, res.Pages, len(res.Users))
		}
	})
	t.Run("pages smaller than 100 leave users unread: a task says so", func(t *testing.T) {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		// 150 users served 50 a page, as RFC 7644 allows; Okta still asks
		// for startIndex 1 then 101, so users 51-100 are never read.
		ft.setOverride(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			n := min(50, 150-startOf(r)+1)
			w.Header().Set("Content-Type", ctSCIM)
			_, _ = w.Write([]byte(listPage(150, startOf(r), n, func(int) bool { return true })))
			return true
		})
		res, err := org.Import(bg)
		if err != nil {
			t.Fatal(err)
		}
		var uris []string
		for _, r := range ft.requests() {
			uris = append(uris, strings.TrimPrefix(r.RequestURI, fakeBase))
		}
		if want := "[/Users?startIndex=1&count=100 /Users?startIndex=101&count=100]"; fmt.Sprint(uris) != want {
			t.Errorf("requests = %v, want Okta's +100 paging %v", uris, want)
		}
		wantMsg := "Import of users from app Cortex failed: Error while importing users: read 100 of 150 users: the target returned fewer than 100 users on a page, and Okta asks for the next page at startIndex + 100"
		if res.OK || res.MessageID != MsgImportIncomplete || res.Message != wantMsg || len(res.Users) != 100 {
			t.Errorf("import = ok %v id %s users %d message %q", res.OK, res.MessageID, len(res.Users), res.Message)
		}
		if open := org.OpenTasks(); len(open) != 1 || open[0].ID != res.TaskID {
			t.Errorf("open tasks = %+v", open)
		}
		if m, _ := LookupMessage(MsgImportIncomplete); m.Provenance != Inferred {
			t.Errorf("the incomplete-import message must be labelled inferred, is %s", m.Provenance)
		}
	})
	t.Run("never-ending paging is stopped", func(t *testing.T) {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		reconfigure(t, org, func(c *AppConfig) { c.MaxImportPages = 5 })
		ft.setOverride(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			w.Header().Set("Content-Type", ctSCIM)
			_, _ = w.Write([]byte(listPage(startOf(r)+1000, startOf(r), 100, func(int) bool { return true })))
			return true
		})
		res, err := org.Import(bg)
		if err != nil || res.OK || res.MessageID != MsgImportRunaway || res.Pages != 5 || len(ft.requests()) != 5 {
			t.Fatalf("import = %v ok=%v id=%s pages=%d requests=%d", err, res.OK, res.MessageID, res.Pages, len(ft.requests()))
		}
		want := "Import of users from app Cortex failed: Error while importing users: stopped after 5 pages: totalResults 1401 was never covered"
		if res.Message != want || len(org.OpenTasks()) != 1 {
			t.Fatalf("message %q, tasks %d", res.Message, len(org.OpenTasks()))
		}
		// Retrying the task re-runs the import; once the target behaves
		// it succeeds and the task is resolved.
		ft.setOverride(nil)
		if r, err := org.RetryTask(bg, res.TaskID); err != nil || !r.OK || len(org.OpenTasks()) != 0 {
			t.Errorf("retry = %+v, %v, open tasks %d", r, err, len(org.OpenTasks()))
		}
	})
	t.Run("string counts fail the import", func(t *testing.T) {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		ft.setOverride(answer("GET", "/Users", 200, ctSCIM, `{"totalResults":"3","Resources":[]}`))
		res, err := org.Import(bg)
		if err != nil || res.OK || res.MessageID != MsgNotInteger {
			t.Errorf("import = %v %+v", err, res)
		}
	})
	t.Run("import off is a programmer error", func(t *testing.T) {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		reconfigure(t, org, func(c *AppConfig) { c.Provisioning.ImportUsers = false })
		if _, err := org.Import(bg); err == nil {
			t.Error("want an error")
		}
	})
}

// TestForceSync: only provisioned users whose mapped values changed are
// pushed; users assigned before provisioning was on are not created.
func TestForceSync(t *testing.T) {
	for _, profile := range []TrafficProfile{ProfileOIN, ProfileAIW} {
		t.Run(string(profile), func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, profile)
			a, b := org.AddUser(ana()), org.AddUser(ben())
			c := org.AddUser(Profile{Login: "cai@example.com", Email: "cai@example.com", FirstName: "Cai", LastName: "Wu"})
			d := org.AddUser(Profile{Login: "dee@example.com", Email: "dee@example.com", FirstName: "Dee", LastName: "Ng"})
			for _, u := range []User{a, b, c} {
				must(t, "assign")(org.Assign(bg, u.ID))
			}
			// d is assigned before provisioning (Create users off).
			reconfigure(t, org, func(c *AppConfig) { c.Provisioning.CreateUsers = false; c.Provisioning.UpdateAttributes = false })
			must(t, "assign d")(org.Assign(bg, d.ID))
			p := ben()
			p.FirstName = "Benjamin"
			must(t, "edit b")(org.UpdateUserProfile(bg, b.ID, p))
			same := ana() // unchanged values: no traffic
			must(t, "edit a")(org.UpdateUserProfile(bg, a.ID, same))
			reconfigure(t, org, func(c *AppConfig) { c.Provisioning.CreateUsers = true; c.Provisioning.UpdateAttributes = true })
			before := len(ft.requests())
			res, err := org.ForceSync(bg)
			if err != nil {
				t.Fatal(err)
			}
			reqs := ft.requests()[before:]
			bu, _ := org.AppUser(b.ID)
			if len(reqs) != 2 || reqs[0].Method != "GET" || reqs[1].Method != "PUT" ||
				reqs[1].RequestURI != fakeBase+"/Users/"+bu.SCIMID {
				t.Fatalf("force sync sent %s; want GET + PUT for ben only", dump(reqs))
			}
			if !strings.Contains(string(reqs[1].Body), `"givenName":"Benjamin"`) {
				t.Errorf("PUT lacks the new name: %s", reqs[1].Body)
			}
			if len(res.Pushed) != 1 || res.Pushed[0].UserID != b.ID || !res.Pushed[0].OK {
				t.Errorf("pushed = %+v", res.Pushed)
			}
			if fmt.Sprint(res.NotProvisioned) != fmt.Sprint([]string{d.ID}) || len(res.Unchanged) != 2 {
				t.Errorf("not provisioned = %v, unchanged = %v", res.NotProvisioned, res.Unchanged)
			}
			du, _ := org.AppUser(d.ID)
			if du.SCIMID != "" || du.Status != AppUserNotProvisioned {
				t.Errorf("d = %+v, want not provisioned", du)
			}
			// A second Force sync has nothing to push.
			before = len(ft.requests())
			if _, err := org.ForceSync(bg); err != nil || len(ft.requests()) != before {
				t.Errorf("second force sync sent %d requests", len(ft.requests())-before)
			}
			// Provision User creates d.
			must(t, "provision d")(org.ProvisionUser(bg, d.ID))
			if du, _ := org.AppUser(d.ID); du.SCIMID == "" || du.Status != AppUserProvisioned {
				t.Errorf("d after Provision User = %+v", du)
			}
		})
	}
}

// TestLifecycle follows Okta's OIN CRUD test (Appendix A) in both
// profiles: create, change a name, deactivate, reactivate + reassign with
// the same SCIM id, unassign.
func TestLifecycle(t *testing.T) {
	for _, profile := range []TrafficProfile{ProfileOIN, ProfileAIW} {
		t.Run(string(profile), func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, profile)
			u := org.AddUser(ana())
			must(t, "assign")(org.Assign(bg, u.ID))
			au, _ := org.AppUser(u.ID)
			first := au.SCIMID
			check := func(step string, active bool, given string) {
				t.Helper()
				tu := ft.user(first)
				if tu == nil || tu["active"] != active || tu["name"].(map[string]any)["givenName"] != given {
					t.Fatalf("%s: target user = %v", step, tu)
				}
			}
			check("create", true, "Ana")
			p := ana()
			p.FirstName = "Anna"
			must(t, "rename")(org.UpdateUserProfile(bg, u.ID, p))
			check("update", true, "Anna")
			must(t, "deactivate")(org.DeactivateUser(bg, u.ID))
			check("deactivate", false, "Anna")
			if au, _ := org.AppUser(u.ID); au.Assigned || au.Status != AppUserDeprovisioned {
				t.Errorf("after deactivation app user = %+v", au)
			}
			must(t, "reactivate")(org.ReactivateUser(bg, u.ID))
			must(t, "reassign")(org.Assign(bg, u.ID))
			check("reactivate", true, "Anna")
			if au, _ := org.AppUser(u.ID); au.SCIMID != first {
				t.Errorf("SCIM id changed on reactivation: %s -> %s", first, au.SCIMID)
			}
			must(t, "unassign")(org.Unassign(bg, u.ID))
			check("unassign", false, "Anna")
			for _, r := range ft.requests() {
				if r.Method == http.MethodDelete {
					t.Errorf("Okta never sends DELETE for users: %s", r.RequestURI)
				}
				if r.Header.Get("If-Match") != "" {
					t.Errorf("Okta never sends If-Match: %s %s", r.Method, r.RequestURI)
				}
			}
			// Suspend deactivates, unsuspend reactivates (inferred).
			must(t, "assign again")(org.Assign(bg, u.ID))
			must(t, "suspend")(org.SuspendUser(bg, u.ID))
			check("suspend", false, "Anna")
			must(t, "unsuspend")(org.UnsuspendUser(bg, u.ID))
			check("unsuspend", true, "Anna")
			if _, err := org.ReactivateUser(bg, u.ID); err == nil {
				t.Error("reactivating an active user: want a programmer error")
			}
		})
	}
}

// TestTogglesOff: with Create users / Deactivate users off, nothing is
// sent; Update attributes off stores the profile only.
func TestTogglesOff(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	reconfigure(t, org, func(c *AppConfig) { c.Provisioning = Provisioning{} })
	u := org.AddUser(ana())
	r := must(t, "assign")(org.Assign(bg, u.ID))
	if r.Sent != 0 || len(ft.requests()) != 0 {
		t.Fatalf("assign with Create users off sent %d requests", len(ft.requests()))
	}
	if au, _ := org.AppUser(u.ID); !au.Assigned || au.Status != AppUserNotProvisioned {
		t.Errorf("app user = %+v", au)
	}
	reconfigure(t, org, func(c *AppConfig) { c.Provisioning.CreateUsers = true })
	must(t, "provision")(org.ProvisionUser(bg, u.ID))
	n := len(ft.requests())
	must(t, "unassign")(org.Unassign(bg, u.ID))
	if len(ft.requests()) != n {
		t.Errorf("unassign with Deactivate users off sent a request")
	}
}

// TestAIWCreateWhenReactivatedUserVanished: AIW reactivation runs the
// create flow, so a user deleted on the target is created again.
func TestAIWCreateWhenReactivatedUserVanished(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileAIW)
	u := org.AddUser(ana())
	must(t, "assign")(org.Assign(bg, u.ID))
	must(t, "unassign")(org.Unassign(bg, u.ID))
	ft.mu.Lock()
	ft.users = nil
	ft.mu.Unlock()
	before := len(ft.requests())
	must(t, "reassign")(org.Assign(bg, u.ID))
	reqs := ft.requests()[before:]
	if len(reqs) != 2 || reqs[1].Method != "POST" {
		t.Errorf("reassign sent %s", dump(reqs))
	}
}

// TestCompressedAnswers: Okta asks for gzip and deflate and decodes them.
func TestCompressedAnswers(t *testing.T) {
	body := []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
	enc := map[string]func([]byte) []byte{
		"gzip": func(b []byte) []byte {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			_, _ = w.Write(b)
			_ = w.Close()
			return buf.Bytes()
		},
		"deflate": func(b []byte) []byte {
			var buf bytes.Buffer
			w := zlib.NewWriter(&buf)
			_, _ = w.Write(b)
			_ = w.Close()
			return buf.Bytes()
		},
		"raw-deflate": func(b []byte) []byte {
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
			_, _ = w.Write(b)
			_ = w.Close()
			return buf.Bytes()
		},
	}
	for name, f := range enc {
		t.Run(name, func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
				w.Header().Set("Content-Encoding", strings.TrimPrefix(name, "raw-"))
				w.Header().Set("Content-Type", ctSCIM)
				_, _ = w.Write(f(body))
				return true
			})
			res, err := org.TestAPICredentials(bg)
			if err != nil || !res.OK {
				t.Fatalf("%v %+v", err, res)
			}
			if got := org.Transcript().Exchanges[0].Response.Body; !bytes.Equal(got, body) {
				t.Errorf("transcript body = %q, want decoded JSON", got)
			}
		})
	}
	t.Run("corrupt gzip", func(t *testing.T) {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		ft.setOverride(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write([]byte("definitely not gzip"))
			return true
		})
		res, err := org.TestAPICredentials(bg)
		if err != nil || res.OK || res.MessageID != MsgIOError {
			t.Errorf("%v %+v", err, res)
		}
	})
}

// TestExtraHeadersAndMappings: extra headers (Okta's egress IP) are sent
// but cannot replace Okta's own; extension mappings go under their
// namespace.
func TestExtraHeadersAndMappings(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	reconfigure(t, org, func(c *AppConfig) {
		c.ExtraHeaders = http.Header{"X-Forwarded-For": {"198.51.100.7"}, "User-Agent": {"not okta"}, "If-Match": {`W/"1"`}}
		c.OktaAttributes = []string{"dept"}
		c.Mappings = []Mapping{{Namespace: ent, Attribute: "department", From: "dept"}}
	})
	p := ana()
	p.Attributes = map[string]string{"dept": "Platform"}
	u := org.AddUser(p)
	must(t, "assign")(org.Assign(bg, u.ID))
	for _, r := range ft.requests() {
		if r.Header.Get("X-Forwarded-For") != "198.51.100.7" || r.Header.Get("User-Agent") != UserAgent ||
			len(r.Header.Values("User-Agent")) != 1 || r.Header.Get("If-Match") != "" {
			t.Errorf("headers = %v", r.Header)
		}
	}
	post := ft.requests()[1].Body
	if !bytes.Contains(post, []byte(`"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","`+ent+`"]`)) ||
		!bytes.HasSuffix(post, []byte(`"active":true,"`+ent+`":{"department":"Platform"}}`)) {
		t.Errorf("create body = %s", post)
	}
	// A change of the mapped attribute alone is a change worth pushing.
	p.Attributes = map[string]string{"dept": "Security"}
	r := must(t, "update")(org.UpdateUserProfile(bg, u.ID, p))
	if r.Sent != 2 {
		t.Errorf("extension change sent %d requests, want GET + PUT", r.Sent)
	}
}

// TestConfigValidation: Okta refuses http, missing secrets and unknown
// modes; the simulator returns a clear error.
func TestConfigValidation(t *testing.T) {
	good := AppConfig{Name: "Cortex", BaseURL: "https://cortex.example/scim/v2", Auth: Auth{Mode: AuthBearer, Secret: "k"}}
	cases := []struct {
		name   string
		change func(*AppConfig)
		want   string
	}{
		{"http without AllowHTTP", func(c *AppConfig) { c.BaseURL = "http://cortex.example/scim/v2" }, "only talks HTTPS"},
		{"relative URL", func(c *AppConfig) { c.BaseURL = "/scim/v2" }, "absolute https URL"},
		{"query in URL", func(c *AppConfig) { c.BaseURL = "https://cortex.example/scim/v2?x=1" }, "query"},
		{"userinfo in URL", func(c *AppConfig) { c.BaseURL = "https://admin:hunter22@cortex.example/scim/v2" }, "must not contain user:password@"},
		{"user without password in URL", func(c *AppConfig) { c.BaseURL = "https://admin@cortex.example/scim/v2" }, "must not contain user:password@"},
		{"unparsable URL with a password", func(c *AppConfig) { c.BaseURL = "https://admin:hunter22@cortex.example:port/scim/v2" }, "does not parse"},
		{"no secret", func(c *AppConfig) { c.Auth.Secret = "" }, "needs a secret"},
		{"unknown mode", func(c *AppConfig) { c.Auth.Mode = "oauth" }, "unknown auth mode"},
		{"basic without user", func(c *AppConfig) { c.Auth = Auth{Mode: AuthBasic} }, "needs a username"},
		{"unknown profile", func(c *AppConfig) { c.Profile = "SAML" }, "unknown traffic profile"},
		{"bad mapping", func(c *AppConfig) { c.Mappings = []Mapping{{Attribute: "x"}} }, "mapping 0"},
		{"negative timeout", func(c *AppConfig) { c.Timeout = -1 }, "negative"},
		{"negative max retry wait", func(c *AppConfig) { c.MaxRetryWait = -time.Second }, "negative"},
	}
	for _, tc := range cases {
		cfg := good
		tc.change(&cfg)
		err := NewOrg(Options{}).ConfigureApp(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter22") {
			t.Errorf("%s: the error quotes the URL's password: %v", tc.name, err)
		}
	}
	org := NewOrg(Options{})
	if err := org.ConfigureApp(good); err != nil {
		t.Fatal(err)
	}
	cfg, _ := org.App()
	if cfg.Timeout != DefaultTimeout || cfg.Profile != ProfileOIN || cfg.MaxResponseBytes != DefaultMaxResponseBytes {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	if _, err := NewOrg(Options{}).Assign(bg, "00uNOPE"); err == nil {
		t.Error("assign without an app: want an error")
	}
	if _, err := org.Assign(bg, "00uNOPE"); err == nil {
		t.Error("assign of an unknown user: want an error")
	}
}

// TestAuthModes: Header verbatim, Bearer with the scheme added, Basic.
func TestAuthModes(t *testing.T) {
	cases := []struct {
		auth Auth
		want string
	}{
		{Auth{Mode: AuthHeader, Secret: "Token abc123"}, "Token abc123"},
		{Auth{Mode: AuthBearer, Secret: "abc123"}, "Bearer abc123"},
		{Auth{Mode: AuthBasic, Username: "okta", Password: "pw1234"}, "Basic b2t0YTpwdzEyMzQ="},
	}
	for _, tc := range cases {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileOIN)
		reconfigure(t, org, func(c *AppConfig) { c.Auth = tc.auth })
		if _, err := org.TestAPICredentials(bg); err != nil {
			t.Fatal(err)
		}
		if got := ft.requests()[0].Header.Get("Authorization"); got != tc.want {
			t.Errorf("%s: Authorization = %q, want %q", tc.auth.Mode, got, tc.want)
		}
	}
}
