@okta
Feature: SCIM protocol basics Okta relies on
  RFC 7644 behaviour that Okta's provisioning engine depends on: SCIM error
  bodies (never HTML or plain text, which Okta fails to parse with
  "Unrecognized token"), integer counts, 1-based paging, discovery and the
  SCIM media type (SPEC §1.3, §2.3, Appendix B).

  Scenario: Errors are SCIM error bodies with a string status and the SCIM media type
    Level: okta, Okta SCIM 2.0 spec test step 4 (404 with detail and the Error schema)
    When a SCIM client sends GET "/Users/${random}"
    Then the response is a SCIM error with status "404"
    And the response has Content-Type "application/scim+json"
    And the response body has "detail"

  Scenario: Malformed JSON answers 400 invalidSyntax
    Level: must, RFC 7644 §3.12 (400: the request is unparsable)
    When a SCIM client sends POST "/Users" with:
      """
      {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 
      """
    Then the response is a SCIM error with status "400" and scimType "invalidSyntax"

  @filter
  Scenario: A malformed filter answers 400 invalidFilter
    Level: must, RFC 7644 §3.4.2.2 (an invalid filter is an error); §3.12 (400)
    When a SCIM client sends GET "/Users?filter=userName%20eq"
    Then the response is a SCIM error with status "400" and scimType "invalidFilter"

  Scenario: Responses use the SCIM media type
    Level: must, RFC 7644 §3.4.1 (GET of a resource answers 200)
    Given the target already has the user "ana"
    When a SCIM client reads "ana"
    Then the response status is 200
    And the response has Content-Type "application/scim+json"

  Scenario: Create and replace answer with the whole user in the SCIM media type
    Level: must, RFC 7644 §3.3 (201 with the created resource); RFC 7644 §3.5.1 (a successful PUT answers 200 with the entire resource, also when nothing changed); RFC 7644 §3.8 (application/scim+json)
    When a SCIM client creates the user "eve"
    Then the response status is 201
    And the response has Content-Type "application/scim+json"
    And the response body has "userName" equal to "eve"'s userName
    When a SCIM client reads "eve" and PUTs it back unchanged except the given name "Eve"
    Then the response status is 200
    And the response has Content-Type "application/scim+json"
    And the response body has "id" equal to "eve"'s SCIM id
    And the response body has "userName" equal to "eve"'s userName

  Scenario: Request bodies sent as application/json are accepted too
    Level: should, RFC 7644 §3.8 (application/json SHOULD be supported alongside application/scim+json); SPEC §1.3
    When a SCIM client creates the user "ben" with Content-Type "application/json"
    Then the response status is 201

  Scenario: ListResponse counts are JSON integers
    Level: okta, Okta SCIM 2.0 spec test step 3 (totalResults is a number)
    Given the target already has the user "cal"
    When a SCIM client filters users by "cal"'s userName
    Then the response is a ListResponse with integer counts
    And the response body has "totalResults" equal to 1

  @pagination
  Scenario: itemsPerPage is the number of resources actually returned
    Level: okta, SPEC Appendix B (itemsPerPage is the real count, or Okta's sync fails)
    Given the target already has the user "dee"
    When a SCIM client sends GET "/Users?filter=userName%20eq%20%22${dee.userName}%22&startIndex=1&count=50"
    Then the response is a ListResponse with integer counts
    And the response body has "itemsPerPage" equal to 1

  @pagination @filter
  Scenario: startIndex is 1-based and pages neither overlap nor skip users
    Level: must, RFC 7644 §3.4.2.4 (startIndex is 1-based)
    Given the target already has 5 users named "page"
    When a SCIM client lists the users named "page" in pages of 2
    Then the pages hold all 5 users named "page" exactly once
    And the first page answered "startIndex" equal to 1

  @filter
  Scenario: Filtering by userName is case-insensitive
    Level: okta, Okta SCIM 2.0 spec test step 9; RFC 7643 §4.1.1 (userName caseExact false)
    Given the target already has the user "Eve.Case"
    When a SCIM client filters users by "Eve.Case"'s userName in lower case
    Then the response body has "totalResults" equal to 1
    And the first listed resource has "userName" equal to "Eve.Case"'s userName

  @filter
  Scenario Outline: Filter operator <op> on userName finds the user
    Level: must, RFC 7644 §3.4.2.2 (filter operators eq, sw, co, ew)
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
    Level: must, RFC 7644 §4 (discovery endpoints)
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
    Level: must, SPEC §1.3 (discovery tells the truth)
    When a SCIM client sends GET "/ServiceProviderConfig"
    Then the response body has "patch.supported" equal to true
    And the response body has "filter.supported" equal to true
    And the response body has "etag.supported" equal to true
    And the response body has "bulk.supported" equal to false
    And the response body has "changePassword.supported" equal to false

  @cortex @rfc
  Scenario: DELETE removes the SCIM resource
    Level: must, RFC 7644 §3.6 (DELETE answers 204, then 404 for the resource)
    Given the target already has the user "gus"
    When a SCIM client deletes "gus"
    Then the response status is 204
    When a SCIM client reads "gus"
    Then the response is a SCIM error with status "404"

  @cortex @etag @rfc
  Scenario: DELETE with a stale If-Match answers 412 and the user stays
    Level: must, RFC 7644 §3.14 (a stale If-Match answers 412 and changes nothing)
    Given the target already has the user "hal"
    When a SCIM client deletes "hal" with a stale If-Match
    Then the response is a SCIM error with status "412"
    And "hal" is active on the target
