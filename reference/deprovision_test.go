package reference

import (
	"net/http"
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

// TestDeprovisionRacesSessions: many requests with the user's session and
// personal key run while the user is deprovisioned. None that starts after
// the deprovision returned may succeed, and none may succeed after it has
// been answered: the drain makes the deprovision wait for them.
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
					startedAfter := done.Load()
					r := do(t, s, tok, "GET", path, nil)
					requests.Add(1)
					if r.status == 200 {
						if startedAfter {
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
			t.Fatalf("round %d: %d requests started after the deprovision returned and succeeded", round, lateOK.Load())
		}
		if earlyOK.Load() == 0 {
			t.Logf("round %d: no request succeeded before the deprovision (%d requests)", round, requests.Load())
		}
	}
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
		f.wait(t.Context(), "u1", 0)
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
	case <-time.After(time.Second):
		t.Fatal("wait did not return after the request left")
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
