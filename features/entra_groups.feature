@entra
Feature: Entra ID: groups
  Assigning a group to the app brings its members into scope (group-based
  assignment). With "Provision Microsoft Entra ID Groups" on, Entra also
  looks the group up by displayName (GET /Groups?excludedAttributes=members&
  filter=displayName eq "…"), creates it with POST /Groups and adds its
  provisioned members with a PATCH of members; a member removed in Entra is
  removed with a PATCH (compliant: "remove" with members[value eq "…"];
  legacy: "Remove" with a value list). Microsoft's SCIM endpoint tutorial and
  known-issues page; the exact requests are pinned by simulator/entra's
  golden files.

  Scenario: Assigning a group provisions its members; with group provisioning off no /Groups request is sent
    Level: okta, Microsoft SCIM endpoint tutorial: group-based assignment brings the members into scope
    Given an Entra tenant with the app connected
    And an Entra user "ana"
    And an Entra user "ben"
    And the Entra group "Sales" with "ana" and "ben" is assigned to the app
    When the Entra provisioning cycle runs
    Then Entra's provisioning log for "ana" shows Success for Create
    And Entra's provisioning log for "ben" shows Success for Create
    And Entra sent no /Groups request

  @cortex @groups
  Scenario Outline: Cortex semantics: a target that keeps no groups refuses Entra's group create; the members are provisioned and the admin sees the group's failure (<mode>)
    Level: must, SPEC §1.3 (the server keeps no groups; user provisioning goes on)
    # The Cortex reference keeps no groups (/Groups is read-only and
    # empty): an Entra app for it should leave "Provision Microsoft Entra
    # ID Groups" off. Member add and remove need a target that keeps groups.
    Given an Entra tenant with the app connected
    And the Entra app uses the <mode> SCIM behaviour
    And the Entra app provisions groups
    And an Entra user "cal"
    And an Entra user "dee"
    And the Entra group "Ops" with "cal" and "dee" is assigned to the app
    When the Entra provisioning cycle runs
    Then Entra's provisioning log for "cal" shows Success for Create
    And Entra looked the group up by displayName, then tried to create it
    And Entra's provisioning log for the group shows Failure for Create

    Examples:
      | mode      |
      | compliant |
      | legacy    |

  @groups @group-writes
  Scenario Outline: A target that keeps groups gets Entra's group with exactly its members, and a member removed in Entra leaves it (<mode>)
    Level: okta, Microsoft SCIM endpoint tutorial: Create Group, Update Group [Add Members]; SCIM known issues: requests to remove a group member
    Given an Entra tenant with the app connected
    And the Entra app uses the <mode> SCIM behaviour
    And the Entra app provisions groups
    And an Entra user "cal"
    And an Entra user "dee"
    And the Entra group "Ops" with "cal" and "dee" is assigned to the app
    When the Entra provisioning cycle runs
    Then Entra's provisioning log for the group shows Success
    And Entra pushed the group with "cal" and "dee" as members
    And the target's group "Ops" has exactly the members "cal" and "dee"
    When the Entra admin removes "dee" from the group
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for the group shows Success for Update
    And Entra removed "dee" from the group
    And the target's group "Ops" has exactly the member "cal"

    Examples:
      | mode      |
      | compliant |
      | legacy    |
