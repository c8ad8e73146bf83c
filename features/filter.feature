@cortex @filter
Feature: Filters list exactly the matching users
  GET /Users?filter=… must answer exactly the users the filter matches, no
  more and no fewer, with totalResults counting them (RFC 7644 §3.4.2.2).
  The reference server supports eq, ne, co, sw, ew, pr, gt, ge, lt and le on
  userName, externalId, emails.value, active, name.givenName, name.familyName
  and meta.lastModified, joined with and, or, not and parentheses (SPEC §1.3).
  Attribute names and operators are case-insensitive, and so are userName and
  email values; externalId is caseExact (RFC 7643 §3.1). Every filter below
  is confined to the scenario's own users (their userNames all contain the
  scenario's random suffix), so it is exact on a shared target too. Each
  table row is one request; the first row that fails is named.

  Background:
    Given the target already has these users:
      | alias | given name | family name | externalId        | active |
      | ana   | Ana        | Lopez       | Ext-Ana-${random} | true   |
      | ben   | Ben        | Stone       | Ext-Ben-${random} | true   |
      | cal   | Cal        | Lopez       |                   | false  |

  Scenario: Filters on userName match case-insensitively in attribute name, operator and value
    Level: must, SPEC §1.3 (attribute names and userName values case-insensitive); RFC 7644 §3.4.2.2
    Then each filter lists exactly these users:
      | filter                                                                   | users           |
      | userName eq "${ben.userName}"                                            | "ben"           |
      | userName eq "BEN.${random}@EXAMPLE.COM"                                  | "ben"           |
      | USERNAME eq "${ana.userName}"                                            | "ana"           |
      | userName EQ "${ana.userName}"                                            | "ana"           |
      | urn:ietf:params:scim:schemas:core:2.0:User:userName eq "${cal.userName}" | "cal"           |
      | userName co "${random}" and userName ne "${ben.userName}"                | "ana" and "cal" |
      | userName co "N.${random}@EXAMPLE"                                        | "ben"           |
      | userName co "${random}" and userName sw "A"                              | "ana"           |
      | userName co "${random}" and userName SW "b"                              | "ben"           |
      | userName ew "L.${random}@Example.com"                                    | "cal"           |
      | userName eq "nobody.${random}@example.com"                               | none            |

  Scenario: gt, ge, lt and le order userName case-insensitively and respect the boundary
    Level: must, SPEC §1.3 (gt/ge/lt/le; userName case-insensitive); RFC 7644 §3.4.2.2
    Then each filter lists exactly these users:
      | filter                                                    | users           |
      | userName co "${random}" and userName gt "${ana.userName}" | "ben" and "cal" |
      | userName co "${random}" and userName ge "${ben.userName}" | "ben" and "cal" |
      | userName co "${random}" and userName lt "${ben.userName}" | "ana"           |
      | userName co "${random}" and userName le "${ben.userName}" | "ana" and "ben" |
      | userName co "${random}" and userName gt "BEN"             | "ben" and "cal" |
      | userName co "${random}" and userName lt "B"               | "ana"           |
      | userName co "${random}" and userName gt "${cal.userName}" | none            |
      | userName co "${random}" and userName lt "${ana.userName}" | none            |

  Scenario: Filters on names, emails and active list exactly the matching users
    Level: must, SPEC §1.3 (filters on name.givenName, name.familyName, emails.value, active); RFC 7644 §3.4.2.2
    Then each filter lists exactly these users:
      | filter                                                                 | users                  |
      | userName co "${random}" and name.familyName eq "Lopez"                 | "ana" and "cal"        |
      | userName co "${random}" and NAME.FAMILYNAME eq "lopez"                 | "ana" and "cal"        |
      | userName co "${random}" and name.givenName eq "bEN"                    | "ben"                  |
      | userName co "${random}" and name.givenName co "a"                      | "ana" and "cal"        |
      | userName co "${random}" and name.familyName ew "NE"                    | "ben"                  |
      | userName co "${random}" and name.givenName pr                          | "ana", "ben" and "cal" |
      | emails.value eq "CAL.${random}@example.com"                            | "cal"                  |
      | userName co "${random}" and emails.value sw "ben."                     | "ben"                  |
      | userName co "${random}" and emails[type eq "work" and value co "ana."] | "ana"                  |
      | userName co "${random}" and emails[type eq "home"]                     | none                   |
      | userName co "${random}" and active eq false                            | "cal"                  |
      | userName co "${random}" and active eq true                             | "ana" and "ben"        |
      | userName co "${random}" and active ne true                             | "cal"                  |
      | userName co "${random}" and name.givenName eq "Ana" and active eq false | none                  |

  @rfc
  Scenario: externalId is kept and compared case-exactly
    Level: must, RFC 7643 §3.1 (externalId is caseExact); SPEC §1.3 (externalId is kept)
    Then each filter lists exactly these users:
      | filter                                                | users           |
      | externalId eq "Ext-Ana-${random}"                     | "ana"           |
      | externalId eq "EXT-ANA-${random}"                     | none            |
      | userName co "${random}" and externalId sw "ext-"      | none            |
      | userName co "${random}" and externalId co "-Ben-"     | "ben"           |
      | userName co "${random}" and externalId pr             | "ana" and "ben" |
      | userName co "${random}" and externalId eq null        | "cal"           |

  @rfc
  Scenario: and, or, not and parentheses combine with not before and before or
    Level: must, RFC 7644 §3.4.2.2 (logical operators and their precedence)
    Then each filter lists exactly these users:
      | filter                                                                                     | users           |
      | userName eq "${ana.userName}" or userName eq "${cal.userName}"                             | "ana" and "cal" |
      | userName co "${random}" and not (name.familyName eq "Lopez")                               | "ben"           |
      | userName eq "${ana.userName}" or userName eq "${ben.userName}" and active eq false         | "ana"           |
      | (userName eq "${ana.userName}" or userName eq "${ben.userName}") and active eq true        | "ana" and "ben" |
      | userName co "${random}" and (name.givenName eq "Cal" or externalId eq "Ext-Ben-${random}") | "ben" and "cal" |
      | userName co "${random}" and not (active eq true or name.givenName eq "Ana")                | "cal"           |
      | userName co "${random}" and not (userName co "${random}")                                  | none            |

  Scenario: meta.lastModified compares as a date-time, boundary included
    Level: must, SPEC §1.3 (filters on meta.lastModified); RFC 7644 §3.4.2.2 (dateTime ordering)
    Then each filter lists exactly these users:
      | filter                                                                  | users                  |
      | userName co "${random}" and meta.lastModified gt "2000-01-01T00:00:00Z" | "ana", "ben" and "cal" |
      | userName co "${random}" and meta.lastModified lt "2000-01-01T00:00:00Z" | none                   |
      | userName co "${random}" and meta.created ge "2000-01-01T00:00:00Z"      | "ana", "ben" and "cal" |
    And comparing "ana"'s own meta.lastModified lists exactly these users:
      | operator | users |
      | eq       | "ana" |
      | ge       | "ana" |
      | le       | "ana" |
      | gt       | none  |
      | lt       | none  |
      | ne       | none  |

  Scenario: Malformed filters answer 400 invalidFilter
    Level: must, SPEC §1.3 (malformed filter: 400 invalidFilter); RFC 7644 §3.4.2.2
    Then each of these filters answers 400 invalidFilter:
      | filter                                  |
      | userName xx "a@example.com"             |
      | (userName eq "a@example.com"            |
      | userName eq "a@example.com" and         |
      | userName eq "a@example.com" userName pr |
      | not userName eq "a@example.com"         |
      | emails[type eq "work"                   |
      | userName eq "unterminated               |
      | userName eq 'a@example.com'             |
      | userName pr "a@example.com"             |
      | active gt true                          |
