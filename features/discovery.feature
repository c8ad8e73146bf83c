@cortex @discovery
Feature: Discovery tells the exact truth
  /ServiceProviderConfig, /Schemas and /ResourceTypes describe what the
  server really does (SPEC §1.3): PATCH, filters with maxResults and ETags
  are supported; bulk, sorting and password change are not; the one
  resource type is User at /Users, whose schema states the Cortex rules
  (userName unique and immutable, emails immutable, displayName derived).

  Scenario: ServiceProviderConfig states every capability exactly
    Level: must, SPEC §1.3 (discovery tells the truth); RFC 7643 §5
    When a SCIM client sends GET "/ServiceProviderConfig"
    Then the response status is 200
    And the response body has "patch.supported" equal to true
    And the response body has "filter.supported" equal to true
    And the response body has "filter.maxResults" as a positive integer
    And the response body has "etag.supported" equal to true
    And the response body has "bulk.supported" equal to false
    And the response body has "sort.supported" equal to false
    And the response body has "changePassword.supported" equal to false
    And the response body has "authenticationSchemes.0.type" equal to "oauthbearertoken"
    And the response body has "authenticationSchemes.0.primary" equal to true
    And the response body has "bulk.maxOperations" equal to 0
    And the response body has "bulk.maxPayloadSize" equal to 0

  Scenario: /Schemas lists the User schema with the Cortex attribute rules
    Level: must, SPEC §1.3 (discovery tells the truth); RFC 7643 §7, §4.1
    When a SCIM client sends GET "/Schemas"
    Then the response is a ListResponse with integer counts
    And the response body has "totalResults" equal to 1
    And the response body has "startIndex" equal to 1
    And the response body has "Resources.0.id" equal to "urn:ietf:params:scim:schemas:core:2.0:User"
    And the User schema's attribute "userName" has "required" equal to true
    And the User schema's attribute "userName" has "caseExact" equal to false
    And the User schema's attribute "userName" has "uniqueness" equal to "server"
    And the User schema's attribute "userName" has "mutability" equal to "immutable"
    And the User schema's attribute "emails" has "multiValued" equal to true
    And the User schema's attribute "emails.value" has "mutability" equal to "immutable"
    And the User schema's attribute "displayName" has "mutability" equal to "readOnly"
    And the User schema's attribute "name.givenName" has "mutability" equal to "readWrite"
    And the User schema's attribute "name.familyName" has "mutability" equal to "readWrite"
    And the User schema's attribute "name.formatted" has "mutability" equal to "readOnly"
    And the User schema's attribute "active" has "type" equal to "boolean"

  Scenario: The User schema describes exactly the attributes the server keeps
    Level: must, SPEC §1.3 (discovery tells the truth: userName and the email cannot change, displayName is derived); RFC 7643 §7 (what each characteristic means; §8.7.1's readWrite userName is the general case the Cortex rules narrow)
    When a SCIM client sends GET "/Schemas"
    Then the User schema's attributes are exactly:
      | name            | type    | multiValued | required | caseExact | mutability | returned | uniqueness |
      | userName        | string  | false       | true     | false     | immutable  | always   | server     |
      | name            | complex | false       | false    | false     | readWrite  | default  | none       |
      | name.givenName  | string  | false       | false    | false     | readWrite  | default  | none       |
      | name.familyName | string  | false       | false    | false     | readWrite  | default  | none       |
      | name.formatted  | string  | false       | false    | false     | readOnly   | default  | none       |
      | displayName     | string  | false       | false    | false     | readOnly   | default  | none       |
      | emails          | complex | true        | false    | false     | immutable  | default  | none       |
      | emails.value    | string  | false       | false    | false     | immutable  | default  | none       |
      | emails.type     | string  | false       | false    | false     | readWrite  | default  | none       |
      | emails.primary  | boolean | false       | false    | false     | readWrite  | default  | none       |
      | active          | boolean | false       | false    | false     | readWrite  | default  | none       |

  Scenario: The User schema is also served at its own URN
    Level: must, RFC 7644 §4 (GET /Schemas/{id}); SPEC §1.3 (discovery tells the truth, meta.location included)
    When a SCIM client sends GET "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"
    Then the response status is 200
    And the response body has "id" equal to "urn:ietf:params:scim:schemas:core:2.0:User"
    And the User schema's attribute "userName" has "uniqueness" equal to "server"
    And the response body has "meta.location" ending in "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"

  Scenario: /ResourceTypes lists User at /Users with the core User schema, and only User
    Level: must, SPEC §1.3 (discovery tells the truth: the one resource type, at its own meta.location); RFC 7643 §6
    When a SCIM client sends GET "/ResourceTypes"
    Then the response is a ListResponse with integer counts
    And the response body has "totalResults" equal to 1
    And the response body has "startIndex" equal to 1
    And the response body has "Resources.0.name" equal to "User"
    And the response body has "Resources.0.endpoint" equal to "/Users"
    And the response body has "Resources.0.schema" equal to "urn:ietf:params:scim:schemas:core:2.0:User"
    When a SCIM client sends GET "/ResourceTypes/User"
    Then the response status is 200
    And the response body has "endpoint" equal to "/Users"
    And the response body has "meta.location" ending in "/ResourceTypes/User"

  Scenario: /Groups answers an empty list: the server keeps no groups
    Level: must, SPEC §1.3 (discovery tells the truth: /ResourceTypes lists only User); RFC 7644 §3.4.2 (totalResults counts every result)
    When a SCIM client sends GET "/Groups?startIndex=1&count=100"
    Then the response is a ListResponse with integer counts
    And the response body has "totalResults" equal to 0
    And the response body has "itemsPerPage" equal to 0
    And the response body has "startIndex" equal to 1

  Scenario Outline: An unknown <what> answers 404 with a SCIM error
    Level: must, RFC 7644 §3.12 (unknown resource: 404); SPEC §1.3 (errors are SCIM error bodies)
    When a SCIM client sends GET "<path>"
    Then the response is a SCIM error with status "404"

    Examples:
      | what          | path                                                         |
      | schema        | /Schemas/urn:ietf:params:scim:schemas:extension:nosuch:2.0:X |
      | resource type | /ResourceTypes/NoSuchType                                    |
