@cortex
Feature: What a PUT answers, what it keeps, and what a DELETE leaves for others
  A successful PUT answers the whole resource as stored (RFC 7644 §3.5.1),
  a deactivating one included. A PUT that leaves out an attribute the
  server keeps may keep its value. Deleting one user revokes that user's
  records only: every other user's team memberships and entity ownerships
  stay associated (SPEC §1.4).

  Scenario: A PUT that deactivates answers 200 with the whole resource as stored
    Level: must, RFC 7644 §3.5.1 (a successful PUT answers 200 and the entire resource); SPEC §1.3 (deactivation)
    Given the target already has the user "ana"
    When a SCIM client deactivated "ana"
    Then the response body has "active" equal to false
    And the response body has "id" equal to "ana"'s SCIM id
    And the response body has "userName" equal to "ana"'s userName
    And the response body has "name.givenName" equal to "Ana"
    And "ana" is inactive on the target

  Scenario: A PUT that leaves out name keeps the names
    Level: should, RFC 7644 §3.5.1 (a readWrite attribute left out of a PUT MAY keep its value); SPEC §1.3 (only the names change)
    Given the target already has the user "ben"
    And a SCIM client noted "ben" as the target shows it
    When a SCIM client reads "ben" and PUTs it back without "name"
    Then the response status is 200
    And the target shows "ben" exactly as noted

  @revocation @teams @ownership
  Scenario: Deleting a user leaves every other user's team memberships and entity ownerships associated
    Level: must, SPEC §1.4 (deprovisioning revokes the deprovisioned user's access, nobody else's)
    Given the target already has the user "cal"
    And the target already has the user "dan"
    And "cal" has been added to the team "platform" on the target
    And "dan" has been added to the team "platform" on the target
    And "cal" owns the entity "billing-service" on the target
    And "dan" owns the entity "search-api" on the target
    When a SCIM client deleted "dan"
    Then "cal" is a member of the team "platform" on the target
    And "dan" is not a member of the team "platform" on the target
    And the owner of "billing-service" on the target is "cal"

  @revocation @teams
  Scenario: Deleting a deactivated user removes the team memberships recorded for its email, so creating it again finds none
    Level: must, SPEC §1.4 (deprovisioning, deletion included, removes all team memberships; reprovisioning re-associates only what still references the email)
    Given the target already has the user "eli"
    And a SCIM client deactivated "eli"
    And "eli" has been added to the team "platform" on the target
    When a SCIM client deleted "eli"
    And a SCIM client creates the user "eli" again
    Then the response status is 201
    And "eli" is in no team on the target
    And "eli" is not a member of the team "platform" on the target
