@entra
Feature: Entra ID: provision and update users
  Entra's provisioning job evaluates the users in scope (assigned to the app)
  in cycles: the initial cycle when provisioning starts, then incremental
  cycles with what changed. For each user it queries the target by the
  matching attribute, GET /Users?filter=userName eq "<userPrincipalName>",
  creates the user with POST /Users when nothing matches, and otherwise
  PATCHes the attributes that differ. The default mappings send
  userPrincipalName as userName, mail as emails[type eq "work"].value,
  mailNickname as externalId (Microsoft's SCIM endpoint tutorial). The PATCH
  shape depends on the app's SCIM behaviour: compliant (aadOptscim062020, the
  default for new apps) or legacy ("Replace", "Add", string booleans; the
  known-issues page).

  Scenario Outline: The initial cycle checks for the user by userName, then creates it (<mode> behaviour)
    Level: okta, Microsoft SCIM endpoint tutorial: Get User by query, then Create User; mailNickname kept as externalId
    Given an Entra tenant with the app connected
    And the Entra app uses the <mode> SCIM behaviour
    And an Entra user "Ana.Case"
    When the Entra admin assigns the app to "Ana.Case"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "Ana.Case" shows Success for Create
    And Entra checked whether "Ana.Case" exists before creating it
    And the target has "Ana.Case" with the Entra userName, email and names
    And the target's userName for "Ana.Case" is exactly the Entra userPrincipalName
    And the target's user "Ana.Case" has externalId equal to the Entra mailNickname

    Examples:
      | mode      |
      | compliant |
      | legacy    |

  Scenario: Provision on demand creates one assigned user right away
    Level: okta, Microsoft on-demand provisioning: import, scope, match, then Create User
    Given an Entra tenant with the app connected
    And an Entra user "ben"
    And the Entra admin assigns the app to "ben"
    When the Entra admin provisions "ben" on demand
    Then Entra's provisioning log for "ben" shows Success for Create
    And the target has "ben" with the Entra userName, email and names

  Scenario: A user who is not assigned to the app is skipped and nothing is sent
    Level: okta, Microsoft provisioning logs: a user out of scope is skipped (NotEffectivelyEntitled)
    Given an Entra tenant with the app connected
    And an Entra user "cal"
    When the Entra provisioning cycle runs
    Then Entra's provisioning log for "cal" shows Skipped
    And Entra sent nothing for "cal"

  Scenario: A user who already exists on the target in another case is matched by userName, not created again
    Level: okta, Microsoft SCIM endpoint tutorial: matching by userName (RFC 7644 §3.4.2.2 filter eq; RFC 7643 §4.1.1 userName is case-insensitive)
    Given an Entra tenant with the app connected
    And the target already has "dee" with the userName in upper case
    And an Entra user "dee"
    When the Entra admin assigns the app to "dee"
    And the Entra provisioning cycle runs
    Then Entra did not create "dee"
    And the target has exactly one user matching "dee" in any case

  Scenario: A surname change is pushed with the compliant path-less replace
    Level: okta, Microsoft SCIM known issues: aadOptscim062020 replaces several attributes in one path-less op keyed by path
    Given an Entra tenant with the app connected
    And "eve" is assigned the Entra app and provisioned
    When the Entra admin changes "eve"'s surname to "Lima"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "eve" shows Success for Update
    And Entra updated "eve" with lower-case PATCH ops
    And the target shows "eve" with family name "Lima"

  Scenario: Legacy Entra's capitalised "Replace" ops are accepted (RFC 7644 §3.5.2 op values are case-insensitive)
    Level: okta, Microsoft SCIM endpoint tutorial: the op values Add, Replace and Remove are capitalised; op matching must be case-insensitive
    Given an Entra tenant with the app connected
    And the Entra app uses the legacy SCIM behaviour
    And "fay" is assigned the Entra app and provisioned
    When the Entra admin changes "fay"'s mailNickname to "fay.renamed"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "fay" shows Success for Update
    And Entra updated "fay" with capitalised PATCH ops
    And the target's user "fay" has "externalId" equal to "fay.renamed"

  @cortex
  Scenario Outline: Cortex semantics: a mail change is refused, the email stays, and the Entra admin sees the failure (<mode>)
    Level: must, SPEC §1.3 (the email cannot change: 400 mutability)
    Given an Entra tenant with the app connected
    And the Entra app uses the <mode> SCIM behaviour
    And "gus" is assigned the Entra app and provisioned
    When the Entra admin changes "gus"'s mail to a new address
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "gus" shows Failure with "400 Bad Request"
    And the target refused Entra's request for "gus" with 400 and scimType "mutability"
    And the target still has "gus"'s original userName and email

    Examples:
      | mode      |
      | compliant |
      | legacy    |

  @cortex
  Scenario: Cortex semantics: legacy Entra's name change names the derived name.formatted by path and is refused
    Level: must, SPEC §1.3 (the name is derived; a path to a derived attribute is 400 mutability)
    Given an Entra tenant with the app connected
    And the Entra app uses the legacy SCIM behaviour
    And "hal" is assigned the Entra app and provisioned
    When the Entra admin changes "hal"'s surname to "Lima"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "hal" shows Failure with "400 Bad Request"
    And the target refused Entra's request for "hal" with 400 and scimType "mutability"
    And the target shows "hal" with family name "Example"

  Scenario: With "Sync all users and groups", a user is provisioned without an assignment
    Level: okta, Microsoft SCIM endpoint tutorial: the scope "Sync all users and groups" provisions every user
    Given an Entra tenant with the app connected
    And the Entra app syncs all users and groups
    And an Entra user "jon"
    When the Entra provisioning cycle runs
    Then Entra's provisioning log for "jon" shows Success for Create
    And the target has "jon" with the Entra userName, email and names

  Scenario: Entra's enterprise extension is accepted on create and by path in a legacy update
    Level: must, RFC 7643 §4.3 (the enterprise extension); RFC 7644 §3.5.2 (a PATCH path into an extension)
    Given an Entra tenant with the app connected
    And the Entra app uses the legacy SCIM behaviour
    And an Entra user "kim" in the department "Sales"
    And the Entra admin assigns the app to "kim"
    When the Entra provisioning cycle runs
    Then Entra's provisioning log for "kim" shows Success for Create
    When the Entra admin moves "kim" to the department "Ops"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "kim" shows Success for Update
    And Entra's requests for "kim" carried the enterprise extension
