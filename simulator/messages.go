package simulator

import (
	"sort"
	"strings"
)

// MessageID names one entry of the message catalog.
type MessageID string

// Provenance says how we know Okta behaves (or words a message) this way.
type Provenance string

// Provenances, from strongest evidence to weakest.
const (
	// Documented: stated in Okta's public docs or the Cortex article.
	Documented Provenance = "documented"
	// Observed: seen in real Okta traffic or admin consoles, as published
	// by SCIM server projects, Okta's OIN test suites or support threads.
	Observed Provenance = "observed"
	// Inferred: not documented; the simulator's best guess.
	Inferred Provenance = "inferred"
)

// MessageKind says where a message appears.
type MessageKind string

// Message kinds.
const (
	// KindTask is the envelope of a task in Okta's Tasks view.
	KindTask MessageKind = "task"
	// KindDialog is the Test API Credentials dialog.
	KindDialog MessageKind = "dialog"
	// KindReason is the part after "Error while <phase>: " (or after
	// "Error authenticating: ") that names what went wrong.
	KindReason MessageKind = "reason"
)

// Message is one admin-visible message. Template placeholders are written
// {name}; Render fills them.
type Message struct {
	ID         MessageID
	Kind       MessageKind
	Template   string
	Provenance Provenance
	Source     string
}

// Catalog entries.
const (
	MsgTaskUser          MessageID = "task.user"
	MsgTaskGroup         MessageID = "task.group"
	MsgTaskImport        MessageID = "task.import"
	MsgCredentialsOK     MessageID = "dialog.credentials.ok"
	MsgCredentialsError  MessageID = "dialog.credentials.error"
	MsgUnauthorized      MessageID = "dialog.credentials.unauthorized"
	MsgForbidden         MessageID = "dialog.credentials.forbidden"
	MsgNoResults         MessageID = "dialog.credentials.no-results"
	MsgHTTPError         MessageID = "reason.http-error"
	MsgHTTPErrorNoDetail MessageID = "reason.http-error-no-detail"
	MsgEmptyUser         MessageID = "reason.empty-user"
	MsgUserWithoutID     MessageID = "reason.user-without-id"
	MsgUnrecognizedToken MessageID = "reason.unrecognized-token"
	MsgUnexpectedChar    MessageID = "reason.unexpected-character"
	MsgEmptyBody         MessageID = "reason.empty-body"
	MsgNotInteger        MessageID = "reason.not-integer"
	MsgWrongType         MessageID = "reason.wrong-type"
	MsgNotListResponse   MessageID = "reason.not-list-response"
	MsgImportRunaway     MessageID = "reason.import-runaway"
	MsgImportIncomplete  MessageID = "reason.import-incomplete"
	MsgConnectTimeout    MessageID = "reason.connect-timeout"
	MsgConnectRefused    MessageID = "reason.connection-refused"
	MsgUnknownHost       MessageID = "reason.unknown-host"
	MsgReadTimeout       MessageID = "reason.read-timeout"
	MsgConnectionReset   MessageID = "reason.connection-reset"
	MsgTLSUntrusted      MessageID = "reason.tls-untrusted"
	MsgTLSHostname       MessageID = "reason.tls-hostname"
	MsgTLSHandshake      MessageID = "reason.tls-handshake"
	MsgRedirect          MessageID = "reason.redirect"
	MsgTooLarge          MessageID = "reason.too-large"
	MsgRateLimited       MessageID = "reason.rate-limited"
	MsgIOError           MessageID = "reason.io-error"
	MsgNoResponse        MessageID = "reason.no-response"
	MsgNoGroupResults    MessageID = "dialog.credentials.no-group-results"
	MsgEmptyGroup        MessageID = "reason.empty-group"
	MsgMalformedJSON     MessageID = "reason.malformed-json"
)

const jacksonExpecting = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"

