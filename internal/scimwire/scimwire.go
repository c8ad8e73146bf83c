// Package scimwire holds the SCIM 2.0 wire vocabulary shared by both sides of
// the wire: schema URNs, the media type and the names of endpoints.
//
// It deliberately holds constants only. The reference server (the service
// provider) and the simulator (Okta, the client) each encode and decode their
// own messages; if one piece of code both built a request and parsed it, a bug
// in it would cancel out and every test would stay green.
package scimwire

// MediaType is the SCIM media type, RFC 7644 §3.1.
const MediaType = "application/scim+json"

// Schema URNs, RFC 7643 §8.7 and RFC 7644 §3.
const (
	UserSchema                  = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema                 = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseUserSchema        = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	ServiceProviderConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	ResourceTypeSchema          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaSchema                = "urn:ietf:params:scim:schemas:core:2.0:Schema"

	ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	PatchOpSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	ErrorSchema        = "urn:ietf:params:scim:api:messages:2.0:Error"
	BulkRequestSchema  = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
)

// scimType values for error responses, RFC 7644 §3.12 table 9.
const (
	ScimTypeInvalidFilter = "invalidFilter"
	ScimTypeTooMany       = "tooMany"
	ScimTypeUniqueness    = "uniqueness"
	ScimTypeMutability    = "mutability"
	ScimTypeInvalidSyntax = "invalidSyntax"
	ScimTypeInvalidPath   = "invalidPath"
	ScimTypeNoTarget      = "noTarget"
	ScimTypeInvalidValue  = "invalidValue"
	ScimTypeInvalidVers   = "invalidVers"
	ScimTypeSensitive     = "sensitive"
)

// Endpoint names relative to a SCIM base URL, RFC 7644 §3.2. Okta appends
// them capitalised to the configured base URL.
const (
	UsersEndpoint                 = "/Users"
	GroupsEndpoint                = "/Groups"
	ServiceProviderConfigEndpoint = "/ServiceProviderConfig"
	SchemasEndpoint               = "/Schemas"
	ResourceTypesEndpoint         = "/ResourceTypes"
)

// The Cortex permissions an API key's role must hold for SCIM requests
// (source/okta-scim-for-cortex.txt, "Prerequisites").
const (
	PermConfigureOIDCAndSCIM   = "CONFIGURE_OIDC_AND_SCIM"
	PermEditRoles              = "EDIT_ROLES"
	PermManageIdentityMappings = "MANAGE_IDENTITY_MAPPINGS"
)
