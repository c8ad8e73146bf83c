@cortex @patch
Feature: PATCH changes exactly what its operations name
  PATCH /Users/{id} takes add, replace and remove, with a path or path-less
  with a value object, op matched case-insensitively (SPEC §1.3, RFC 7644
  §3.5.2). Every accepted PATCH is read back with GET: the named attribute
  changed, everything else as the server answered before (except the
  derived displayName and name.formatted, and meta). Every refused PATCH is
  atomic: the user is exactly as it was, version included.

  Scenario Outline: op "<op>" with the path name.givenName sets the given name and nothing else
    Level: must, SPEC §1.3 (add/replace with a path; op case-insensitive); RFC 7644 §3.5.2.1, §3.5.2.3
    Given the target already has the user "ana"
    And a SCIM client noted "ana" as the target shows it
    When a SCIM client PATCHes "ana" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"<op>","path":"name.givenName","value":"Anya"}]}
      """
    Then the response status is 200 or 204
    And the target shows "ana" with given name "Anya" and family name "Example"
    And the target shows "ana" as noted except "name.givenName", "name.formatted", "displayName", "meta.lastModified" and "meta.version"

    Examples:
      | op      |
      | replace |
      | Replace |
      | add     |
      | ADD     |

  Scenario: A path-less replace merges the value object: sub-attributes it leaves out stay
    Level: must, RFC 7644 §3.5.2.3 (a replace without path merges the value's attributes); SPEC §1.3
    Given the target already has the user "ben"
    And a SCIM client noted "ben" as the target shows it
    When a SCIM client PATCHes "ben" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","value":{"name":{"familyName":"Okafor"}}}]}
      """
    Then the response status is 200 or 204
    And the target shows "ben" with given name "Ben" and family name "Okafor"
    And the target shows "ben" as noted except "name.familyName", "name.formatted", "displayName", "meta.lastModified" and "meta.version"

  Scenario: A path-less add with a name object sets the given name and leaves the family name
    Level: must, RFC 7644 §3.5.2.1 (an add without path merges the value's attributes); SPEC §1.3
    Given the target already has the user "cal"
    And a SCIM client noted "cal" as the target shows it
    When a SCIM client PATCHes "cal" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"add","value":{"name":{"givenName":"Callum"}}}]}
      """
    Then the response status is 200 or 204
    And the target shows "cal" with given name "Callum" and family name "Example"
    And the target shows "cal" as noted except "name.givenName", "name.formatted", "displayName", "meta.lastModified" and "meta.version"

  @rfc
  Scenario: Attribute names in a path are case-insensitive, with or without the core schema URN
    Level: must, RFC 7643 §2.1 (attribute names are case-insensitive); RFC 7644 §3.5.2 (path may carry the schema URN)
    Given the target already has the user "dee"
    When a SCIM client PATCHes "dee" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"NAME.GIVENNAME","value":"Dina"},
                     {"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName","value":"Dahl"}]}
      """
    Then the response status is 200 or 204
    And the target shows "dee" with given name "Dina" and family name "Dahl"

  Scenario: remove with a path clears that attribute only
    Level: must, RFC 7644 §3.5.2.2 (remove with a path); SPEC §1.3
    Given the target already has the user "eve"
    And a SCIM client noted "eve" as the target shows it
    When a SCIM client PATCHes "eve" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"name.givenName"}]}
      """
    Then the response status is 200 or 204
    And the target's user "eve" has no "name.givenName"
    And the target shows "eve" with family name "Example"
    And the target shows "eve" as noted except "name.givenName", "name.formatted", "displayName", "meta.lastModified" and "meta.version"

  Scenario: replace with the path active false deactivates the user and changes nothing else
    Level: must, SPEC §1.3 (deactivation through PATCH is accepted); RFC 7644 §3.5.2.3
    Given the target already has the user "fay"
    And a SCIM client noted "fay" as the target shows it
    When a SCIM client PATCHes "fay" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"active","value":false}]}
      """
    Then the response status is 200 or 204
    And "fay" is inactive on the target
    And the target shows "fay" as noted except "active", "meta.lastModified" and "meta.version"

  Scenario: Writing the same email in another case through a value-path filter changes nothing
    Level: must, SPEC §1.3 (userName matched case-insensitively, stored case kept); RFC 7644 §3.5.2.3 (valuePath)
    Given the target already has the user "gil"
    And a SCIM client noted "gil" as the target shows it
    When a SCIM client PATCHes "gil" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"GIL.${random}@EXAMPLE.COM"}]}
      """
    Then the response status is 200 or 204
    And the target still has "gil"'s original userName and email
    And the target shows "gil" as noted except "meta.lastModified" and "meta.version"

  @rfc
  Scenario: remove without a path answers 400 noTarget and changes nothing
    Level: must, RFC 7644 §3.5.2.2 (remove without path: 400 noTarget)
    Given the target already has the user "hal"
    And a SCIM client noted "hal" as the target shows it
    When a SCIM client PATCHes "hal" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove"}]}
      """
    Then the response is a SCIM error with status "400" and scimType "noTarget"
    And the target shows "hal" exactly as noted

  @rfc
  Scenario: remove of a required or read-only attribute answers 400 mutability and changes nothing
    Level: must, RFC 7644 §3.5.2.2 (an attribute removed that is required or read-only: 400 mutability); RFC 7643 §4.1.1 (userName is required), §3.1 (id is readOnly)
    Given the target already has the user "hana"
    Then each PATCH of "hana" with these Operations answers as listed and changes nothing:
      | Operations                          | status | scimType   |
      | [{"op":"remove","path":"userName"}] | 400    | mutability |
      | [{"op":"remove","path":"id"}]       | 400    | mutability |

  @rfc
  Scenario: A value-path filter that matches no email answers 400 noTarget and changes nothing
    Level: must, RFC 7644 §3.5.2.3 (a valuePath that matches nothing: 400 noTarget)
    Given the target already has the user "ian"
    And a SCIM client noted "ian" as the target shows it
    When a SCIM client PATCHes "ian" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"emails[type eq \"home\"].value","value":"${ian.email}"}]}
      """
    Then the response is a SCIM error with status "400" and scimType "noTarget"
    And the target shows "ian" exactly as noted

  Scenario: A PATCH is atomic: one refused operation discards the ones before it
    Level: must, RFC 7644 §3.5.2 (PATCH is atomic: on error the resource is not changed)
    Given the target already has the user "jon"
    And a SCIM client noted "jon" as the target shows it
    When a SCIM client PATCHes "jon" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.givenName","value":"Jonas"},
                     {"op":"replace","value":{"active":false}},
                     {"op":"replace","path":"userName","value":"renamed.${random}@example.com"}]}
      """
    Then the response is a SCIM error with status "400" and scimType "mutability"
    And the target shows "jon" exactly as noted

  Scenario Outline: A PATCH of the read-only <path> answers 400 mutability and changes nothing
    Level: must, RFC 7644 §3.5.2 (readOnly or immutable target: 400 mutability); SPEC §1.3 (displayName is derived)
    Given the target already has the user "kai"
    And a SCIM client noted "kai" as the target shows it
    When a SCIM client PATCHes "kai" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"<path>","value":"x"}]}
      """
    Then the response is a SCIM error with status "400" and scimType "mutability"
    And the target shows "kai" exactly as noted

    @rfc
    Examples: RFC 7643 §3.1: id is readOnly
      | path |
      | id   |

    Examples: SPEC §1.3: displayName is derived from the names
      | path        |
      | displayName |

  @rfc
  Scenario: An unknown op answers 400 and changes nothing
    Level: must, RFC 7644 §3.5.2 (op is add, remove or replace)
    Given the target already has the user "lou"
    And a SCIM client noted "lou" as the target shows it
    When a SCIM client PATCHes "lou" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"merge","path":"name.givenName","value":"Louis"}]}
      """
    Then the response is a SCIM error with status "400"
    And the target shows "lou" exactly as noted
