package reference

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimulator/scimulator/reference/store"
)

// grantAccess gives a user a role, a team, a personal key and a session, as
// the harness's grant probes do; it returns the key and session secrets.
func grantAccess(t testing.TB, s *Server, email string) (key, session string) {
	t.Helper()
	if r := admin(t, s, "POST", "/users/"+email+"/roles", map[string]any{"role": "Viewer"}); r.status != 200 {
		t.Fatalf("grant role: %d %s", r.status, r.body)
	}
	admin(t, s, "POST", "/teams", map[string]any{"name": "Platform"})
	if r := admin(t, s, "POST", "/teams/Platform/members", map[string]any{"email": email}); r.status != 200 {
		t.Fatalf("add member: %d %s", r.status, r.body)
	}
	_, key = mintKey(t, s, "Admin", email)
	r := admin(t, s, "POST", "/sessions", map[string]any{"email": email})
	if r.status != http.StatusCreated {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	return key, r.json()["token"].(string)
}

// TestDeprovisionRevokesAccess: SPEC §1.4 for each way Okta (or an admin)
// deprovisions: PATCH active:false, PUT active:false, DELETE.
func TestDeprovisionRevokesAccess(t *testing.T) {
	ways := map[string]func(s *Server, id string) int{
		"PATCH": func(s *Server, id string) int {
			return scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}})).status
		},
		"PUT": func(s *Server, id string) int {
			return scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(u map[string]any) { u["active"] = false })).status
		},
		"DELETE": func(s *Server, id string) int { return scim(t, s, "DELETE", "/Users/"+id, nil).status },
	}
	for name, deprovision := range ways {
		t.Run(name, func(t *testing.T) {
			s := newTestServer(t)
			id := mustCreate(t, s, "dev@example.com")
			key, sess := grantAccess(t, s, "dev@example.com")
			for _, tok := range []string{key, sess} {
				if r := do(t, s, tok, "GET", "/api/v1/whoami", nil); r.status != 200 {
					t.Fatalf("whoami before: %d", r.status)
				}
			}
			before := admin(t, s, "GET", "/users/"+id, nil).json()
			if before["apiKeyCount"] != float64(1) || before["activeSessions"] != float64(1) || len(before["teams"].([]any)) != 1 {
				t.Fatalf("grants not visible: %v", before)
			}
			if st := deprovision(s, id); st != 200 && st != 204 {
				t.Fatalf("deprovision: %d", st)
			}
			for _, tok := range []string{key, sess} {
				if r := do(t, s, tok, "GET", "/api/v1/whoami", nil); r.status != 401 {
					t.Fatalf("whoami after: %d", r.status)
				}
			}
			if r := do(t, s, key, "GET", "/scim/v2/Users", nil); r.status != 401 {
				t.Fatalf("personal key on SCIM after: %d", r.status)
			}
			if team := admin(t, s, "GET", "/teams/Platform", nil).json(); len(team["members"].([]any)) != 0 {
				t.Fatalf("team membership kept: %v", team)
			}
			if name == "DELETE" {
				if r := admin(t, s, "GET", "/users/"+id, nil); r.status != 404 {
					t.Fatalf("deleted user in admin view: %d", r.status)
				}
				return
			}
			v := admin(t, s, "GET", "/users/"+id, nil).json()
			if v["status"] != "deprovisioned" || v["active"] != false || len(v["roles"].([]any)) != 0 ||
				len(v["teams"].([]any)) != 0 || v["apiKeyCount"] != float64(0) || v["activeSessions"] != float64(0) {
				t.Fatalf("after deprovision: %v", v)
			}
			if r := admin(t, s, "POST", "/sessions", map[string]any{"email": "dev@example.com"}); r.status != 403 {
				t.Fatalf("login of deprovisioned user: %d", r.status)
			}
		})
	}
}

// TestDeprovisionIsIdempotent: Okta can send duplicate deactivations.
func TestDeprovisionIsIdempotent(t *testing.T) {
	s := newTestServer(t)
	id := mustCreate(t, s, "twice@example.com")
	body := patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}})
	for i := range 2 {
		if r := scim(t, s, "PATCH", "/Users/"+id, body); r.status != 200 || r.json()["active"] != false {
			t.Fatalf("deactivation %d: %d %s", i, r.status, r.body)
		}
	}
}

