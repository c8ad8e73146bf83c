@okta
Feature: Assign the app to a user (Create users)
  With "Create users" on, assigning the app makes Okta check whether the user
  exists (GET /Users?filter=userName eq "…") and then create it with POST
  (SPEC §1.3, §2.2).

  Scenario: Assigning a new user checks for the user first, then creates it
    Level: okta, Okta SCIM 2.0 guide: Create users (GET /Users?filter=userName eq, then POST /Users answering 201)
    Given an Okta org with the app connected
    And an Okta user "ana"
    When the admin assigns the app to "ana"
    Then Okta's provisioning of "ana" succeeded
    And Okta checked whether "ana" exists before creating it
    And the target has "ana" with the Okta userName, email and names

  Scenario: Create answers 201 with the new user, Location, meta and ETag
    Level: must, RFC 7644 §3.3 (201 Created with Location); RFC 7643 §3.1 (id and meta are returned)
    When a SCIM client creates the user "ben"
    Then the response status is 201
    And the response has a Location header for the new user
    And the response body has "id"
    And the response body has "meta.resourceType" equal to "User"
    And the response body has "meta.created"
    And the response body has "meta.lastModified"
    And the response body has "meta.location"

  @etag
  Scenario: Create answers with an ETag that matches meta.version
    Level: must, RFC 7644 §3.3 (201 Created)
    When a SCIM client creates the user "ben"
    Then the response status is 201
    And the response has an ETag header equal to "meta.version"

  Scenario: userName is returned with its case preserved
    Level: okta, Okta SCIM 2.0 spec test step 6 (userName returned exactly as sent)
    Given an Okta org with the app connected
    And an Okta user "Mixed.Case"
    When the admin assigns the app to "Mixed.Case"
    Then Okta's provisioning of "Mixed.Case" succeeded
    And the target's userName for "Mixed.Case" is exactly the Okta username

  Scenario: Assigning a user who already exists in another case links to that user instead of creating a duplicate
    Level: okta, Okta SCIM 2.0 guide: Create users (a user found by the userName filter is linked)
    Given an Okta org with the app connected
    And an Okta user "dora"
    And the target already has "dora" with the userName in upper case
    When the admin assigns the app to "dora"
    Then Okta's provisioning of "dora" succeeded
    And Okta did not create "dora"
    And the target has exactly one user matching "dora" in any case

  Scenario: Creating a duplicate userName answers 409 uniqueness
    Level: okta, Okta SCIM 2.0 spec test step 8 (a duplicate create answers 409); RFC 7644 §3.3
    Given the target already has the user "eve"
    When a SCIM client creates the user "eve" again
    Then the response is a SCIM error with status "409" and scimType "uniqueness"

  Scenario: A duplicate userName that differs only in case answers 409 uniqueness
    Level: must, RFC 7644 §3.3 (a duplicate MUST answer 409); RFC 7643 §4.1.1 (userName caseExact false)
    Given the target already has the user "fay"
    When a SCIM client creates the user "fay" again with the userName in upper case
    Then the response is a SCIM error with status "409" and scimType "uniqueness"

  Scenario: Two racing creates of one user give exactly one 201 and one 409
    Level: okta, SPEC Appendix B (a create racing another create gives one 201 and one 409)
    # Four rounds: a server that checks, then inserts, loses only some races.
    When two SCIM clients create the user "gus" at the same time
    Then one create answered 201 and the other 409
    And the target has exactly one user matching "gus" in any case
    When two SCIM clients create the user "gwen" at the same time
    Then one create answered 201 and the other 409
    And the target has exactly one user matching "gwen" in any case
    When two SCIM clients create the user "gil" at the same time
    Then one create answered 201 and the other 409
    And the target has exactly one user matching "gil" in any case
    When two SCIM clients create the user "gia" at the same time
    Then one create answered 201 and the other 409
    And the target has exactly one user matching "gia" in any case

  Scenario: Create accepts Okta's extra attributes, keeps externalId and never returns the password
    Level: must, RFC 7643 §4.1.1 (password is never returned); RFC 7644 §3.3
    Given an Okta org with the app connected
    And an Okta user "hal"
    When the admin assigns the app to "hal"
    Then Okta's provisioning of "hal" succeeded
    And Okta's create request for "hal" carried "password", "locale", "groups" and "externalId"
    And the target's user "hal" has externalId equal to the Okta user id
    And the target's user "hal" has no "password"

  @cortex @roles
  Scenario: A user created through SCIM gets the default role
    Level: must, SPEC §1.3 (the default role is assigned on create)
    Given an Okta org with the app connected
    And an Okta user "ivy"
    When the admin assigns the app to "ivy"
    Then Okta's provisioning of "ivy" succeeded
    And "ivy" has exactly the roles "User" on the target

  @cortex @roles @settings @serial @defaultrole
  Scenario: A changed default role is given to newly created users
    Level: must, SPEC §1.1 (the default role setting)
    Given an Okta org with the app connected
    And the target's default role is "Viewer"
    And an Okta user "jon"
    When the admin assigns the app to "jon"
    Then Okta's provisioning of "jon" succeeded
    And "jon" has exactly the roles "Viewer" on the target
