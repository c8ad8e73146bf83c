@okta
Feature: SCIM protocol basics Okta relies on
  RFC 7644 behaviour that Okta's provisioning engine depends on: SCIM error
  bodies (never HTML or plain text, which Okta fails to parse with
  "Unrecognized token"), integer counts, 1-based paging, discovery and the
  SCIM media type (SPEC §1.3, §2.3, Appendix B).

  Scenario: Errors are SCIM error bodies with a string status and the SCIM media type
    When a SCIM client sends GET "/Users/${random}"
    Then the response is a SCIM error with status "404"
    And the response has Content-Type "application/scim+json"
    And the response body has "detail"

  Scenario: Malformed JSON answers 400 invalidSyntax
    When a SCIM client sends POST "/Users" with:
      """
      {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 
      """
    Then the response is a SCIM error with status "400" and scimType "invalidSyntax"

  @filter
  Scenario: A malformed filter answers 400 invalidFilter
    When a SCIM client sends GET "/Users?filter=userName%20eq"
    Then the response is a SCIM error with status "400" and scimType "invalidFilter"

  Scenario: Responses use the SCIM media type
    Given the target already has the user "ana"
    When a SCIM client reads "ana"
    Then the response status is 200
    And the response has Content-Type "application/scim+json"

  Scenario: Request bodies sent as application/json are accepted too
    When a SCIM client creates the user "ben" with Content-Type "application/json"
    Then the response status is 201

  Scenario: ListResponse counts are JSON integers
    Given the target already has the user "cal"
    When a SCIM client filters users by "cal"'s userName
    Then the response is a ListResponse with integer counts
    And the response body has "totalResults" equal to 1

  @pagination
  Scenario: itemsPerPage is the number of resources actually returned
    Given the target already has the user "dee"
    When a SCIM client sends GET "/Users?filter=userName%20eq%20%22${dee.userName}%22&startIndex=1&count=50"
    Then the response is a ListResponse with integer counts
    And the response body has "itemsPerPage" equal to 1

  @pagination @filter
  Scenario: startIndex is 1-based and pages neither overlap nor skip users
    Given the target already has 5 users named "page"
    When a SCIM client lists the users named "page" in pages of 2
    Then the pages hold all 5 users named "page" exactly once, in creation order
    And the first page answered "startIndex" equal to 1

  @filter
  Scenario: Filtering by userName is case-insensitive
    Given the target already has the user "Eve.Case"
    When a SCIM client filters users by "Eve.Case"'s userName in lower case
    Then the response body has "totalResults" equal to 1
    And the first listed resource has "userName" equal to "Eve.Case"'s userName

  @filter
  Scenario Outline: Filter operator <op> on userName finds the user
    Given the target already has the user "flt"
    When a SCIM client filters users with: userName <op> "<value>"
    Then the response body has "totalResults" equal to 1

    Examples:
      | op | value                     |
      | eq | ${flt.userName}           |
      | sw | flt.${flt.suffix}         |
      | co | ${flt.suffix}             |
      | ew | ${flt.suffix}@example.com |

  @discovery
  Scenario Outline: Discovery endpoint <path> answers with its schema
    When a SCIM client sends GET "<path>"
    Then the response status is 200
    And the response body has "schemas" containing "<schema>"

    Examples:
      | path                   | schema                                                           |
      | /ServiceProviderConfig | urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig      |
      | /Schemas               | urn:ietf:params:scim:api:messages:2.0:ListResponse               |
      | /ResourceTypes         | urn:ietf:params:scim:api:messages:2.0:ListResponse               |

  @discovery @cortex
  Scenario: ServiceProviderConfig tells the truth about PATCH, filter, ETag and bulk
    When a SCIM client sends GET "/ServiceProviderConfig"
    Then the response body has "patch.supported" equal to true
    And the response body has "filter.supported" equal to true
    And the response body has "etag.supported" equal to true
    And the response body has "bulk.supported" equal to false
    And the response body has "changePassword.supported" equal to false

  @cortex
  Scenario: DELETE removes the SCIM resource
    Given the target already has the user "gus"
    When a SCIM client deletes "gus"
    Then the response status is 204
    When a SCIM client reads "gus"
    Then the response is a SCIM error with status "404"

  @cortex @etag
  Scenario: DELETE with a stale If-Match answers 412 and the user stays
    Given the target already has the user "hal"
    When a SCIM client deletes "hal" with a stale If-Match
    Then the response is a SCIM error with status "412"
    And "hal" is active on the target
