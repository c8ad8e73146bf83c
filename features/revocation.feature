@cortex @revocation
Feature: Revocation is complete, confined and undone only as specified
  Deprovisioning removes every role, team membership, personal API key and
  session of that user and of no one else, whichever way it comes (PUT or
  PATCH active false, or DELETE); reactivation with PUT restores the default
  role under the same id but none of the revoked keys or sessions (SPEC
  §1.3, §1.4). The harness grants access through the target's probes, then
  observes every grant again.

  @roles @teams @apikeys @sessions
  Scenario: Deprovisioning one user leaves another user's roles, teams, keys and sessions in place
    Level: must, SPEC §1.4 (the deprovisioned user's access is revoked, no one else's)
    Given an Okta org with the app connected
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And "ana" has been added to the team "platform" on the target
    And "ben" has been added to the team "platform" on the target
    And "ben" has been given the role "Viewer" on the target
    And "ana" has a personal API key on the target
    And "ben" has a personal API key on the target
    And "ana" has an active session on the target
    And "ben" has an active session on the target
    When the admin unassigns the app from "ana"
    Then Okta's provisioning of "ana" succeeded
    And "ana" is not a member of the team "platform" on the target
    And "ana"'s personal API key no longer works
    And "ana"'s session no longer works
    And "ben" is a member of the team "platform" on the target
    And "ben" has exactly the roles "User,Viewer" on the target
    And "ben"'s personal API key works
    And "ben"'s session works
    And "ben" is active on the target

  @teams @apikeys @sessions
  Scenario: DELETE revokes the user's keys, sessions and team memberships before the resource goes
    Level: must, SPEC §1.3 (DELETE deprovisions and removes the resource); SPEC §1.4
    Given the target already has the user "cal"
    And "cal" has been added to the team "oncall" on the target
    And "cal" has a personal API key on the target
    And "cal" has an active session on the target
    When a SCIM client deletes "cal"
    Then the response status is 204
    And "cal"'s personal API key no longer works
    And "cal"'s session no longer works
    And "cal" is not a member of the team "oncall" on the target
    When a SCIM client reads "cal"
    Then the response is a SCIM error with status "404"

  @patch @roles @apikeys @sessions
  Scenario: A PATCH of the path active to false revokes like Okta's path-less one
    Level: must, SPEC §1.4 (deprovisioning = inactive through PUT or PATCH)
    Given the target already has the user "dee"
    And "dee" has been given the role "Viewer" on the target
    And "dee" has a personal API key on the target
    And "dee" has an active session on the target
    When a SCIM client PATCHes "dee" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"active","value":false}]}
      """
    Then the response status is 200 or 204
    And "dee" has no roles on the target
    And "dee"'s personal API key no longer works
    And "dee"'s session no longer works

  @roles @teams @apikeys @sessions
  Scenario: PUT reactivation restores the default role under the same id but no revoked key or session
    Level: must, SPEC §1.3 (reactivation: same id, default role); SPEC §1.4 (revoked access stays revoked)
    Given the target already has the user "eve"
    And "eve" has been given the role "Viewer" on the target
    And "eve" has been added to the team "design" on the target
    And "eve" has a personal API key on the target
    And "eve" has an active session on the target
    And a SCIM client deactivated "eve"
    When a SCIM client PUTs "eve" with "active" set to true
    Then the response status is 200
    And the response body has "id" equal to "eve"'s SCIM id
    And "eve" is active on the target
    And "eve" has exactly the roles "User" on the target
    And "eve" is not a member of the team "design" on the target
    And "eve"'s personal API key no longer works
    And "eve"'s session no longer works
    And "eve" can open a session on the target

  @roles @settings @serial @defaultrole
  Scenario: Reactivation gives the default role configured at that time
    Level: must, SPEC §1.1 (default role: given on creation and again on reactivation)
    Given the target already has the user "fay"
    And a SCIM client deactivated "fay"
    And the target's default role is "Viewer"
    When a SCIM client PUTs "fay" with "active" set to true
    Then the response status is 200
    And "fay" has exactly the roles "Viewer" on the target

  @teams @apikeys @sessions @roles @settings @serial @keepinteams
  Scenario: With "keep deprovisioned users in teams" on, only team memberships stay
    Level: must, SPEC §1.1 (keep-in-teams affects team memberships only); SPEC §1.4
    Given the target keeps deprovisioned users in teams
    And the target already has the user "gus"
    And "gus" has been added to the team "design" on the target
    And "gus" has a personal API key on the target
    And "gus" has an active session on the target
    When a SCIM client deactivated "gus"
    Then "gus" is a member of the team "design" on the target
    And "gus" has no roles on the target
    And "gus"'s personal API key no longer works
    And "gus"'s session no longer works

  @roles
  Scenario: A name change leaves the user's roles as they were
    Level: must, SPEC §1.3 (only the names change); SPEC §1.1 (the default role is given on creation and reactivation only)
    Given the target already has the user "hal"
    And "hal" has been given the role "Viewer" on the target
    When a SCIM client reads "hal" and PUTs it back unchanged except the given name "Harald"
    Then the response status is 200
    And "hal" has exactly the roles "User,Viewer" on the target

  @ownership
  Scenario: An entity given by email to a deactivated user is associated when the user is reactivated
    Level: must, SPEC §1.4 (reprovisioning re-associates every record that references the email)
    Given the target already has the user "ivy"
    And a SCIM client deactivated "ivy"
    And "ivy" owns the entity "ledger" on the target
    When a SCIM client PUTs "ivy" with "active" set to true
    Then the response status is 200
    And the owner of "ledger" on the target is "ivy"

  @patch @inflight
  Scenario: A request whose key is revoked while it is still being sent does not succeed
    Level: must, SPEC §1.4 step 4 (a request already authenticated with a revoked credential, even one in flight, must not succeed after the deprovision returns)
    Given the target already has the user "ana"
    And the target already has the user "ben"
    And "ana" has a personal API key on the target that can call SCIM
    When "ana" is deactivated through SCIM while a PATCH of "ben" sent with "ana"'s key is still being sent
    Then the deactivation succeeded, and the PATCH whose key it revoked did not succeed and changed nothing
