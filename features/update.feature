@okta
Feature: Push profile updates (Update user attributes)
  With "Update user attributes" on, a profile change in Okta makes Okta read
  the user (GET /Users/{id}) and PUT the target's own object back with Okta's
  mapped values merged in. Only given and family names may change; the email
  and userName are immutable (SPEC §1.3, Cortex article "Limitations").

  Scenario: Changing the first and last name in Okta updates the target
    Level: okta, Okta SCIM 2.0 CRUD test (a name change in Okta reaches the target)
    Given an Okta org with the app connected
    And "ana" is assigned the app and provisioned
    When the admin changes "ana"'s name to "Anna" "Lindqvist" in Okta
    Then Okta's provisioning of "ana" succeeded
    And Okta pushed the update for "ana" with GET then PUT
    And the target shows "ana" with given name "Anna" and family name "Lindqvist"

  Scenario: A profile push that echoes back read-only attributes is accepted
    Level: okta, SPEC Appendix B (PUT echoes read-only attributes); RFC 7644 §3.5.1 (readOnly values SHALL be ignored)
    Given the target already has the user "ben"
    When a SCIM client reads "ben" and PUTs it back unchanged except the given name "Benjamin"
    Then the response status is 200
    And the target shows "ben" with given name "Benjamin"

  @cortex
  Scenario: displayName follows the given and family names
    Level: must, SPEC §1.3 (displayName is derived from the names)
    Given an Okta org with the app connected
    And "cal" is assigned the app and provisioned
    When the admin changes "cal"'s name to "Calla" "Moreno" in Okta
    Then Okta's provisioning of "cal" succeeded
    And the target's user "cal" has "displayName" equal to "Calla Moreno"

  @cortex
  Scenario: Changing a user's email in Okta is rejected and the email stays unchanged
    Level: must, SPEC §1.3 (the email cannot change)
    Given an Okta org with the app connected
    And "dee" is assigned the app and provisioned
    When the admin changes "dee"'s email to a new address in Okta
    Then Okta's provisioning of "dee" failed with "Error while trying to push profile update"
    And the target answered 400 with scimType "mutability"
    And the target still has "dee"'s original userName and email

  @cortex
  Scenario: Changing the userName with PUT is rejected with mutability and nothing changes
    Level: must, SPEC §1.3 (the userName cannot change: 400 mutability)
    Given the target already has the user "eli"
    When a SCIM client PUTs "eli" with a new userName and the given name "Elias"
    Then the response is a SCIM error with status "400" and scimType "mutability"
    And the target still has "eli"'s original userName and email
    And the target shows "eli" with given name "Eli"

  @cortex @patch
  Scenario: Changing the email with PATCH is rejected with mutability
    Level: must, SPEC §1.3 (the email cannot change: 400 mutability)
    Given the target already has the user "fin"
    When a SCIM client PATCHes "fin" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"changed.${fin.suffix}@example.com"}]}
      """
    Then the response is a SCIM error with status "400" and scimType "mutability"
    And the target still has "fin"'s original userName and email

  @cortex
  Scenario: Attributes other than the names are ignored, not errors
    Level: must, SPEC §1.3 (other attributes in a PUT are ignored)
    Given the target already has the user "gil"
    When a SCIM client PUTs "gil" with the given name "Gilda" and extra attributes:
      """
      {"title":"Chief Llama","nickName":"gg","locale":"fr-FR",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Zoo"}}
      """
    Then the response status is 200
    And the target shows "gil" with given name "Gilda" and family name "Example"
    And the target's user "gil" has no "title"
    And the target's user "gil" has no "nickName"
    And the target still has "gil"'s original userName and email

  @patch
  Scenario: A PATCH with a path replaces the given name
    Level: must, RFC 7644 §3.5.2.3 (replace with a path)
    Given the target already has the user "hugo"
    When a SCIM client PATCHes "hugo" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.givenName","value":"Hugh"}]}
      """
    Then the response status is 200
    And the target shows "hugo" with given name "Hugh"

  @cortex @etag @rfc
  Scenario: If-Match with a stale ETag answers 412 and changes nothing
    Level: must, RFC 7644 §3.14 (a stale If-Match answers 412 and changes nothing)
    Given the target already has the user "iris"
    When a SCIM client PUTs "iris" with the given name "Irene" and a stale If-Match
    Then the response is a SCIM error with status "412"
    And the target shows "iris" with given name "Iris"

  @cortex @etag @rfc
  Scenario: If-Match with the current ETag is accepted
    Level: must, RFC 7644 §3.14 (If-Match with the current ETag succeeds)
    Given the target already has the user "jay"
    When a SCIM client PUTs "jay" with the given name "Jason" and If-Match of its current ETag
    Then the response status is 200
    And the target shows "jay" with given name "Jason"

  @cortex @etag @patch @rfc
  Scenario: PATCH with a stale If-Match answers 412 and changes nothing
    Level: must, RFC 7644 §3.14 (a stale If-Match answers 412 and changes nothing)
    Given the target already has the user "kim"
    When a SCIM client PATCHes "kim" with a stale If-Match:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.givenName","value":"Kimberly"}]}
      """
    Then the response is a SCIM error with status "412"
    And the target shows "kim" with given name "Kim"
