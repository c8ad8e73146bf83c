package reference

import (
	"net/http"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// serviceProviderConfig is GET /ServiceProviderConfig (RFC 7643 §5). It
// tells the truth: PATCH, filters (with maxResults) and ETags are supported;
// bulk, sorting and password change are not.
func (s *Server) serviceProviderConfig(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	if err := s.discoveryServed(r); err != nil {
		return err
	}
	// lie flips the capabilities a careless implementation copies from a
	// template (fault spc-misreports): the config no longer tells the truth.
	lie := s.faults.has(FaultSPCMisreports)
	writeJSON(w, http.StatusOK, scimwire.MediaType, map[string]any{
		"schemas":        []string{scimwire.ServiceProviderConfigSchema},
		"patch":          map[string]any{"supported": !lie},
		"bulk":           map[string]any{"supported": lie, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":         map[string]any{"supported": true, "maxResults": MaxPageSize},
		"changePassword": map[string]any{"supported": lie},
		"sort":           map[string]any{"supported": lie},
		"etag":           map[string]any{"supported": true},
		"authenticationSchemes": []any{map[string]any{
			"type":        "oauthbearertoken",
			"name":        "API key",
			"description": "A Cortex API key whose role holds CONFIGURE_OIDC_AND_SCIM, EDIT_ROLES and MANAGE_IDENTITY_MAPPINGS, sent as Authorization: Bearer <key>",
			"primary":     true,
		}},
		"meta": map[string]any{
			"resourceType": "ServiceProviderConfig",
			"location":     baseURL(r) + scimwire.ServiceProviderConfigEndpoint,
		},
	})
	return nil
}

// attr builds one attribute definition (RFC 7643 §7).
func attr(name, typ, mutability, returned string, required, caseExact bool, uniqueness string, subs ...map[string]any) map[string]any {
	a := map[string]any{
		"name": name, "type": typ, "multiValued": false, "description": "",
		"required": required, "caseExact": caseExact, "mutability": mutability,
		"returned": returned, "uniqueness": uniqueness,
	}
	if len(subs) > 0 {
		a["subAttributes"] = subs
	}
	return a
}

// userSchema describes exactly the User attributes this server keeps
// (RFC 7643 §4.1, narrowed to the Cortex rules: userName and emails are
// immutable, displayName and name.formatted are derived).
func userSchema(base string) map[string]any {
	emails := attr("emails", "complex", "immutable", "default", false, false, "none",
		attr("value", "string", "immutable", "default", false, false, "none"),
		attr("type", "string", "readWrite", "default", false, false, "none"),
		attr("primary", "boolean", "readWrite", "default", false, false, "none"),
	)
	emails["multiValued"] = true
	emails["description"] = "The user's one email; it equals userName and cannot change."
	userName := attr("userName", "string", "immutable", "always", true, false, "server")
	userName["description"] = "An email address; unique case-insensitively, case preserved, cannot change."
	return map[string]any{
		"schemas":     []string{scimwire.SchemaSchema},
		"id":          scimwire.UserSchema,
		"name":        "User",
		"description": "Cortex user",
		"attributes": []any{
			userName,
			attr("name", "complex", "readWrite", "default", false, false, "none",
				attr("givenName", "string", "readWrite", "default", false, false, "none"),
				attr("familyName", "string", "readWrite", "default", false, false, "none"),
				attr("formatted", "string", "readOnly", "default", false, false, "none"),
			),
			attr("displayName", "string", "readOnly", "default", false, false, "none"),
			emails,
			attr("active", "boolean", "readWrite", "default", false, false, "none"),
		},
		"meta": map[string]any{
			"resourceType": "Schema",
			"location":     base + scimwire.SchemasEndpoint + "/" + scimwire.UserSchema,
		},
	}
}

func userResourceType(base string) map[string]any {
	return map[string]any{
		"schemas":     []string{scimwire.ResourceTypeSchema},
		"id":          "User",
		"name":        "User",
		"endpoint":    scimwire.UsersEndpoint,
		"description": "Cortex user account",
		"schema":      scimwire.UserSchema,
		"meta": map[string]any{
			"resourceType": "ResourceType",
			"location":     base + scimwire.ResourceTypesEndpoint + "/User",
		},
	}
}

// listSchemas is GET /Schemas (RFC 7644 §4).
func (s *Server) listSchemas(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	if err := s.discoveryServed(r); err != nil {
		return err
	}
	writeDiscoveryList(w, []any{userSchema(baseURL(r))})
	return nil
}

// getSchema is GET /Schemas/{id}.
func (s *Server) getSchema(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	if err := s.discoveryServed(r); err != nil {
		return err
	}
	if id := r.PathValue("id"); !strings.EqualFold(id, scimwire.UserSchema) {
		return notFound("no schema %q: this server serves only %s", id, scimwire.UserSchema)
	}
	writeJSON(w, http.StatusOK, scimwire.MediaType, userSchema(baseURL(r)))
	return nil
}

// listResourceTypes is GET /ResourceTypes: only User (Groups are not a
// Cortex resource over SCIM).
func (s *Server) listResourceTypes(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	if err := s.discoveryServed(r); err != nil {
		return err
	}
	writeDiscoveryList(w, []any{userResourceType(baseURL(r))})
	return nil
}

// getResourceType is GET /ResourceTypes/{id}.
func (s *Server) getResourceType(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	if err := s.discoveryServed(r); err != nil {
		return err
	}
	if id := r.PathValue("id"); !strings.EqualFold(id, "User") {
		return notFound("no resource type %q: this server serves only User", id)
	}
	writeJSON(w, http.StatusOK, scimwire.MediaType, userResourceType(baseURL(r)))
	return nil
}

// discoveryServed is nil unless fault discovery-missing is on; then the
// discovery endpoints answer 404 as on servers that implement only /Users.
func (s *Server) discoveryServed(r *http.Request) error {
	if s.faults.has(FaultDiscoveryMissing) {
		return notFound("no endpoint at %s", r.URL.Path)
	}
	return nil
}

func writeDiscoveryList(w http.ResponseWriter, items []any) {
	writeJSON(w, http.StatusOK, scimwire.MediaType, map[string]any{
		"schemas":      []string{scimwire.ListResponseSchema},
		"totalResults": len(items),
		"itemsPerPage": len(items),
		"startIndex":   1,
		"Resources":    items,
	})
}

// listGroups is GET /Groups. Cortex does not take groups over SCIM, so
// ResourceTypes does not list Group; the list answers an empty ListResponse
// because Okta's SPEC test and its "Test API Credentials" (with group push
// on) read it, and an empty result is the truth. Other group requests are
// 404 (unknown id) or 405.
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	pg, err := parsePage(r.URL.Query())
	if err != nil {
		return err
	}
	s.writeList(w, 0, 0, pg, []any{})
	return nil
}

// getGroup is GET /Groups/{id}: there are no groups.
func (s *Server) getGroup(_ http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	return notFound("no group with id %q: this server keeps no groups", r.PathValue("id"))
}