func TestKeepDeprovisionedInTeams(t *testing.T) {
	s := newTestServer(t)
	admin(t, s, "PATCH", "/settings", map[string]any{"keepDeprovisionedInTeams": true})
	id := mustCreate(t, s, "keep@example.com")
	grantAccess(t, s, "keep@example.com")
	scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
	if m := admin(t, s, "GET", "/teams/Platform", nil).json()["members"].([]any); len(m) != 1 {
		t.Fatalf("membership removed despite the setting: %v", m)
	}
	v := admin(t, s, "GET", "/users/"+id, nil).json()
	if len(v["roles"].([]any)) != 0 || v["apiKeyCount"] != float64(0) {
		t.Fatalf("other revocations must still happen: %v", v)
	}
}

// TestReprovisionReassociates: SPEC §1.4 — records that still reference the
// email follow the user back, after PUT reactivation and after a POST that
// follows a DELETE.
func TestReprovisionReassociates(t *testing.T) {
	s := newTestServer(t)
	admin(t, s, "PATCH", "/settings", map[string]any{"keepDeprovisionedInTeams": true})
	id := mustCreate(t, s, "Owner@Example.com")
	ent := admin(t, s, "POST", "/entities", map[string]any{"name": "billing-service", "owners": []string{"owner@example.com"}}).json()
	admin(t, s, "POST", "/teams", map[string]any{"name": "Payments"})
	admin(t, s, "POST", "/teams/Payments/members", map[string]any{"email": "OWNER@example.com"})
	ownerID := func() any {
		return admin(t, s, "GET", "/entities/"+ent["id"].(string), nil).json()["owners"].([]any)[0].(map[string]any)["userId"]
	}
	memberID := func() any {
		return admin(t, s, "GET", "/teams/Payments", nil).json()["members"].([]any)[0].(map[string]any)["userId"]
	}
	if ownerID() != id || memberID() != id {
		t.Fatalf("records not associated at start: %v %v", ownerID(), memberID())
	}
	// DELETE, then POST with the same email: a new id, the records follow.
	scim(t, s, "DELETE", "/Users/"+id, nil)
	if ownerID() != nil || memberID() != nil {
		t.Fatalf("records still point at a deleted user: %v %v", ownerID(), memberID())
	}
	id2 := mustCreate(t, s, "owner@example.com")
	if id2 == id || ownerID() != id2 || memberID() != id2 {
		t.Fatalf("after re-create: id %s, owner %v, member %v", id2, ownerID(), memberID())
	}
	// A team membership added while the user is deprovisioned is associated
	// when the user comes back through PUT.
	scim(t, s, "PATCH", "/Users/"+id2, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
	admin(t, s, "POST", "/teams", map[string]any{"name": "Later"})
	admin(t, s, "POST", "/teams/Later/members", map[string]any{"email": "owner@example.com"})
	if m := admin(t, s, "GET", "/teams/Later", nil).json()["members"].([]any)[0].(map[string]any); m["userId"] != nil {
		t.Fatalf("inactive user associated: %v", m)
	}
	r := scim(t, s, "PUT", "/Users/"+id2, echoBody(t, s, id2, func(u map[string]any) { u["active"] = true }))
	if r.status != 200 || r.json()["id"] != id2 {
		t.Fatalf("reactivate: %d %s", r.status, r.body)
	}
	if m := admin(t, s, "GET", "/teams/Later", nil).json()["members"].([]any)[0].(map[string]any); m["userId"] != id2 {
		t.Fatalf("not re-associated on reactivation: %v", m)
	}
	if r := admin(t, s, "POST", "/sessions", map[string]any{"email": "owner@example.com"}); r.status != 201 {
		t.Fatalf("reprovisioned user cannot log in: %d", r.status)
	}
}

// stampedRecorder records a response and, at the moment its status line is
// written (before the request leaves the server's in-flight count), whether
// the deprovision had already returned. That is when the answer "arrives":
// a 2xx written after the deprovision returned breaks SPEC §1.4.
type stampedRecorder struct {
	*httptest.ResponseRecorder
	deprovisioned *atomic.Bool
	late          bool
}

func (w *stampedRecorder) WriteHeader(code int) {
	w.late = w.deprovisioned.Load()
	w.ResponseRecorder.WriteHeader(code)
}

// doStamped is do with a stampedRecorder; late reports whether the answer
// was written after deprovisioned was set.
func doStamped(t testing.TB, s *Server, token, method, path string, deprovisioned *atomic.Bool) (r resp, late bool) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := &stampedRecorder{ResponseRecorder: httptest.NewRecorder(), deprovisioned: deprovisioned}
	s.Handler().ServeHTTP(rec, req)
	return resp{t: t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}, rec.late
}

