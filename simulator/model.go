package simulator

import (
	"encoding/json"
	"strings"
	"time"
)

// Profile is an Okta user profile. Login is the Okta username, which this
// app sends as userName by default (username format Email). The field
// names map to the Okta attributes login, email, firstName, lastName,
// nickName and displayName that mappings read (CoreMappings).
type Profile struct {
	Login     string
	Email     string
	FirstName string
	LastName  string
	// NickName and DisplayName are optional Okta base attributes; the
	// default mappings do not read them.
	NickName    string
	DisplayName string
	// Attributes holds custom Okta profile attributes (declared in
	// AppConfig.OktaAttributes) that mappings can read (e.g. "department").
	Attributes map[string]string
}

// FullName is how Okta names the user in admin messages: "First Last".
func (p Profile) FullName() string {
	switch {
	case p.FirstName == "":
		return p.LastName
	case p.LastName == "":
		return p.FirstName
	}
	return p.FirstName + " " + p.LastName
}

func (p Profile) clone() Profile {
	if p.Attributes != nil {
		m := make(map[string]string, len(p.Attributes))
		for k, v := range p.Attributes {
			m[k] = v
		}
		p.Attributes = m
	}
	return p
}

// UserStatus is an Okta user's lifecycle status.
type UserStatus string

// Okta user statuses modelled here.
const (
	UserActive      UserStatus = "ACTIVE"
	UserSuspended   UserStatus = "SUSPENDED"
	UserDeactivated UserStatus = "DEPROVISIONED"
)

// User is a snapshot of an Okta user.
type User struct {
	ID      string // 00u…
	Profile Profile
	Status  UserStatus
}

// AppUserStatus is the provisioning state of a user's app assignment.
type AppUserStatus string

// App user states.
const (
	// AppUserNotProvisioned: assigned, but nothing exists on the target
	// (assigned while Create users was off, or before provisioning).
	AppUserNotProvisioned AppUserStatus = "NOT_PROVISIONED"
	// AppUserProvisioned: linked to a SCIM id and active on the target.
	AppUserProvisioned AppUserStatus = "PROVISIONED"
	// AppUserDeprovisioned: deactivated on the target (unassigned or the
	// Okta user deactivated); the SCIM id is kept for reassignment.
	AppUserDeprovisioned AppUserStatus = "DEPROVISIONED"
	// AppUserError: the last provisioning attempt failed; see LastError.
	AppUserError AppUserStatus = "ERROR"
)

// AppUser is a snapshot of a user's app-side state.
type AppUser struct {
	UserID   string
	Assigned bool
	// SCIMID is the target's id, empty until created or linked.
	SCIMID string
	Status AppUserStatus
	// LastPushed is the app profile last successfully sent (the body of
	// the last POST or PUT, password removed), nil if none.
	LastPushed json.RawMessage
	// LastError is the admin message of the last failure, "" after success.
	LastError string
}

// Group is a snapshot of an Okta group and its push state.
type Group struct {
	ID      string // 00g…
	Name    string
	Members []string // Okta user ids, in the order added
	// Pushed reports whether the group is linked to a target group.
	Pushed bool
	// SCIMID is the target group's id once pushed.
	SCIMID string
}

// TaskStatus is whether a task still needs an admin.
type TaskStatus string

// Task statuses.
const (
	TaskOpen     TaskStatus = "OPEN"
	TaskResolved TaskStatus = "RESOLVED"
)

// Task is failed provisioning work as listed in Okta's Tasks view. An
// admin retries it with RetryTask ("Retry Selected").
type Task struct {
	ID        string
	Operation Operation
	UserID    string // empty for group and import tasks
	GroupID   string // empty for user tasks
	// Message is what the admin sees, from the catalog (Messages).
	Message   string
	MessageID MessageID
	Status    TaskStatus
	Created   time.Time
	Attempts  int
}

// Operation names the Okta admin action (or engine event) that caused
// traffic, as recorded in transcripts and tasks.
type Operation string

// Operations.
const (
	OpTestCredentials Operation = "Test API Credentials"
	OpAssign          Operation = "Assign user"
	OpProvision       Operation = "Provision User"
	OpProfileUpdate   Operation = "Push profile update"
	OpUnassign        Operation = "Unassign user"
	OpDeactivate      Operation = "Deactivate Okta user"
	OpSuspend         Operation = "Suspend Okta user"
	OpUnsuspend       Operation = "Unsuspend Okta user"
	OpReactivate      Operation = "Reactivate Okta user"
	OpForceSync       Operation = "Force sync"
	OpImport          Operation = "Import"
	OpPushGroup       Operation = "Push group"
	OpGroupMembers    Operation = "Push group membership"
	OpRenameGroup     Operation = "Push group rename"
	OpPushNow         Operation = "Push Now"
	OpUnlinkGroup     Operation = "Unlink pushed group"
)

// Result is what an admin sees after one operation on one user or group.
type Result struct {
	Operation Operation
	UserID    string
	GroupID   string
	// OK is true when the operation finished without a failure. An
	// operation that had nothing to send (toggle off, nothing changed) is
	// OK with Sent == 0.
	OK bool
	// Sent is the number of requests this operation made (a request
	// retried after 429 counts once; the transcript has every attempt).
	Sent int
	// Message is the admin-visible message on failure ("" when OK), and
	// MessageID its catalog entry.
	Message   string
	MessageID MessageID
	// TaskID names the task opened for the failure, if any.
	TaskID string
	// Status is the HTTP status of the failing exchange (0 if none).
	Status int
}

// CredentialsResult is the dialog after Test API Credentials.
type CredentialsResult struct {
	OK bool
	// Message is the banner: "<App> was verified successfully!" or the
	// error dialog text.
	Message   string
	MessageID MessageID
	// Status is the HTTP status of the deciding exchange (0 if none).
	Status int
}

// ImportedUser is one target user seen by Import.
type ImportedUser struct {
	SCIMID     string
	UserName   string
	GivenName  string
	FamilyName string
	Email      string
	ExternalID string
	Active     bool
}

// ImportResult is the outcome of an Import (To Okta).
type ImportResult struct {
	OK bool
	// Users are the active users read, in target order.
	Users []ImportedUser
	// SkippedInactive counts resources with active false (not imported).
	SkippedInactive int
	// Pages is the number of pages requested.
	Pages int
	// TotalResults is the target's last reported total.
	TotalResults int
	Message      string
	MessageID    MessageID
	TaskID       string
}

// SyncResult is the outcome of Force sync.
type SyncResult struct {
	// Pushed are users whose mapped values changed and were pushed.
	Pushed []Result
	// Unchanged are user ids that got no traffic.
	Unchanged []string
	// NotProvisioned are assigned user ids with nothing on the target,
	// which Force sync does not create.
	NotProvisioned []string
}

// lower is the operation's name for Go error prefixes (errors are lower
// case, STYLE §9).
func (op Operation) lower() string { return strings.ToLower(string(op)) }
