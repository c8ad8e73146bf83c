// Package entra is an in-memory Microsoft Entra ID tenant whose
// provisioning service talks to a SCIM 2.0 target the way Entra's does,
// and shows what an Entra admin would see: the Test Connection
// notification, provisioning log entries (Success, Failure, Skipped) and
// the job's quarantine banner. Like the Okta simulator it never imports
// the reference server; it shares with package simulator only the
// transcript types (Exchange, Transcript) and the provenance labels.
//
// # Usage
//
//	tn := entra.NewTenant(entra.Options{})
//	err := tn.ConfigureApp(entra.AppConfig{TenantURL: base, SecretToken: tok, Mode: entra.ModeCompliant})
//	conn, _ := tn.TestConnection(ctx)          // conn.OK, conn.Message
//	ana := tn.AddUser(entra.User{UserPrincipalName: "ana@contoso.example", Mail: …, AccountEnabled: true})
//	_ = tn.Assign(ana.ID)
//	res, _ := tn.StartProvisioning(ctx)        // the initial cycle
//	_ = tn.UpdateUser(ana.ID, func(u *entra.User) { u.Surname = "Lima" })
//	res, _ = tn.RunCycle(ctx)                  // an incremental cycle
//	e, _ := tn.ProvisionOnDemand(ctx, ana.ID)  // one user, with its steps
//
// # The model
//
// A Tenant holds users (objectId, userPrincipalName, mail, mailNickname,
// names, jobTitle, department, employeeId, accountEnabled, soft-deleted),
// groups, app assignments, one enterprise application (Tenant URL, Secret
// Token, Mode, Scope, attribute mappings), the links the service keeps
// between Entra objects and target ids, the provisioning logs, the job and
// a transcript. Admin actions change the tenant and send nothing; cycles
// and provision on demand send the requests.
//
// # Documented, observed, inferred
//
// Documented (Microsoft Learn: the SCIM endpoint tutorial, the SCIM
// known-issues page, "How Application Provisioning works", on-demand
// provisioning, quarantine status; Microsoft Graph's synchronizationQuarantine):
// Test Connection's filter on a random GUID expecting 200 and an empty
// ListResponse; the existence query GET /Users?filter=userName eq "…";
// the create body (both schemas, externalId, userName, active, work email,
// meta.resourceType, name, roles); the PATCH shapes of both modes — legacy
// "Replace"/"Add"/"Remove" with one op per attribute, "True"/"False"
// strings, a single value added as [{"value": …}], member removal with a
// value list; compliant lower-case ops, JSON booleans, several attributes
// in one path-less replace keyed by path, member removal with
// members[value eq "…"]; disable by PATCH active false for unassigned,
// out-of-scope and soft-deleted users, DELETE for hard-deleted users;
// group create (both schema URIs), filter by displayName with
// excludedAttributes=members, add members (legacy, with "$ref": null),
// rename; the default mappings userPrincipalName → userName, mail →
// emails[type eq "work"].value, mailNickname → externalId, givenName,
// surname, Join(" ", givenName, surname) → name.formatted, displayName,
// jobTitle → title, employeeId and department → the enterprise extension;
// skip reason NotEffectivelyEntitled; 40-minute incremental cycles,
// escrow retries of failed exports, quarantine when most calls keep
// failing, daily cycles in quarantine, restart clearing it; on-demand
// steps (import, scope, match, action).
//
// Observed (admin-centre notifications quoted in vendors' guides and
// Microsoft Q&A threads): the Test Connection success text and the
// invalid-credentials text with its error code.
//
// Inferred — labelled so in code, catalog, golden files and transcript:
//   - headers: only Authorization: Bearer and, on bodies, Content-Type
//     application/scim+json; no User-Agent (Microsoft documents none);
//     form-encoded queries (space as "+");
//   - active is accountEnabled and not soft-deleted (Entra's documented
//     default reads IsSoftDeleted; accountEnabled is the common addition);
//   - incremental cycles query the target by userName again before an
//     update, and the PATCH carries only the attributes whose value differs
//     from the target's answer (userName and email compared
//     case-insensitively); an empty source value sends nothing;
//   - compliant mode: one changed attribute is replaced with its path;
//     add members lower-cases the op and drops "$ref";
//   - a restored user is matched and enabled with the mode's active
//     PATCH; a DELETE answered 404 counts as done; a group leaving the
//     scope is deleted; only provisioned users are pushed as members;
//   - quarantine after QuarantineAfter (default 3) consecutive cycles in
//     which more than half of the exports failed, reason
//     EncounteredEscrowProportionThreshold; a cycle where most succeed
//     lifts it;
//   - every provisioning-log and connection-failure wording other than
//     the two observed ones; redirects are not followed; 60 s per
//     exchange; answers bounded to 10 MiB.
//
// The exact requests of every operation in both modes are pinned by
// golden files in testdata/golden, each naming its source;
// `go test ./simulator/entra -run TestGolden -update` rewrites them.
package entra
