@okta @pagination @filter
Feature: Paging returns exactly the page asked for
  Okta's Import reads users page by page with startIndex and count and stops
  when totalResults is covered (SPEC §2.2), so every page must hold exactly
  the users at its place in the target's order, that order must stay the
  same from one request to the next, and the counts must be exact:
  totalResults every match, itemsPerPage the resources on this page,
  startIndex the 1-based index of the first (RFC 7644 §3.4.2, §3.4.2.4).
  Without sortBy RFC 7644 fixes no order, so these scenarios first read the
  whole list in one request and check each page against the target's own
  order; only the Cortex semantics fix it as creation order (SPEC §1.3),
  checked by the @cortex scenario. The users are created out of
  alphabetical order, so creation order is not userName order.
  The users are the scenario's own five, selected by their random suffix, so
  each page is exact on a shared target too.

  Background:
    Given the target already has these users:
      | alias |
      | dee   |
      | ana   |
      | eve   |
      | ben   |
      | cal   |

  Scenario: The target lists the users in the same order every time
    Level: okta, SPEC §2.2 (Import pages through one order with startIndex +100; inferred); RFC 7644 §3.4.2.4
    When a SCIM client reads the whole list of the users matching: userName co "${random}"
    Then the listed users are exactly "ana", "ben", "cal", "dee" and "eve"
    When a SCIM client reads the whole list of the users matching: userName co "${random}" again
    Then the whole list came back in the same order both times

  Scenario: A page in the middle holds count users from startIndex, at their place in the target's order
    Level: okta, SPEC §2.2 (Import pages with startIndex and count); RFC 7644 §3.4.2.4
    When a SCIM client reads the whole list of the users matching: userName co "${random}"
    And a SCIM client asks for startIndex 2 and count 2 of the users matching: userName co "${random}"
    Then the page holds exactly positions 2 to 3 of the whole list
    And the response body has "totalResults" equal to 5
    And the response body has "startIndex" equal to 2

  Scenario: A count larger than the rest returns only the rest
    Level: okta, SPEC §2.2 (Import stops when totalResults is covered); RFC 7644 §3.4.2.4
    When a SCIM client reads the whole list of the users matching: userName co "${random}"
    And a SCIM client asks for startIndex 4 and count 10 of the users matching: userName co "${random}"
    Then the page holds exactly positions 4 to 5 of the whole list
    And the response body has "totalResults" equal to 5
    And the response body has "startIndex" equal to 4

  Scenario: The last user is on the page whose startIndex equals totalResults
    Level: okta, SPEC §2.2 (Import pages until totalResults is covered); RFC 7644 §3.4.2.4 (1-based)
    When a SCIM client reads the whole list of the users matching: userName co "${random}"
    And a SCIM client asks for startIndex 5 and count 1 of the users matching: userName co "${random}"
    Then the page holds exactly position 5 of the whole list
    And the response body has "totalResults" equal to 5
    And the response body has "startIndex" equal to 5

  Scenario: Without startIndex the list starts at the first match and says startIndex 1
    Level: must, RFC 7644 §3.4.2 (startIndex is the 1-based index of the first result); RFC 7644 §3.4.2.4 (startIndex defaults to 1)
    When a SCIM client filters users with: userName co "${random}"
    Then the listed users are exactly "ana", "ben", "cal", "dee" and "eve"
    And the response body has "startIndex" equal to 1

  Scenario: A startIndex beyond the last user gives an empty page and still the full totalResults
    Level: must, RFC 7644 §3.4.2.4 (startIndex past the end: no resources, totalResults unchanged)
    When a SCIM client asks for startIndex 6 and count 2 of the users matching: userName co "${random}"
    Then the page lists no user
    And the response body has "totalResults" equal to 5
    And the response body has "itemsPerPage" equal to 0
    And the response body has "startIndex" equal to 6

  Scenario: count=0 returns no users, only totalResults
    Level: must, RFC 7644 §3.4.2.4 ("0" means no resource results except totalResults)
    When a SCIM client asks for startIndex 1 and count 0 of the users matching: userName co "${random}"
    Then the page lists no user
    And the response body has "totalResults" equal to 5
    And the response body has "itemsPerPage" equal to 0

  Scenario: A startIndex below 1 is read as 1 and a negative count as 0
    Level: must, RFC 7644 §3.4.2.4 (startIndex < 1 SHALL be read as 1; a negative count as 0)
    When a SCIM client reads the whole list of the users matching: userName co "${random}"
    And a SCIM client asks for startIndex 0 and count 2 of the users matching: userName co "${random}"
    Then the page holds exactly positions 1 to 2 of the whole list
    And the response body has "startIndex" equal to 1
    And the response body has "totalResults" equal to 5
    When a SCIM client asks for startIndex 1 and count -1 of the users matching: userName co "${random}"
    Then the page lists no user
    And the response body has "totalResults" equal to 5

  Scenario: Paging an exact userName lookup counts the one match
    Level: okta, SPEC §2.2 (the existence check sends startIndex=1&count=100); RFC 7644 §3.4.2.4
    When a SCIM client asks for startIndex 1 and count 100 of the users matching: userName eq "${cal.userName}"
    Then the listed users are exactly "cal"
    And the response body has "totalResults" equal to 1
    When a SCIM client asks for startIndex 2 and count 100 of the users matching: userName eq "${cal.userName}"
    Then the page lists no user
    And the response body has "totalResults" equal to 1
    When a SCIM client asks for startIndex 1 and count 0 of the users matching: userName eq "${cal.userName}"
    Then the page lists no user
    And the response body has "totalResults" equal to 1

  Scenario: Unfiltered pages hold count users, never more, and totalResults counts them all
    Level: okta, SPEC §2.2 (Test API Credentials and Import page through all users); RFC 7644 §3.4.2.4
    When a SCIM client asks for startIndex 1 and count 1 of all users
    Then the page lists 1 user and "totalResults" is at least 5
    When a SCIM client asks for startIndex 2 and count 3 of all users
    Then the page lists 3 users and "totalResults" is at least 5
    When a SCIM client asks for startIndex 1 and count 0 of all users
    Then the page lists 0 users and "totalResults" is at least 5

  @cortex @rfc
  Scenario: startIndex and count that are not integers answer 400 invalidValue; integers beyond any range are clamped or refused
    Level: should, RFC 7644 §3.4.2.4 (startIndex and count are integers; a server may return fewer than count, and nothing says whether to clamp a huge one or refuse it); RFC 7644 §3.12 (invalidValue)
    When a SCIM client sends GET "/Users?startIndex=1&count=ten"
    Then the response is a SCIM error with status "400" and scimType "invalidValue"
    When a SCIM client sends GET "/Users?startIndex=first&count=1"
    Then the response is a SCIM error with status "400" and scimType "invalidValue"
    When a SCIM client sends GET "/Users?startIndex=99999999999999999999&count=1"
    Then the page lists 0 users and "totalResults" is at least 5, or the value is refused with 400 invalidValue
    When a SCIM client sends GET "/Users?startIndex=1&count=99999999999999999999"
    Then the response is a ListResponse with integer counts, or the value is refused with 400 invalidValue

  @cortex
  Scenario: Pages hold the users in creation order
    Level: must, SPEC §1.3 (ordering is stable: creation order); RFC 7644 §3.4.2.4
    When a SCIM client asks for startIndex 1 and count 2 of the users matching: userName co "${random}"
    Then the page lists exactly "dee" and "ana" in that order
    When a SCIM client asks for startIndex 3 and count 2 of the users matching: userName co "${random}"
    Then the page lists exactly "eve" and "ben" in that order
    When a SCIM client asks for startIndex 5 and count 2 of the users matching: userName co "${random}"
    Then the page lists exactly "cal" in that order
    When a SCIM client asks for startIndex 2 and count 3 of the users matching: userName co "${random}"
    Then the page lists exactly "ana", "eve" and "ben" in that order
    When a SCIM client asks for startIndex 1 and count 100 of the users matching: userName co "${random}"
    Then the page lists exactly "dee", "ana", "eve", "ben" and "cal" in that order
    And the response body has "totalResults" equal to 5
