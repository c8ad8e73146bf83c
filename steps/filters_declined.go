package steps

import (
	"fmt"
	"net/http"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/reports"
)

// RFC 7644 Table 9 lets a server decline a filter whose "attribute and
// filter comparison combination is not supported" with 400 invalidFilter.
// The Cortex semantics name the attributes a Cortex target filters on
// (SPEC §1.3), so the cortex profile expects every filter of its tables
// answered. The rfc profile holds any SCIM server to the RFC alone: in its
// @rfc scenarios a declined filter is no failure, but it checks nothing,
// and a scenario whose every filter was declined is skipped with the
// reason rather than counted as passed. A filter answered wrongly fails
// in every profile.

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

// skipIfEveryFilterDeclined ends the scenario as skipped when the target
// declined every filter it was asked so far, since nothing was checked.
func (w *World) skipIfEveryFilterDeclined() error {
	if w.filterAsks == 0 || w.filterDeclines < w.filterAsks {
		return nil
	}
	return w.skip(reports.StatusSkipped, fmt.Sprintf("the target declined every filter of this scenario (%d) with 400 invalidFilter, as RFC 7644 Table 9 lets it for an attribute and comparison it does not support, so nothing was left to check", w.filterAsks))
}
