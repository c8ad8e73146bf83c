@cortex @patch
Feature: Every PATCH form answers as the RFC and the Cortex rules say
  Beyond the forms Okta sends, a PatchOp body can name attributes by their
  full URN, replace or remove a whole complex attribute, carry values of the
  wrong type, or have no operations at all (RFC 7644 §3.5.2). Each table
  row below is one PATCH of the same user; after the rows the user reads
  back exactly as before (meta aside), because every row either writes what
  is already there or is refused, and a refused PATCH applies nothing. The
  forms that do change the user are read back attribute by attribute.

  @rfc
  Scenario: Malformed PATCH bodies and values of the wrong type answer 400 with the RFC's scimType and change nothing
    Level: must, RFC 7644 §3.5.2 ("Operations" is an array of one or more operations); RFC 7644 §3.12 (invalidSyntax, invalidValue); RFC 7643 §2.3 (attribute data types)
    Given the target already has the user "ana"
    Then each PATCH of "ana" with these Operations answers as listed and changes nothing:
      | Operations                                                | status | scimType                      |
      | absent                                                    | 400    | invalidSyntax or invalidValue |
      | []                                                        | 400    | invalidSyntax or invalidValue |
      | {"op":"replace","path":"name.givenName","value":"Anya"}   | 400    | invalidSyntax or invalidValue |
      | [{"op":"replace","path":"name.givenName","value":42}]     | 400    | invalidValue                  |
      | [{"op":"replace","path":"name","value":{"givenName":42}}] | 400    | invalidValue                  |
      | [{"op":"add","value":{"name":{"familyName":true}}}]       | 400    | invalidValue                  |
      | [{"op":"replace","path":"name","value":"Anya Example"}]   | 400    | invalidValue                  |
      | [{"op":"replace","path":"active","value":"maybe"}]        | 400    | invalidValue                  |
      | [{"op":"replace","value":{"active":1}}]                   | 400    | invalidValue                  |
      | [{"op":"replace","path":"externalId","value":42}]         | 400    | invalidValue                  |
      | [{"op":"replace","path":"name.givenName"}]                | 400    | invalidValue                  |
      | [{"op":"replace","value":"Anya"}]                         | 400    | invalidValue                  |

  Scenario: userName and the email cannot change through any PATCH form; writing the same values is a no-op
    Level: must, SPEC §1.3 (changing userName or the email through PATCH: 400 mutability, nothing changed); RFC 7644 §3.5.2 (an immutable target: 400 mutability)
    Given the target already has the user "ben"
    Then each PATCH of "ben" with these Operations answers as listed and changes nothing:
      | Operations                                                                                                        | status | scimType   |
      | [{"op":"replace","value":{"userName":"other.${random}@example.com"}}]                                             | 400    | mutability |
      | [{"op":"replace","value":{"name":{"givenName":"Benno"},"userName":"other.${random}@example.com"}}]                | 400    | mutability |
      | [{"op":"add","value":{"emails":[{"value":"other.${random}@example.com","type":"work","primary":true}]}}]          | 400    | mutability |
      | [{"op":"replace","path":"emails","value":[{"value":"other.${random}@example.com","type":"work","primary":true}]}] | 400    | mutability |
      | [{"op":"replace","path":"emails","value":{"value":"other.${random}@example.com","primary":true}}]                 | 400    | mutability |
      | [{"op":"replace","path":"emails.value","value":"other.${random}@example.com"}]                                    | 400    | mutability |
      | [{"op":"replace","path":"userName","value":"not-an-email"}]                                                       | 400    | mutability |
      | [{"op":"remove","path":"userName"}]                                                                               | 400    | mutability |
      | [{"op":"remove","path":"emails"}]                                                                                 | 400    | mutability |
      | [{"op":"remove","path":"emails[primary eq true].value"}]                                                          | 400    | mutability |
      | [{"op":"replace","value":{"userName":"${ben.userName}"}}]                                                         | 200    |            |
      | [{"op":"replace","path":"emails","value":[{"value":"${ben.email}","type":"work","primary":true}]}]                | 200    |            |
      | [{"op":"add","value":{"emails":[{"value":"${ben.email}","type":"work","primary":true}]}}]                         | 200    |            |

  Scenario: Derived, unknown and extension attributes in a value object, the email's type, primary and display, and Entra's string booleans are tolerated and change nothing
    Level: should, SPEC §1.3 (only the names can change; other attributes are tolerated and ignored, as in PUT); SPEC Appendix B (Entra sends "True"/"False" for active)
    Given the target already has the user "cal"
    Then each PATCH of "cal" with these Operations answers as listed and changes nothing:
      | Operations                                                                                                        | status | scimType     |
      | [{"op":"replace","value":{"displayName":"Someone Else"}}]                                                         | 200    |              |
      | [{"op":"add","value":{"name.formatted":"Someone Else","name":{"formatted":"Someone Else"}}}]                      | 200    |              |
      | [{"op":"replace","value":{"nickName":"cc","title":"Chief Llama","locale":"fr-FR","password":"s3cret!!"}}]         | 200    |              |
      | [{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Zoo"}}}]    | 200    |              |
      | [{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Zoo"}}]        | 200    |              |
      | [{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Zoo"}]   | 200    |              |
      | [{"op":"replace","value":{"active":"True"}}]                                                                      | 200    |              |
      | [{"op":"Replace","path":"active","value":"TRUE"}]                                                                 | 200    |              |
      | [{"op":"replace","path":"emails[primary eq true].type","value":"work"}]                                           | 200    |              |
      | [{"op":"remove","path":"emails[primary eq true].type"}]                                                           | 200    |              |
      | [{"op":"remove","path":"emails[primary eq true].display"}]                                                        | 200    |              |
      | [{"op":"remove","path":"emails[primary eq true].primary"}]                                                        | 200    |              |
      | [{"op":"replace","value":{"displayName":42}}]                                                                     | 400    | invalidValue |

  Scenario: A value object may name core attributes by their full URN; extension attributes beside them are ignored
    Level: should, RFC 7644 §3.10 (an attribute may be named with its schema URN prefix); RFC 7644 §3.5.2.3 (a replace without path merges the value's attributes)
    Given the target already has the user "dee"
    And a SCIM client noted "dee" as the target shows it
    When a SCIM client PATCHes "dee" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","value":{
         "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName":"Deirdre",
         "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName":"Dunne",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Zoo"}}]}
      """
    Then the response status is 200 or 204
    And the target shows "dee" with given name "Deirdre" and family name "Dunne"
    And the target shows "dee" as noted except "name.givenName", "name.familyName", "name.formatted", "displayName" and "meta"

  @rfc
  Scenario: replace with the path name sets the sub-attributes its value names
    Level: must, RFC 7644 §3.5.2.3 (a complex target: the value's sub-attributes replace the existing ones)
    Given the target already has the user "eve"
    And a SCIM client noted "eve" as the target shows it
    When a SCIM client PATCHes "eve" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name","value":{"givenName":"Evelyn","familyName":"Eriksen"}}]}
      """
    Then the response status is 200 or 204
    And the target shows "eve" with given name "Evelyn" and family name "Eriksen"
    And the target shows "eve" as noted except "name.givenName", "name.familyName", "name.formatted", "displayName" and "meta"

  @rfc
  Scenario: remove with the path name clears both names and nothing else
    Level: must, RFC 7644 §3.5.2.2 (remove with a path removes the attribute and its sub-attributes)
    Given the target already has the user "fay"
    And a SCIM client noted "fay" as the target shows it
    When a SCIM client PATCHes "fay" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"name"}]}
      """
    Then the response status is 200 or 204
    And the target's user "fay" has no "name.givenName"
    And the target's user "fay" has no "name.familyName"
    And the target shows "fay" as noted except "name", "displayName" and "meta"

  @rfc
  Scenario: externalId is set by replace and cleared by remove
    Level: must, RFC 7643 §3.1 (externalId is readWrite, issued by the client); RFC 7644 §3.5.2.2, §3.5.2.3
    Given the target already has the user "gil"
    And a SCIM client noted "gil" as the target shows it
    When a SCIM client PATCHes "gil" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"externalId","value":"hr-4711"}]}
      """
    Then the response status is 200 or 204
    And the target's user "gil" has "externalId" equal to "hr-4711"
    And the target shows "gil" as noted except "externalId" and "meta"
    When a SCIM client PATCHes "gil" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"externalId"}]}
      """
    Then the response status is 200 or 204
    And the target's user "gil" has no "externalId"
    And the target shows "gil" as noted except "externalId" and "meta"