// TestDeprovisionRacesSessions: many requests with the user's session and
// personal key run while the user is deprovisioned. No 2xx answer may be
// written after the deprovision returned, whether its request started
// before or after (SPEC §1.4). TestDeprovisionWaitsForHeldRequest makes the
// interleaving deterministic; this test covers the free-running races.
func TestDeprovisionRacesSessions(t *testing.T) {
	for round := range 20 {
		s := newTestServer(t)
		id := mustCreate(t, s, "race@example.com")
		key, sess := grantAccess(t, s, "race@example.com")
		var (
			done     atomic.Bool // set when the deprovision has returned
			lateOK   atomic.Int64
			earlyOK  atomic.Int64
			stop     = make(chan struct{})
			wg       sync.WaitGroup
			requests atomic.Int64
		)
		for g := range 8 {
			tok := sess
			path := "/api/v1/whoami"
			if g%2 == 1 {
				tok, path = key, "/scim/v2/Users?count=1"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					r, late := doStamped(t, s, tok, "GET", path, &done)
					requests.Add(1)
					if r.status >= 200 && r.status < 300 {
						if late {
							lateOK.Add(1)
						} else {
							earlyOK.Add(1)
						}
					}
				}
			}()
		}
		time.Sleep(2 * time.Millisecond)
		r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
		done.Store(true)
		if r.status != 200 {
			t.Fatalf("deprovision: %d", r.status)
		}
		time.Sleep(2 * time.Millisecond)
		close(stop)
		wg.Wait()
		if lateOK.Load() != 0 {
			t.Fatalf("round %d: %d answers were 2xx and written after the deprovision returned", round, lateOK.Load())
		}
		if earlyOK.Load() == 0 {
			t.Logf("round %d: no request succeeded before the deprovision (%d requests)", round, requests.Load())
		}
	}
}

// holdRequests makes s stop every request carrying token right after its
// handler ran (a success buffered, the final re-check not yet done) until
// release is closed; reached receives once per held request.
func holdRequests(s *Server, token string) (reached chan struct{}, release chan struct{}) {
	reached, release = make(chan struct{}, 8), make(chan struct{})
	s.afterHandler = func(r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer "+token {
			reached <- struct{}{}
			<-release
		}
	}
	return reached, release
}

// TestDeprovisionWaitsForHeldRequest: SPEC §1.4, deterministically. A
// request with the user's credential is held in flight, after its handler
// produced a success, while the user is deprovisioned. The deprovision must
// commit, then wait: it may return only after the held request finished, and
// that request must answer 401, not its buffered success. A no-op drain or a
// missing re-check fails this test.
func TestDeprovisionWaitsForHeldRequest(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		session    bool
	}{
		{"session on whoami", "/api/v1/whoami", true},
		{"personal key on SCIM", "/scim/v2/Users?count=1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			id := mustCreate(t, s, "held@example.com")
			key, sess := grantAccess(t, s, "held@example.com")
			tok := key
			if tc.session {
				tok = sess
			}
			reached, release := holdRequests(s, tok)
			defer func() {
				select {
				case <-release:
				default:
					close(release)
				}
			}()
			var deprovisioned atomic.Bool
			type answer struct {
				r    resp
				late bool
			}
			held := make(chan answer, 1)
			go func() {
				r, late := doStamped(t, s, tok, "GET", tc.path, &deprovisioned)
				held <- answer{r, late}
			}()
			<-reached
			dep := make(chan resp, 1)
			go func() {
				r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
				deprovisioned.Store(true)
				dep <- r
			}()
			// The deprovision commits at once (admin reads see it) ...
			deadline := time.Now().Add(5 * time.Second)
			for admin(t, s, "GET", "/users/"+id, nil).json()["status"] != "deprovisioned" {
				if time.Now().After(deadline) {
					t.Fatal("the deprovision did not commit")
				}
				time.Sleep(time.Millisecond)
			}
			// ... but does not answer while the request is in flight.
			select {
			case r := <-dep:
				t.Fatalf("the deprovision returned (%d) while a request with the revoked credential was in flight", r.status)
			case <-time.After(100 * time.Millisecond):
			}
			close(release)
			a := <-held
			if a.r.status != http.StatusUnauthorized {
				t.Fatalf("held request answered %d after its credential was revoked, want 401: %s", a.r.status, a.r.body)
			}
			if a.late {
				t.Fatal("held request answered after the deprovision returned")
			}
			if r := <-dep; r.status != 200 {
				t.Fatalf("deprovision: %d %s", r.status, r.body)
			}
		})
	}
}

