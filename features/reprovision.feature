@cortex @revocation
Feature: Reprovision re-associates by email
  "When a deprovisioned user is reprovisioned and logs back in with the same
  email, any ownership or team membership that still references their email
  will continue to be associated with them" (Cortex article; SPEC §1.4).

  @ownership
  Scenario: A reprovisioned user is associated again with the entities they own by email
    Level: must, SPEC §1.4 (reprovisioning)
    Given an Okta org with the app connected
    And the app uses the AIW traffic profile
    And "ana" is assigned the app and provisioned
    And "ana" owns the entity "billing-service" on the target
    And the admin unassigns the app from "ana"
    When the admin assigns the app to "ana"
    Then Okta's provisioning of "ana" succeeded
    And the owner of "billing-service" on the target is "ana"
    And "ana" can open a session on the target

  @teams
  Scenario: A team membership recorded by email before the user existed is associated on creation
    Level: must, SPEC §1.4 (reprovisioning)
    Given an Okta org with the app connected
    And an Okta user "ben"
    And the team "platform" lists "ben"'s email on the target
    When the admin assigns the app to "ben"
    Then Okta's provisioning of "ben" succeeded
    And "ben" is a member of the team "platform" on the target

  @sessions
  Scenario: A deprovisioned user cannot log in until reprovisioned
    Level: must, SPEC §1.4 (reprovisioning)
    Given an Okta org with the app connected
    And the app uses the AIW traffic profile
    And "cal" is assigned the app and provisioned
    And the admin unassigns the app from "cal"
    Then "cal" cannot open a session on the target
    When the admin assigns the app to "cal"
    Then "cal" can open a session on the target

  @ownership
  Scenario: A user deleted and created again with the same email owns their entities again
    Level: must, SPEC §1.4 (reprovisioning)
    Given the target already has the user "dan"
    And "dan" owns the entity "search-api" on the target
    And a SCIM client deleted "dan"
    And no owner of "search-api" on the target is "dan"'s deleted SCIM id
    When a SCIM client creates the user "dan" again
    Then the response status is 201
    And the owner of "search-api" on the target is "dan"
