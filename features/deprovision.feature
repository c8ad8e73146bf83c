@cortex @revocation
Feature: Deprovision revokes access
  When a user is unassigned in Okta, the target must, in one step, remove the
  user's roles and team memberships, delete the user's personal API keys and
  invalidate every session (SPEC §1.4, Cortex article "Deprovisioning users").
  The harness gives access through the target's admin API (probes), then
  deprovisions through Okta, then observes the access again.

  @roles
  Scenario: Deprovisioning removes the user's roles
    Level: must, SPEC §1.4 step 1
    Given an Okta org with the app connected
    And "ana" is assigned the app and provisioned
    And "ana" has been given the role "Viewer" on the target
    When the admin unassigns the app from "ana"
    Then Okta's provisioning of "ana" succeeded
    And "ana" has no roles on the target

  @teams
  Scenario: Deprovisioning removes the user's team memberships
    Level: must, SPEC §1.4 step 2
    Given an Okta org with the app connected
    And "ben" is assigned the app and provisioned
    And "ben" has been added to the team "platform" on the target
    When the admin unassigns the app from "ben"
    Then Okta's provisioning of "ben" succeeded
    And "ben" is in no team on the target

  @apikeys
  Scenario: Deprovisioning deletes the user's personal API keys
    Level: must, SPEC §1.4 step 3
    Given an Okta org with the app connected
    And "cal" is assigned the app and provisioned
    And "cal" has a personal API key on the target
    And "cal"'s personal API key works
    When the admin unassigns the app from "cal"
    Then Okta's provisioning of "cal" succeeded
    And "cal"'s personal API key no longer works

  @sessions
  Scenario: Deprovisioning invalidates the user's sessions
    Level: must, SPEC §1.4 step 4
    Given an Okta org with the app connected
    And "dee" is assigned the app and provisioned
    And "dee" has an active session on the target
    And "dee"'s session works
    When the admin deactivates "dee" in Okta
    Then Okta's provisioning of "dee" succeeded
    And "dee"'s session no longer works

  @roles @teams @apikeys @sessions
  Scenario: Deprovisioning through an AIW app revokes everything at once
    Level: must, SPEC §1.4
    Given an Okta org with the app connected
    And the app uses the AIW traffic profile
    And "eve" is assigned the app and provisioned
    And "eve" has been given the role "Viewer" on the target
    And "eve" has been added to the team "oncall" on the target
    And "eve" has a personal API key on the target
    And "eve" has an active session on the target
    When the admin unassigns the app from "eve"
    Then Okta's provisioning of "eve" succeeded
    And "eve" has no roles on the target
    And "eve" is in no team on the target
    And "eve"'s personal API key no longer works
    And "eve"'s session no longer works

  @teams @settings @keepinteams @serial
  Scenario: With "keep deprovisioned users in teams" on, team memberships stay
    Level: must, SPEC §1.1 (keep deprovisioned users in teams)
    Given an Okta org with the app connected
    And the target keeps deprovisioned users in teams
    And "fay" is assigned the app and provisioned
    And "fay" has been added to the team "design" on the target
    When the admin unassigns the app from "fay"
    Then Okta's provisioning of "fay" succeeded
    And "fay" is a member of the team "design" on the target