// Messages returns the message catalog, sorted by ID. Each call returns a
// fresh slice.
func Messages() []Message {
	m := []Message{
		{MsgTaskUser, KindTask, "Automatic provisioning of user {user} to app {app} failed: Error while {phase}: {reason}", Observed,
			"Okta admin console Tasks view, as quoted in Okta help center articles and SCIM server issue trackers; SPEC §2.3"},
		{MsgTaskGroup, KindTask, "Failed to push group {group} to app {app}: Error while {phase}: {reason}", Inferred,
			"modelled on the user task; Okta shows group push errors on the Push Groups tab"},
		{MsgTaskImport, KindTask, "Import of users from app {app} failed: Error while {phase}: {reason}", Inferred,
			"modelled on the user task"},
		{MsgCredentialsOK, KindDialog, "{app} was verified successfully!", Observed,
			"Okta admin console, Provisioning > Integration > Test API Credentials banner"},
		{MsgCredentialsError, KindDialog, "Error authenticating: {reason}", Observed,
			"Okta admin console; SPEC §2.3 (401 and connect timeout dialogs start this way)"},
		{MsgUnauthorized, KindDialog, "Error authenticating: Unauthorized. The connector configuration could not be tested. Make sure that the URL, Authentication Parameters are correct and that there is an implementation available at the URL provided.", Observed,
			"Okta admin console, Test API Credentials against a 401; SPEC §2.3"},
		{MsgForbidden, KindDialog, "Error authenticating: Forbidden from remote server. Errors reported by remote server: {detail}", Documented,
			"Cortex article, Troubleshooting: \"Forbidden from remote server\" (the surrounding wording is inferred)"},
		{MsgNoResults, KindDialog, "No results for users returned", Observed,
			"Okta admin console, Test API Credentials against an empty or non-ListResponse 2xx; SPEC §2.3"},
		{MsgHTTPError, KindReason, "{status}. Errors reported by remote server: {detail}", Observed,
			"Okta task messages: HTTP reason phrase then the SCIM error's detail; SPEC §2.3"},
		{MsgHTTPErrorNoDetail, KindReason, "{status}", Inferred,
			"an error answer without a detail: the reason phrase alone"},
		{MsgEmptyUser, KindReason, "Create new user returned empty user.", Observed,
			"Okta task after a 201 with an empty body; SPEC §2.3"},
		{MsgUserWithoutID, KindReason, "Create new user returned user without id.", Inferred,
			"a 2xx create answer that is JSON but lacks a string id"},
		{MsgUnrecognizedToken, KindReason, "Unrecognized token '{token}': was expecting " + jacksonExpecting, Observed,
			"Jackson parse error Okta shows for non-JSON bodies; SPEC §2.3, Appendix B"},
		{MsgUnexpectedChar, KindReason, "Unexpected character ('{char}' (code {code})): expected a valid value " + jacksonExpecting, Inferred,
			"Jackson's wording for a body starting with a non-letter such as '<' (HTML)"},
		{MsgEmptyBody, KindReason, "No content to map due to end-of-input", Inferred,
			"Jackson's wording for an empty body where JSON is required"},
		{MsgNotInteger, KindReason, "Cannot deserialize value of type `int` from {jsontype} value for field \"{field}\": ListResponse numbers must be JSON integers", Inferred,
			"SPEC §2.3: counts must be JSON integers or Okta treats the sync as failed; wording modelled on Jackson"},
		{MsgWrongType, KindReason, "Cannot deserialize value of field \"{field}\": expected {want}, got {got}", Inferred,
			"wrong JSON type in a SCIM resource; wording modelled on Jackson"},
		{MsgNotListResponse, KindReason, "Response is not a SCIM ListResponse", Inferred,
			"a list answer that is JSON but has no Resources array or totalResults"},
		{MsgImportRunaway, KindReason, "stopped after {pages} pages: totalResults {total} was never covered", Inferred,
			"safety stop for a target whose paging never ends; Okta's own limit is unknown"},
		{MsgImportIncomplete, KindReason, "read {read} of {total} users: the target returned fewer than {count} users on a page, and Okta asks for the next page at startIndex + {count}", Inferred,
			"SPEC §2.2: Okta advances startIndex by 100 (documented); RFC 7644 §3.4.2.4 lets a server return fewer; how Okta reports the gap is unknown"},
		{MsgConnectTimeout, KindReason, "Connect to {hostport} [{host}/{ip}] failed: Connect timed out", Observed,
			"Apache HttpClient message shown by Okta; SPEC §2.3"},
		{MsgConnectRefused, KindReason, "Connect to {hostport} [{host}/{ip}] failed: Connection refused (Connection refused)", Inferred,
			"Apache HttpClient wording"},
		{MsgUnknownHost, KindReason, "{host}: Name or service not known", Inferred,
			"java.net.UnknownHostException wording"},
		{MsgReadTimeout, KindReason, "Read timed out", Inferred,
			"java.net.SocketTimeoutException wording after Okta's 60 s read timeout"},
		{MsgConnectionReset, KindReason, "Connection reset", Inferred,
			"java.net.SocketException wording"},
		{MsgTLSUntrusted, KindReason, "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target", Inferred,
			"Java TLS error for an untrusted certificate"},
		{MsgTLSHostname, KindReason, "Certificate for <{host}> doesn't match any of the subject alternative names: [{names}]", Inferred,
			"Apache HttpClient hostname verification wording"},
		{MsgTLSHandshake, KindReason, "SSL handshake failed: {detail}", Inferred,
			"any other TLS failure"},
		{MsgRedirect, KindReason, "{status}. Redirect to {location} not followed", Inferred,
			"SPEC §2.1: Okta does not follow redirects (inferred)"},
		{MsgTooLarge, KindReason, "Response from remote server exceeds {limit} bytes", Inferred,
			"the simulator bounds every read; Okta's limit is unknown"},
		{MsgRateLimited, KindReason, "Too Many Requests. Gave up after {attempts} attempts", Inferred,
			"SPEC §2.3: 429 is retried at most 10 times"},
		{MsgIOError, KindReason, "I/O error on {method} request for \"{url}\": {detail}", Inferred,
			"Spring/Apache wording for other transport failures"},
		{MsgNoGroupResults, KindDialog, "No results for groups returned", Inferred,
			"the users wording applied to the GET /Groups check made when Push groups is on"},
		{MsgEmptyGroup, KindReason, "Create new group returned empty group.", Inferred,
			"the users wording applied to POST /Groups"},
		{MsgNoResponse, KindReason, "The target server failed to respond", Inferred,
			"Apache HttpClient NoHttpResponseException wording: the connection closed without an answer"},
		{MsgMalformedJSON, KindReason, "Unexpected end-of-input or malformed JSON: {detail}", Inferred,
			"a body that starts like JSON but does not parse; wording modelled on Jackson"},
	}
	sort.Slice(m, func(i, j int) bool { return m[i].ID < m[j].ID })
	return m
}

// LookupMessage returns the catalog entry for id.
func LookupMessage(id MessageID) (Message, bool) {
	for _, m := range Messages() {
		if m.ID == id {
			return m, true
		}
	}
	return Message{}, false
}

// Render fills the {name} placeholders of template from vars (pairs of
// name, value). Unknown placeholders are left as they are.
func Render(template string, vars ...string) string {
	if len(vars) == 0 {
		return template
	}
	pairs := make([]string, 0, len(vars))
	for i := 0; i+1 < len(vars); i += 2 {
		pairs = append(pairs, "{"+vars[i]+"}", vars[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(template)
}

// render renders the catalog entry id.
func render(id MessageID, vars ...string) string {
	m, ok := LookupMessage(id)
	if !ok {
		return string(id)
	}
	return Render(m.Template, vars...)
}
