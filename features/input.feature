@okta
Feature: Request bodies beyond the ones Okta sends
  Okta always sends one well-formed JSON object as application/scim+json.
  A SCIM server meets other bodies too: other media types and charsets,
  bodies that are not one JSON object, member names given twice, values of
  the wrong JSON type, null values, several emails, a schemas list without
  the User schema. Each table row sends one body and reads the user back:
  a refused request changes nothing, not even the version (RFC 7644 §3.12),
  and an accepted one changes exactly what the row names. A variable of a
  user no step created (${new.userName}) names a user the target does not
  have; each scenario ends by checking that no row created it.

  Scenario: A body that is not one JSON object is refused with 400 and changes nothing
    Level: must, RFC 7644 §3.12 (400 invalidSyntax: the body is unparsable or not the request's structure); RFC 7644 §3.3, §3.5.1, §3.5.2 (the body is one JSON object)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                                                                                                                                                                                         | status | scimType      | changes |
      | POST    |              | null                                                                                                                                                                                                                                                                         | 400    | invalidSyntax | nothing |
      | POST    |              | [{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}"}]                                                                                                                                                                                    | 400    | invalidSyntax | nothing |
      | POST    |              | "${new.userName}"                                                                                                                                                                                                                                                            | 400    | invalidSyntax | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}"} {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}"}                                                                                              | 400    | invalidSyntax | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}",}                                                                                                                                                                                     | 400    | invalidSyntax | nothing |
      | PUT     |              | null                                                                                                                                                                                                                                                                         | 400    | invalidSyntax | nothing |
      | PUT     |              | 42                                                                                                                                                                                                                                                                           | 400    | invalidSyntax | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":false} {"active":true} | 400    | invalidSyntax | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ann","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true                   | 400    | invalidSyntax | nothing |
      | PATCH   |              | null                                                                                                                                                                                                                                                                         | 400    | invalidSyntax | nothing |
      | PATCH   |              | [{"op":"replace","path":"active","value":false}]                                                                                                                                                                                                                             | 400    | invalidSyntax | nothing |
    And the target has no user "new"

  Scenario: A member name given twice in one object, or a string that is not UTF-8, is refused
    Level: should, RFC 8259 §4 (names within an object SHOULD be unique; otherwise the receiver cannot know which was meant); RFC 8259 §8.1 and RFC 7644 §3.8 (JSON text is UTF-8); RFC 7644 §3.12 (400)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                                                                                                                                                                                                | status | scimType      | changes |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","userName":"${ana.userName}"}                                                                                                                                                                | 400    | invalidSyntax | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","x-size":1e400,"externalId":"a","externalId":"b"}                                                                                                                                            | 400    | invalidSyntax | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ann","givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}       | 400    | invalidSyntax | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","value":"someone.else@example.com","primary":true}],"active":true}    | 400    | invalidSyntax | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true,"active":false}          | 400    | invalidSyntax | nothing |
      | PATCH   |              | {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":true,"value":false}]}                                                                                                                                            | 400    | invalidSyntax | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ann\xff","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}                     | 400    | invalidValue  | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true,"emails2":[{"x\xe9":1}]} | 400    | invalidValue  | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.local}\xe9@example.com"}                                                                                                                                                                                | 400    | invalidValue  | nothing |
    And the target has no user "new"

  Scenario: A refused body's detail names the member at fault
    Level: should, RFC 7644 §3.12 (detail: a human-readable message); SPEC §2.3 (Okta copies the remote detail into the task an admin reads)
    Given the target already has the user "ana"
    Then each of these requests is refused as listed, leaves "ana" unchanged, and its detail names:
      | request | body                                                                                                                                                                                                                                                                                                                                     | status | scimType      | detail names             |
      | POST    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","userName":"${ana.userName}"}                                                                                                                                                                                                                     | 400    | invalidSyntax | userName; more than once |
      | PUT     | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ann","givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}                                                            | 400    | invalidSyntax | name.givenName           |
      | PUT     | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true},{"value":"${ana.userName}","value":"someone.else@example.com","type":"home"}],"active":true} | 400    | invalidSyntax | emails[1].value          |
      | PATCH   | {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":true},{"op":"replace","path":"name.givenName","value":"A","value":"B"}]}                                                                                                                                              | 400    | invalidSyntax | Operations[1].value      |
      | PUT     | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ann\xff","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}                                                                          | 400    | invalidValue  | name.givenName; UTF-8    |
      | PUT     | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true,"emails2":[{"x\xe9":1}]}                                                      | 400    | invalidValue  | emails2[0]; UTF-8        |
      | POST    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.local}\xe9@example.com"}                                                                                                                                                                                                                                     | 400    | invalidValue  | userName; UTF-8          |
    And the target has no user "new"

  Scenario: Bodies are taken as application/scim+json or application/json in UTF-8; other media types answer 415
    Level: should, RFC 7644 §3.8 (requests are JSON in UTF-8, sent as application/scim+json or application/json); RFC 9110 §15.5.16 (415 for content in a format the server does not take); SPEC §1.3
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type                              | body                                                                                                                                                                                                                                                                                                      | status | scimType | changes |
      | PUT     | application/scim+json; charset=utf-8      | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}  | 200    |          | nothing |
      | PUT     | application/json                          | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}  | 200    |          | nothing |
      | PUT     | application/json;charset=UTF-8            | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}  | 200    |          | nothing |
      | PUT     | application/scim+json; charset="utf-8"    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}  | 200    |          | nothing |
      | PUT     | text/plain                                | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":false} | 415    |          | nothing |
      | PUT     | application/xml                           | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":false} | 415    |          | nothing |
      | PUT     | application/scim+json; charset=iso-8859-1 | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":false} | 415    |          | nothing |
      | PUT     | application/json; charset=utf-16          | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"displayName":"Ana Example","locale":"en-US","emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":false} | 415    |          | nothing |
      | POST    | text/plain; charset=utf-8                 | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}"}                                                                                                                                                                                                                   | 415    |          | nothing |
      | PATCH   | application/x-www-form-urlencoded         | {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}                                                                                                                                                                               | 415    |          | nothing |
    And the target has no user "new"

  Scenario: Values of the wrong JSON type are refused with 400 and change nothing
    Level: must, RFC 7643 §2.3 (each attribute has one data type), §2.4 (a multi-valued attribute is a JSON array), §4.1 (the User attributes' types); RFC 7644 §3.12 (400 invalidValue: a value not compatible with the attribute type)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                                                                                                                                                                           | status | scimType     | changes |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":42}                                                                                                                                                                                       | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":["${new.userName}"]}                                                                                                                                                                      | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","active":"true"}                                                                                                                                                        | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","active":1}                                                                                                                                                             | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","externalId":7}                                                                                                                                                         | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","name":"New Example"}                                                                                                                                                   | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","name":{"givenName":["New"]}}                                                                                                                                           | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":"${new.userName}"}                                                                                                                                             | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":{"value":"${new.userName}","primary":true}}                                                                                                                    | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":["${new.userName}"]}                                                                                                                                           | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":[{"value":42}]}                                                                                                                                                | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":[{"value":"${new.userName}","primary":"true"}]}                                                                                                                | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":"urn:ietf:params:scim:schemas:core:2.0:User","userName":"${new.userName}"}                                                                                                                                                                          | 400    | invalidValue | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":"false"} | 400    | invalidValue | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":[],"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}                                            | 400    | invalidValue | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ann","familyName":false},"emails":[{"value":"${ana.userName}","type":"work","primary":true}],"active":true}        | 400    | invalidValue | nothing |
    And the target has no user "new"

  Scenario: A null value is the same as leaving the attribute out
    Level: must, RFC 7643 §2.5 (unassigned attributes, the null value and an empty array are equivalent in state); RFC 7644 §3.3 (POST answers 201)
    Then each of these bodies POSTed to /Users creates its user, which reads back as listed:
      | alias | body                                                                                                                                    | reads back                                                                      |
      | n1    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${n1.userName}","externalId":null}                                | {"userName":"${n1.userName}","externalId":null}                                 |
      | n2    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${n2.userName}","name":null,"emails":null,"active":null}          | {"userName":"${n2.userName}","name.givenName":null,"name.familyName":null}      |
      | n3    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${n3.userName}","name":{"givenName":null,"familyName":"Example"}} | {"userName":"${n3.userName}","name.givenName":null,"name.familyName":"Example"} |
      | n4    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${n4.userName}","emails":[]}                                      | {"userName":"${n4.userName}"}                                                   |

  @cortex
  Scenario: A create without emails or active makes an active user whose email is the userName; a value-less email is skipped, the primary one wins
    Level: must, SPEC §1.3 (userName is the email and the primary email equals it; a create assigns the default role); RFC 7643 §2.4 (primary marks the one value that is the primary), §2.5 (null is unassigned)
    Then each of these bodies POSTed to /Users creates its user, which reads back as listed:
      | alias | body                                                                                                                                                                                                               | reads back                                                                                 |
      | c1    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${c1.userName}"}                                                                                                                             | {"userName":"${c1.userName}","active":true,"emails.0.value":"${c1.userName}","emails.#":1} |
      | c2    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${c2.userName}","active":null,"emails":null}                                                                                                 | {"userName":"${c2.userName}","active":true,"emails.0.value":"${c2.userName}"}              |
      | c3    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${c3.userName}","emails":[{"value":"someone.else@example.com","type":"home"},{"value":"${c3.userName}","type":"work","primary":true}]}       | {"userName":"${c3.userName}","active":true}                                                |
      | c4    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${c4.userName}","emails":[{"type":"home"},{"value":"${c4.userName}","type":"work"}]}                                                         | {"userName":"${c4.userName}","active":true}                                                |

  @cortex
  Scenario: Unknown attributes of any JSON shape, huge numbers included, are accepted and ignored
    Level: must, SPEC §1.3 (unknown attributes and extension namespaces are accepted); RFC 8259 §6 (1e400 is a JSON number; nothing here is stored, so its range does not matter)
    Then each of these bodies POSTed to /Users creates its user, which reads back as listed:
      | alias | body                                                                                                                                                                                                               | reads back                                                                                 |
      | c5    | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${c5.userName}","urn:example:params:scim:schemas:extension:acme:2.0:User":{"badge":1e400,"tags":[[],{}],"manager":null},"x-score":-1.5E+308} | {"userName":"${c5.userName}","active":true}                                                |

  @cortex
  Scenario: An email other than the userName is refused, whichever of several emails is the primary one
    Level: must, SPEC §1.3 (the primary email equals the userName; changing it answers 400 mutability); RFC 7643 §2.4 (primary marks the one value that is the primary; without one, the only or first value)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                                                                                                                                                                                                                           | status | scimType     | changes |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":[{"value":"someone.else@example.com","type":"work"}]}                                                                                                                                                          | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":[{"value":"someone.else@example.com","type":"work","primary":true}]}                                                                                                                                           | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName}","emails":[{"value":"${new.userName}","type":"home"},{"value":"someone.else@example.com","type":"work","primary":true}]}                                                                                                 | 400    | invalidValue | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"someone.else@example.com","type":"work","primary":true}],"active":true}                                           | 400    | mutability   | nothing |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":"00u${ana.suffix}","name":{"givenName":"Ana","familyName":"Example"},"emails":[{"value":"someone.else@example.com","type":"home"},{"value":"${ana.userName}","type":"work","primary":true}],"active":true} | 200    |              | nothing |
      | PATCH   |              | {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails","value":[{"value":"someone.else@example.com","type":"work","primary":true}]}]}                                                                                                                      | 400    | mutability   | nothing |
      | PATCH   |              | {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails","value":[{"value":"someone.else@example.com","type":"work"}]}]}                                                                                                                                     | 400    | mutability   | nothing |
      | PATCH   |              | {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"emails":[{"value":"someone.else@example.com","type":"work","primary":true}]}}]}                                                                                                                               | 400    | mutability   | nothing |
    And the target has no user "new"

  @cortex
  Scenario: A userName that is not a bare email address is refused
    Level: must, SPEC §1.3 (userName must be an email address: the Cortex article requires Okta's username format "Email"); RFC 7644 §3.12 (400 invalidValue)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                  | status | scimType     | changes |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"not-an-email"}                  | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"New Example <${new.userName}>"} | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"<${new.userName}>"}             | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${new.userName} "}              | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":""}                              | 400    | invalidValue | nothing |
    And the target has no user "new"

  Scenario: A user without userName is refused
    Level: must, RFC 7643 §4.1.1 (userName is REQUIRED: every User has a non-empty one); RFC 7644 §3.12 (400)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                  | status | scimType     | changes |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"name":{"givenName":"New"}} | 400    | invalidValue | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":null}            | 400    | invalidValue | nothing |

  Scenario: A body without the User schema in "schemas", or a PATCH without the PatchOp schema, is refused
    Level: should, RFC 7643 §3 ("schemas" is REQUIRED and lists the resource's schemas); RFC 7644 §3.5.2 (a PATCH body lists the PatchOp schema); both bind the client, so refusing with 400 is advice (RFC 7644 §3.12)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                                     | status | scimType                      | changes |
      | POST    |              | {"userName":"${new.userName}"}                                                                                           | 400    | invalidValue or invalidSyntax | nothing |
      | POST    |              | {"schemas":[],"userName":"${new.userName}"}                                                                              | 400    | invalidValue or invalidSyntax | nothing |
      | POST    |              | {"schemas":["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"${new.userName}"}                  | 400    | invalidValue or invalidSyntax | nothing |
      | PUT     |              | {"userName":"${ana.userName}","name":{"givenName":"Ann","familyName":"Example"},"active":false}                          | 400    | invalidValue or invalidSyntax | nothing |
      | PATCH   |              | {"Operations":[{"op":"replace","path":"active","value":false}]}                                                          | 400    | invalidSyntax or invalidValue | nothing |
      | PATCH   |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[{"op":"replace","path":"active","value":false}]} | 400    | invalidSyntax or invalidValue | nothing |
    And the target has no user "new"

  @cortex
  Scenario: A PUT that leaves out active, externalId, emails or name keeps them; a name without familyName replaces the whole name
    Level: must, SPEC §1.4 (only "active": false deprovisions); SPEC §1.3 (only the names change; other attributes are tolerated and ignored); RFC 7644 §3.5.1 (omitted attributes MAY be taken as not asserted); RFC 7643 §2.5 (null is unassigned)
    Given the target already has the user "ana"
    Then each of these requests answers as listed and leaves "ana" as the row says:
      | request | content type | body                                                                                                                                              | status | scimType | changes           |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","name":{"givenName":"Ana","familyName":"Example"}}         | 200    |          | nothing           |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}"}                                                           | 200    |          | nothing           |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","externalId":null,"name":null,"emails":null,"active":null} | 200    |          | nothing           |
      | PUT     |              | {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${ana.userName}","name":{"givenName":"Ann"}}                                | 200    |          | name, displayName |

  @etag
  Scenario: A 304 Not Modified carries the user's ETag
    Level: should, RFC 7644 §3.14 (If-None-Match: 304 when the version matches)
    Given the target already has the user "lea"
    And a SCIM client noted "lea" as the target shows it
    When a SCIM client reads "lea" with If-None-Match of its current ETag
    Then the response status is 304
    And the response's ETag header is "lea"'s noted version

  Scenario: Location and meta.location are the URI the client reaches the new user at
    Level: should, RFC 7644 §3.3 (Location is the created resource's URI); RFC 7643 §3.1 (meta.location is the resource's URI)
    When a SCIM client creates the user "ned"
    Then the response status is 201
    And the response's Location and "meta.location" are the new user's URI under the target's base URL
