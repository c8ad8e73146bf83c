package entra

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/scimulator/scimulator/simulator"
)

// Mode is the request behaviour of the Entra SCIM client (SPEC: issue 10;
// the known-issues page describes both).
type Mode string

// Modes.
const (
	// ModeCompliant is the SCIM-compliant PATCH behaviour, opted into with
	// the aadOptscim062020 flag on the tenant URL and the default for new
	// non-gallery apps: lower-case ops, JSON booleans, one path-less replace
	// for several attributes, member removal by value filter.
	ModeCompliant Mode = "compliant"
	// ModeLegacy is the behaviour before aadOptscim062020 (still reachable
	// with the AzureAdScimPatch2017 flag): capitalised ops ("Replace",
	// "Add", "Remove"), string booleans ("True"/"False"), one op per
	// attribute, single values added as [{"value": …}].
	ModeLegacy Mode = "legacy"
)

// ParseMode turns "compliant" or "legacy" ("" is compliant) into a Mode.
func ParseMode(s string) (Mode, error) {
	switch Mode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ModeCompliant:
		return ModeCompliant, nil
	case ModeLegacy:
		return ModeLegacy, nil
	}
	return "", fmt.Errorf("parse Entra mode: unknown mode %q (want %q or %q)", s, ModeCompliant, ModeLegacy)
}

// Scope is the provisioning scope setting.
type Scope string

// Scopes.
const (
	// ScopeAssigned is "Sync only assigned users and groups" (the default).
	ScopeAssigned Scope = "assigned"
	// ScopeAll is "Sync all users and groups".
	ScopeAll Scope = "all"
)

// AppConfig is the enterprise application's provisioning configuration.
type AppConfig struct {
	// Name is the application's display name.
	Name string
	// TenantURL is the SCIM base URL ("Tenant URL" in the admin centre).
	TenantURL string
	// SecretToken is sent as a bearer token ("Secret Token").
	SecretToken string
	Mode        Mode
	// Scope: "" means ScopeAssigned.
	Scope Scope
	// ProvisionGroups is the "Provision Microsoft Entra ID Groups" mapping.
	ProvisionGroups bool
	// Mappings are the user attribute mappings; nil means DefaultMappings.
	Mappings []Mapping
	// ExtraHeaders are added to every request (e.g. X-Forwarded-For for
	// allowlist scenarios).
	ExtraHeaders       http.Header
	InsecureSkipVerify bool
	RootCAs            *x509.CertPool
	// Timeout bounds each exchange; 0 means 60 s (inferred).
	Timeout time.Duration
	// QuarantineAfter is how many consecutive failing cycles quarantine
	// the job; 0 means 3 (inferred: Microsoft documents the rule, not the
	// threshold).
	QuarantineAfter int
}

// Options configure a Tenant.
type Options struct {
	// Transport, when set, replaces the HTTP transport (tests, in-process
	// targets).
	Transport http.RoundTripper
	// Seed, when non-zero, makes object ids and Test Connection's GUID
	// deterministic (golden files).
	Seed uint64
}

// User is an Entra user (the source attributes the default mappings read).
type User struct {
	ID                string // objectId, a GUID
	UserPrincipalName string
	Mail              string
	MailNickname      string
	GivenName         string
	Surname           string
	DisplayName       string
	JobTitle          string
	Department        string
	EmployeeID        string
	AccountEnabled    bool
	// SoftDeleted: deleted, restorable for 30 days.
	SoftDeleted bool
}

// Group is an Entra security group.
type Group struct {
	ID           string
	DisplayName  string
	MailNickname string
	Members      []string // user ids
}

// link is what the provisioning service remembers about an object it
// exported: the target's id and whether it left it active.
type link struct {
	scimID  string
	active  bool
	name    string          // groups: the displayName last pushed
	members map[string]bool // groups: the user ids pushed as members
}

// Tenant is one Entra tenant with one SCIM enterprise application.
type Tenant struct {
	mu       sync.Mutex
	opts     Options
	rnd      *mrand.Rand
	users    map[string]*User
	order    []string
	groups   map[string]*Group
	gorder   []string
	assigned map[string]bool // user and group ids assigned to the app
	links    map[string]*link
	// groupMemberIDs keeps, per group, the SCIM ids of the members pushed.
	groupMemberIDs map[string]map[string]string
	dirty          map[string]bool
	purged         map[string]*User // hard-deleted users awaiting their DELETE
	app            *AppConfig
	client         *http.Client

	exchanges []simulator.Exchange
	logs      []LogEntry
	job       Job
}

