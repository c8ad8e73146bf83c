@okta
Feature: HTTP answers around the SCIM endpoints
  What every answer owes the client at the HTTP level, whichever endpoint
  it comes from: a 401 names the auth scheme to use (RFC 7235, RFC 6750),
  an error carries scimType only as one of RFC 7644's keywords, a path or
  method the service provider does not serve is refused with a SCIM error
  body Okta can parse, and a 405 tells the methods the endpoint does serve
  (RFC 9110).

  @auth
  Scenario: A 401 carries a WWW-Authenticate challenge
    Level: must, RFC 7235 §3.1 (a 401 MUST carry WWW-Authenticate with at least one challenge); RFC 6750 §3
    When a SCIM client sends GET "/Users?startIndex=1&count=1" without credentials
    Then the response status is 401
    And the response has a WWW-Authenticate challenge
    And the response is a SCIM error with status "401"
    And the error carries no scimType, or one of RFC 7644's keywords
    When a SCIM client sends GET "/Users?startIndex=1&count=1" with the Authorization "Bearer not-a-key-of-this-target"
    Then the response status is 401
    And the response has a WWW-Authenticate challenge
    And the response is a SCIM error with status "401"

  @auth
  Scenario: A 401 names invalid_token when a token was sent, and no error code when none was
    Level: should, RFC 6750 §3 (a request whose access token failed authentication SHOULD get the error attribute); §3.1 (a request without any authentication information SHOULD NOT get an error code)
    When a SCIM client sends GET "/Users?startIndex=1&count=1" without credentials
    Then the response status is 401
    And the WWW-Authenticate challenge carries no error code
    When a SCIM client sends GET "/Users?startIndex=1&count=1" with the Authorization "Bearer not-a-key-of-this-target"
    Then the response status is 401
    And the WWW-Authenticate challenge names the error "invalid_token"

  Scenario: An unknown path under the SCIM base URL answers 404 as a SCIM error
    Level: must, RFC 7644 §3.12 (errors MUST be returned as JSON bodies with the Error schema); RFC 9110 §15.5.5 (404)
    When a SCIM client sends GET "/NoSuchEndpoint"
    Then the response is a SCIM error with status "404"
    And the error carries no scimType, or one of RFC 7644's keywords
    When a SCIM client sends GET "/Users/${random}/NoSuchEndpoint"
    Then the response is a SCIM error with status "404"

  Scenario Outline: <method> <path>, a method the endpoint does not serve, is refused with a SCIM error
    Level: must, RFC 7644 §3.12 (errors are SCIM error bodies); RFC 9110 §15.5.6 (a 405 MUST carry Allow listing the supported methods)
    When a SCIM client sends <method> "<path>"
    Then the target refused the method with a SCIM error, and a 405's Allow header lists <allowed>

    Examples:
      | method | path                   | allowed          |
      | PATCH  | /Users                 | "GET" and "POST" |
      | DELETE | /ServiceProviderConfig | "GET"            |

  @cortex @forbidden @serial @allowlist
  Scenario: Without a client IP header setting, the allowlist judges the connection's address
    Level: must, SPEC §1.1 (the client IP header defaults to none: the socket address is used)
    Given an Okta org with the app connected
    And the target's IP allowlist admits every address, with no client IP header
    And Okta calls from "not-an-address"
    When the admin clicks "Test API Credentials"
    Then Okta says the credentials are valid
