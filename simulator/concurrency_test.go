package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestDuplicateCreate replays a create twice at once, as real Okta does:
// both existence checks run before either POST, so the target sees two
// creates and answers one 201 and one 409.
func TestDuplicateCreate(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	u := org.AddUser(ana())
	results, err := org.Duplicate(bg, u.ID, OpAssign, 2)
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, r := range ft.requests() {
		methods = append(methods, r.Method)
	}
	if fmt.Sprint(methods) != "[GET GET POST POST]" {
		t.Fatalf("requests = %v, want both checks before both creates", methods)
	}
	var ok, conflict int
	for _, r := range results {
		switch {
		case r.OK:
			ok++
		case r.Status == http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != 1 {
		t.Errorf("results = %+v, want one success and one 409", results)
	}
}

// TestDuplicateDeprovision sends the same deactivation three times at once.
func TestDuplicateDeprovision(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	u := org.AddUser(ana())
	must(t, "assign")(org.Assign(bg, u.ID))
	before := len(ft.requests())
	results, err := org.Duplicate(bg, u.ID, OpUnassign, 3)
	if err != nil {
		t.Fatal(err)
	}
	reqs := ft.requests()[before:]
	if len(reqs) != 3 {
		t.Fatalf("sent %d requests, want 3 PATCHes", len(reqs))
	}
	for i, r := range reqs {
		if r.Method != http.MethodPatch || !results[i].OK {
			t.Errorf("request %d = %s, result %+v", i, r.Method, results[i])
		}
	}
	if _, err := org.Duplicate(bg, u.ID, OpImport, 2); err == nil {
		t.Error("duplicating an unsupported operation: want an error")
	}
	if _, err := org.Duplicate(bg, u.ID, OpAssign, 0); err == nil {
		t.Error("zero copies: want an error")
	}
}

// TestBulkBoundedParallelism assigns many users with Concurrency 3 and
// checks the target never saw more than 3 requests at once but did see
// overlap.
func TestBulkBoundedParallelism(t *testing.T) {
	ft := newFakeTarget(t)
	ft.delay = 20 * time.Millisecond
	org := NewOrg(Options{Clock: NewVirtualClock(testStart), Concurrency: 3})
	if err := org.ConfigureApp(testApp(ft.baseURL(), ProfileOIN)); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 12 {
		ids = append(ids, org.AddUser(Profile{Login: fmt.Sprintf("u%02d@example.com", i), FirstName: "U", LastName: fmt.Sprint(i)}).ID)
	}
	results, err := org.Bulk(bg, ids, org.Assign)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if !r.OK || r.UserID != ids[i] {
			t.Errorf("result %d = %+v", i, r)
		}
	}
	ft.mu.Lock()
	maxIn := ft.maxIn
	ft.mu.Unlock()
	if maxIn > 3 || maxIn < 2 {
		t.Errorf("max requests in flight = %d, want 2..3", maxIn)
	}
	if n := len(ft.requests()); n != 24 {
		t.Errorf("requests = %d, want 24", n)
	}
}

// TestGroupFailureIsNotRetried: Appendix B, a 400 on a group PATCH loses
// the whole push; a task is opened and only an admin retry resends it.
func TestGroupFailureIsNotRetried(t *testing.T) {
	ft := newFakeTarget(t)
	org, vc := newTestOrg(t, ft, ProfileOIN)
	a := org.AddUser(ana())
	must(t, "assign")(org.Assign(bg, a.ID))
	g, _ := org.AddGroup("Engineering", a.ID)
	ft.setOverride(answer("PATCH", "", 400, ctSCIM, scimError("400", "unknown member")))
	res, err := org.PushGroup(bg, g.ID)
	if err != nil || res.OK || res.Status != 400 {
		t.Fatalf("push group = %+v, %v", res, err)
	}
	want := "Failed to push group Engineering to app Cortex: Error while pushing members of group Engineering: Bad Request. Errors reported by remote server: unknown member"
	if res.Message != want {
		t.Errorf("message %q\nwant %q", res.Message, want)
	}
	if len(vc.Sleeps()) != 0 {
		t.Error("a 400 must not be retried")
	}
	ft.setOverride(nil)
	if r, err := org.RetryTask(bg, res.TaskID); err != nil || !r.OK {
		t.Fatalf("retry = %+v, %v", r, err)
	}
	if gr, _ := org.Group(g.ID); !gr.Pushed || gr.SCIMID == "" {
		t.Errorf("group after retry = %+v", gr)
	}
	if len(org.OpenTasks()) != 0 {
		t.Error("task should be resolved")
	}
}

// TestDuplicateEndStateDeterministic: a duplicated create gets one 201 and
// one 409; whichever answer arrives first, the success wins: the app user
// ends PROVISIONED with the created id, no task stays open. Each ordering
// is forced ten times by delaying one of the two answers.
func TestDuplicateEndStateDeterministic(t *testing.T) {
	for i := range 20 {
		conflictFirst := i%2 == 0
		t.Run(fmt.Sprintf("%d conflict first %v", i, conflictFirst), func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, ProfileOIN)
			var posts atomic.Int32
			ft.setOverride(func(w http.ResponseWriter, r *http.Request, body []byte) bool {
				if r.Method != http.MethodPost {
					return false
				}
				created := posts.Add(1) == 1
				if created == conflictFirst {
					time.Sleep(40 * time.Millisecond) // the other answer goes out first
				}
				if !created {
					scimErr(w, http.StatusConflict, "uniqueness", "User already exists")
					return true
				}
				var u map[string]any
				_ = json.Unmarshal(body, &u)
				delete(u, "password")
				ft.mu.Lock()
				ft.addUserLocked(u)
				ft.mu.Unlock()
				writeJSON(w, http.StatusCreated, u)
				return true
			})
			u := org.AddUser(ana())
			results, err := org.Duplicate(bg, u.ID, OpAssign, 2)
			if err != nil {
				t.Fatal(err)
			}
			var ok, conflict int
			for _, r := range results {
				switch {
				case r.OK:
					ok++
				case r.Status == http.StatusConflict:
					conflict++
				}
			}
			if ok != 1 || conflict != 1 {
				t.Fatalf("results = %+v, want one success and one 409", results)
			}
			app, _ := org.AppUser(u.ID)
			if app.Status != AppUserProvisioned || app.SCIMID != "u-0001" || app.LastError != "" || len(app.LastPushed) == 0 {
				t.Errorf("app user = %+v, want PROVISIONED as u-0001 with no error", app)
			}
			if open := org.OpenTasks(); len(open) != 0 {
				t.Errorf("open tasks = %+v, want none (the success resolves the conflict's task)", open)
			}
			if tasks := org.Tasks(); len(tasks) != 1 || tasks[0].Status != TaskResolved || tasks[0].MessageID != MsgHTTPError {
				t.Errorf("tasks = %+v, want the conflict's task, resolved", tasks)
			}
		})
	}
}
