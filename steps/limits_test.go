package steps

import (
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// TestDeclaredLimitsAreCheckedExactly: the depth scenario is skipped with
// the reason when the profile declares no limit, passes with the reference
// server's own limit, and fails with a limit the server does not have.
func TestDeclaredLimitsAreCheckedExactly(t *testing.T) {
	const name = "Nesting is accepted up to the declared depth and refused one level deeper; siblings do not add up"
	identity := func(_, _ string, body []byte) []byte { return body }
	for _, tc := range []struct {
		limits target.Limits
		want   reports.Status
	}{
		{target.Limits{}, reports.StatusSkipped},
		{target.ReferenceLimits, reports.StatusPassed},
		{target.Limits{FilterDepth: target.ReferenceLimits.FilterDepth - 1}, reports.StatusFailed},
	} {
		p := tamperedTarget(t, identity)
		p.Limits = tc.limits
		s := runNamed(t, p, name)
		if s.Status != tc.want {
			t.Errorf("limits %+v: %s, want %s (%+v)", tc.limits, s.Status, tc.want, s.Failure)
		}
		if tc.want == reports.StatusSkipped && (!strings.Contains(s.SkipReason, "declares no limits.filterDepth") || !strings.Contains(s.SkipReason, "--tags '~@limits'")) {
			t.Errorf("skip reason %q does not name the missing limit and how to declare or leave it out", s.SkipReason)
		}
	}
}
