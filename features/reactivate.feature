@okta @reactivation
Feature: Reassign or reactivate a user
  Reassigning the app to a deactivated user reactivates the user on the
  target. The Cortex semantics allow reactivation only through PUT, which
  keeps the SCIM id and gives the default role again; a PATCH setting
  active true is rejected with mutability and the user stays inactive
  (SPEC §1.3, Cortex article "Limitations").

  Scenario: Reassigning the app reactivates the user with PUT and keeps the same SCIM id (AIW app)
    Level: okta, Okta SCIM 2.0 CRUD test (reactivate and reassign: active true, same SCIM id)
    Given an Okta org with the app connected
    And the app uses the AIW traffic profile
    And "ana" is assigned the app and provisioned
    And the admin unassigns the app from "ana"
    When the admin assigns the app to "ana"
    Then Okta's provisioning of "ana" succeeded
    And Okta reactivated "ana" with PUT
    And "ana" is active on the target
    And "ana" keeps the same SCIM id

  Scenario Outline: Reactivating the user in Okta reactivates the user with the same SCIM id (<traffic> app)
    Level: okta, Okta SCIM 2.0 CRUD test (reactivate and reassign: active true, same SCIM id)
    Given an Okta org with the app connected
    And the app uses the <traffic> traffic profile
    And "ben" is assigned the app and provisioned
    And the admin deactivates "ben" in Okta
    When the admin reactivates "ben" in Okta and assigns the app again
    Then the reactivation of "ben" <outcome>
    And "ben" keeps the same SCIM id

    @cortex
    Examples: Cortex semantics
      | traffic | outcome |
      | AIW     | succeeded with PUT and "ben" is active on the target |
      | OIN     | was refused by the target with mutability and "ben" stays inactive |

  @cortex
  Scenario: PUT reactivation keeps the same id
    Level: must, SPEC §1.3 (PUT reactivation keeps the id)
    Given the target already has the user "cal"
    And a SCIM client deactivated "cal"
    When a SCIM client PUTs "cal" with "active" set to true
    Then the response status is 200
    And the response body has "id" equal to "cal"'s SCIM id
    And "cal" is active on the target

  @cortex @patch
  Scenario: PATCH active true on an inactive user is rejected and the user stays inactive
    Level: must, SPEC §1.3 (PATCH active true on an inactive user is 400 mutability)
    Given the target already has the user "dee"
    And a SCIM client deactivated "dee"
    When a SCIM client PATCHes "dee" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","value":{"active":true}}]}
      """
    Then the response is a SCIM error with status "400" and scimType "mutability"
    And "dee" is inactive on the target

  @cortex @roles
  Scenario: Reactivation gives the default role again
    Level: must, SPEC §1.1 (the default role again on reactivation)
    Given an Okta org with the app connected
    And the app uses the AIW traffic profile
    And "eve" is assigned the app and provisioned
    And "eve" has been given the role "Viewer" on the target
    And the admin unassigns the app from "eve"
    When the admin assigns the app to "eve"
    Then Okta's provisioning of "eve" succeeded
    And "eve" has exactly the roles "User" on the target