// NewTenant returns an empty tenant.
func NewTenant(opts Options) *Tenant {
	t := &Tenant{opts: opts, users: map[string]*User{}, groups: map[string]*Group{},
		assigned: map[string]bool{}, links: map[string]*link{}, dirty: map[string]bool{},
		purged: map[string]*User{}, groupMemberIDs: map[string]map[string]string{}}
	if opts.Seed != 0 {
		t.rnd = mrand.New(mrand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	}
	t.job.Status = JobNotStarted
	return t
}

// guid returns a new GUID (RFC 9562 version 4 layout).
func (t *Tenant) guid() string {
	var b [16]byte
	if t.rnd != nil {
		for i := range b {
			b[i] = byte(t.rnd.UintN(256))
		}
	} else if _, err := rand.Read(b[:]); err != nil {
		panic("entra: crypto/rand failed: " + err.Error()) // never on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ConfigureApp sets (or replaces) the application's provisioning
// configuration. Bad configuration is an error naming the field.
func (t *Tenant) ConfigureApp(cfg AppConfig) error {
	u, err := url.Parse(cfg.TenantURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("configure Entra app: Tenant URL %q must be an absolute http(s) URL", cfg.TenantURL)
	}
	if cfg.SecretToken == "" {
		return errors.New("configure Entra app: Secret Token is empty")
	}
	if cfg.Mode, err = ParseMode(string(cfg.Mode)); err != nil {
		return fmt.Errorf("configure Entra app: %w", err)
	}
	switch cfg.Scope {
	case "":
		cfg.Scope = ScopeAssigned
	case ScopeAssigned, ScopeAll:
	default:
		return fmt.Errorf("configure Entra app: unknown scope %q (want %q or %q)", cfg.Scope, ScopeAssigned, ScopeAll)
	}
	if cfg.Mappings == nil {
		cfg.Mappings = DefaultMappings()
	}
	if err := checkMappings(cfg.Mappings); err != nil {
		return fmt.Errorf("configure Entra app: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.QuarantineAfter <= 0 {
		cfg.QuarantineAfter = 3
	}
	cfg.TenantURL = strings.TrimRight(cfg.TenantURL, "/")
	rt := t.opts.Transport
	if rt == nil {
		rt = &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
			TLSClientConfig:     &tls.Config{RootCAs: cfg.RootCAs, InsecureSkipVerify: cfg.InsecureSkipVerify, MinVersion: tls.VersionTLS12}, //nolint:gosec // explicit opt-in for local targets
			DisableCompression:  true,
			TLSHandshakeTimeout: 30 * time.Second,
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.app = &cfg
	t.client = &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // inferred: redirects are not followed
	}}
	return nil
}

// AddUser adds an enabled user; ID is assigned when empty. The user is
// evaluated by the next cycle.
func (t *Tenant) AddUser(u User) *User {
	t.mu.Lock()
	defer t.mu.Unlock()
	if u.ID == "" {
		u.ID = t.guid()
	}
	nu := u
	t.users[nu.ID] = &nu
	t.order = append(t.order, nu.ID)
	t.dirty[nu.ID] = true
	return &nu
}

// User returns a copy of the user with the id.
func (t *Tenant) User(id string) (User, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// UpdateUser changes a user's attributes (not its id or deletion state);
// the next cycle pushes what the mappings derive from the change.
func (t *Tenant) UpdateUser(id string, change func(*User)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return fmt.Errorf("update user: no user %q", id)
	}
	keepID, keepDel := u.ID, u.SoftDeleted
	change(u)
	u.ID, u.SoftDeleted = keepID, keepDel
	t.dirty[id] = true
	return nil
}

// SoftDelete deletes a user restorably (the provisioning service disables
// it on the target, documented in "How Application Provisioning works").
func (t *Tenant) SoftDelete(id string) error { return t.setDeleted(id, true) }

// Restore restores a soft-deleted user (the target user is enabled again).
func (t *Tenant) Restore(id string) error { return t.setDeleted(id, false) }

func (t *Tenant) setDeleted(id string, del bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return fmt.Errorf("soft-delete or restore: no user %q", id)
	}
	u.SoftDeleted = del
	t.dirty[id] = true
	return nil
}

// HardDelete permanently deletes a soft-deleted user (after 30 days, or by
// the admin); the next cycle sends DELETE for a provisioned user.
func (t *Tenant) HardDelete(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.users[id]
	if !ok {
		return fmt.Errorf("hard-delete: no user %q", id)
	}
	if !u.SoftDeleted {
		return fmt.Errorf("hard-delete: user %q is not soft-deleted (Entra deletes permanently only from Deleted users)", u.UserPrincipalName)
	}
	delete(t.users, id)
	t.purged[id] = u
	t.dirty[id] = true
	return nil
}

// Assign assigns the app to a user or group; Unassign removes it.
func (t *Tenant) Assign(id string) error   { return t.setAssigned(id, true) }
func (t *Tenant) Unassign(id string) error { return t.setAssigned(id, false) }

func (t *Tenant) setAssigned(id string, on bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, isUser := t.users[id]
	g, isGroup := t.groups[id]
	if !isUser && !isGroup {
		return fmt.Errorf("assign: no user or group %q", id)
	}
	t.assigned[id] = on
	t.dirty[id] = true
	if isGroup {
		// Assigning a group brings its members into scope (documented:
		// group-based assignment), so they are evaluated too.
		for _, m := range g.Members {
			t.dirty[m] = true
		}
	}
	return nil
}

// AddGroup adds a group with members (user ids).
func (t *Tenant) AddGroup(name string, members ...string) (*Group, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range members {
		if _, ok := t.users[m]; !ok {
			return nil, fmt.Errorf("add group %q: no user %q", name, m)
		}
	}
	g := &Group{ID: t.guid(), DisplayName: name, MailNickname: strings.ReplaceAll(name, " ", ""), Members: append([]string(nil), members...)}
	t.groups[g.ID] = g
	t.gorder = append(t.gorder, g.ID)
	t.dirty[g.ID] = true
	return g, nil
}

// AddMember and RemoveMember change a group's membership.
func (t *Tenant) AddMember(groupID, userID string) error { return t.member(groupID, userID, true) }
func (t *Tenant) RemoveMember(groupID, userID string) error {
	return t.member(groupID, userID, false)
}

func (t *Tenant) member(groupID, userID string, add bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.groups[groupID]
	if !ok {
		return fmt.Errorf("group membership: no group %q", groupID)
	}
	if _, ok := t.users[userID]; !ok {
		return fmt.Errorf("group membership: no user %q", userID)
	}
	var keep []string
	for _, m := range g.Members {
		if m != userID {
			keep = append(keep, m)
		}
	}
	if add {
		keep = append(keep, userID)
	}
	g.Members = keep
	t.dirty[groupID] = true
	t.dirty[userID] = true
	return nil
}

// SCIMID returns the target id the service linked to an Entra object.
func (t *Tenant) SCIMID(id string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if l, ok := t.links[id]; ok {
		return l.scimID
	}
	return ""
}

// Transcript returns a snapshot of every exchange so far.
func (t *Tenant) Transcript() *simulator.Transcript {
	t.mu.Lock()
	defer t.mu.Unlock()
	return &simulator.Transcript{Exchanges: append([]simulator.Exchange(nil), t.exchanges...)}
}

// Logs returns the provisioning log entries so far, oldest first.
func (t *Tenant) Logs() []LogEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]LogEntry(nil), t.logs...)
}

// Job returns the provisioning job's state.
func (t *Tenant) Job() Job {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.job
}

func (t *Tenant) config() (*AppConfig, *http.Client, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.app == nil {
		return nil, nil, errors.New("no Entra application configured (ConfigureApp first)")
	}
	c := *t.app
	return &c, t.client, nil
}

// inScope reports whether the user is in the provisioning scope: assigned
// directly or through an assigned group, or any user under ScopeAll, and
// not soft-deleted. Caller holds mu.
func (t *Tenant) inScopeLocked(u *User, scope Scope) bool {
	if u.SoftDeleted {
		return false
	}
	if scope == ScopeAll || t.assigned[u.ID] {
		return true
	}
	for _, gid := range t.gorder {
		if !t.assigned[gid] {
			continue
		}
		for _, m := range t.groups[gid].Members {
			if m == u.ID {
				return true
			}
		}
	}
	return false
}

// ctxErr wraps the caller's context error for an operation.
func ctxErr(what string, ctx context.Context) error {
	return fmt.Errorf("entra %s: %w", what, ctx.Err())
}
