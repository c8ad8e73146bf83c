@okta @deactivation
Feature: Unassign or deactivate a user (Deactivate users)
  With "Deactivate users" on, unassigning the app or deactivating the Okta
  user deactivates the user on the target. OIN apps send a path-less PATCH
  {"op":"replace","value":{"active":false}}; AIW apps GET the user and PUT it
  with active false. Okta never sends DELETE (SPEC §2.2, Appendix B).

  Scenario Outline: Unassigning the app deactivates the user on the target (<traffic> app)
    Level: okta, Okta SCIM 2.0 CRUD test (unassigning sets active false on the target)
    Given an Okta org with the app connected
    And the app uses the <traffic> traffic profile
    And "ana" is assigned the app and provisioned
    When the admin unassigns the app from "ana"
    Then Okta's provisioning of "ana" succeeded
    And Okta deactivated "ana" with <request>
    And "ana" is inactive on the target
    And "ana" keeps its userName, email and names on the target

    Examples:
      | traffic | request |
      | OIN     | PATCH   |
      | AIW     | PUT     |

  Scenario: Deactivating the user in Okta deactivates the user on the target
    Level: okta, Okta SCIM 2.0 CRUD test (deactivating sets active false on the target)
    Given an Okta org with the app connected
    And "ben" is assigned the app and provisioned
    When the admin deactivates "ben" in Okta
    Then Okta's provisioning of "ben" succeeded
    And "ben" is inactive on the target
    And "ben" keeps its userName, email and names on the target

  @patch
  Scenario: Okta's path-less deactivation PATCH is accepted
    Level: okta, SPEC Appendix B (Okta deactivates with a path-less PATCH)
    Given the target already has the user "cal"
    And a SCIM client noted "cal" as the target shows it
    When a SCIM client PATCHes "cal" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","value":{"active":false}}]}
      """
    Then the response status is 200 or 204
    And "cal" is inactive on the target
    And "cal" keeps its userName, email and names on the target
    And the target shows "cal" as noted except "active", "meta.lastModified" and "meta.version"

  @patch
  Scenario: Duplicate concurrent deactivations of one user are harmless
    Level: okta, SPEC Appendix B (Okta can send duplicate deprovisions)
    # Four rounds: a server whose own version check leaks out as 412 loses only some races.
    Given the target already has the user "dee"
    And the target already has the user "dan"
    And the target already has the user "dot"
    And the target already has the user "del"
    When two SCIM clients send Okta's deactivation PATCH for "dee" at the same time
    Then both deactivations answered 200 or 204
    And "dee" is inactive on the target
    When two SCIM clients send Okta's deactivation PATCH for "dan" at the same time
    Then both deactivations answered 200 or 204
    And "dan" is inactive on the target
    When two SCIM clients send Okta's deactivation PATCH for "dot" at the same time
    Then both deactivations answered 200 or 204
    And "dot" is inactive on the target
    When two SCIM clients send Okta's deactivation PATCH for "del" at the same time
    Then both deactivations answered 200 or 204
    And "del" is inactive on the target

  Scenario: A deactivated user is still readable with active false
    Level: okta, Okta SCIM 2.0 guide: Deactivate users (active false; Okta never sends DELETE and reads the user again)
    Given an Okta org with the app connected
    And "eve" is assigned the app and provisioned
    When the admin unassigns the app from "eve"
    Then a SCIM client can still read "eve" with "active" equal to false