// TestDrainLimitAnswers503: if in-flight requests outlast the drain bound,
// the deprovision has committed but cannot promise the race rule, so it
// answers 503 saying so; the user is deprovisioned all the same, and the
// held request still answers 401.
func TestDrainLimitAnswers503(t *testing.T) {
	s := newTestServer(t)
	if s.drainLimit != WriteTimeout {
		t.Fatalf("drain limit %s, want WriteTimeout %s", s.drainLimit, WriteTimeout)
	}
	s.drainLimit = 50 * time.Millisecond
	id := mustCreate(t, s, "slow@example.com")
	_, sess := grantAccess(t, s, "slow@example.com")
	reached, release := holdRequests(s, sess)
	held := make(chan resp, 1)
	go func() { held <- do(t, s, sess, "GET", "/api/v1/whoami", nil) }()
	<-reached
	r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
	wantSCIMError(t, r, http.StatusServiceUnavailable, "")
	if d := r.json()["detail"].(string); !strings.Contains(d, "was deprovisioned") || !strings.Contains(d, "1 request(s)") {
		t.Fatalf("detail does not say the deprovision was applied and what is pending: %s", d)
	}
	if v := admin(t, s, "GET", "/users/"+id, nil).json(); v["status"] != "deprovisioned" || v["activeSessions"] != float64(0) {
		t.Fatalf("deprovision not applied: %v", v)
	}
	close(release)
	if r := <-held; r.status != http.StatusUnauthorized {
		t.Fatalf("held request: %d", r.status)
	}
	// Repeating is safe and, with nothing in flight, answers 200.
	if r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false})); r.status != 200 {
		t.Fatalf("repeat: %d %s", r.status, r.body)
	}
	// DELETE drains the same way.
	id2 := mustCreate(t, s, "slow2@example.com")
	_, sess2 := grantAccess(t, s, "slow2@example.com")
	reached, release = holdRequests(s, sess2)
	go func() { held <- do(t, s, sess2, "GET", "/api/v1/whoami", nil) }()
	<-reached
	wantSCIMError(t, scim(t, s, "DELETE", "/Users/"+id2, nil), http.StatusServiceUnavailable, "")
	close(release)
	if r := <-held; r.status != http.StatusUnauthorized {
		t.Fatalf("held request after DELETE: %d", r.status)
	}
	wantSCIMError(t, scim(t, s, "GET", "/Users/"+id2, nil), http.StatusNotFound, "")
}

// TestRevokedMidRequest: a credential revoked while its request runs makes
// the request answer 401 instead of its success (the end-of-request check).
func TestRevokedMidRequest(t *testing.T) {
	s := newTestServer(t)
	mustCreate(t, s, "mid@example.com")
	_, sess := grantAccess(t, s, "mid@example.com")
	h := s.wrap(surfaceAdmin, authAny, func(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
		// The deprovision lands while this handler works.
		_ = s.st.Write(func(d *store.Data) error {
			u, _ := d.UserByID(rc.p.userID)
			s.deprovision(d, &u)
			return nil
		})
		writeAdmin(w, http.StatusOK, map[string]string{"secret": "data"})
		return nil
	})
	r := doHandler(t, h, sess, "GET", "/api/v1/whoami")
	if r.status != 401 || contains(string(r.body), "secret") {
		t.Fatalf("revoked mid-request: %d %s", r.status, r.body)
	}
}

// TestDrainWaitsForInFlight: the deprovision's wait returns only once the
// user's in-flight requests have left.
func TestDrainWaitsForInFlight(t *testing.T) {
	f := newFlights()
	f.enter("u1")
	f.enter("u2")
	returned := make(chan struct{})
	go func() {
		if !f.wait(t.Context(), "u1", 0, time.Minute) {
			t.Error("wait reported a timeout")
		}
		close(returned)
	}()
	select {
	case <-returned:
		t.Fatal("wait returned with a request in flight")
	case <-time.After(20 * time.Millisecond):
	}
	f.leave("u2") // another user's request does not release it
	select {
	case <-returned:
		t.Fatal("wait returned when another user's request left")
	case <-time.After(20 * time.Millisecond):
	}
	f.leave("u1")
	select {
	case <-returned:
	case <-time.After(10 * time.Second): // generous: 2 loaded cores under -race
		t.Fatal("wait did not return after the request left")
	}
}

