@cortex @filter
Feature: A filter compares id case-exactly
  The id is issued by the server and is caseExact (RFC 7643 §3.1), so a
  filter on id matches it only as written, whichever way the server
  evaluates the filter.

  @rfc
  Scenario: id eq matches the id as written and not the id in another case
    Level: must, RFC 7643 §3.1 (id is caseExact); RFC 7644 §3.4.2.2 (eq on a caseExact attribute compares exactly)
    Given the target already has the user "ana"
    When a SCIM client filters users by "ana"'s userName and its id
    Then the listed users are exactly "ana"
    When a SCIM client filters users by "ana"'s userName and its id in another case
    Then no user is listed
