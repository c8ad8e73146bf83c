package steps

import (
	"fmt"
	"strings"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// tagCapability maps capability tags to what the target must support.
var tagCapability = map[Tag]target.Capability{
	TagPatch:        target.CapPatch,
	TagFilter:       target.CapFilter,
	TagETag:         target.CapETag,
	TagGroups:       target.CapGroups,
	TagGroupWrites:  target.CapGroupWrites,
	TagPagination:   target.CapPagination,
	TagDiscovery:    target.CapDiscovery,
	TagImport:       target.CapImport,
	TagForceSync:    target.CapForceSync,
	TagReactivation: target.CapReactivation,
	TagDeactivation: target.CapDeactivation,
	TagAuth:         target.CapAuth,
}

// tagProbes maps probe tags to the probes their scenarios call.
var tagProbes = map[Tag][]target.ProbeName{
	TagRoles:        {target.GrantRole, target.ReadRoles},
	TagTeams:        {target.GrantTeam, target.ReadTeams, target.TeamMembers},
	TagAPIKeys:      {target.MintAPIKey, target.KeyValid},
	TagSessions:     {target.OpenSession, target.SessionValid},
	TagOwnership:    {target.OwnEntity, target.EntityOwners},
	TagUsersTab:     {target.ActiveUsers, target.ReadKeyCount, target.ReadSessionCount},
	TagRolePerms:    {target.RolePermissions},
	TagSettingsView: {target.SettingsView},
	TagRoleRevoke:   {target.RevokeRole},
	TagTeamRemove:   {target.RemoveTeamMember},
	TagInFlight:     {target.MintSCIMKey, target.KeyValid},
	TagOwnKey:       {target.MintSCIMKey, target.KeyValid},
	// @forbidden and @settings are umbrellas: the finer control tags say
	// which probe a scenario really calls (requirements_test.go checks
	// them against the steps each scenario uses).
	TagSCIMToggle:  {target.ReadSettings, target.RestoreSettings, target.SetSCIM},
	TagAllowlist:   {target.ReadSettings, target.RestoreSettings, target.SetAllowlist},
	TagRoleKeys:    {target.MintRoleKey},
	TagDefaultRole: {target.ReadSettings, target.RestoreSettings, target.SetDefaultRole},
	TagKeepInTeams: {target.ReadSettings, target.RestoreSettings, target.SetKeepInTeams},
	TagKeyRevoke:   {target.KeyID, target.RevokeKey},
	TagRoleCreate:  {target.CreateRole, target.RolePermissions},
	TagRoleDelete:  {target.DeleteRole, target.RolePermissions},
	TagIPHeader:    {target.ReadSettings, target.RestoreSettings, target.SetClientIPHeader, target.SettingsView},
}

// requiredProbes lists, deduplicated in tag order, the probes scenarios
// with these tags call.
func requiredProbes(tags []string) []target.ProbeName {
	seen := map[target.ProbeName]bool{}
	var out []target.ProbeName
	for _, raw := range tags {
		for _, p := range tagProbes[Tag(raw)] {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// unmet says why a scenario with these tags cannot run on the target: a
// missing capability (not supported) or a missing probe (skipped). The
// empty status means it can run.
func (s *suiteState) unmet(tags []string, hasAdmin bool) (reports.Status, string) {
	for _, raw := range tags {
		if c, ok := tagCapability[Tag(raw)]; ok && !s.caps.Has(c) {
			return reports.StatusNotSupported, s.caps.Reason(c)
		}
	}
	var missing []string
	for _, p := range requiredProbes(tags) {
		if _, ok := s.probes[p]; !ok || !hasAdmin {
			missing = append(missing, string(p))
		}
	}
	if len(missing) > 0 {
		if !hasAdmin {
			return reports.StatusSkipped, fmt.Sprintf("the target profile has no admin API for probes, see README.md \"Writing a target profile\" (needs %s)", strings.Join(dedupe(missing), ", "))
		}
		return reports.StatusSkipped, fmt.Sprintf("the target profile does not configure every probe its scenarios need (missing %s)", strings.Join(dedupe(missing), ", "))
	}
	return "", ""
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