// TestDrainWaitBounded: wait gives up after its limit and says so.
func TestDrainWaitBounded(t *testing.T) {
	f := newFlights()
	f.enter("u1")
	start := time.Now()
	if f.wait(t.Context(), "u1", 0, 30*time.Millisecond) {
		t.Fatal("wait reported drained with a request in flight")
	}
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Fatalf("wait returned after %s, before its limit", el)
	}
	if !f.wait(t.Context(), "u1", 1, time.Second) {
		t.Fatal("allow=1 with one request in flight must not wait")
	}
}

// TestConcurrentCreates: Okta can race two creates of one user; exactly one
// gets 201, the rest 409 (SPEC Appendix B).
func TestConcurrentCreates(t *testing.T) {
	s := newTestServer(t)
	const n = 16
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "Same@Example.com"
			if i%2 == 1 {
				name = "same@example.com"
			}
			codes[i] = scim(t, s, "POST", "/Users", oktaUser(name, "S", "E")).status
		}()
	}
	wg.Wait()
	created, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case 201:
			created++
		case 409:
			conflicts++
		}
	}
	if created != 1 || conflicts != n-1 {
		t.Fatalf("codes %v: want one 201 and %d 409", codes, n-1)
	}
}

// TestWriteLosingRaceAnswers401Applied: the documented edge of the race rule.
// A write with the user's personal key commits, is held before its final
// re-check while its owner is deprovisioned, and then answers 401 although
// its change is stored (README, "A write that loses the race").
func TestWriteLosingRaceAnswers401Applied(t *testing.T) {
	s := newTestServer(t)
	other, held, dep := writeLosingRace(t, s)
	if held.status != http.StatusUnauthorized {
		t.Fatalf("write that lost the race: %d %s", held.status, held.body)
	}
	if dep.status != 200 {
		t.Fatalf("deprovision: %d", dep.status)
	}
	if g := scim(t, s, "GET", "/Users/"+other, nil).json()["name"].(map[string]any)["givenName"]; g != "Changed" {
		t.Fatalf("the write committed before the deprovision, so it is stored; givenName = %v", g)
	}
}

// writeLosingRace sends a PATCH of another user with owner's personal key,
// holds it after its handler while owner is deprovisioned, then releases
// it; it returns the other user's id and both answers.
func writeLosingRace(t *testing.T, s *Server) (other string, held, dep resp) {
	t.Helper()
	owner := mustCreate(t, s, "owner@example.com")
	other = mustCreate(t, s, "other@example.com")
	key, _ := grantAccess(t, s, "owner@example.com")
	reached, release := holdRequests(s, key)
	heldc := make(chan resp, 1)
	go func() {
		heldc <- do(t, s, key, "PATCH", "/scim/v2/Users/"+other,
			patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": "Changed"}))
	}()
	<-reached
	depc := make(chan resp, 1)
	go func() {
		depc <- scim(t, s, "PATCH", "/Users/"+owner, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
	}()
	deadline := time.Now().Add(5 * time.Second)
	for admin(t, s, "GET", "/users/"+owner, nil).json()["status"] != "deprovisioned" {
		if time.Now().After(deadline) {
			t.Fatal("the deprovision did not commit")
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	return other, <-heldc, <-depc
}

// TestSelfDeprovisionAnswersForItsChange: a request made with a user's own
// personal key that deprovisions that user revokes the key it came with;
// the change is committed, so the answer says so (not 401, which would
// say it was not applied), and only later requests with the key answer 401.
func TestSelfDeprovisionAnswersForItsChange(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range []struct {
		name, method string
		body         any
		want         int
	}{
		{"patch", "PATCH", patchBody(map[string]any{"op": "replace", "path": "active", "value": false}), http.StatusOK},
		{"delete", "DELETE", nil, http.StatusNoContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			email := "self-" + tc.name + "@example.com"
			id := mustCreate(t, s, email)
			_, key := mintKey(t, s, "Admin", email)
			if r := do(t, s, key, tc.method, "/scim/v2/Users/"+id, tc.body); r.status != tc.want {
				t.Fatalf("%s of the key's own user: %d %s, want %d", tc.method, r.status, r.body, tc.want)
			}
			if r := scim(t, s, "GET", "/Users/"+id, nil); tc.method == "PATCH" && r.json()["active"] != false {
				t.Fatalf("the user is not inactive after its own deactivation: %s", r.body)
			}
			if r := do(t, s, key, "GET", "/scim/v2/Users/"+id, nil); r.status != http.StatusUnauthorized {
				t.Fatalf("the revoked key still works: %d %s", r.status, r.body)
			}
		})
	}
}
