@okta @groups @group-writes
Feature: Group Push (Push Groups)
  Pushing an Okta group makes Okta look the group up by displayName
  (GET /Groups?filter=displayName eq "…"), create it with POST /Groups and
  add its members with a PATCH (AIW apps: PUT with the whole member list).
  Membership changes, renames, "Push Now" and "Unlink pushed group" follow
  (SPEC §2.2, Appendix B). Each scenario reads the target's group back with
  GET /Groups/{id} and checks its name and its members exactly: a server
  that answers 200 and drops half a PATCH fails here. Only a target that
  keeps groups runs them (its /ResourceTypes lists Group); the Cortex
  reference keeps none, so it reports them not supported.

  Scenario Outline: Pushing a group creates it with exactly its members (<traffic>)
    Level: okta, Okta SCIM 2.0 guide: Create Groups, then Update Group membership (OIN: PATCH add); SPEC §2.2 (AIW: PUT with the full member list, body shape inferred)
    Given an Okta org with the app connected
    And the app uses the <traffic> traffic profile
    And an Okta user "ana"
    And an Okta user "ben"
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    When the admin pushes the Okta group "Sales" with "ana" and "ben"
    Then Okta's push of the group succeeded
    And Okta looked the group up by displayName, then created it
    And the target's group "Sales" has exactly the members "ana" and "ben"

    Examples:
      | traffic |
      | OIN     |
      | AIW     |

  Scenario Outline: A membership change removes and adds in one push; the group then holds exactly the new members (<traffic>)
    Level: okta, Okta SCIM 2.0 guide: Update Group membership (OIN: one PATCH with a remove per member and one add); SPEC Appendix B; SPEC §2.2 (AIW: PUT, inferred)
    Given an Okta org with the app connected
    And the app uses the <traffic> traffic profile
    And an Okta user "ana"
    And an Okta user "ben"
    And an Okta user "cal"
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And "cal" is assigned the app and provisioned
    And the admin pushes the Okta group "Sales" with "ana" and "ben"
    And Okta's push of the group succeeded
    When the admin removes "ben" from the pushed group and adds "cal"
    Then Okta's push of the group succeeded
    And the target's group "Sales" has exactly the members "ana" and "cal"

    Examples:
      | traffic |
      | OIN     |
      | AIW     |

  Scenario Outline: Renaming a pushed group renames the target's group and keeps its members (<traffic>)
    Level: okta, Okta SCIM 2.0 guide: Update Group name (OIN: path-less PATCH replace of {id, displayName}); SPEC §2.2 (AIW: PUT, inferred)
    Given an Okta org with the app connected
    And the app uses the <traffic> traffic profile
    And an Okta user "ana"
    And an Okta user "ben"
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And the admin pushes the Okta group "Sales" with "ana" and "ben"
    And Okta's push of the group succeeded
    When the admin renames the pushed group to "Revenue"
    Then Okta's push of the group succeeded
    And the target's group "Revenue" has exactly the members "ana" and "ben"

    Examples:
      | traffic |
      | OIN     |
      | AIW     |

  Scenario: "Push Now" on an emptied group replaces the target's members with none
    Level: okta, SPEC Appendix B (observed: "Push Now" on an empty group replaces members with []); RFC 7644 §3.5.2.3
    Given an Okta org with the app connected
    And the app uses the OIN traffic profile
    And an Okta user "ana"
    And an Okta user "ben"
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And the admin pushes the Okta group "Sales" with "ana"
    And Okta's push of the group succeeded
    And the target's group "Sales" has exactly the member "ana"
    And the admin removes every member from the pushed group
    And a SCIM client adds "ben" to the target's group
    And the target's group "Sales" has exactly the member "ben"
    When the admin clicks "Push Now" for the pushed group
    Then Okta's push of the group succeeded
    And the target's group "Sales" has no members

  Scenario: Unlinking a pushed group with "Delete the group in the target app" deletes it
    Level: okta, Okta SCIM 2.0 guide: Delete Group (DELETE /Groups/{id}); RFC 7644 §3.6
    Given an Okta org with the app connected
    And an Okta user "ana"
    And "ana" is assigned the app and provisioned
    And the admin pushes the Okta group "Sales" with "ana"
    And Okta's push of the group succeeded
    And the target's group "Sales" has exactly the member "ana"
    When the admin unlinks the pushed group and deletes it in the app
    Then Okta's push of the group succeeded
    And the target no longer has the group
