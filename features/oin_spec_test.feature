@okta
Feature: Okta's SCIM 2.0 SPEC test (OIN submission)
  A port of the steps of Okta's published "SCIM 2.0 SPEC Test" used for OIN
  submission (SPEC Appendix A). A user must exist before it starts.

  Scenario: Okta's SPEC test passes step by step
    Level: okta, Okta SCIM 2.0 spec test steps 1-12
    Given the target already has the user "spec.existing"
    # Step 1
    When a SCIM client sends GET "/Users?count=1&startIndex=1"
    Then the response status is 200
    And the response is a ListResponse with integer totalResults, itemsPerPage and startIndex
    And the first listed resource has "id", "name.familyName", "name.givenName", "userName", "active" and "emails.0.value"
    # Step 2
    When a SCIM client reads the first listed user by id
    Then the response status is 200
    And the response body has "id" equal to the first listed id
    And the response body has "id", "name.familyName", "name.givenName", "userName", "active" and "emails.0.value"
    # Step 3
    When a SCIM client filters users by userName "nobody.${random}@example.com"
    Then the response status is 200
    And the response is a ListResponse with integer counts
    And the response body has "totalResults" equal to 0
    # Step 4
    When a SCIM client sends GET "/Users/${random}"
    Then the response is a SCIM error with status "404"
    And the response body has "detail"
    # Step 5
    When a SCIM client filters users by userName "Spec.New.${random}@Example.com"
    Then the response body has "totalResults" equal to 0
    # Step 6
    When a SCIM client creates the user "Spec.New"
    Then the response status is 201
    And the response body has "active" equal to true
    And the response body has "id"
    And the response body has "name.givenName" equal to "Spec.New"
    And the response body has "name.familyName" equal to "Example"
    And the response body has "schemas" containing "urn:ietf:params:scim:schemas:core:2.0:User"
    And the response body has "userName" equal to "Spec.New"'s userName
    # Step 7
    When a SCIM client reads "Spec.New"
    Then the response status is 200
    And the response body has "userName" equal to "Spec.New"'s userName
    And the response body has "name.givenName" equal to "Spec.New"
    And the response body has "name.familyName" equal to "Example"
    # Step 8
    When a SCIM client creates the user "Spec.New" again
    Then the response status is 409
    # Step 9
    When a SCIM client filters users by "Spec.New"'s userName in upper case
    Then the response status is 200
    And the response body has "totalResults" equal to 1
    # Step 11
    When a SCIM client sends GET "/Users?filter=userName%20eq%20%22x%40example.com%22" with the Authorization "Basic Zm9vOmJhcg=="
    Then the response is a SCIM error with status "401"
    And the response body has "detail"
    # Step 12
    When a SCIM client sends GET "/Users/${random}-missing"
    Then the response is a SCIM error with status "404"
    And the response body has "detail"

  @groups
  Scenario: Okta's SPEC test optional Groups step answers a ListResponse
    Level: okta, Okta SCIM 2.0 spec test step 10 (GET /Groups)
    When a SCIM client sends GET "/Groups"
    Then the response status is 200
    And the response is a ListResponse with integer counts
