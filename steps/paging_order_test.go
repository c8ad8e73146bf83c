package steps

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// reorderedLists answers GET /Users in an order of its own: it reads every
// match from h in one request, puts the matches in order (call counts the
// requests with the same filter, from 0) and cuts the page the client asked
// for out of that order. It is a vendor server whose order is not the
// reference's creation order. Requests whose paging it cannot read go to h
// as they are.
func reorderedLists(h http.Handler, order func(call int, users []json.RawMessage)) http.Handler {
	var mu sync.Mutex
	calls := map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		start, count, ok := pageParams(q.Get("startIndex"), q.Get("count"))
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/Users") || !ok {
			h.ServeHTTP(w, r)
			return
		}
		q.Set("startIndex", "1")
		q.Set("count", strconv.Itoa(reference.MaxPageSize))
		all := r.Clone(r.Context())
		all.URL.RawQuery = q.Encode()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, all)
		if rec.Code != http.StatusOK {
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		var users []json.RawMessage
		for _, u := range gjson.GetBytes(rec.Body.Bytes(), "Resources").Array() {
			users = append(users, json.RawMessage(u.Raw))
		}
		mu.Lock()
		call := calls[q.Get("filter")]
		calls[q.Get("filter")]++
		mu.Unlock()
		order(call, users)
		page := users[min(start-1, len(users)):min(start-1+count, len(users))]
		body, _ := json.Marshal(map[string]any{
			"schemas":      []string{scimwire.ListResponseSchema},
			"totalResults": len(users),
			"itemsPerPage": len(page),
			"startIndex":   start,
			"Resources":    page,
		})
		w.Header().Set("Content-Type", scimwire.MediaType)
		_, _ = w.Write(body)
	})
}

// pageParams reads startIndex and count as RFC 7644 §3.4.2.4 does (absent:
// 1 and every match; below 1: 1; negative: 0); ok is false for values
// that are not small integers.
func pageParams(startIndex, count string) (start, n int, ok bool) {
	start, n = 1, reference.MaxPageSize
	var err error
	if startIndex != "" {
		if start, err = strconv.Atoi(startIndex); err != nil || start > reference.MaxPageSize {
			return 0, 0, false
		}
	}
	if count != "" {
		if n, err = strconv.Atoi(count); err != nil {
			return 0, 0, false
		}
	}
	return max(start, 1), min(max(n, 0), reference.MaxPageSize), true
}

// runOrdered runs the @pagination scenarios of the profile against a
// reference that lists users in order's order, and returns the names of
// those that failed.
func runOrdered(t *testing.T, profile SuiteProfile, order func(call int, users []json.RawMessage)) (failed []string, ran int) {
	t.Helper()
	levels, ran := runOrderedLevels(t, profile, order)
	for name := range levels {
		failed = append(failed, name)
	}
	sort.Strings(failed)
	return failed, ran
}

// runOrderedLevels is runOrdered with the level each failed scenario
// failed at.
func runOrderedLevels(t *testing.T, profile SuiteProfile, order func(call int, users []json.RawMessage)) (failed map[string]reports.Level, ran int) {
	t.Helper()
	p := wrappedTarget(t, func(h http.Handler) http.Handler { return reorderedLists(h, order) })
	run, err := Run(context.Background(), Config{Target: p, Profile: profile, Tags: string(TagPagination)})
	if err != nil {
		t.Fatal(err)
	}
	failed = map[string]reports.Level{}
	for _, s := range run.Scenarios {
		if s.Status != reports.StatusPassed {
			failed[s.Name] = s.Level
		}
	}
	return failed, len(run.Scenarios)
}

// byUserNameDescending is a stable order that is not creation order.
func byUserNameDescending(_ int, users []json.RawMessage) {
	slices.SortFunc(users, func(a, b json.RawMessage) int {
		return strings.Compare(gjson.GetBytes(b, "userName").String(), gjson.GetBytes(a, "userName").String())
	})
}

// TestPagingAcceptsAnyStableOrder: RFC 7644 §3.4.2.4 fixes no order without
// sortBy, so a target with a stable order other than creation order passes
// every paging scenario of the okta profile, and fails in the cortex
// profile only the scenario that checks creation order (SPEC §1.3).
func TestPagingAcceptsAnyStableOrder(t *testing.T) {
	failed, ran := runOrdered(t, ProfileOkta, byUserNameDescending)
	if len(failed) != 0 || ran == 0 {
		t.Errorf("okta profile: %d scenarios ran, failed %q: want none failed", ran, failed)
	}
	failed, _ = runOrdered(t, ProfileCortex, byUserNameDescending)
	if want := []string{"Pages hold the users in creation order"}; !slices.Equal(failed, want) {
		t.Errorf("cortex profile: failed %q, want %q", failed, want)
	}
}

// TestPagingCatchesAMovingOrder: a target whose order moves from one
// request to the next (here: turned by one place per request) makes Okta's
// Import read users twice or never, and fails the scenarios that read the
// whole list twice, compare a page with the whole list, or page through in
// turn; the scenarios that compare sets still pass.
func TestPagingCatchesAMovingOrder(t *testing.T) {
	moving := func(call int, users []json.RawMessage) {
		if len(users) > 0 {
			k := call % len(users)
			copy(users, append(slices.Clone(users[k:]), users[:k]...))
		}
	}
	levels, _ := runOrderedLevels(t, ProfileCortex, moving)
	var failed []string
	for name := range levels {
		failed = append(failed, name)
	}
	t.Logf("failed under a moving order: %v", levels)
	for _, name := range []string{
		"The target lists the users in the same order every time",
		"A page in the middle holds count users from startIndex, at their place in the target's order",
		"A count larger than the rest returns only the rest",
		"The last user is on the page whose startIndex equals totalResults",
		"A startIndex below 1 is read as 1 and a negative count as 0",
		"startIndex is 1-based and pages neither overlap nor skip users",
		"Pages hold the users in creation order",
	} {
		if !slices.Contains(failed, name) {
			t.Errorf("%q passed under a moving order; failed: %q", name, failed)
		}
	}
	// RFC 7644 §3.4.2.4 promises no repeatable order, so a page that is
	// wrong only because the order moved breaks Okta's import (okta), not
	// an RFC MUST: the page checks tell the two apart by asking again.
	for _, name := range []string{
		"A page in the middle holds count users from startIndex, at their place in the target's order",
		"A count larger than the rest returns only the rest",
		"The last user is on the page whose startIndex equals totalResults",
		"A startIndex below 1 is read as 1 and a negative count as 0",
		"startIndex is 1-based and pages neither overlap nor skip users",
	} {
		if got := levels[name]; got != reports.LevelOkta {
			t.Errorf("%q failed at level %q under a moving order, want %q", name, got, reports.LevelOkta)
		}
	}
	for _, name := range []string{
		"Without startIndex the list starts at the first match and says startIndex 1",
		"count=0 returns no users, only totalResults",
		"Paging an exact userName lookup counts the one match",
	} {
		if slices.Contains(failed, name) {
			t.Errorf("%q failed under a moving order, but it compares sets", name)
		}
	}
}
