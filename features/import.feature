@okta @import
Feature: Import users (Provisioning > To Okta > Import Now)
  Okta imports users with GET /Users?startIndex=1&count=100 and follows with
  startIndex +100 until totalResults is covered; inactive users are skipped
  (SPEC §2.2). Counts must be JSON integers and startIndex is 1-based
  (RFC 7644 §3.4.2.4).

  @pagination @serial
  Scenario: Import reads every user across pages of 100
    Level: okta, Okta SCIM 2.0 guide: Import users (pages of 100); SPEC §2.2
    Given the target already has 130 users named "imp"
    And an Okta org with the app connected
    When the admin imports users from the app
    Then Okta's import succeeded
    And Okta imported all 130 users named "imp"
    And Okta read the users in pages of 100 starting at 1

  @serial
  Scenario: Import skips inactive users
    Level: okta, Okta SCIM 2.0 guide: Import users skips inactive users; SPEC §2.2
    Given the target already has the user "ana"
    And the target already has the user "ben"
    And a SCIM client deactivated "ben"
    And an Okta org with the app connected
    When the admin imports users from the app
    Then Okta's import succeeded
    And Okta imported "ana"
    And Okta did not import "ben"
