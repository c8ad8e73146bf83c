@cortex @etag
Feature: Versions and If-Match follow the server's own answers
  meta.version and the ETag header name the state of a user (RFC 7644 §3.14).
  A write that changes the user gives it a new version; a refused write
  leaves the user exactly as it was, version included; If-Match with a
  version the server itself gave out before a change answers 412 on PUT,
  PATCH and DELETE, and with the current one is accepted (SPEC §1.3). Each
  read-back compares the whole resource with the server's earlier answer,
  so an attribute that changes when it should not is caught.

  Scenario: A PUT that changes the names moves the version and changes nothing else
    Level: must, RFC 7644 §3.14 (a changed resource has a new version); SPEC §1.3 (only the names change)
    Given the target already has the user "ana"
    And a SCIM client noted "ana" as the target shows it
    When a SCIM client reads "ana" and PUTs it back unchanged except the given name "Anna"
    Then the response status is 200
    And the response has an ETag header equal to "meta.version"
    And the response body has "name.givenName" equal to "Anna"
    And "ana"'s version changed since noted
    And the target shows "ana" with given name "Anna" and family name "Example"
    And the target shows "ana" as noted except "name.givenName", "name.formatted", "displayName", "meta.version" and "meta.lastModified"

  @patch @rfc
  Scenario: A PATCH that changes a name moves the version and changes nothing else
    Level: must, RFC 7644 §3.14 (a changed resource has a new version); RFC 7644 §3.5.2 (PATCH changes only its targets)
    Given the target already has the user "ben"
    And a SCIM client noted "ben" as the target shows it
    When a SCIM client PATCHes "ben" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.familyName","value":"Lindqvist"}]}
      """
    Then the response status is 200 or 204
    And "ben"'s version changed since noted
    And the target shows "ben" with given name "Ben" and family name "Lindqvist"
    And the target shows "ben" as noted except "name.familyName", "name.formatted", "displayName", "meta.version" and "meta.lastModified"

  Scenario: A deactivation moves the version and changes only active
    Level: must, RFC 7644 §3.14 (a changed resource has a new version); SPEC §1.3
    Given the target already has the user "cal"
    And a SCIM client noted "cal" as the target shows it
    When a SCIM client deactivated "cal"
    Then "cal"'s version changed since noted
    And "cal" is inactive on the target
    And the target shows "cal" as noted except "active", "meta.version" and "meta.lastModified"

  @rfc
  Scenario: A PUT that changes nothing keeps the version
    Level: should, RFC 9110 §8.8.1 (a validator is best changed only when stored copies must be invalidated; a needless new tag fails every client's If-Match)
    Given the target already has the user "mia"
    And a SCIM client noted "mia" as the target shows it
    When a SCIM client reads "mia" and PUTs it back unchanged except the given name "Mia"
    Then the response status is 200
    And "mia"'s version is unchanged since noted
    And the target shows "mia" exactly as noted

  @patch @rfc
  Scenario: A PATCH that writes the values already there keeps the version
    Level: should, RFC 9110 §8.8.1 (a validator is best changed only when stored copies must be invalidated; a needless new tag fails every client's If-Match); RFC 7644 §3.14
    Given the target already has the user "nia"
    And a SCIM client noted "nia" as the target shows it
    When a SCIM client PATCHes "nia" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.givenName","value":"Nia"},
                     {"op":"replace","value":{"active":true,"userName":"${nia.userName}"}}]}
      """
    Then the response status is 200 or 204
    And "nia"'s version is unchanged since noted
    And the target shows "nia" exactly as noted

  Scenario: A refused PUT leaves the user exactly as it was, version included
    Level: must, SPEC §1.3 (userName change: 400 mutability, nothing changed); RFC 7644 §3.14
    Given the target already has the user "dee"
    And a SCIM client noted "dee" as the target shows it
    When a SCIM client PUTs "dee" with a new userName and the given name "Deirdre"
    Then the response is a SCIM error with status "400" and scimType "mutability"
    And the target shows "dee" exactly as noted

  Scenario: A duplicate create leaves the existing user exactly as it was
    Level: must, SPEC §1.3 (duplicate: 409 uniqueness); RFC 7644 §3.3
    Given the target already has the user "eve"
    And a SCIM client noted "eve" as the target shows it
    When a SCIM client creates the user "eve" again with the userName in upper case
    Then the response is a SCIM error with status "409" and scimType "uniqueness"
    And the target shows "eve" exactly as noted

  Scenario: A PUT with the version read before an earlier change answers 412 and changes nothing
    Level: must, SPEC §1.3 (If-Match honoured on PUT: 412 on mismatch); RFC 7644 §3.14
    Given the target already has the user "fay"
    And a SCIM client noted "fay" as the target shows it
    And a SCIM client reads "fay" and PUTs it back unchanged except the given name "Faye"
    When a SCIM client PUTs "fay" with the given name "Fiona" and If-Match of the noted version
    Then the response is a SCIM error with status "412"
    And the target shows "fay" with given name "Faye"

  @patch
  Scenario: A PATCH with the version read before an earlier change answers 412 and changes nothing
    Level: must, SPEC §1.3 (If-Match honoured on PATCH: 412 on mismatch); RFC 7644 §3.14
    Given the target already has the user "gus"
    And a SCIM client noted "gus" as the target shows it
    And a SCIM client reads "gus" and PUTs it back unchanged except the given name "Gustav"
    When a SCIM client PATCHes "gus" with If-Match of the noted version:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.givenName","value":"Gunnar"}]}
      """
    Then the response is a SCIM error with status "412"
    And the target shows "gus" with given name "Gustav"

  Scenario: A DELETE with the version read before an earlier change answers 412 and the user stays
    Level: must, SPEC §1.3 (If-Match honoured on DELETE: 412 on mismatch); RFC 7644 §3.14
    Given the target already has the user "hal"
    And a SCIM client noted "hal" as the target shows it
    And a SCIM client reads "hal" and PUTs it back unchanged except the given name "Harold"
    When a SCIM client deletes "hal" with If-Match of the noted version
    Then the response is a SCIM error with status "412"
    And "hal" is active on the target
    And the target shows "hal" with given name "Harold"

  @patch
  Scenario: A PATCH with If-Match of the current version is accepted
    Level: must, SPEC §1.3 (If-Match honoured on PATCH); RFC 7644 §3.14
    Given the target already has the user "ivy"
    When a SCIM client PATCHes "ivy" with If-Match of its current ETag:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.givenName","value":"Ivana"}]}
      """
    Then the response status is 200 or 204
    And the target shows "ivy" with given name "Ivana"

  Scenario: A DELETE with If-Match of the current version deletes the user
    Level: must, SPEC §1.3 (If-Match honoured on DELETE); RFC 7644 §3.14
    Given the target already has the user "jay"
    When a SCIM client deletes "jay" with If-Match of its current ETag
    Then the response status is 204
    When a SCIM client reads "jay"
    Then the response is a SCIM error with status "404"

  @rfc
  Scenario: If-Match "*" matches whatever the current version is
    Level: must, RFC 9110 §13.1.1 ("*" matches any current representation); RFC 7644 §3.14
    Given the target already has the user "kim"
    And a SCIM client reads "kim" and PUTs it back unchanged except the given name "Kimberly"
    When a SCIM client PUTs "kim" with the given name "Kimi" and If-Match "*"
    Then the response status is 200
    And the target shows "kim" with given name "Kimi"

  @rfc
  Scenario: If-None-Match with the current version answers 304, with an older one the user
    Level: should, RFC 7644 §3.14 (If-None-Match: 304 Not Modified when the version matches)
    Given the target already has the user "lea"
    And a SCIM client noted "lea" as the target shows it
    When a SCIM client reads "lea" with If-None-Match of its current ETag
    Then the response status is 304
    Given a SCIM client reads "lea" and PUTs it back unchanged except the given name "Leah"
    When a SCIM client reads "lea" with If-None-Match of the noted version
    Then the response status is 200
    And the response body has "name.givenName" equal to "Leah"

  @filter @rfc
  Scenario: meta.version is compared case-exactly in a filter
    Level: must, RFC 7643 §3.1 (meta.version has caseExact true and equals the ETag); RFC 9110 §8.8.3.2 (entity tags compare character by character)
    Given the target already has the user "ana"
    Then filtering by "ana"'s own meta.version lists exactly that user, and by the version in another case lists none
