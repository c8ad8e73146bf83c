@okta @forcesync
Feature: Force sync (Provisioning > To App > Force sync)
  Force sync re-applies the attribute mappings and pushes the update flow
  only for provisioned users whose mapped values changed. Users assigned
  before provisioning was turned on are not created by it (SPEC §2.2).

  Scenario: Force sync pushes only the users whose mapped values changed
    Level: okta, Okta SCIM 2.0 guide: Force sync pushes only changed users; SPEC §2.2
    Given an Okta org with the app connected
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And "ana"'s last name changed to "Okafor" in Okta while updates were off
    When the admin runs Force sync
    Then Okta pushed the update for "ana" with GET then PUT
    And Okta sent no request for "ben" during Force sync
    And the target shows "ana" with family name "Okafor"

  Scenario: Force sync does not create users assigned before provisioning was turned on
    Level: okta, Okta SCIM 2.0 guide: Force sync does not create users; SPEC §2.2
    Given an Okta org with the app connected
    And "cal" was assigned the app before provisioning was turned on
    When the admin runs Force sync
    Then Okta sent no request for "cal" during Force sync
    And the target has no user "cal"

  Scenario: Force sync after a mapping change pushes only the users whose mapped values changed
    Level: okta, Okta SCIM 2.0 guide: Force sync applies mapping changes; SPEC §2.2
    Given an Okta org with the app connected
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And "ana" has the nickname "Annie" in Okta
    And "ben" has the nickname "Ben" in Okta
    When the admin maps the app's "name.givenName" from the Okta attribute "nickName"
    And the admin runs Force sync
    Then Okta pushed the update for "ana" with GET then PUT
    And Okta sent no request for "ben" during Force sync
    And the target shows "ana" with given name "Annie"
    And the target shows "ben" with given name "Ben"
