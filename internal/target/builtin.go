package target

import "net/http"

// BuiltinReference names the probe set for the reference server's admin API
// (README.md, "Admin API"), which a vendor whose admin API differs copies and edits.
const BuiltinReference = "reference"

// ReferenceProbes is the built-in probe set for the reference server's admin
// API under /api/v1 (SPEC §1.5).
func ReferenceProbes() Probes {
	const (
		ok      = http.StatusOK
		created = http.StatusCreated
	)
	bearer := map[string]string{"Authorization": "Bearer {secret}"}
	return Probes{
		GrantRole: {Requests: []Request{{Method: "POST", Path: "/users/{email}/roles", Body: `{"role":"{role}"}`}}},
		GrantTeam: {Requests: []Request{
			// The team may exist already (another scenario on a shared target).
			{Method: "POST", Path: "/teams", Body: `{"name":"{team}"}`, Expect: []int{created, http.StatusConflict}},
			{Method: "POST", Path: "/teams/{team}/members", Body: `{"email":"{email}"}`},
		}},
		MintAPIKey: {Requests: []Request{{Method: "POST", Path: "/api-keys", Body: `{"name":"{keyName}","role":"User","owner":"{email}"}`, Expect: []int{created}}},
			Pick: "secret"},
		MintSCIMKey: {Requests: []Request{{Method: "POST", Path: "/api-keys", Body: `{"name":"{keyName}","role":"Admin","owner":"{email}"}`, Expect: []int{created}}},
			Pick: "secret"},
		OpenSession: {Requests: []Request{{Method: "POST", Path: "/sessions", Body: `{"email":"{email}"}`, Expect: []int{created, http.StatusForbidden, http.StatusNotFound}}},
			Pick: "token", Refused: []int{http.StatusForbidden, http.StatusNotFound}},
		OwnEntity: {Requests: []Request{{Method: "POST", Path: "/entities", Body: `{"name":"{entity}","owners":["{email}"]}`, Expect: []int{ok, created}}},
			Pick: "id"},

		RevokeRole:       {Requests: []Request{{Method: "DELETE", Path: "/users/{email}/roles/{role}"}}},
		RemoveTeamMember: {Requests: []Request{{Method: "DELETE", Path: "/teams/{team}/members/{email}"}}},

		ReadRoles:   {Requests: []Request{{Method: "GET", Path: "/users/{email}"}}, Pick: "roles"},
		ReadTeams:   {Requests: []Request{{Method: "GET", Path: "/users/{email}"}}, Pick: "teams"},
		TeamMembers: {Requests: []Request{{Method: "GET", Path: "/teams/{team}"}}, Pick: "members.#(userId!=null)#.email"},
		KeyValid: {Requests: []Request{{Method: "GET", Path: "/whoami", Headers: bearer, Expect: []int{ok, http.StatusUnauthorized, http.StatusForbidden}}},
			Valid: []int{ok}, Pick: "email"},
		SessionValid: {Requests: []Request{{Method: "GET", Path: "/whoami", Headers: bearer, Expect: []int{ok, http.StatusUnauthorized, http.StatusForbidden}}},
			Valid: []int{ok}, Pick: "email"},
		EntityOwners:     {Requests: []Request{{Method: "GET", Path: "/entities/{entityId}"}}, Pick: "owners.#.userId"},
		ActiveUsers:      {Requests: []Request{{Method: "GET", Path: "/users"}}, Pick: `users.#(status=="active")#.email`},
		ReadKeyCount:     {Requests: []Request{{Method: "GET", Path: "/users/{email}"}}, Pick: "apiKeyCount"},
		ReadSessionCount: {Requests: []Request{{Method: "GET", Path: "/users/{email}"}}, Pick: "activeSessions"},
		RolePermissions:  {Requests: []Request{{Method: "GET", Path: "/roles"}}, Pick: `roles.#(name=="{role}").permissions`},
		SettingsView: {Requests: []Request{{Method: "GET", Path: "/settings"}},
			Pick: `{scim:scimEnabled,defaultRole:defaultRole,allowlist:ipAllowlist,keepInTeams:keepDeprovisionedInTeams,header:clientIpHeader}`},
		KeyID: {Requests: []Request{{Method: "GET", Path: "/api-keys"}}, Pick: `apiKeys.#(name=="{keyName}").id`},

		ReadSettings:    {Requests: []Request{{Method: "GET", Path: "/settings"}}},
		RestoreSettings: {Requests: []Request{{Method: "PATCH", Path: "/settings", Body: `{settings}`}}},
		SetSCIM:         {Requests: []Request{{Method: "PATCH", Path: "/settings", Body: `{"scimEnabled":{enabled}}`}}},
		SetAllowlist:    {Requests: []Request{{Method: "PATCH", Path: "/settings", Body: `{"ipAllowlist":{cidrs},"clientIpHeader":"{header}"}`}}},
		SetDefaultRole:  {Requests: []Request{{Method: "PATCH", Path: "/settings", Body: `{"defaultRole":"{role}"}`}}},
		SetKeepInTeams:  {Requests: []Request{{Method: "PATCH", Path: "/settings", Body: `{"keepDeprovisionedInTeams":{enabled}}`}}},
		MintRoleKey: {Requests: []Request{
			{Method: "POST", Path: "/roles", Body: `{"name":"{role}","permissions":{permissions}}`, Expect: []int{ok, created}},
			{Method: "POST", Path: "/api-keys", Body: `{"name":"{keyName}","role":"{role}","owner":""}`, Expect: []int{created}},
		}, Pick: "secret"},
		RevokeKey: {Requests: []Request{{Method: "DELETE", Path: "/api-keys/{keyId}", Expect: []int{http.StatusNoContent}}}},
		CreateRole: {Requests: []Request{{Method: "POST", Path: "/roles", Body: `{"name":"{role}","permissions":{permissions}}`,
			Expect: []int{ok, created, http.StatusConflict}}}, Pick: "permissions", Refused: []int{http.StatusConflict}},
		DeleteRole: {Requests: []Request{{Method: "DELETE", Path: "/roles/{role}",
			Expect: []int{http.StatusNoContent, http.StatusBadRequest, http.StatusNotFound, http.StatusConflict}}},
			Refused: []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict}},
		SetClientIPHeader: {Requests: []Request{{Method: "PATCH", Path: "/settings", Body: `{"clientIpHeader":"{header}"}`,
			Expect: []int{ok, http.StatusBadRequest}}}, Pick: "clientIpHeader", Refused: []int{http.StatusBadRequest}},
	}
}

// EffectiveProbes merges the built-in set the profile names with its own
// probes (the profile's entries win).
func (p Profile) EffectiveProbes() Probes {
	out := Probes{}
	if p.BuiltinProbes == BuiltinReference {
		for k, v := range ReferenceProbes() {
			out[k] = v
		}
	}
	for k, v := range p.Probes {
		out[k] = v
	}
	return out
}
