package steps

import (
	"fmt"
	"net/http"

	"github.com/tidwall/gjson"
)

// RFC 7644 Table 9 lets a server decline a filter whose "attribute and
// filter comparison combination is not supported" with 400 invalidFilter.
// The Cortex semantics name the attributes a Cortex target filters on
// (SPEC §1.3), so the cortex profile expects every filter of its tables
// answered. The rfc profile holds any SCIM server to the RFC alone: in its
// @rfc scenarios a declined filter is no failure, but it checks nothing,
// and a scenario in which nothing else was checked is skipped with the
// reason rather than counted as passed (finish, everyFilterDeclined). A
// filter answered wrongly fails in every profile.

// declinedFilter reports whether the last answer declined the filter just
// sent where that is allowed, and counts the filter and the refusal. A 400
// that is not a SCIM invalidFilter error is no refusal: the caller's check
// of the answer then fails on it.
func (w *World) declinedFilter() bool {
	if !w.filtersDeclinable {
		return false
	}
	w.filterAsks++
	body := w.lastBody()
	if w.lastStatus() != http.StatusBadRequest || gjson.Get(body, "scimType").String() != "invalidFilter" {
		return false
	}
	w.filterDeclines++
	return true
}

// everyFilterDeclined is the reason a scenario that otherwise passed is
// skipped instead: the target declined every filter it was asked to
// answer, and no other filter answer was checked, so nothing was. It is ""
// when something was checked. The decision waits for the end of the
// scenario, so a declined table never keeps a later check from running.
func (w *World) everyFilterDeclined() string {
	if w.filterDeclines == 0 || w.filterDeclines < w.filterAsks || w.filterChecks > 0 {
		return ""
	}
	return fmt.Sprintf("the target declined every filter of this scenario (%d) with 400 invalidFilter, as RFC 7644 Table 9 lets it for an attribute and comparison it does not support, so nothing was left to check", w.filterAsks)
}
