package reference

import (
	"slices"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/store"
)

// Built-in role names (SPEC §1.2).
const (
	RoleAdmin  = "Admin"
	RoleUser   = "User"
	RoleViewer = "Viewer"
)

// Permissions a role can hold. The first three are the ones SCIM needs
// (source article, "Prerequisites"); the rest make custom roles realistic.
var allPermissions = []string{
	scimwire.PermConfigureOIDCAndSCIM,
	scimwire.PermEditRoles,
	scimwire.PermManageIdentityMappings,
	"EDIT_ENTITIES",
	"MANAGE_API_KEYS",
	"MANAGE_SETTINGS",
	"MANAGE_TEAMS",
	"MANAGE_USERS",
	"VIEW_CATALOG",
}

// scimPermissions are the permissions an API key's role must hold for SCIM.
var scimPermissions = []string{
	scimwire.PermConfigureOIDCAndSCIM,
	scimwire.PermEditRoles,
	scimwire.PermManageIdentityMappings,
}

func builtInRoles() []store.Role {
	return []store.Role{
		{Name: RoleAdmin, Permissions: slices.Clone(allPermissions), BuiltIn: true},
		{Name: RoleUser, Permissions: []string{"EDIT_ENTITIES", "VIEW_CATALOG"}, BuiltIn: true},
		{Name: RoleViewer, Permissions: []string{"VIEW_CATALOG"}, BuiltIn: true},
	}
}

func knownPermission(p string) bool { return slices.Contains(allPermissions, p) }

// missingPermissions lists the permissions in need that role lacks, in the
// order of need.
func missingPermissions(role store.Role, need []string) []string {
	var missing []string
	for _, p := range need {
		if !slices.Contains(role.Permissions, p) {
			missing = append(missing, p)
		}
	}
	return missing
}
