// Package simulator is an in-memory Okta org whose provisioning engine
// talks to a SCIM 2.0 target the way Okta's does (SPEC §2), and shows what
// an Okta admin would see: task messages, the Test API Credentials dialog,
// app-user state. It shares nothing with the reference server but the wire
// constants in internal/scimwire: the two sides of the wire are built and
// tested apart, so a bug on one side cannot cancel a bug on the other.
//
// # Usage
//
// One org per scenario:
//
//	org := simulator.NewOrg(simulator.Options{Logger: log})
//	err := org.ConfigureApp(simulator.AppConfig{
//		Name:    "Cortex",
//		BaseURL: "https://cortex.example/scim/v2",
//		Auth:    simulator.Auth{Mode: simulator.AuthBearer, Secret: key},
//		Profile: simulator.ProfileOIN, Provisioning: simulator.AllOn(),
//	})
//	cred, _ := org.TestAPICredentials(ctx) // cred.OK, cred.Message
//	ana := org.AddUser(simulator.Profile{Login: "ana@example.com",
//		Email: "ana@example.com", FirstName: "Ana", LastName: "Lopez"})
//	res, err := org.Assign(ctx, ana.ID) // err: programmer errors only
//	if !res.OK {
//		fmt.Println(res.Message) // the task an admin sees
//	}
//	app, _ := org.AppUser(ana.ID) // SCIM id, status, last pushed body
//	_ = org.Transcript().WriteHAR(w)
//
// # The model
//
// An Org holds Okta users (00u… ids, a profile, ACTIVE / SUSPENDED /
// DEPROVISIONED), Okta groups (00g… ids), one SCIM app (AppConfig: base URL,
// credential, traffic profile, toggles, attribute mappings), an app user
// per Okta user (assigned or not, SCIM id, status, the last body pushed,
// the last error), tasks, and a transcript.
//
// Each admin action is a method that sends what Okta sends and returns a
// Result: OK, the admin-visible Message with its catalog MessageID, the
// task opened for a failure, and the HTTP status. Failures of the target
// (bad answers, timeouts, TLS, 4xx/5xx) are results, never Go errors; Go
// errors are reserved for programmer errors (unknown ids, no app
// configured, an action Okta's UI would not offer) and for the caller's
// context ending. Nothing is retried automatically except 429; failed
// work becomes a Task that RetryTask / RetrySelected re-run.
//
// Two traffic profiles exist (SPEC §2.2): ProfileOIN (catalog apps: PATCH
// for status changes) and ProfileAIW (wizard apps: GET then PUT for
// everything). The exact requests of every operation in both profiles are
// pinned by golden files in testdata/golden, each naming its source;
// `go test ./simulator -run TestGolden -update` rewrites them.
//
// Every exchange is recorded (Transcript) with the operation and step that
// caused it, its timing, and whether the request's wire shape is
// documented, observed or inferred; WriteHAR exports HAR 1.2 with those as
// the entry comment and "_provenance" / "_source" fields. The credential
// (and its bare token and Basic encoding) and every generated password are
// replaced by [REDACTED] in transcripts, logs, task messages and results,
// including where a target echoes them back.
//
// # Attribute mappings
//
// The app profile is derived from the Okta profile through mappings, as in
// Okta's Profile Editor. AppConfig.CoreMappings maps userName,
// name.givenName, name.familyName, the primary email and displayName;
// AppConfig.Mappings maps extension attributes under their namespace. Each
// mapping is an expression: an Okta attribute (login, email, firstName,
// lastName, nickName, displayName, or a custom attribute declared in
// AppConfig.OktaAttributes) or a template such as "{firstName} {lastName}".
// ConfigureApp refuses unknown attributes, blank expressions and malformed
// templates with an error naming the app attribute.
//
// Defaults (DefaultCoreMappings), with their basis:
//   - userName ← login: documented (username format Email, Cortex article
//     "Prerequisites"; the Okta SCIM guide filters on the login);
//   - givenName ← firstName, familyName ← lastName, email ← email:
//     observed (the values of the Okta SCIM guide's create example and of
//     real captures);
//   - displayName ← "{firstName} {lastName}": inferred from the same
//     example ("displayName": "Test User" for Test / User).
//
// Mapped values are compared with those of the last successful push.
// Changing a mapping sends nothing by itself; Force sync then pushes GET +
// PUT for the provisioned users whose mapped values changed, and only
// with Update user attributes on (SPEC §2.2); a later profile
// change pushes under the new mappings too.
//
// Messages come from one catalog (Messages, LookupMessage), each entry
// with its provenance and source.
//
// # Documented, observed, inferred
//
// Documented (Okta's SCIM 2.0 protocol reference, the Cortex article):
// the existence check query and its encoding, the create body and its field
// order, GET and PUT of a user, the path-less deactivation PATCH, import
// paging with count=100, group create / filter / membership PATCH / rename
// PATCH / DELETE, "Forbidden from remote server".
//
// Observed (real captures and admin consoles, Okta's OIN test suites):
// the headers (User-Agent "Okta SCIM Client 1.0.0", Accept, Accept-Charset,
// Accept-Encoding gzip,deflate), the always-sent password, Test API
// Credentials' count=2 listing and its dialogs (401 text, "No results for
// users returned", connect timeout, the success banner), the task envelope
// "Automatic provisioning of user … failed: Error while …", "Create new user
// returned empty user.", Jackson's "Unrecognized token …", PUT echoing the
// target's object, the AIW engine's GET + PUT for links and status changes,
// Push Now replacing members, duplicate concurrent requests.
//
// Inferred — the simulator's best guesses, labelled so in code, catalog
// and transcript:
//   - redirects are not followed; a 3xx fails with "<reason>. Redirect to
//     <location> not followed";
//   - the read timeout (60 s) bounds the whole exchange, not each socket
//     read; the connect timeout is 30 s; answers are bounded to 10 MiB
//     after decompression; deflate answers may be zlib or raw;
//   - 429 waits: the n-th consecutive 429 waits base×2^(n-1), where base is
//     that answer's integer Retry-After or 5 minutes; 10 attempts in all;
//     any single wait is capped at AppConfig.MaxRetryWait (24 h by
//     default) — a simulator safety limit, not Okta behaviour, noted on
//     the 429 exchange when it applies;
//   - OIN assign of a user that already exists: link, PATCH active true if
//     it is inactive, then GET + PUT when Update user attributes is on
//     (the transcript labels that PATCH, GET and PUT inferred); AIW: GET +
//     PUT with active true regardless;
//   - the PUT keeps the key order of the target's object (Okta's Jackson
//     over LinkedHashMap keeps the order it read), with new keys appended;
//   - the generated password holds at least one lower-case letter, one
//     upper-case letter and one digit (so password policies accept it);
//   - the OIN reactivation body (the mirror of the documented
//     deactivation), sent to the remembered SCIM id without a filter;
//     AIW reactivation re-runs the create flow (filter, then GET + PUT, or
//     POST when the user vanished);
//   - reactivation on reassignment is gated by Deactivate users;
//   - deactivating the Okta user removes its assignment and sends the same
//     deactivation as unassigning; suspending deactivates the app account
//     but keeps the assignment; unsuspending reactivates it; reactivating
//     the Okta user sends nothing until the app is assigned again;
//   - Okta provisions only ACTIVE users; an assignment to another user
//     waits;
//   - Provision User runs the create flow whatever the Create users toggle;
//   - PUT never carries the password, even when the target echoes the
//     one Okta generated on GET (it is dropped from the merged object, and
//     redacted org-wide from the moment it is generated); extension
//     attributes go after "active" in the create body and their
//     namespace is added to schemas;
//   - an error answer's detail is the SCIM "detail" member, else the body
//     trimmed to 500 bytes; an answer without a body shows the reason
//     phrase alone; a 403 without a body drops "Errors reported by remote
//     server";
//   - "active" absent from a resource means active; a 2xx create answer
//     without a string id fails ("Create new user returned user without
//     id."); a user or group filter hit without a non-empty string id
//     fails the assignment or push (MsgWrongType) rather than creating a
//     second resource;
//   - wording of every transport failure (Java/Apache HttpClient style:
//     "Read timed out", "Connection reset", "Connection refused", "PKIX path
//     building failed…", "Certificate for <host> doesn't match…", "The
//     target server failed to respond"), of type errors modelled on Jackson
//     ("Cannot deserialize value of type `int` from String …", "Unexpected
//     character ('<' (code 60))…", "No content to map due to
//     end-of-input"), of "No results for groups returned", of the group and
//     import task envelopes and of the phases "deactivating user …" and
//     "reactivating user …";
//   - Test API Credentials reports type errors in counts as "Error
//     authenticating: …" and any other unusable 2xx as "No results for users
//     returned";
//   - import fails (with a task) on an active resource whose id or
//     userName is absent, null, empty or not a string;
//   - import stops on a page without resources (even if totalResults claims
//     more) and after MaxImportPages pages (default 1000) with a task;
//     when the users read (active or skipped) do not reach totalResults —
//     a target returning pages smaller than 100 while Okta's startIndex
//     still advances by 100, or an early empty page — the import fails
//     with a task saying how many were read (MsgImportIncomplete);
//   - Force sync needs Update user attributes on and also re-pushes users
//     whose last push failed;
//   - mappings: a template's result is trimmed of surrounding spaces (so a
//     missing first or last name leaves no stray space, Okta's own
//     expression would keep it); a mapped email that comes out empty is
//     replaced by the login; an extension mapped from a custom attribute
//     the user lacks is left out; the existence check filters on the
//     mapped userName; constants and Expression Language functions are
//     not modelled;
//   - group push: members that are not provisioned on the app are left
//     out; a filter hit links the group and replaces its membership (the
//     replace PATCH is labelled inferred); a new
//     group gets one PATCH add (OIN) or a PUT (AIW, whose body shape is
//     inferred); a removed member is named by its SCIM id even when its
//     account was deactivated; display is the user's login;
//   - Duplicate meets its copies at a barrier before the state-changing
//     request, so all existence checks happen first; a success among the
//     copies wins (the app user ends PROVISIONED or DEPROVISIONED and the
//     failing copies' tasks are resolved), whatever order the answers
//     arrive in.
package simulator
