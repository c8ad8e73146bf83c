package simulator

import (
	"fmt"
	"net/http"
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
