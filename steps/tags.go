package steps

import (
	"fmt"
	"sort"
	"strings"
)

// Tag is a Gherkin tag used in the feature files, with its leading "@".
// Every tag a feature file uses is one of these constants (tags_test.go
// checks it), so tag expressions are built from typed values, never typed by
// hand.
type Tag string

// Profile tags: which product semantics a scenario checks.
const (
	// TagOkta marks what any Okta-compatible SCIM app must pass.
	TagOkta Tag = "@okta"
	// TagCortex marks the Cortex article's stricter semantics (immutable
	// email, PUT-only reactivation, revocation on deprovision…).
	TagCortex Tag = "@cortex"
	// TagEntra marks scenarios driven by the simulated Microsoft Entra ID
	// provisioning service instead of Okta (issue 10). Only the entra
	// profile selects them; an @entra @cortex scenario states what a
	// target with the Cortex semantics does with Entra's requests.
	TagEntra Tag = "@entra"
	// TagRFC marks an RFC 7643/7644 rule that Okta never exercises (PATCH
	// forms it does not send, If-Match, the filter grammar beyond
	// userName eq), checked as the RFCs state it for any SCIM server: a
	// should-level one (an unchanged resource keeps its version) is
	// advice, and in the rfc profile a server may decline a filter it does
	// not support (RFC 7644 Table 9; declinedFilter). Such scenarios are
	// also @cortex, so the okta profile leaves them out; the rfc profile
	// adds them to it.
	TagRFC Tag = "@rfc"
)

// Capability tags: a scenario carrying one runs only when the target has the
// capability; otherwise it is reported not supported, with the reason.
const (
	TagPatch        Tag = "@patch"        // PATCH (ServiceProviderConfig patch.supported)
	TagFilter       Tag = "@filter"       // filters (ServiceProviderConfig filter.supported)
	TagETag         Tag = "@etag"         // ETag and If-Match (ServiceProviderConfig etag.supported)
	TagGroups       Tag = "@groups"       // /Groups (a Group resource type)
	TagGroupWrites  Tag = "@group-writes" // a target that keeps the groups Okta and Entra push
	TagPagination   Tag = "@pagination"   // startIndex/count paging
	TagDiscovery    Tag = "@discovery"    // /ServiceProviderConfig, /Schemas, /ResourceTypes
	TagImport       Tag = "@import"       // Okta's Import (To Okta)
	TagForceSync    Tag = "@forcesync"    // Okta's Force sync (To App)
	TagReactivation Tag = "@reactivation" // reassigning reactivates
	TagDeactivation Tag = "@deactivation" // unassigning deactivates
	TagAuth         Tag = "@auth"         // 401 for missing or unknown credentials
	TagLimits       Tag = "@limits"       // checks the limits the target profile declares
)

// Probe tags: a scenario carrying one needs the target's admin API (probes,
// SPEC §3.3); without the probe it is skipped, with the reason.
const (
	TagRevocation   Tag = "@revocation"   // deprovisioning revokes access (umbrella)
	TagForbidden    Tag = "@forbidden"    // settings, custom roles and API keys that cause 403
	TagRoles        Tag = "@roles"        // give and read roles
	TagTeams        Tag = "@teams"        // add to and read teams
	TagAPIKeys      Tag = "@apikeys"      // mint personal API keys and check them
	TagSessions     Tag = "@sessions"     // open sessions and check them
	TagOwnership    Tag = "@ownership"    // entity ownership by email
	TagSettings     Tag = "@settings"     // change target settings (default role, keep in teams)
	TagUsersTab     Tag = "@userstab"     // read the Users tab (active users, key and session counts)
	TagRolePerms    Tag = "@roleperms"    // read a role's permissions
	TagSettingsView Tag = "@settingsview" // read the settings back
	TagRoleRevoke   Tag = "@rolerevoke"   // take a role away by hand
	TagTeamRemove   Tag = "@teamremove"   // remove a team member by hand
	TagInFlight     Tag = "@inflight"     // a request of the user's still in flight when it is deprovisioned
	TagOwnKey       Tag = "@ownkey"       // Okta's token is a personal key of the user it deprovisions

	// The control tags say exactly which control probes a scenario calls,
	// so a target missing one skips only the scenarios that need it.
	TagSCIMToggle  Tag = "@scimtoggle"  // turns SCIM off (setSCIM)
	TagAllowlist   Tag = "@allowlist"   // sets the IP allowlist (setAllowlist)
	TagRoleKeys    Tag = "@rolekeys"    // mints a key with a custom role (mintRoleKey)
	TagDefaultRole Tag = "@defaultrole" // changes the default role (setDefaultRole)
	TagKeepInTeams Tag = "@keepinteams" // keeps deprovisioned users in teams (setKeepInTeams)
	TagKeyRevoke   Tag = "@keyrevoke"   // revokes an API key (keyId, revokeKey)
	TagRoleCreate  Tag = "@rolecreate"  // creates custom roles and reads them (createRole, rolePermissions)
	TagRoleDelete  Tag = "@roledelete"  // deletes roles (deleteRole, rolePermissions)
	TagIPHeader    Tag = "@ipheader"    // sets the client IP header alone (setClientIPHeader, settingsView)
)

