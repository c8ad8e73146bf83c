@okta
Feature: Connect Okta to the app (Test API Credentials)
  An Okta admin pastes an API token into the app's Provisioning > Integration
  panel and clicks "Test API Credentials". Okta sends
  GET /Users?startIndex=1&count=2 and shows a verdict (SPEC §2.2, §2.3).

  Scenario: Test API Credentials succeeds with a valid API token
    Level: okta, Okta SCIM 2.0 guide: Test API Credentials (GET /Users?startIndex=1&count=2 answers 200)
    Given an Okta org with the app connected
    When the admin clicks "Test API Credentials"
    Then Okta says the credentials are valid
    And Okta sent "GET /Users?startIndex=1&count=2"

  @auth
  Scenario: An unknown API token is rejected with 401
    Level: okta, Okta SCIM 2.0 spec test step 11 (an unknown token answers 401)
    Given an Okta org with the app connected
    And the app's API token is replaced by an unknown token
    When the admin clicks "Test API Credentials"
    Then Okta says "Error authenticating: Unauthorized"
    And the target answered 401

  @auth
  Scenario: A SCIM request without credentials is rejected with 401
    Level: okta, Okta SCIM 2.0 spec test step 11 (no valid token answers 401 with an Error body)
    When a SCIM client sends GET "/Users?startIndex=1&count=1" without credentials
    Then the response status is 401
    And the response is a SCIM error with status "401"

  @cortex @forbidden @serial @scimtoggle
  Scenario: Test API Credentials says Forbidden from remote server while SCIM is turned off
    Level: must, SPEC §1.1 (SCIM off answers 403)
    Given an Okta org with the app connected
    And SCIM is turned off on the target
    When the admin clicks "Test API Credentials"
    Then Okta says "Forbidden from remote server"
    And the target answered 403

  @cortex @forbidden @rolekeys
  Scenario: Test API Credentials says Forbidden from remote server for a key without the three SCIM permissions
    Level: must, SPEC §1.2 (a key lacking a SCIM permission answers 403 naming it)
    Given an Okta org with the app connected
    And the app's API token belongs to a custom role with only "EDIT_ROLES"
    When the admin clicks "Test API Credentials"
    Then Okta says "Forbidden from remote server"
    And the target answered 403
    And the target's error detail names "CONFIGURE_OIDC_AND_SCIM" and "MANAGE_IDENTITY_MAPPINGS"

  @cortex @forbidden @rolekeys
  Scenario: A custom role holding exactly the three SCIM permissions passes Test API Credentials
    Level: must, SPEC §1.2 (the three SCIM permissions are enough)
    Given an Okta org with the app connected
    And the app's API token belongs to a custom role with only "CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS"
    When the admin clicks "Test API Credentials"
    Then Okta says the credentials are valid

  @cortex @forbidden @serial @allowlist
  Scenario: Test API Credentials says Forbidden from remote server when Okta calls from outside the IP allowlist
    Level: must, SPEC §1.1 (a caller outside the allowlist answers 403)
    Given an Okta org with the app connected
    And the target's IP allowlist admits only "198.51.100.0/24"
    And Okta calls from "203.0.113.9"
    When the admin clicks "Test API Credentials"
    Then Okta says "Forbidden from remote server"
    And the target answered 403

  @cortex @forbidden @serial @allowlist
  Scenario: Okta calling from inside the IP allowlist passes Test API Credentials
    Level: must, SPEC §1.1 (a caller inside the allowlist is served)
    Given an Okta org with the app connected
    And the target's IP allowlist admits only "198.51.100.0/24"
    And Okta calls from "198.51.100.20"
    When the admin clicks "Test API Credentials"
    Then Okta says the credentials are valid
