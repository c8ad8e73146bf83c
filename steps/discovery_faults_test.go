package steps

import (
	"context"
	"testing"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// TestBrokenDiscoveryFailsTheDiscoveryScenarios: the embedded reference
// declares its capabilities, so a reference whose discovery is missing or
// lies fails the scenarios named for discovery instead of reporting them
// not supported (which would prove nothing).
func TestBrokenDiscoveryFailsTheDiscoveryScenarios(t *testing.T) {
	for fault, name := range map[string]string{
		"discovery-missing": "Discovery endpoint /ServiceProviderConfig answers with its schema",
		"spc-misreports":    "ServiceProviderConfig tells the truth about PATCH, filter, ETag and bulk",
	} {
		t.Run(fault, func(t *testing.T) {
			p := target.Default()
			p.InProcess = &target.InProcessSpec{Faults: []string{fault}}
			run, err := Run(context.Background(), Config{Target: p, Tags: string(TagDiscovery)})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range run.Scenarios {
				if s.Status == reports.StatusNotSupported {
					t.Errorf("%s: not supported (%s)", s.Name, s.SkipReason)
				}
				if s.Name == name && s.Status != reports.StatusFailed {
					t.Errorf("%s: %s, want failed", s.Name, s.Status)
				}
			}
		})
	}
}