// Scheduling tags.
const (
	// TagSerial marks scenarios that change target-wide settings, or that
	// read every user (an import: a server may list newest first, and
	// users other scenarios create would shift its pages, which RFC 7644
	// §3.4.2.4 allows). Against a shared target (a URL or a container)
	// they run one at a time after the others, and the settings they
	// change are restored afterwards. The
	// in-process default gives every scenario its own server, so there they
	// run concurrently like the rest.
	TagSerial Tag = "@serial"
)

// knownTags lists every Tag with what it means, for validation and docs.
var knownTags = map[Tag]string{
	TagOkta:         "what any Okta-compatible SCIM app must pass",
	TagCortex:       "the Cortex article's stricter semantics",
	TagEntra:        "driven by the simulated Microsoft Entra ID provisioning service",
	TagRFC:          "an RFC 7643/7644 rule beyond what Okta sends, for any SCIM server (the rfc profile)",
	TagPatch:        "needs PATCH",
	TagFilter:       "needs filtering",
	TagETag:         "needs ETag and If-Match",
	TagGroups:       "needs /Groups",
	TagGroupWrites:  "needs a target that keeps groups (Okta Group Push, Entra group provisioning)",
	TagPagination:   "needs startIndex/count paging",
	TagDiscovery:    "needs the discovery endpoints",
	TagImport:       "Okta's Import",
	TagForceSync:    "Okta's Force sync",
	TagReactivation: "reassigning reactivates",
	TagDeactivation: "unassigning deactivates",
	TagAuth:         "401 for missing or unknown credentials",
	TagLimits:       "checks the filter limits the target profile declares (skipped without them)",
	TagRevocation:   "deprovisioning revokes access (needs probes)",
	TagForbidden:    "the causes of Forbidden from remote server (umbrella)",
	TagRoles:        "roles (needs the role probes)",
	TagTeams:        "teams (needs the team probes)",
	TagAPIKeys:      "personal API keys (needs the API key probes)",
	TagSessions:     "sessions (needs the session probes)",
	TagOwnership:    "entity ownership by email (needs the ownership probes)",
	TagSettings:     "changes target settings such as the default role (umbrella)",
	TagUsersTab:     "the Users tab: active users, key and session counts (needs activeUsers, readKeyCount, readSessionCount)",
	TagRolePerms:    "reads a role's permissions (needs rolePermissions)",
	TagSettingsView: "reads the settings back (needs settingsView)",
	TagRoleRevoke:   "takes a role away by hand (needs revokeRole)",
	TagTeamRemove:   "removes a team member by hand (needs removeTeamMember)",
	TagInFlight:     "a SCIM request made with the user's own key is still being sent when the user is deprovisioned (needs mintSCIMKey, keyValid)",
	TagOwnKey:       "Okta's API token is a personal key of a user Okta deprovisions (needs mintSCIMKey, keyValid)",
	TagSCIMToggle:   "turns SCIM off (needs readSettings, restoreSettings, setSCIM)",
	TagAllowlist:    "sets the IP allowlist (needs readSettings, restoreSettings, setAllowlist)",
	TagRoleKeys:     "mints a key with a custom role (needs mintRoleKey)",
	TagDefaultRole:  "changes the default role (needs readSettings, restoreSettings, setDefaultRole)",
	TagKeepInTeams:  "keeps deprovisioned users in teams (needs readSettings, restoreSettings, setKeepInTeams)",
	TagKeyRevoke:    "revokes an API key (needs keyId, revokeKey)",
	TagRoleCreate:   "creates custom roles and reads them back (needs createRole, rolePermissions)",
	TagRoleDelete:   "deletes roles and reads what is left (needs deleteRole, rolePermissions)",
	TagIPHeader:     "sets the client IP header alone (needs readSettings, restoreSettings, setClientIPHeader, settingsView)",
	TagSerial:       "changes target-wide settings, or reads every user: serial on shared targets",
}

