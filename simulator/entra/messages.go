package entra

import (
	"sort"
	"strings"

	"github.com/scimulator/scimulator/simulator"
)

// MessageID names one entry of the Entra message catalog.
type MessageID string

// MessageKind says where an Entra admin sees a message.
type MessageKind string

// Message kinds.
const (
	// KindConnection is the notification after "Test Connection".
	KindConnection MessageKind = "connection"
	// KindLog is a provisioning log entry's status details.
	KindLog MessageKind = "log"
	// KindJob is the provisioning job's banner (quarantine).
	KindJob MessageKind = "job"
)

// Message is one admin-visible message with its provenance. Template
// placeholders are written {name}.
type Message struct {
	ID         MessageID
	Kind       MessageKind
	Template   string
	Provenance simulator.Provenance
	Source     string
}

// Catalog entries.
const (
	MsgConnectionOK           MessageID = "connection.ok"
	MsgConnectionUnauthorized MessageID = "connection.unauthorized"
	MsgConnectionHTTPError    MessageID = "connection.http-error"
	MsgConnectionNotEmpty     MessageID = "connection.not-empty"
	MsgConnectionBadResponse  MessageID = "connection.bad-response"
	MsgConnectionUnreachable  MessageID = "connection.unreachable"
	MsgLogSuccess             MessageID = "log.success"
	MsgLogNotEntitled         MessageID = "log.skipped.not-entitled"
	MsgLogRedundant           MessageID = "log.skipped.redundant"
	MsgLogHTTPError           MessageID = "log.failure.http"
	MsgLogTransport           MessageID = "log.failure.transport"
	MsgLogBadResponse         MessageID = "log.failure.bad-response"
	MsgJobQuarantine          MessageID = "job.quarantine"
)

const (
	srcTutorial = "Microsoft Learn, \"Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID\""
	srcKnown    = "Microsoft Learn, \"Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service\""
	srcHowWorks = "Microsoft Learn, \"How Application Provisioning works in Microsoft Entra ID\""
	srcQuar     = "Microsoft Learn, \"Application provisioning in quarantine status\"; Microsoft Graph synchronizationQuarantine resource (reason codes)"
	srcLogs     = "Microsoft Learn, \"Provisioning logs in Microsoft Entra ID\" (statuses Success, Failure, Skipped)"
)

var catalog = []Message{
	{MsgConnectionOK, KindConnection, "The supplied credentials are authorized to enable provisioning",
		simulator.Observed, "Entra admin centre notification after a successful Test Connection, as shown in vendors' published setup guides"},
	{MsgConnectionUnauthorized, KindConnection, "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account. Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable. Details: the SCIM endpoint answered {status}",
		simulator.Observed, "Entra admin centre notification for a 401/403, as quoted in Microsoft Q&A threads; the Details wording is inferred"},
	{MsgConnectionHTTPError, KindConnection, "We encountered an error while trying to validate the credentials: the SCIM endpoint answered {status} to a query for a non-existent user{detail}. It must answer 200 OK with an empty ListResponse",
		simulator.Inferred, "inferred wording; the rule (200 OK and an empty ListResponse for a random-GUID filter) is documented in " + srcTutorial + ", section \"Integrate your SCIM endpoint\""},
	{MsgConnectionNotEmpty, KindConnection, "We encountered an error while trying to validate the credentials: a query for a user that does not exist (userName eq a random GUID) returned {count} result(s). The filter must match exactly",
		simulator.Inferred, "inferred wording; the expected empty ListResponse is documented in " + srcTutorial},
	{MsgConnectionBadResponse, KindConnection, "We encountered an error while trying to validate the credentials: the answer is not a SCIM ListResponse ({detail})",
		simulator.Inferred, "inferred"},
	{MsgConnectionUnreachable, KindConnection, "We encountered an error while trying to validate the credentials: {detail}",
		simulator.Inferred, "inferred"},
	{MsgLogSuccess, KindLog, "{action} {object} '{name}' succeeded",
		simulator.Inferred, "inferred wording; the Success status and the actions Create, Update, Disable, Delete are documented in " + srcLogs},
	{MsgLogNotEntitled, KindLog, "Skipped: '{name}' is not in scope (NotEffectivelyEntitled): it is not assigned to the application and the scope is \"Sync only assigned users and groups\"",
		simulator.Documented, srcLogs + " and " + srcHowWorks + " (skip reason NotEffectivelyEntitled; wording ours)"},
	{MsgLogRedundant, KindLog, "Skipped: '{name}' already matches the target (RedundantExport)",
		simulator.Inferred, "inferred: a user whose mapped values equal the target's gets no request"},
	{MsgLogHTTPError, KindLog, "Failed to {action} {object} '{name}': the SCIM endpoint answered {status}{detail}",
		simulator.Inferred, "inferred wording; the Failure status and the escrow retry on the next cycle are documented in " + srcHowWorks},
	{MsgLogTransport, KindLog, "Failed to {action} {object} '{name}': the SCIM endpoint could not be reached: {detail}",
		simulator.Inferred, "inferred"},
	{MsgLogBadResponse, KindLog, "Failed to {action} {object} '{name}': the SCIM endpoint's answer is unusable: {detail}",
		simulator.Inferred, "inferred"},
	{MsgJobQuarantine, KindJob, "The provisioning job is in quarantine (reason {reason}): most requests to the application failed in {cycles} consecutive cycles. Cycles now run once a day until the issue is fixed and provisioning is restarted",
		simulator.Documented, srcQuar + " (quarantine when most calls fail consistently, daily cycles, restart clears it); the threshold of consecutive cycles is inferred"},
}

// Messages returns the catalog, sorted by ID.
func Messages() []Message {
	out := append([]Message(nil), catalog...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LookupMessage returns the catalog entry for id.
func LookupMessage(id MessageID) (Message, bool) {
	for _, m := range catalog {
		if m.ID == id {
			return m, true
		}
	}
	return Message{}, false
}

// render fills the template of id; kv alternates placeholder names and
// values. An unknown id is a programmer error and renders as the id.
func render(id MessageID, kv ...string) string {
	m, ok := LookupMessage(id)
	if !ok {
		return string(id)
	}
	s := m.Template
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}
