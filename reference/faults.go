package reference

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Fault switch names. Each one turns on a single bug that real
// SCIM servers have, at the place in the code where that bug would live, so
// the selftest can prove the suite catches it.
const (
	FaultEmailMutable             = "email-mutable"
	FaultPatchReactivation        = "patch-reactivation"
	FaultDuplicateCreate          = "duplicate-create"
	FaultCaseSensitiveUserName    = "case-sensitive-username"
	FaultZeroBasedStartIndex      = "zero-based-start-index"
	FaultStringCounts             = "string-counts"
	FaultItemsPerPageRequested    = "items-per-page-requested"
	FaultHTMLErrors               = "html-errors"
	FaultPlainTextErrors          = "plain-text-errors"
	FaultNoPathlessPatch          = "no-pathless-patch"
	FaultDeprovisionKeepsSessions = "deprovision-keeps-sessions"
	FaultDeprovisionKeepsAPIKeys  = "deprovision-keeps-api-keys"
	FaultDeprovisionKeepsRoles    = "deprovision-keeps-roles"
	FaultDeprovisionKeepsTeams    = "deprovision-keeps-teams"
	FaultCredentialCheckedOnce    = "credential-checked-once"
	FaultEmptyCreateBody          = "empty-create-body"
	FaultLowercaseUserName        = "lowercase-username"
	FaultNoAuth                   = "no-auth"
	FaultDeactivationIgnored      = "deactivation-ignored"
	FaultNameChangeIgnored        = "name-change-ignored"
	FaultNonSCIMErrorSchema       = "non-scim-error-schema"
	FaultReactivationNewID        = "reactivation-new-id"
	FaultPutRejectsReadOnly       = "put-rejects-readonly"
	FaultETagIgnored              = "etag-ignored"
	FaultSCIMToggleIgnored        = "scim-toggle-ignored"
	FaultPermissionsUnchecked     = "permissions-unchecked"
	FaultAllowlistIgnored         = "allowlist-ignored"
	FaultSPCMisreports            = "spc-misreports"
	FaultDiscoveryMissing         = "discovery-missing"
	FaultJSONContentTypeRejected  = "json-content-type-rejected"
	FaultOptionalSCIMTypeOmitted  = "optional-scimtype-omitted"
	FaultErrorsAsPlainJSON        = "errors-as-plain-json"
)

// Fault describes one fault switch.
type Fault struct {
	Name        string
	Description string
}

var faultDescriptions = map[string]string{
	FaultEmailMutable:             "userName/email changes through PUT or PATCH are accepted instead of 400 mutability",
	FaultPatchReactivation:        "PATCH active:true reactivates an inactive user instead of 400 mutability",
	FaultDuplicateCreate:          "POST with an existing userName creates a second user (201) instead of 409 uniqueness",
	FaultCaseSensitiveUserName:    "userName uniqueness and filters compare case-sensitively",
	FaultZeroBasedStartIndex:      "startIndex is treated as 0-based, so startIndex=1 skips the first user",
	FaultStringCounts:             "ListResponse totalResults, itemsPerPage and startIndex are JSON strings",
	FaultItemsPerPageRequested:    "itemsPerPage echoes the requested count instead of the number returned",
	FaultHTMLErrors:               "SCIM errors are text/html pages",
	FaultPlainTextErrors:          "SCIM errors are text/plain",
	FaultNoPathlessPatch:          "PATCH operations without a path are refused with 400",
	FaultDeprovisionKeepsSessions: "deprovisioning leaves the user's sessions valid",
	FaultDeprovisionKeepsAPIKeys:  "deprovisioning leaves the user's personal API keys valid",
	FaultDeprovisionKeepsRoles:    "deprovisioning leaves the user's roles in place",
	FaultDeprovisionKeepsTeams:    "deprovisioning leaves the user's team memberships in place",
	FaultCredentialCheckedOnce:    "the API key is checked only when a request arrives: a request already past that check still writes and succeeds after a deprovision revoked its key",
	FaultEmptyCreateBody:          "POST /Users answers 201 with an empty body",
	FaultLowercaseUserName:        "userName is returned lower-cased instead of as sent",
	FaultNoAuth:                   "SCIM requests are served without checking the API key",
	FaultDeactivationIgnored:      "active:false answers 200 but the user stays active",
	FaultNameChangeIgnored:        "name changes answer 200 but are not stored",
	FaultNonSCIMErrorSchema:       "SCIM errors are JSON without the SCIM Error schema",
	FaultReactivationNewID:        "PUT reactivation gives the user a new id",
	FaultPutRejectsReadOnly:       "PUT bodies that echo read-only attributes (id, meta, ...) are refused with 400",
	FaultETagIgnored:              "If-Match is not checked",
	FaultSCIMToggleIgnored:        "SCIM is served while the SCIM setting is off",
	FaultPermissionsUnchecked:     "the API key's role permissions are not checked on SCIM requests",
	FaultAllowlistIgnored:         "the IP allowlist is not enforced on SCIM requests (the admin API still enforces it)",
	FaultSPCMisreports:            "/ServiceProviderConfig claims bulk, changePassword and sort are supported and PATCH is not",
	FaultDiscoveryMissing:         "/ServiceProviderConfig, /Schemas and /ResourceTypes answer 404",
	FaultJSONContentTypeRejected:  "SCIM requests with Content-Type: application/json are refused with 415; only application/scim+json is accepted (the admin API is unaffected)",
	FaultOptionalSCIMTypeOmitted:  "SCIM errors leave out scimType where RFC 7644 §3.12 makes it optional (invalidSyntax, invalidFilter); uniqueness and mutability keep theirs",
	FaultErrorsAsPlainJSON:        "SCIM error bodies are right but served as Content-Type: application/json instead of application/scim+json",
}

// KnownFaults returns every fault switch, sorted by name.
func KnownFaults() []Fault {
	out := make([]Fault, 0, len(faultDescriptions))
	for name, desc := range faultDescriptions {
		out = append(out, Fault{Name: name, Description: desc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// faultSet is the set of switched-on faults; the zero value has none.
type faultSet map[string]bool

// has reports whether the fault named name is on.
func (f faultSet) has(name string) bool { return f[name] }

// ErrUnknownFault is wrapped by every error about a fault name that
// KnownFaults does not list (from CheckFaults and New), so callers can tell
// a usage mistake from a failure with errors.Is.
var ErrUnknownFault = errors.New("unknown fault")

// CheckFaults reports the first name, with surrounding spaces trimmed, that
// is not a fault of KnownFaults; empty names switch nothing on and pass, as
// in New. The error wraps ErrUnknownFault and lists the known names. It
// validates fault names without building a Server.
func CheckFaults(names []string) error {
	_, err := newFaultSet(names)
	return err
}

// newFaultSet validates names against KnownFaults.
func newFaultSet(names []string) (faultSet, error) {
	fs := faultSet{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if _, ok := faultDescriptions[n]; !ok {
			return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownFault, n, strings.Join(faultNames(), ", "))
		}
		fs[n] = true
	}
	return fs, nil
}

func faultNames() []string {
	var names []string
	for _, f := range KnownFaults() {
		names = append(names, f.Name)
	}
	return names
}
