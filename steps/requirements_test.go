package steps

import (
	"slices"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/features"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// controlSteps maps the steps that call a control probe to the probes they
// call (steps_access.go).
var controlSteps = []struct {
	prefix string
	probes []target.ProbeName
}{
	{"SCIM is turned off on the target", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetSCIM}},
	{"the target's IP allowlist admits only", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetAllowlist}},
	{"the target's IP allowlist admits every address", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetAllowlist}},
	{"the app's API token belongs to a custom role", []target.ProbeName{target.MintRoleKey}},
	{"the app's API token is rotated to a new key", []target.ProbeName{target.MintRoleKey}},
	{"the target's default role is a custom role", []target.ProbeName{target.MintRoleKey}},
	{"the app's API token is revoked on the target", []target.ProbeName{target.RevokeKey}},
	{"the target's default role is", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetDefaultRole}},
	{"the target keeps deprovisioned users in teams", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetKeepInTeams}},
	{"the admin created the custom role", []target.ProbeName{target.CreateRole}},
	{"creating the custom role", []target.ProbeName{target.CreateRole}},
	{"creating a role named like the built-in role", []target.ProbeName{target.CreateRole}},
	{"deleting the", []target.ProbeName{target.DeleteRole}},
	{"the target's client IP header is set to", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetClientIPHeader}},
	{"setting the target's client IP header to", []target.ProbeName{target.ReadSettings, target.RestoreSettings, target.SetClientIPHeader}},
}

func isControl(p target.ProbeName) bool {
	for _, c := range controlSteps {
		if slices.Contains(c.probes, p) {
			return true
		}
	}
	return false
}

// TestControlProbeRequirementsMatchTheSteps: for every scenario, the
// control probes its tags require are exactly those its steps call — not
// fewer (it would fail instead of being skipped) and not more (it would be
// skipped on a target that could run it).
func TestControlProbeRequirementsMatchTheSteps(t *testing.T) {
	feats, err := (godog.TestSuite{Options: &godog.Options{FS: features.FS(), Paths: []string{"."}}}).RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feats {
		for _, p := range f.Pickles {
			var used []target.ProbeName
			for _, st := range p.Steps {
				for _, c := range controlSteps {
					if strings.HasPrefix(st.Text, c.prefix) {
						used = append(used, c.probes...)
					}
				}
			}
			tags := make([]string, len(p.Tags))
			for i, tg := range p.Tags {
				tags[i] = tg.Name
			}
			var required []target.ProbeName
			for _, r := range requiredProbes(tags) {
				if isControl(r) {
					required = append(required, r)
				}
			}
			slices.Sort(used)
			used = slices.Compact(used)
			slices.Sort(required)
			if !slices.Equal(used, required) {
				t.Errorf("%s: %q: tags %v require control probes %v, its steps call %v", f.Uri, p.Name, tags, required, used)
			}
		}
	}
}

// TestUnmetNamesOnlyTheProbesAScenarioCalls: the "SCIM turned off"
// scenario runs on a target with only the settings and setSCIM probes, and
// the default-role scenario does not need setKeepInTeams.
func TestUnmetNamesOnlyTheProbesAScenarioCalls(t *testing.T) {
	all := target.Default().EffectiveProbes()
	only := func(names ...target.ProbeName) target.Probes {
		out := target.Probes{}
		for _, n := range names {
			out[n] = all[n]
		}
		return out
	}
	tests := []struct {
		name   string
		tags   []string
		probes target.Probes
		want   reports.Status
	}{
		{"SCIM toggle without allowlist or role keys", []string{"@cortex", "@forbidden", "@scimtoggle"},
			only(target.ReadSettings, target.RestoreSettings, target.SetSCIM), ""},
		{"default role without keep-in-teams", []string{"@cortex", "@settings", "@defaultrole"},
			only(target.ReadSettings, target.RestoreSettings, target.SetDefaultRole), ""},
		{"allowlist without its probe", []string{"@cortex", "@forbidden", "@allowlist"},
			only(target.ReadSettings, target.RestoreSettings, target.SetSCIM), reports.StatusSkipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &suiteState{probes: tt.probes, caps: target.Capabilities{Supported: map[target.Capability]bool{}}}
			status, reason := s.unmet(tt.tags, true)
			if status != tt.want {
				t.Fatalf("unmet = %q (%s), want %q", status, reason, tt.want)
			}
		})
	}
}
