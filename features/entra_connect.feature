@entra
Feature: Entra ID: Test Connection
  The admin types the Tenant URL and Secret Token and clicks Test Connection.
  Entra queries the target for a user that cannot exist, GET /Users?filter=
  userName eq "<random GUID>", sending the token as a bearer token; the target
  must answer 200 OK with an empty ListResponse (Microsoft's SCIM endpoint
  tutorial, "Integrate your SCIM endpoint with the Microsoft Entra
  provisioning service").

  Scenario: Test Connection succeeds against a working SCIM endpoint
    Level: okta, Microsoft SCIM endpoint tutorial: Test Connection (200 OK and an empty ListResponse for userName eq a random GUID)
    Given an Entra tenant with the app connected
    When the Entra admin clicks "Test Connection"
    Then Entra says the connection test succeeded
    And Entra's Test Connection filtered userName on a random GUID

  @auth
  Scenario: Test Connection with an unknown token shows Entra's invalid-credentials notification
    Level: must, RFC 7644 §3.12 (an unknown bearer token is refused with 401)
    Given an Entra tenant with the app connected
    And the Entra app's secret token is replaced by an unknown token
    When the Entra admin clicks "Test Connection"
    Then the target answered 401
    And Entra says "You appear to have entered invalid credentials"

  @cortex @forbidden @serial @scimtoggle
  Scenario: With SCIM turned off on the target, Entra's Test Connection is refused with 403
    Level: must, SPEC §1.1 (SCIM off answers 403)
    Given an Entra tenant with the app connected
    And SCIM is turned off on the target
    When the Entra admin clicks "Test Connection"
    Then the target answered 403
    And Entra says "You appear to have entered invalid credentials"

  @cortex @forbidden @serial @allowlist
  Scenario: Entra calling from outside the IP allowlist is refused with 403
    Level: must, SPEC §1.1 (a caller outside the allowlist answers 403)
    Given an Entra tenant with the app connected
    And the target's IP allowlist admits only "198.51.100.0/24"
    And Entra calls from "203.0.113.9"
    When the Entra admin clicks "Test Connection"
    Then the target answered 403
