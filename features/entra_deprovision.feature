@entra
Feature: Entra ID: disable, enable, delete
  Entra never deactivates with PUT: a user who is disabled, unassigned,
  out of scope or soft-deleted in Entra is disabled on the target with a
  PATCH of active (compliant: "replace" and false; legacy: "Replace" and the
  string "False", known-issues page), and a user deleted permanently (30 days
  after the soft delete, or by the admin) is deleted with DELETE /Users/{id}
  (Microsoft's SCIM endpoint tutorial; "How Application Provisioning works").

  Scenario Outline: Disabling the user in Entra disables it on the target (<mode> behaviour)
    Level: okta, Microsoft SCIM known issues: disable is PATCH active false (compliant) or "False" (legacy)
    Given an Entra tenant with the app connected
    And the Entra app uses the <mode> SCIM behaviour
    And "ana" is assigned the Entra app and provisioned
    When the Entra admin disables "ana"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "ana" shows Success for Disable
    And Entra disabled "ana" with PATCH active <value>
    And "ana" is inactive on the target

    Examples:
      | mode      | value   |
      | compliant | false   |
      | legacy    | "False" |

  Scenario: Unassigning the app disables the user, who stays readable
    Level: okta, Microsoft SCIM endpoint tutorial: Disable User (PATCH active false), the user is kept
    Given an Entra tenant with the app connected
    And "ben" is assigned the Entra app and provisioned
    When the Entra admin unassigns the app from "ben"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "ben" shows Success for Disable
    And a SCIM client can still read "ben" with "active" equal to false

  Scenario: Deleting the user in Entra disables it; the permanent deletion deletes it
    Level: okta, Microsoft SCIM endpoint tutorial: Disable User, then Delete User (204, then no user)
    Given an Entra tenant with the app connected
    And "cal" is assigned the Entra app and provisioned
    When the Entra admin deletes "cal"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "cal" shows Success for Disable
    And "cal" is inactive on the target
    When "cal" is permanently deleted in Entra
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "cal" shows Success for Delete
    And Entra deleted "cal" with DELETE
    And the target has no user "cal"

  @auth
  Scenario: Requests refused again and again put the provisioning job in quarantine
    Level: okta, Microsoft "Application provisioning in quarantine status": consistent 401s quarantine the job
    Given an Entra tenant with the app connected
    And an Entra user "dee"
    And the Entra admin assigns the app to "dee"
    And the Entra app's secret token is replaced by an unknown token
    When the Entra provisioning cycle runs 3 times
    Then Entra's provisioning log for "dee" shows Failure with "401 Unauthorized"
    And the Entra provisioning job is in quarantine

  @cortex
  Scenario Outline: Cortex semantics: Entra re-enables with PATCH active true, which is refused; the user stays inactive (<how>)
    Level: must, SPEC §1.3 (PATCH active true on an inactive user is 400 mutability)
    # Cortex allows reactivation only through PUT (SPEC §1.3, Cortex article
    # "Limitations"); Entra has no PUT. A Cortex target answers 400
    # mutability, the Entra admin sees a Failure entry at every cycle, and
    # the user has to be reactivated on the target side.
    Given an Entra tenant with the app connected
    And "eve" is assigned the Entra app and provisioned
    And the Entra admin <off> "eve"
    And the Entra provisioning cycle runs
    When the Entra admin <on> "eve"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "eve" shows Failure with "400 Bad Request"
    And the target refused Entra's request for "eve" with 400 and scimType "mutability"
    And "eve" stays inactive on the target
    And "eve" keeps the same SCIM id

    Examples:
      | how                     | off      | on       |
      | disabled, then enabled  | disables | enables  |
      | deleted, then restored  | deletes  | restores |

  @cortex @revocation @roles @teams @apikeys @sessions
  Scenario: Cortex semantics: disabling through Entra revokes everything at once
    Level: must, SPEC §1.4
    Given an Entra tenant with the app connected
    And "fay" is assigned the Entra app and provisioned
    And "fay" has been given the role "Viewer" on the target
    And "fay" has been added to the team "oncall" on the target
    And "fay" has a personal API key on the target
    And "fay" has an active session on the target
    When the Entra admin unassigns the app from "fay"
    And the Entra provisioning cycle runs
    Then Entra's provisioning log for "fay" shows Success for Disable
    And "fay" has no roles on the target
    And "fay" is in no team on the target
    And "fay"'s personal API key no longer works
    And "fay"'s session no longer works
