@cortex
Feature: Each cause of 401 and 403 is told apart exactly
  A request without a usable credential answers 401; a valid key that may
  not use SCIM answers 403: SCIM turned off, a role missing one of the three
  SCIM permissions, or a caller outside the IP allowlist, whose entries are
  single addresses or CIDR ranges, IPv4 or IPv6 (SPEC §1.1, §1.2). Okta shows
  a 403 as "Forbidden from remote server" and a 401 as "Unauthorized", so
  telling them apart tells the admin what to fix.

  @auth @rfc
  Scenario: The auth scheme name is matched case-insensitively
    Level: must, RFC 7235 §2.1 (the auth-scheme is case-insensitive); RFC 6750 §2.1
    When a SCIM client sends GET "/Users?startIndex=1&count=1" with its token under the auth scheme "bearer"
    Then the response status is 200
    When a SCIM client sends GET "/Users?startIndex=1&count=1" with its token under the auth scheme "BEARER"
    Then the response status is 200

  @auth
  Scenario: A key under another auth scheme, or an empty credential, answers 401
    Level: must, SPEC §1.2 (missing or unknown key: 401)
    When a SCIM client sends GET "/Users?startIndex=1&count=1" with its token under the auth scheme "Token"
    Then the response is a SCIM error with status "401"
    When a SCIM client sends GET "/Users?startIndex=1&count=1" with the Authorization "Bearer "
    Then the response is a SCIM error with status "401"

  @auth @forbidden @serial @scimtoggle
  Scenario: While SCIM is turned off, an unknown token still answers 401, not 403
    Level: must, SPEC §1.1 (SCIM off: 403 for a valid key); SPEC §1.2 (unknown key: 401)
    Given an Okta org with the app connected
    And SCIM is turned off on the target
    And the app's API token is replaced by an unknown token
    When the admin clicks "Test API Credentials"
    Then Okta says "Error authenticating: Unauthorized"
    And the target answered 401

  @forbidden @serial @allowlist
  Scenario: A caller outside the IP allowlist answers 403 even with an unknown token
    Level: must, SPEC §1.1 (a caller outside the allowlist answers 403 on SCIM)
    Given an Okta org with the app connected
    And the target's IP allowlist admits only "198.51.100.0/24"
    And Okta calls from "203.0.113.9"
    And the app's API token is replaced by an unknown token
    When the admin clicks "Test API Credentials"
    Then Okta says "Forbidden from remote server"
    And the target answered 403

  @forbidden @rolekeys
  Scenario Outline: A key whose role lacks <missing> answers 403 naming it
    Level: must, SPEC §1.2 (a role without any of the three permissions: 403 naming the missing ones)
    Given an Okta org with the app connected
    And the app's API token belongs to a custom role with only "<has>"
    When the admin clicks "Test API Credentials"
    Then Okta says "Forbidden from remote server"
    And the target answered 403
    And the target's error detail names "<missing>"

    Examples:
      | missing                  | has                                               |
      | CONFIGURE_OIDC_AND_SCIM  | EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS               |
      | EDIT_ROLES               | CONFIGURE_OIDC_AND_SCIM,MANAGE_IDENTITY_MAPPINGS  |
      | MANAGE_IDENTITY_MAPPINGS | CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES                |

  @forbidden @serial @allowlist
  Scenario Outline: The allowlist entry <entry> <verdict> a call from <from>
    Level: must, SPEC §1.1 (allowlist entries are single IPs or CIDR ranges, IPv4 and IPv6)
    Given an Okta org with the app connected
    And the target's IP allowlist admits only "<entry>"
    And Okta calls from "<from>"
    When the admin clicks "Test API Credentials"
    Then Okta says <outcome>

    Examples: CIDR boundaries
      | entry           | verdict | from            | outcome                         |
      | 198.51.100.0/24 | admits  | 198.51.100.0    | the credentials are valid       |
      | 198.51.100.0/24 | admits  | 198.51.100.255  | the credentials are valid       |
      | 198.51.100.0/24 | refuses | 198.51.101.0    | "Forbidden from remote server"  |
      | 198.51.100.0/24 | refuses | 198.51.99.255   | "Forbidden from remote server"  |
      | 198.51.100.7/32 | refuses | 198.51.100.8    | "Forbidden from remote server"  |

    Examples: single addresses and IPv6
      | entry           | verdict | from                 | outcome                         |
      | 198.51.100.7    | admits  | 198.51.100.7         | the credentials are valid       |
      | 198.51.100.7    | refuses | 198.51.100.70        | "Forbidden from remote server"  |
      | 2001:db8::/32   | admits  | 2001:db8:ffff::1     | the credentials are valid       |
      | 2001:db8::/32   | refuses | 2001:db9::1          | "Forbidden from remote server"  |
      | 2001:db8::5     | refuses | 2001:db8::6          | "Forbidden from remote server"  |
      | 198.51.100.0/24 | admits  | ::ffff:198.51.100.20 | the credentials are valid       |
      | 198.51.100.0/24 | refuses | not-an-address       | "Forbidden from remote server"  |
