@okta
Feature: Okta's CRUD test (OIN submission)
  A port of Okta's published CRUD test, with the simulated org playing the
  real Okta org (SPEC Appendix A). It uses the AIW profile, where every change
  is a PUT, so reactivation works on targets that allow it only through PUT.

  Scenario: Okta's CRUD test passes: create, update, deactivate, reactivate, unassign
    Level: okta, Okta SCIM 2.0 CRUD test
    Given an Okta org with the app connected
    And the app uses the AIW traffic profile
    And an Okta user "crud"
    When the admin assigns the app to "crud"
    Then Okta's provisioning of "crud" succeeded
    And the target has "crud" with the Okta userName, email and names
    When the admin changes "crud"'s name to "Cruddy" "Tester" in Okta
    Then Okta's provisioning of "crud" succeeded
    And the target shows "crud" with given name "Cruddy"
    When the admin deactivates "crud" in Okta
    Then Okta's provisioning of "crud" succeeded
    And "crud" is inactive on the target
    When the admin reactivates "crud" in Okta and assigns the app again
    Then Okta's provisioning of "crud" succeeded
    And "crud" is active on the target
    And "crud" keeps the same SCIM id
    When the admin unassigns the app from "crud"
    Then Okta's provisioning of "crud" succeeded
    And "crud" is inactive on the target
