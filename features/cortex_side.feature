@cortex
Feature: The Cortex side shows exactly what provisioning did
  The admin checks provisioning in Cortex itself: the Users tab (status,
  roles, teams, API key count, active sessions), the roles and their
  permissions, and the API keys the Okta app uses (SPEC §1.2, §1.5; Cortex
  article "Verifying provisioning in Cortex", "Deprovisioning users"). The
  harness reads them through the target's probes and checks every value.

  @revocation @roles @teams @apikeys @sessions @userstab
  Scenario: The Users tab shows the unassigned user deprovisioned with nothing left, and the other user as before
    Level: must, SPEC §1.4 (roles, teams, personal keys and sessions revoked); SPEC §1.5 (the Users tab)
    Given an Okta org with the app connected
    And "ana" is assigned the app and provisioned
    And "ben" is assigned the app and provisioned
    And "ana" has been added to the team "platform" on the target
    And "ben" has been added to the team "design" on the target
    And "ana" has a personal API key on the target
    And "ben" has a personal API key on the target
    And "ana" has an active session on the target
    And "ben" has an active session on the target
    And the Users tab lists "ana" as active with 1 API key and 1 active session
    And "ana" is in exactly the teams "platform" on the target
    When the admin unassigns the app from "ana"
    Then Okta's provisioning of "ana" succeeded
    And the Users tab lists "ana" as deprovisioned with 0 API keys and 0 active sessions
    And "ana" has no roles on the target
    And "ana" is in no team on the target
    And the Users tab lists "ben" as active with 1 API key and 1 active session
    And "ben" has exactly the roles "User" on the target
    And "ben" is in exactly the teams "design" on the target
    And "ben"'s personal API key works
    And "ben"'s session works

  @revocation @apikeys @sessions @userstab
  Scenario: A deleted user cannot log in and is no longer listed as active
    Level: must, SPEC §1.3 (DELETE deprovisions); SPEC §1.4 (a deprovisioned user cannot log in); SPEC §1.5 (the Users tab)
    Given the target already has the user "cal"
    And "cal" has a personal API key on the target
    And "cal" has an active session on the target
    And the Users tab lists "cal" as active with 1 API key and 1 active session
    When a SCIM client deletes "cal"
    Then the response status is 204
    And the Users tab lists "cal" as deprovisioned
    And "cal" cannot open a session on the target
    And "cal"'s personal API key no longer works

  @revocation @teams
  Scenario: A team membership given by email to a deprovisioned user is associated only on reactivation
    Level: must, SPEC §1.4 (a deprovisioned user holds no team membership; reprovisioning re-associates records that reference the email)
    Given the target already has the user "ivy"
    And a SCIM client deactivated "ivy"
    And the team "support" lists "ivy"'s email on the target
    Then "ivy" is not a member of the team "support" on the target
    And "ivy" is in no team on the target
    When a SCIM client PUTs "ivy" with "active" set to true
    Then the response status is 200
    And "ivy" is a member of the team "support" on the target
    And "ivy" is in exactly the teams "support" on the target

  @forbidden @rolekeys @roleperms @keyrevoke
  Scenario: A custom role holds exactly its permissions; a rotated key works until revoked, then answers 401
    Level: must, SPEC §1.2 (custom roles hold any set of permissions; an unknown key answers 401); SPEC §1.5 (API keys: revoke)
    Given an Okta org with the app connected
    And the app's API token belongs to a custom role with only "CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS"
    And the app's custom role holds exactly the permissions "CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS" on the target
    And the app's API token is rotated to a new key of the same custom role
    When the admin clicks "Test API Credentials"
    Then Okta says the credentials are valid
    When the app's API token is revoked on the target
    And the admin clicks "Test API Credentials"
    Then Okta says "Error authenticating: Unauthorized"
    And the target answered 401
    And the app's previous API token still works
    And the app's custom role holds exactly the permissions "CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS" on the target

  @roles @settings @serial @defaultrole @rolekeys
  Scenario: A custom default role is given on creation and again on reactivation, in place of every other role
    Level: must, SPEC §1.1 (the default role is given to users created through SCIM and again on reactivation); SPEC §1.2 (custom roles)
    Given the target's default role is a custom role "triage" with only "EDIT_ROLES"
    And the target already has the user "kim"
    And "kim" has exactly the custom role "triage" on the target
    And "kim" has been given the role "Viewer" on the target
    And a SCIM client deactivated "kim"
    And "kim" has no roles on the target
    When a SCIM client PUTs "kim" with "active" set to true
    Then the response status is 200
    And "kim" has exactly the custom role "triage" on the target

  @settings @serial @scimtoggle @allowlist @defaultrole @keepinteams @settingsview
  Scenario: Every setting the admin changes reads back exactly
    Level: must, SPEC §1.1 (SCIM on/off, IP allowlist, default role, keep deprovisioned users in teams); SPEC §1.5 (settings)
    Given SCIM is turned off on the target
    And the target's IP allowlist admits only "198.51.100.0/24"
    And the target's default role is "Viewer"
    And the target keeps deprovisioned users in teams
    Then the target's settings read back SCIM off, the default role "Viewer", keep-in-teams on and the allowlist "198.51.100.0/24" with the harness's address

  @roles @rolerevoke
  Scenario: A role the admin took away stays away through a profile update
    Level: must, SPEC §1.1 (the default role is given on creation and on reactivation only); SPEC §1.3 (an update changes only the names)
    Given the target already has the user "hal"
    And "hal" has been given the role "Viewer" on the target
    And the role "User" of "hal" has been removed on the target
    And "hal" has exactly the roles "Viewer" on the target
    When a SCIM client reads "hal" and PUTs it back unchanged except the given name "Harald"
    Then the response status is 200
    And "hal" has exactly the roles "Viewer" on the target
    And "hal" is active on the target

  @teams @teamremove
  Scenario: Reactivation associates only the team records that still reference the email
    Level: must, SPEC §1.4 (reprovisioning associates every team membership that still references the email, and only those)
    Given the target already has the user "jon"
    And a SCIM client deactivated "jon"
    And the team "support" lists "jon"'s email on the target
    And the team "sales" lists "jon"'s email on the target
    And "jon"'s email has been removed from the team "sales" on the target
    When a SCIM client PUTs "jon" with "active" set to true
    Then the response status is 200
    And "jon" is in exactly the teams "support" on the target
    And "jon" is not a member of the team "sales" on the target

  @forbidden @roles @rolerevoke @rolecreate @roledelete @rolekeys @roleperms @settings @defaultrole @serial
  Scenario: A role still given by default, held by the app's API token or held by a user cannot be deleted; once unused it can, and it is gone
    Level: must, SPEC §1.1 (the default role is given to users created through SCIM); SPEC §1.2 (an API key carries a role; custom roles)
    Given an Okta org with the app connected
    And the target already has the user "ben"
    And the target already has the user "lea"
    And the admin created the custom role "triage" with only "EDIT_ROLES" on the target
    And the admin created the custom role "auditor" with only "VIEW_CATALOG,EDIT_ENTITIES" on the target
    And the admin created the custom role "spare" with only "VIEW_CATALOG" on the target
    And the target's default role is the custom role "triage"
    And the app's API token belongs to a custom role with only "CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS"
    And "lea" has been given the custom role "auditor" on the target
    Then deleting the custom role "triage" on the target is refused
    And deleting the app's custom role on the target is refused
    And deleting the custom role "auditor" on the target is refused
    And the custom role "triage" holds exactly "EDIT_ROLES" on the target
    And the custom role "auditor" holds exactly "VIEW_CATALOG,EDIT_ENTITIES" on the target
    And the app's custom role holds exactly the permissions "CONFIGURE_OIDC_AND_SCIM,EDIT_ROLES,MANAGE_IDENTITY_MAPPINGS" on the target
    When the admin clicks "Test API Credentials"
    Then Okta says the credentials are valid
    When the custom role "auditor" of "lea" has been removed on the target
    Then deleting the custom role "auditor" on the target succeeds
    And the custom role "auditor" no longer exists on the target
    And deleting the custom role "auditor" on the target is refused
    And deleting the custom role "spare" on the target succeeds
    And the custom role "spare" no longer exists on the target
    And the custom role "triage" holds exactly "EDIT_ROLES" on the target

  @rolecreate
  Scenario: A custom role's name cannot be taken again with other permissions; with the same permissions it is the same role
    Level: must, SPEC §1.2 (custom roles hold any set of permissions; an API key carries a role)
    Given the admin created the custom role "ops" with only "EDIT_ROLES,MANAGE_TEAMS" on the target
    Then creating the custom role "ops" again with only "EDIT_ROLES" is refused
    And creating the custom role "ops" again with only "EDIT_ROLES,MANAGE_USERS" is refused
    And creating the custom role "ops" again with only "MANAGE_TEAMS,EDIT_ROLES" succeeds
    And the custom role "ops" holds exactly "EDIT_ROLES,MANAGE_TEAMS" on the target

  @rolecreate @roledelete
  Scenario Outline: The built-in role <role> can be neither deleted nor taken as a custom role's name
    Level: must, SPEC §1.2 (the built-in roles Admin, User and Viewer)
    Then deleting the built-in role "<role>" on the target is refused
    And creating a role named like the built-in role "<role>", with its own permissions, is refused

    Examples:
      | role   |
      | Admin  |
      | User   |
      | Viewer |

  @settings @ipheader @settingsview @serial
  Scenario Outline: The client IP header takes any HTTP field name, such as <header> (<why>)
    Level: must, SPEC §1.1 (which header carries the client IP behind a proxy is a setting); RFC 9110 §5.1 (a field name is a token)
    When the target's client IP header is set to "<header>"
    Then the target's settings read back the client IP header "<header>"

    Examples:
      | header            | why                                           |
      | X-Azure-ClientIP  | Azure Front Door's header                     |
      | True-Client-IP    | Akamai's and Cloudflare's header              |
      | Z-Proxy-09        | the ends of the letter and digit ranges       |
      | x~client.ip!#_\|* | the token's other characters                  |

  @settings @ipheader @settingsview @serial
  Scenario Outline: A client IP header that is not an HTTP field name, such as "<header>" (<why>), is refused and changes nothing
    Level: must, SPEC §1.1 (which header carries the client IP behind a proxy is a setting); RFC 9110 §5.1 (a field name is a token)
    When setting the target's client IP header to "<header>" is refused
    Then the target's settings read back the client IP header ""

    Examples:
      | header          | why                        |
      | X Forwarded For | spaces                     |
      | X-Real-IP:      | a colon                    |
      | X-Clíent-IP     | a letter outside ASCII     |
      | X-Client-IP/v4  | a slash                    |

  @revocation @ownkey
  Scenario: Okta's API token is the personal key of a user Okta deprovisions: the deprovision succeeds, and then the token answers 401
    Level: must, SPEC §1.4 (deprovisioning deletes the user's personal API keys); RFC 9110 §15.5.2 (401: the request was not applied)
    Given an Okta org with the app connected
    And "ada" is assigned the app and provisioned
    And "ada" has a personal API key on the target that can call SCIM
    And the app's API token is "ada"'s personal key
    When the admin unassigns the app from "ada"
    Then Okta's provisioning of "ada" succeeded
    And "ada" is inactive on the target
    And "ada"'s personal API key no longer works
    When the admin clicks "Test API Credentials"
    Then Okta says "Error authenticating: Unauthorized"
    And the target answered 401
