@cortex @filter
Feature: The filter grammar, exactly
  GET /Users?filter=… parses the whole grammar of RFC 7644 §3.4.2.2 and
  answers exactly the users a filter matches, with totalResults counting
  them; a filter outside the grammar answers 400 with scimType
  invalidFilter and lists nothing. Four users with distinct names,
  externalIds and active states are created once per scenario; each table
  row is one request. Rows are confined to the scenario's users with
  `userName co "<random>"` (or name one of them), so they are exact on a
  shared target too. Names carry a quote, a backslash, an apostrophe and a
  non-ASCII letter so string escapes and Unicode can be checked.

  Background:
    Given the target has these users for filtering:
      | alias | given name | family name   | externalId      | active |
      | ana   | Ana        | Lopez         | Ext-A-${random} | true   |
      | ben   | Ben        | Stone         | ext-b-${random} | true   |
      | cal   | Zoë        | O'Brien       |                 | false  |
      | dee   | Dee "DJ"   | Back\\slash   | EXT-D-${random} | true   |

  @rfc
  Scenario: and binds tighter than or, parentheses regroup, not negates a group
    Level: must, RFC 7644 §3.4.2.2 (logical operators; "and" takes precedence over "or", grouping with parentheses)
    Then each filter lists exactly its users:
      | filter                                                                                                                    | users         |
      | userName eq "${ana.userName}" or userName co "${random}" and active eq false                                             | ana, cal      |
      | userName co "${random}" and active eq false or userName eq "${ana.userName}"                                             | ana, cal      |
      | (userName eq "${ana.userName}" or userName co "${random}") and active eq false                                           | cal           |
      | userName eq "${ana.userName}" or userName eq "${ben.userName}" or userName eq "${dee.userName}"                          | ana, ben, dee |
      | userName co "${random}" and active eq true and name.givenName eq "Ana"                                                    | ana           |
      | userName co "${random}" and (name.givenName eq "Ana" or name.givenName eq "Ben") and active eq true                       | ana, ben      |
      | userName co "${random}" and ((name.familyName eq "Lopez" or name.familyName eq "Stone") and (name.givenName sw "B" or active eq false)) | ben |
      | userName co "${random}" and not (name.givenName eq "Ana" or active eq false)                                              | ben, dee      |
      | userName co "${random}" and not (name.givenName eq "Ana") and not (active eq false)                                       | ben, dee      |
      | userName co "${random}" and not (not (active eq false))                                                                   | cal           |
      | userName co "${random}" and not (userName co "${random}")                                                                 | none          |
      | userName co "${random}" AND NOT (active EQ true) Or userName eq "${ana.userName}"                                         | ana, cal      |

  @rfc
  Scenario: Value paths filter the elements of a multi-valued attribute
    Level: must, RFC 7644 §3.4.2.2 (valuePath: attrPath "[" valFilter "]" matches when an element matches)
    Then each filter lists exactly its users:
      | filter                                                                              | users              |
      | userName co "${random}" and emails[type eq "work" and value co "ana."]              | ana                |
      | userName co "${random}" and emails[value ew "n.${random}@example.com"]              | ben                |
      | userName co "${random}" and emails[type eq "home" or value sw "dee."]               | dee                |
      | userName co "${random}" and emails[not (value sw "ana.")]                            | ben, cal, dee      |
      | userName co "${random}" and emails[primary eq true]                                  | ana, ben, cal, dee |
      | userName co "${random}" and emails[type eq "home"]                                   | none               |
      | userName co "${random}" and EMAILS[TYPE EQ "WORK"]                                   | ana, ben, cal, dee |
      | userName co "${random}" and emails[value pr]                                         | ana, ben, cal, dee |
      | userName co "${random}" and emails.value ew "e.${random}@example.com"                | dee                |
      | userName co "${random}" and urn:ietf:params:scim:schemas:core:2.0:User:emails[value sw "dee."] | dee     |

  @rfc
  Scenario: A value path followed by a sub-attribute comparison is answered exactly or refused
    Level: must, RFC 7644 §3.4.2.2 (the filter grammar has no subAttr after a valuePath, so 400 invalidFilter is right; a server that takes it, as in PATCH paths of §3.5.2, must match exactly)
    Then each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                                                  | users |
      | userName co "${random}" and emails[type eq "work"].value sw "cal."      | cal   |
      | userName co "${random}" and emails[type eq "home"].value sw "cal."      | none  |
      | userName co "${random}" and emails[type eq "work"].value sw "nobody."   | none  |

  @rfc
  Scenario: pr and null tell present from absent attributes
    Level: must, RFC 7644 §3.4.2.2 (pr: the attribute has a non-empty value); RFC 7643 §2.5 (unassigned and null are equivalent)
    Then each filter lists exactly its users:
      | filter                                                                                               | users              |
      | userName co "${random}" and externalId pr                                                            | ana, ben, dee      |
      | userName co "${random}" and not (externalId pr)                                                      | cal                |
      | userName co "${random}" and externalId ne null                                                       | ana, ben, dee      |
      | userName co "${random}" and externalId eq null                                                       | cal                |
      | userName co "${random}" and name.middleName pr                                                       | none               |
      | userName co "${random}" and title eq null                                                            | ana, ben, cal, dee |
      | userName co "${random}" and name pr                                                                  | ana, ben, cal, dee |
      | userName co "${random}" and emails pr                                                                | ana, ben, cal, dee |
      | userName co "${random}" and active pr                                                                | ana, ben, cal, dee |
      | userName co "${random}" and phoneNumbers[not (value pr)]                                             | none               |
      | userName co "${random}" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr | none               |
    And each filter lists, of this scenario's users, exactly:
      | filter              | users         |
      | externalId eq null  | cal           |
      | externalId ne null  | ana, ben, dee |
      | userName eq null    | none          |
      | id eq null          | none          |

  @rfc
  Scenario: pr holds for every attribute a user has, and for a complex one only with a non-empty sub-attribute
    Level: must, RFC 7644 §3.4.2.2 (pr: "a non-empty value, or ... a non-empty node for complex attributes")
    Given the target has these users for filtering:
      | alias | given name | family name | externalId | active |
      | eve   |            |             |            | false  |
    Then each filter lists exactly its users:
      | filter                                                                                   | users                   |
      | userName co "${random}" and name pr                                                      | ana, ben, cal, dee      |
      | userName co "${random}" and not (name pr)                                                | eve                     |
      | userName co "${random}" and name.givenName pr                                            | ana, ben, cal, dee      |
      | userName co "${random}" and name.familyName pr                                           | ana, ben, cal, dee      |
      | userName co "${random}" and userName pr                                                  | ana, ben, cal, dee, eve |
      | userName co "${random}" and id pr                                                        | ana, ben, cal, dee, eve |
      | userName co "${random}" and emails.value pr                                              | ana, ben, cal, dee, eve |
      | userName co "${random}" and active pr                                                    | ana, ben, cal, dee, eve |
      | userName co "${random}" and meta pr                                                      | ana, ben, cal, dee, eve |
      | userName co "${random}" and meta.lastModified pr                                         | ana, ben, cal, dee, eve |
      | userName co "${random}" and urn:ietf:params:scim:schemas:core:2.0:User:meta.created pr   | ana, ben, cal, dee, eve |
      | userName co "${random}" and externalId pr                                                | ana, ben, dee           |

  @rfc
  Scenario: active compares with true and false; ordering a Boolean attribute is invalidFilter
    Level: must, RFC 7644 §3.4.2.2 (compValue false / true; gt, ge, lt, le on Boolean attributes fail with 400 invalidFilter); RFC 7643 §2.3.2, §4.1 (active and emails.primary are Boolean)
    Then each filter lists exactly its users:
      | filter                                      | users         |
      | userName co "${random}" and active eq true  | ana, ben, dee |
      | userName co "${random}" and active ne false | ana, ben, dee |
      | userName co "${random}" and active eq false | cal           |
      | userName co "${random}" and active ne true  | cal           |
    And each filter is refused with 400 invalidFilter:
      | filter                                       |
      | active ge "a"                                |
      | active gt "false"                            |
      | active lt 1                                  |
      | userName co "${random}" and active le "true" |
      | emails.primary gt "a"                        |
      | emails[primary lt "z"]                       |

  @rfc
  Scenario: A value of another JSON type never matches, or is refused
    Level: should, RFC 7644 §3.4.2.2 (compValue types; comparing across types is not defined: no match, as the reference documents, or 400 invalidFilter)
    Then each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                               | users                       |
      | userName co "${random}" and active eq "true"         | none                        |
      | userName co "${random}" and active co "t"            | none                        |
      | userName co "${random}" and userName eq false        | none                        |
      | userName co "${random}" and userName ne true         | ana, ben, cal, dee, or none |
      | userName co "${random}" and userName eq 0            | none                        |
      | userName co "${random}" and userName lt 5            | none                        |
      | userName co "${random}" and userName ge -5           | none                        |
      | userName co "${random}" and name ge "a"              | none                        |
      | userName co "${random}" and name eq "Ana"            | none                        |
      | userName co "${random}" and emails co "ben."         | ben, or none                |
      | emails eq "${cal.userName}"                          | cal, or none                |
      | userName co "${random}" and meta.lastModified co "T" | ana, ben, cal, dee, or none |
      | userName co "${random}" and meta.created sw "2"      | ana, ben, cal, dee, or none |
      | userName co "${random}" and meta.created ew "Z"      | ana, ben, cal, dee, or none |

  @rfc
  Scenario: Attributes a user does not have match nothing, or are refused
    Level: must, RFC 7644 §3.4.2.2 (ATTRNAME = ALPHA *(nameChar); an attribute the resource lacks has no value to match, or the filter answers 400 invalidFilter, RFC 7644 Table 9)
    Then each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                          | users |
      | userName co "${random}" and x pr                | none  |
      | userName co "${random}" and zZ pr               | none  |
      | userName co "${random}" and a-b_9 pr            | none  |
      | userName co "${random}" and userName.sub pr     | none  |
      | userName.value eq "${ana.userName}"             | none  |
      | userName co "${random}" and $ref pr             | none  |
      | userName co "${random}" and emails.$ref pr      | none  |

  @rfc
  Scenario: A malformed number is refused with 400 invalidFilter
    Level: must, RFC 7644 §3.4.2.2 (compValue number, as in RFC 7159 §6: a literal outside the number grammar is not a filter)
    Then each filter is refused with 400 invalidFilter:
      | filter            |
      | userName eq 01    |
      | userName eq -01   |
      | userName eq -.5   |
      | userName eq -     |
      | userName eq 1.    |
      | userName eq 1.e3  |
      | userName eq 1e    |
      | userName eq 1e+   |
      | userName eq 1.5.2 |
      | userName eq 2-1   |

  Scenario: Numbers in every JSON form are read as numbers; one beyond a double's range is refused
    Level: should, RFC 7159 §6 (the number grammar; an implementation may limit the range, the reference refuses what a double cannot hold); RFC 7644 §3.4.2.2 (comparing a number with a string is not defined, the reference documents no match)
    Then each filter lists exactly its users:
      | filter                                                | users              |
      | userName co "${random}" and not (userName eq 0)       | ana, ben, cal, dee |
      | userName co "${random}" and not (userName eq -12)     | ana, ben, cal, dee |
      | userName co "${random}" and not (userName eq 0.25)    | ana, ben, cal, dee |
      | userName co "${random}" and not (userName eq 1E3)     | ana, ben, cal, dee |
      | userName co "${random}" and not (userName eq 1e+3)    | ana, ben, cal, dee |
      | userName co "${random}" and not (userName eq -2.5e-3) | ana, ben, cal, dee |
      | userName co "${random}" and not (userName eq 907)     | ana, ben, cal, dee |
    And each filter is refused with 400 invalidFilter:
      | filter             |
      | userName eq 1e999  |

  @rfc
  Scenario: String values are JSON strings with escapes and Unicode
    Level: must, RFC 7644 §3.4.2.2 (compValue string is a JSON string, RFC 7159 §7); RFC 7643 §2.1 (Unicode)
    Then each filter lists exactly its users:
      | filter                                                            | users |
      | userName co "${random}" and name.familyName eq "O'Brien"          | cal   |
      | userName co "${random}" and name.givenName eq "Zoë"               | cal   |
      | userName co "${random}" and name.givenName eq "ZOË"               | cal   |
      | userName co "${random}" and name.givenName eq "Zo\u00eb"          | cal   |
      | userName co "${random}" and name.givenName eq "Dee \"DJ\""        | dee   |
      | userName co "${random}" and name.givenName eq "Dee \"DJ"          | none  |
      | userName co "${random}" and name.givenName co "\""                | dee   |
      | userName co "${random}" and name.familyName eq "Back\\\\slash"    | dee   |
      | userName co "${random}" and name.familyName eq "Backslash"        | none  |
      | userName co "${random}" and name.middleName ne ""                 | ana, ben, cal, dee |
    And each filter is refused with 400 invalidFilter:
      | filter                          |
      | userName eq "unterminated       |
      | userName eq "escaped quote\"    |
      | userName eq "bad \x escape"     |
      | userName eq 'single quotes'     |

  @rfc
  Scenario: Attribute names, sub-attributes and schema URNs
    Level: must, RFC 7644 §3.4.2.2 (attrPath = [URI ":"] ATTRNAME *1subAttr; attribute names and operators are case-insensitive; a schema URN in another case, RFC 8141 §3.1, or an attribute its schema lacks may also be refused with invalidFilter, RFC 7644 Table 9)
    Then each filter lists exactly its users:
      | filter                                                                                                 | users              |
      | USERNAME co "${random}" and NAME.GIVENNAME Eq "ana"                                                    | ana                |
      | userName co "${random}" and urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ben."             | ben                |
      | userName co "${random}" and urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "Ana"        | ana                |
      | id eq "${ana.id}"                                                                                      | ana                |
      | userName co "${random}" and id eq "${ben.id}"                                                          | ben                |
      | userName co "${random}" and displayName eq "ana lopez"                                                 | ana                |
      | userName co "${random}" and meta.resourceType eq "User"                                                | ana, ben, cal, dee |
      | userName co "${random}" and schemas eq "urn:ietf:params:scim:schemas:core:2.0:User"                    | ana, ben, cal, dee |
      | emails.value eq "${cal.userName}"                                                                      | cal                |
      | userName co "${random}" and urn:ietf:params:scim:schemas:core:2.0:User:emails.value sw "dee."          | dee                |
      | userName co "${random}" and urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified gt "2000-01-01T00:00:00Z" | ana, ben, cal, dee |
    And each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                                                                             | users |
      | URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName eq "${cal.userName}"                           | cal   |
      | urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "${ana.userName}"           | none  |
      | userName co "${random}" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName pr | none  |

  @rfc
  Scenario: userName compares case-insensitively, externalId case-exactly
    Level: must, RFC 7643 §4.1 (userName caseExact false; externalId caseExact true); SPEC §1.3
    Then each filter lists exactly its users:
      | filter                                                             | users         |
      | userName eq "ANA.${random}@EXAMPLE.COM"                            | ana           |
      | userName co "${random}" and userName eq "ANA.${random}@example.com" | ana          |
      | userName co "${random}" and userName ew "N.${random}@EXAMPLE.com"  | ben           |
      | externalId eq "Ext-A-${random}"                                    | ana           |
      | externalId eq "ext-a-${random}"                                    | none          |
      | userName co "${random}" and externalId eq "EXT-A-${random}"        | none          |
      | userName co "${random}" and externalId co "EXT-"                   | dee           |
      | userName co "${random}" and externalId sw "ext-"                   | ben           |
      | userName co "${random}" and externalId ew "-${random}"             | ana, ben, dee |
      | userName co "${random}" and externalId gt "Ext-A-${random}"        | ben           |
      | userName co "${random}" and externalId lt "Ext-A-${random}"        | dee           |
      | userName co "${random}" and externalId ge "Ext-A-${random}"        | ana, ben      |
      | userName co "${random}" and externalId le "Ext-A-${random}"        | ana, dee      |

  Scenario: The name.formatted the target derives is filtered like the names it comes from
    Level: must, SPEC §1.3 (name.formatted is derived from the given and family names); RFC 7644 §3.4.2.2 (sw on a caseExact false sub-attribute)
    Then each filter lists exactly its users:
      | filter                                                | users |
      | userName co "${random}" and name.formatted sw "zoë o" | cal   |

  @rfc
  Scenario: gt, ge, lt and le order strings case-insensitively with the boundary where it belongs
    Level: must, RFC 7644 §3.4.2.2 (gt/ge/lt/le: lexicographical order for strings); RFC 7643 §2.2 (caseExact false)
    Then each filter lists exactly its users:
      | filter                                                    | users         |
      | userName co "${random}" and name.familyName gt "lopez"    | ben, cal      |
      | userName co "${random}" and name.familyName ge "LOPEZ"    | ana, ben, cal |
      | userName co "${random}" and name.familyName lt "lopez"    | dee           |
      | userName co "${random}" and name.familyName le "Lopez"    | ana, dee      |
      | userName co "${random}" and name.familyName ge "o'brien"  | ben, cal      |
      | userName co "${random}" and name.familyName gt "Z"        | none          |

  @rfc
  Scenario: Date-times compare as instants
    Level: must, RFC 7643 §2.3.5 (dateTime values); RFC 7644 §3.4.2.2 (gt/ge/lt/le on dateTime compare chronologically)
    Then each filter lists exactly its users:
      | filter                                                                         | users              |
      | userName co "${random}" and meta.created gt "2000-01-01T00:00:00Z"             | ana, ben, cal, dee |
      | userName co "${random}" and meta.lastModified ge "2000-01-01T00:00:00+01:00"   | ana, ben, cal, dee |
      | userName co "${random}" and meta.lastModified lt "2000-01-01T00:00:00Z"        | none               |
      | userName co "${random}" and meta.lastModified le "2000-01-01T00:00:00.5Z"      | none               |
      | userName co "${random}" and meta.lastModified lt "2999-12-31T23:59:59.999Z"    | ana, ben, cal, dee |
      | userName co "${random}" and meta.lastModified gt "2999-12-31T23:59:59Z"        | none               |
      | userName co "${random}" and meta.lastModified eq "2000-01-01T00:00:00Z"        | none               |
      | userName co "${random}" and meta.lastModified ne null                          | ana, ben, cal, dee |
      | userName co "${random}" and meta.created eq null                               | none               |
    And each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                                          | users |
      | userName co "${random}" and meta.lastModified gt "yesterday"    | none  |
      | userName co "${random}" and meta.created eq 5                   | none  |
      | userName co "${random}" and meta.lastModified eq true           | none  |
      | userName co "${random}" and meta.lastModified ge null           | none  |
    And comparing "ana"'s own meta.lastModified written at UTC+14:00 lists exactly its users:
      | operator | users |
      | eq       | ana   |
      | ne       | none  |
      | ge       | ana   |
      | le       | ana   |
      | gt       | none  |
      | lt       | none  |
    And comparing "ana"'s own meta.lastModified written one millisecond later lists exactly its users:
      | operator | users |
      | eq       | none  |
      | ne       | ana   |
      | gt       | none  |
      | ge       | none  |
      | lt       | ana   |
      | le       | ana   |

  @rfc
  Scenario: A string attribute whose value looks like a date-time compares as text
    Level: must, RFC 7644 §3.4.2.2 (the comparison depends on the attribute type: lexicographical for strings, chronological only for dateTime)
    Given the target has these users for filtering:
      | alias | given name           | family name | externalId | active |
      | fay   | 2025-01-02T03:04:05Z | Date        |            | true   |
    Then each filter lists exactly its users:
      | filter                                                                                               | users                   |
      | userName co "${random}" and name.givenName eq "2025-01-02t03:04:05z"                                 | fay                     |
      | userName co "${random}" and name.givenName eq "2025-01-02T04:04:05+01:00"                            | none                    |
      | userName co "${random}" and name.givenName ne "2025-01-02T04:04:05+01:00"                            | ana, ben, cal, dee, fay |
      | userName co "${random}" and name.givenName sw "2025" and name.givenName gt "2025-01-02T03:04:05.5Z"  | fay                     |
      | userName co "${random}" and name.givenName sw "2025" and name.givenName lt "2025-01-02T03:04:05.5Z"  | none                    |
      | userName co "${random}" and name.givenName ge "2025-01-02T04:04:05+01:00"                            | ana, ben, cal, dee      |

  @rfc
  Scenario: Extra whitespace between tokens is tolerated or refused, never misread
    Level: must, RFC 7644 §3.4.2.2 (tokens are separated by one SP, so 400 invalidFilter is right; a server that tolerates more must still read the filter exactly)
    Then each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                                              | users |
      | userName co "${random}"    and     name.givenName   eq   "Ana"      | ana   |
      | userName co "${random}" and not(active eq true)                     | cal   |
      | userName co "${random}" and emails[ value sw "ben." ]               | ben   |
      | userName co "${random}" and ( name.givenName eq "Ana" )             | ana   |

  @rfc
  Scenario: Filters outside the grammar answer 400 invalidFilter and list nothing
    Level: must, RFC 7644 §3.4.2.2 (an invalid filter fails with 400 and scimType invalidFilter)
    Then each filter is refused with 400 invalidFilter:
      | filter                                                      |
      | userName eq                                                 |
      | userName eq "${ana.userName}" and                           |
      | userName eq "${ana.userName}" or                            |
      | or userName eq "${ana.userName}"                            |
      | userName co "${random}" and and active eq true              |
      | userName co "${random}" or or active eq true                |
      | userName eq "${ana.userName}" userName pr                   |
      | userName xx "${ana.userName}"                               |
      | userName pr "${ana.userName}"                               |
      | eq "${ana.userName}"                                        |
      | (userName eq "${ana.userName}"                              |
      | userName eq "${ana.userName}")                              |
      | ((userName eq "${ana.userName}")                            |
      | userName eq "${ana.userName}" and (                         |
      | not userName eq "${ana.userName}"                           |
      | not ()                                                      |
      | userName eq "${ana.userName}" or not                        |
      | emails[]                                                    |
      | emails[type eq "work"                                       |
      | emails type eq "work"]                                      |
      | emails[type eq "work"]]                                     |
      | emails[value[type eq "work"]]                               |
      | emails[type eq "work"].                                     |
      | emails[type eq "work"].value                                |
      | emails[type eq "work"].value pr "x"                         |
      | emails[type eq "work"]. eq "x"                              |
      | urn:ietf:params:scim:schemas:core:2.0:User: eq "x"          |
      | userName. eq "x"                                            |
      | name.given.Name eq "x"                                      |
      | user$Name eq "x"                                            |
      | _userName eq "x"                                            |
      | 1userName eq "x"                                            |
      | userName eq "${ana.userName}" ;                             |
      | userName ~ "${ana.userName}"                                |
      | userName eq "${ana.userName}" # comment                     |
      | userName eq "${ana.userName}" and emails[type eq "work"] !  |
      | emails[type eq "work"]."value" eq "x"                       |
      | emails[type eq "work"].va$lue eq "x"                        |
      | name.1given eq "x"                                          |
      | u$erName eq "x"                                             |
      | userName "eq" "x"                                           |
      | userName eq "${ana.userName}" and and pr                    |
      | userName eq "${ana.userName}" or or pr                      |
      | userName eq "${ana.userName}" or "userName" pr              |
    And each filter lists exactly its users:
      | filter                  | users              |
      | userName co "${random}" | ana, ben, cal, dee |

  @rfc
  Scenario: Grammatical filters that make no sense match nothing or are refused
    Level: must, RFC 7644 §3.4.2.2 (compValue may be any JSON literal and a valuePath may follow any attrPath, so these parse; comparing a string with true, a number or null, or filtering a simple attribute's elements, matches nothing or answers 400 invalidFilter, RFC 7644 Table 9)
    Then each filter lists exactly its users, or is refused with 400 invalidFilter:
      | filter                                                     | users |
      | userName co "${random}" and name.givenName[value eq "Ana"] | none  |
      | userName co "${random}" and userName co true               | none  |
      | userName co "${random}" and userName sw 1                  | none  |
      | userName co "${random}" and userName ew null               | none  |
      | userName co "${random}" and userName gt true               | none  |
      | userName co "${random}" and userName lt null               | none  |
      | userName co "${random}" and userName le false              | none  |
      | userName co "${random}" and userName ge null               | none  |

  @limits @rfc
  Scenario: Nesting is accepted up to the declared depth and refused one level deeper; siblings do not add up
    Level: must, RFC 7644 §3.4.2.2 (invalidFilter for a filter the server will not process; the depth is the one the target profile declares as limits.filterDepth, 64 on the reference)
    Then the filter userName eq "${ana.userName}" nested in ${filterDepth} parentheses lists exactly ana
    And the filter userName eq "${ana.userName}" nested in ${filterDepth+1} parentheses is refused with 400 invalidFilter
    And the filter emails[value eq "${ben.userName}"] nested in ${filterDepth-1} parentheses lists exactly ben
    And the filter emails[value eq "${ben.userName}"] nested in ${filterDepth} parentheses is refused with 400 invalidFilter
    And 33 copies of the filter (emails[value eq "${ben.userName}"]) joined by "or" list exactly ben

  @limits @rfc
  Scenario: A filter up to the declared length is accepted and a longer one refused
    Level: must, RFC 7644 §3.4.2.2 (invalidFilter for a filter the server will not process; the length is the one the target profile declares as limits.filterBytes, 32 KiB on the reference)
    Then the filter userName eq "${ana.userName}" padded to ${filterBytes} bytes lists exactly ana
    And the filter userName eq "${ana.userName}" padded to ${filterBytes+1} bytes is refused with 400 invalidFilter

  @rfc
  Scenario: A very deep or very long filter is answered exactly or refused, never failed
    Level: must, RFC 7644 §3.4.2.2 (a filter the server will not process answers 400 invalidFilter); RFC 7644 §3.12 (errors are SCIM errors, not 500)
    Then the filter userName eq "${ana.userName}" nested in 200 parentheses lists exactly ana or is refused with 400 invalidFilter
    And the filter userName eq "${ana.userName}" padded to 65536 bytes lists exactly ana or is refused with 400 invalidFilter

  Scenario: An invalidFilter detail says what was expected, where, and what stood there
    Level: should, RFC 7644 §3.12 (detail: a human-readable message); SPEC §2.3 (Okta copies the remote detail into the task an admin reads)
    Then each filter is refused with 400 invalidFilter, its detail naming:
      | filter                                                                  | detail names                                                                  |
      | userName zz "x"                                                         | filter; operator; position 10; zz                                             |
      | ) eq "x"                                                                | filter; attribute; position 1; )                                              |
      | name.givenName eq "Zoë" and userName zz "x"                             | operator; position 38; zz                                                     |
      | userName eq                                                             | value; position 12; end of input                                              |
      | (userName eq "a"                                                        | ); position 17; end of input                                                  |
      | emails[type eq "work"                                                   | ]; position 22; end of input                                                  |
      | userName eq "a" and not userName eq "b"                                 | (; position 25; userName                                                      |
      | name.givenName[value eq "x"]                                            | name.givenName; position 15; [                                                |
      | urn:ietf:params:scim:schemas:core:2.0:User:name.givenName[value eq "x"] | urn:ietf:params:scim:schemas:core:2.0:User:name.givenName; position 58; [     |
      | userName eq 1e                                                          | number; 1e; position 13                                                       |
      | userName eq "a                                                          | string; position 13                                                           |

  @rfc
  Scenario: A PATCH path's value filter selects the email it names; one matching none is noTarget, a malformed one invalidPath
    Level: must, RFC 7644 §3.5.2 (PATH = attrPath / valuePath [subAttr]; invalidPath); §3.5.2.3 (a value filter matching no value is 400 noTarget)
    Then each PATCH of "ana" with a value path answers as listed and changes nothing:
      | op      | path                                                          | value               | status | scimType    |
      | replace | emails[type eq "work"].value                                  | "${ana.userName}"   | 200    |             |
      | replace | emails[type eq "work" and value ew "@EXAMPLE.com"].value      | "${ana.userName}"   | 200    |             |
      | replace | emails[not (type eq "home")].primary                          | true                | 200    |             |
      | replace | emails[type eq "home"].value                                  | "${ana.userName}"   | 400    | noTarget    |
      | replace | emails[value eq "${ben.userName}"].value                      | "${ana.userName}"   | 400    | noTarget    |
      | replace | emails[type eq "work" and primary eq false].value             | "${ana.userName}"   | 400    | noTarget    |
      | replace | emails[type eq "work"                                         | "${ana.userName}"   | 400    | invalidPath |
      | replace | emails[type eq "work"].value.display                          | "x"                 | 400    | invalidPath |
      | replace | emails[type zz "work"].value                                  | "${ana.userName}"   | 400    | invalidPath |
      | replace | name.givenName[value eq "Ana"]                                | "Ana"               | 400    | invalidPath |
      | replace | emails[type eq "work"] value                                  | "${ana.userName}"   | 400    | invalidPath |
