package doctor

import (
	"regexp"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/simulator"
)

// The three causes of "Forbidden from remote server" (SPEC §1.1, §1.2 and
// the Cortex article's Prerequisites and FAQ), recognised from the target's
// error detail. Patterns are deliberately loose: any vendor may word them.
var (
	ipPattern = regexp.MustCompile(`(?i)\bIP\b|allow ?list|whitelist|ip address|source address|not allowed from|\b\d{1,3}(\.\d{1,3}){3}\b`)
	// "SCIM … disabled / not enabled / off / not configured", or the reverse order.
	scimOffPattern = regexp.MustCompile(`(?i)scim[^.;]{0,40}\b(disabled|not enabled|not configured|turned off|is off)\b|(enable|turn on|configure)[^.;]{0,20}\bscim\b|provisioning[^.;]{0,30}\b(disabled|not enabled|not configured)\b`)
	permPattern    = regexp.MustCompile(`(?i)permission|\brole\b|privilege|scope|CONFIGURE_OIDC_AND_SCIM|EDIT_ROLES|MANAGE_IDENTITY_MAPPINGS|insufficient`)
)

// scimPermissions are the three permissions, with the names the article uses.
var scimPermissions = []struct{ id, label string }{
	{scimwire.PermConfigureOIDCAndSCIM, "Configure Open ID Connector & SCIM"},
	{scimwire.PermEditRoles, "Edit Roles"},
	{scimwire.PermManageIdentityMappings, "Manage Identity Mappings"},
}

// forbidden names the cause the 403's detail points to, or — when the
// target does not say — lists all three with how to check each.
func forbidden(e simulator.Exchange) []Finding {
	r := e.Response
	detail := detailOf(r)
	evidence := statusLine(r) + ": " + orNone(detail)
	switch {
	case ipPattern.MatchString(detail):
		return []Finding{ipFinding(evidence, true)}
	case scimOffPattern.MatchString(detail):
		return []Finding{scimOffFinding(evidence, true)}
	case permPattern.MatchString(detail):
		return []Finding{permissionsFinding(evidence, missingNamed(detail), true)}
	}
	return []Finding{
		{Code: CodeForbiddenUnknown, Severity: SeverityError,
			Title:    `"Forbidden from remote server": the target did not say why`,
			Evidence: evidence,
			Why:      "The key was accepted (otherwise the answer would be 401) but refused. There are three known causes; check each below."},
		scimOffFinding("", false),
		permissionsFinding("", nil, false),
		ipFinding("", false),
	}
}

func scimOffFinding(evidence string, named bool) Finding {
	f := Finding{Code: CodeSCIMDisabled, Severity: SeverityError,
		Title:    "SCIM is not enabled on the target",
		Evidence: evidence,
		Why:      `The Cortex article's FAQ: "Forbidden from remote server" appears when user provisioning (SCIM) was not configured on the app's side before testing in Okta.`,
		Fix: []string{
			"In the target's settings, turn SCIM / user provisioning on (reference server: PATCH /api/v1/settings {\"scimEnabled\": true}).",
			"Then click Test API Credentials in Okta again.",
		}}
	if !named {
		f.Severity = SeverityInfo
		f.Title = "candidate 1: SCIM is not enabled on the target"
		f.Fix = append([]string{"Check: open the target's SCIM settings (reference server: GET /api/v1/settings, field scimEnabled)."}, f.Fix...)
	}
	return f
}

func permissionsFinding(evidence string, missing []string, named bool) Finding {
	f := Finding{Code: CodeMissingPermissions, Severity: SeverityError,
		Title:    "the API key's role lacks a permission SCIM needs",
		Evidence: evidence,
		Why:      "SCIM requests need a key whose role is Admin or a custom role holding all of: Configure Open ID Connector & SCIM, Edit Roles, Manage Identity Mappings (Cortex article, Prerequisites).",
		Fix: []string{
			"Give the key's role the missing permissions, or create a new API key with the Admin role (the key is shown once: copy it).",
			"Paste the key into Okta's API token field and test again.",
		}}
	if len(missing) > 0 {
		f.Title = "the API key's role lacks " + strings.Join(missing, ", ")
	}
	if !named {
		f.Severity = SeverityInfo
		f.Title = "candidate 2: the API key's role lacks Configure Open ID Connector & SCIM, Edit Roles or Manage Identity Mappings"
		f.Fix = append([]string{"Check: find the key in the target's API keys list, note its role, and compare the role's permissions with the three above (reference server: GET /api/v1/api-keys and GET /api/v1/roles)."}, f.Fix...)
	}
	return f
}

func ipFinding(evidence string, named bool) Finding {
	f := Finding{Code: CodeIPNotAllowed, Severity: SeverityError,
		Title:    "Okta's IP address is outside the target's IP allowlist",
		Evidence: evidence,
		Why:      "When the target restricts access by IP, Okta's egress IP addresses must be on the allowlist (Cortex article, Prerequisites: an empty list allows any IP).",
		Fix: []string{
			"Add Okta's egress IP ranges for your Okta cell (Okta publishes them) to the allowlist, as single IPs or CIDR ranges.",
			"If the target sits behind a proxy or load balancer, make sure it reads the client IP from the right header (X-Forwarded-For), not the proxy's own address.",
		}}
	if !named {
		f.Severity = SeverityInfo
		f.Title = "candidate 3: Okta's IP address is outside the target's IP allowlist"
		f.Fix = append([]string{"Check: open the target's IP allowlist (reference server: GET /api/v1/settings, field ipAllowlist); if it is not empty, Okta's egress ranges must be on it."}, f.Fix...)
	}
	return f
}

// missingNamed returns the permissions a detail names, in the article's words.
func missingNamed(detail string) []string {
	low := strings.ToLower(detail)
	var out []string
	for _, p := range scimPermissions {
		if strings.Contains(low, strings.ToLower(p.id)) || strings.Contains(low, strings.ToLower(p.label)) {
			out = append(out, p.label)
		}
	}
	return out
}