// KnownTags returns every tag constant, sorted.
func KnownTags() []Tag {
	out := make([]Tag, 0, len(knownTags))
	for t := range knownTags {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Describe says what a tag means, or "" for an unknown tag.
func (t Tag) Describe() string { return knownTags[t] }

// ParseTag turns "patch" or "@patch" into a known Tag.
func ParseTag(s string) (Tag, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("parse tag: empty tag")
	}
	t := Tag("@" + strings.TrimPrefix(s, "@"))
	if _, ok := knownTags[t]; !ok {
		return "", fmt.Errorf("parse tag: unknown tag %q (known: %s)", s, joinTags(KnownTags()))
	}
	return t, nil
}

func joinTags(ts []Tag) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = string(t)
	}
	return strings.Join(parts, " ")
}

// SuiteProfile is a named set of scenarios to run: the okta profile is what
// any Okta-compatible app must pass; the rfc profile adds the RFC rules Okta
// never exercises; the cortex profile adds the Cortex article's stricter
// semantics; the entra and entra-cortex profiles are the same pair for the
// scenarios driven by the simulated Entra ID instead of Okta.
type SuiteProfile string

// The suite profiles.
const (
	ProfileOkta        SuiteProfile = "okta"
	ProfileRFC         SuiteProfile = "rfc"
	ProfileCortex      SuiteProfile = "cortex"
	ProfileEntra       SuiteProfile = "entra"
	ProfileEntraCortex SuiteProfile = "entra-cortex"
)

// Entra reports whether the profile runs the Entra-driven scenarios.
func (p SuiteProfile) Entra() bool { return p == ProfileEntra || p == ProfileEntraCortex }

// ParseSuiteProfile turns a --profile value into a SuiteProfile; "" means
// cortex, the full suite.
func ParseSuiteProfile(s string) (SuiteProfile, error) {
	switch SuiteProfile(strings.ToLower(strings.TrimSpace(s))) {
	case "", ProfileCortex:
		return ProfileCortex, nil
	case ProfileOkta:
		return ProfileOkta, nil
	case ProfileRFC:
		return ProfileRFC, nil
	case ProfileEntra:
		return ProfileEntra, nil
	case ProfileEntraCortex:
		return ProfileEntraCortex, nil
	}
	return "", fmt.Errorf("parse profile: unknown profile %q (want %q, %q, %q, %q or %q)", s, ProfileOkta, ProfileRFC, ProfileCortex, ProfileEntra, ProfileEntraCortex)
}

// Expr is the tag expression selecting the profile's scenarios. Feature
// files tag whole features @okta and single scenarios @cortex, so a @cortex
// scenario inside an @okta feature carries both tags: the okta profile is
// therefore "@okta and not @cortex", the cortex profile everything tagged
// either way (Cortex must pass both). The rfc profile is the okta profile
// and the @rfc scenarios, which are @cortex too. None selects @entra scenarios:
// the entra profile runs those not tagged @cortex (any Entra-compatible
// app must pass them), entra-cortex all of them. The Cortex profiles leave
// out @group-writes: Cortex keeps no groups (SPEC §1), so the groups Okta
// and Entra push are no part of its contract.
func (p SuiteProfile) Expr() Expr {
	notEntra := Lit{Tag: TagEntra, Not: true}
	noGroupWrites := Lit{Tag: TagGroupWrites, Not: true}
	switch p {
	case ProfileOkta:
		return Expr{Term{{Tag: TagOkta}, {Tag: TagCortex, Not: true}, notEntra}}
	case ProfileRFC:
		return Expr{Term{{Tag: TagOkta}, {Tag: TagCortex, Not: true}, notEntra}, Term{{Tag: TagRFC}, notEntra}}
	case ProfileEntra:
		return Expr{Term{{Tag: TagEntra}, {Tag: TagCortex, Not: true}}}
	case ProfileEntraCortex:
		return Expr{Term{{Tag: TagEntra}, noGroupWrites}}
	}
	return Expr{Term{{Tag: TagOkta}, notEntra, noGroupWrites}, Term{{Tag: TagCortex}, notEntra, noGroupWrites}}
}
