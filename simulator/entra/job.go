package entra

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/simulator"
)

// Provisioning log statuses (documented: provisioning logs).
type Status string

// Statuses.
const (
	StatusSuccess Status = "Success"
	StatusFailure Status = "Failure"
	StatusSkipped Status = "Skipped"
)

// Action is a provisioning log entry's action (documented: Create,
// Update, Delete, Disable, Other).
type Action string

// Actions.
const (
	ActionCreate  Action = "Create"
	ActionUpdate  Action = "Update"
	ActionDisable Action = "Disable"
	ActionDelete  Action = "Delete"
	ActionOther   Action = "Other"
)

// LogEntry is one provisioning log entry, as the admin reads it.
type LogEntry struct {
	Cycle      int // 0 for provision on demand
	OnDemand   bool
	ObjectType string // "User" or "Group"
	SourceID   string
	Name       string // userPrincipalName or group displayName
	TargetID   string
	Action     Action
	Status     Status
	MessageID  MessageID
	Message    string
	HTTPStatus int
	// Steps are provision on demand's steps (documented: import, scope,
	// match, action), each with its outcome.
	Steps []string
}

// JobStatus is the provisioning job's state.
type JobStatus string

// Job states.
const (
	JobNotStarted  JobStatus = "NotStarted"
	JobActive      JobStatus = "Active"
	JobQuarantined JobStatus = "Quarantine"
)

// Cycle intervals (documented: incremental cycles about every 40 minutes;
// in quarantine, once a day).
const (
	CycleInterval      = 40 * time.Minute
	QuarantineInterval = 24 * time.Hour
)

// Quarantine describes why the job is in quarantine.
type Quarantine struct {
	// Reason is the Microsoft Graph quarantineReason code.
	Reason    string
	MessageID MessageID
	Message   string
	Cycles    int
}

// Job is the provisioning job.
type Job struct {
	Status JobStatus
	// Cycles counts cycles run; InitialDone says the initial cycle ran.
	Cycles      int
	InitialDone bool
	// FailingCycles counts consecutive cycles where most exports failed.
	FailingCycles int
	Quarantine    *Quarantine
	// NextCycleIn is when the scheduler would run the next cycle.
	NextCycleIn time.Duration
}

// CycleResult is what one cycle did.
type CycleResult struct {
	Cycle   int
	Initial bool
	Entries []LogEntry
	// Succeeded, Failed and Skipped count the entries.
	Succeeded, Failed, Skipped int
	Job                        Job
}

// ConnectionResult is what "Test Connection" shows.
type ConnectionResult struct {
	OK        bool
	MessageID MessageID
	Message   string
	Status    int
}

// TestConnection queries the target for a user that cannot exist: the
// filter is userName eq a random GUID, and the expected answer is 200 OK
// with an empty ListResponse (documented: tutorial, "Integrate your SCIM
// endpoint with the Microsoft Entra provisioning service").
func (t *Tenant) TestConnection(ctx context.Context) (ConnectionResult, error) {
	cfg, client, err := t.config()
	if err != nil {
		return ConnectionResult{}, fmt.Errorf("test connection: %w", err)
	}
	t.mu.Lock()
	g := t.guid()
	t.mu.Unlock()
	rep, detail, err := t.send(ctx, cfg, client, call{op: OpTestConnection, step: "query a non-existent user",
		prov: simulator.Documented, source: srcTutorial + ": Test Connection queries a random GUID as the matching attribute",
		method: http.MethodGet, path: "/Users", query: url.Values{"filter": {`userName eq "` + g + `"`}}})
	if err != nil {
		return ConnectionResult{}, err
	}
	res := func(id MessageID, status int, kv ...string) ConnectionResult {
		return ConnectionResult{OK: id == MsgConnectionOK, MessageID: id, Status: status, Message: render(id, kv...)}
	}
	if rep == nil {
		return res(MsgConnectionUnreachable, 0, "detail", detail), nil
	}
	switch {
	case rep.status == http.StatusUnauthorized || rep.status == http.StatusForbidden:
		return res(MsgConnectionUnauthorized, rep.status, "status", statusLine(rep.status)), nil
	case rep.status != http.StatusOK:
		return res(MsgConnectionHTTPError, rep.status, "status", statusLine(rep.status), "detail", scimDetail(rep.body)), nil
	}
	n, ok := listTotal(rep.body)
	if !ok {
		return res(MsgConnectionBadResponse, rep.status, "detail", "no integer totalResults"), nil
	}
	if n != 0 {
		return res(MsgConnectionNotEmpty, rep.status, "count", strconv.Itoa(n)), nil
	}
	return res(MsgConnectionOK, rep.status), nil
}

func statusLine(code int) string {
	return strconv.Itoa(code) + " " + http.StatusText(code)
}

// scimDetail is ": <detail>" from a SCIM error, else a trimmed body.
func scimDetail(body []byte) string {
	d := gjson.GetBytes(body, "detail").String()
	if d == "" {
		d = strings.Join(strings.Fields(string(body)), " ")
	}
	if len(d) > 300 {
		d = d[:300] + "…"
	}
	if d == "" {
		return ""
	}
	return ": " + d
}

// listTotal reads a ListResponse's totalResults.
func listTotal(body []byte) (int, bool) {
	if !gjson.ValidBytes(body) {
		return 0, false
	}
	tr := gjson.GetBytes(body, "totalResults")
	if tr.Type != gjson.Number || tr.Int() < 0 || float64(tr.Int()) != tr.Float() {
		return 0, false
	}
	return int(tr.Int()), true
}

// StartProvisioning starts the job and runs the initial cycle: every user
// and group is evaluated (documented: "How Application Provisioning works",
// initial cycle).
func (t *Tenant) StartProvisioning(ctx context.Context) (CycleResult, error) {
	t.mu.Lock()
	if t.job.Status == JobNotStarted {
		t.job.Status = JobActive
	}
	t.mu.Unlock()
	return t.cycle(ctx, true)
}

// RunCycle runs an incremental cycle: only objects changed since the last
// cycle, and those whose export failed (escrow), are evaluated.
func (t *Tenant) RunCycle(ctx context.Context) (CycleResult, error) {
	t.mu.Lock()
	started := t.job.Status != JobNotStarted
	t.mu.Unlock()
	if !started {
		return CycleResult{}, errors.New("run cycle: provisioning is not started (StartProvisioning first)")
	}
	return t.cycle(ctx, false)
}

// RestartProvisioning clears the quarantine and runs an initial cycle
// again (documented: restarting provisioning clears the quarantine).
func (t *Tenant) RestartProvisioning(ctx context.Context) (CycleResult, error) {
	t.mu.Lock()
	t.job.Status, t.job.Quarantine, t.job.FailingCycles = JobActive, nil, 0
	t.mu.Unlock()
	return t.cycle(ctx, true)
}

// ProvisionOnDemand provisions one user now, outside the cycle, and
// returns its log entry with the steps (documented: "On-demand
// provisioning in Microsoft Entra ID").
func (t *Tenant) ProvisionOnDemand(ctx context.Context, userID string) (LogEntry, error) {
	cfg, client, err := t.config()
	if err != nil {
		return LogEntry{}, fmt.Errorf("provision on demand: %w", err)
	}
	t.mu.Lock()
	_, ok := t.users[userID]
	t.mu.Unlock()
	if !ok {
		return LogEntry{}, fmt.Errorf("provision on demand: no user %q", userID)
	}
	e, err := t.exportUser(ctx, cfg, client, userID, OpOnDemand)
	if err != nil {
		return LogEntry{}, err
	}
	if e == nil {
		e = &LogEntry{ObjectType: "User", SourceID: userID, Action: ActionOther, Status: StatusSkipped,
			MessageID: MsgLogRedundant}
	}
	e.OnDemand = true
	t.finish(e)
	return *e, nil
}

// cycle evaluates users (first) then groups.
func (t *Tenant) cycle(ctx context.Context, initial bool) (CycleResult, error) {
	cfg, client, err := t.config()
	if err != nil {
		return CycleResult{}, fmt.Errorf("provisioning cycle: %w", err)
	}
	t.mu.Lock()
	t.job.Cycles++
	n := t.job.Cycles
	var users, groups []string
	for _, id := range t.order {
		if initial || t.dirty[id] {
			users = append(users, id)
		}
	}
	for id := range t.purged {
		users = append(users, id)
	}
	for _, id := range t.gorder {
		if initial || t.dirty[id] {
			groups = append(groups, id)
		}
	}
	t.mu.Unlock()

	res := CycleResult{Cycle: n, Initial: initial}
	add := func(e *LogEntry) {
		if e == nil {
			return
		}
		e.Cycle = n
		t.finish(e)
		res.Entries = append(res.Entries, *e)
	}
	for _, id := range users {
		e, err := t.exportUser(ctx, cfg, client, id, OpCycle)
		if err != nil {
			return res, err
		}
		add(e)
	}
	if cfg.ProvisionGroups {
		for _, id := range groups {
			es, err := t.exportGroup(ctx, cfg, client, id)
			if err != nil {
				return res, err
			}
			for i := range es {
				add(&es[i])
			}
		}
	} else {
		t.mu.Lock()
		for _, id := range groups {
			delete(t.dirty, id)
		}
		t.mu.Unlock()
	}
	for _, e := range res.Entries {
		switch e.Status {
		case StatusSuccess:
			res.Succeeded++
		case StatusFailure:
			res.Failed++
		default:
			res.Skipped++
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.job.InitialDone = t.job.InitialDone || initial
	attempted := res.Succeeded + res.Failed
	if attempted > 0 && res.Failed*2 > attempted {
		t.job.FailingCycles++
	} else if attempted > 0 {
		t.job.FailingCycles, t.job.Quarantine = 0, nil
		t.job.Status = JobActive
	}
	if t.job.FailingCycles >= cfg.QuarantineAfter && t.job.Quarantine == nil {
		// Documented rule (most calls fail consistently); the reason code
		// is Graph's; the threshold is inferred.
		q := &Quarantine{Reason: "EncounteredEscrowProportionThreshold", MessageID: MsgJobQuarantine, Cycles: t.job.FailingCycles}
		q.Message = render(MsgJobQuarantine, "reason", q.Reason, "cycles", strconv.Itoa(q.Cycles))
		t.job.Status, t.job.Quarantine = JobQuarantined, q
	}
	t.job.NextCycleIn = CycleInterval
	if t.job.Status == JobQuarantined {
		t.job.NextCycleIn = QuarantineInterval
	}
	res.Job = t.job
	return res, nil
}

// finish renders the entry's message if unset and appends it to the logs.
func (t *Tenant) finish(e *LogEntry) {
	if e.Message == "" {
		e.Message = render(e.MessageID, "action", strings.ToLower(string(e.Action)), "object", strings.ToLower(e.ObjectType), "name", e.Name)
	}
	t.mu.Lock()
	t.logs = append(t.logs, *e)
	t.mu.Unlock()
}

// userSnapshot is what exportUser needs, read under the lock.
type userSnapshot struct {
	u       User
	purged  bool
	link    *link
	inScope bool
}

func (t *Tenant) snapshotUser(id string, scope Scope) (userSnapshot, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var s userSnapshot
	if u, ok := t.users[id]; ok {
		s.u, s.inScope = *u, t.inScopeLocked(u, scope)
	} else if u, ok := t.purged[id]; ok {
		s.u, s.purged = *u, true
	} else {
		return s, false
	}
	if l, ok := t.links[id]; ok {
		c := *l
		s.link = &c
	}
	return s, true
}

// settle stores the outcome of a user's export: the link (nil removes
// it) and whether the object is clean again.
func (t *Tenant) settle(id string, l *link, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if l == nil {
		delete(t.links, id)
	} else {
		t.links[id] = l
	}
	if ok {
		delete(t.dirty, id)
		if _, gone := t.purged[id]; gone && l == nil {
			delete(t.purged, id)
		}
	} else {
		t.dirty[id] = true // escrow: retried next cycle
	}
}

// exportUser evaluates one user and makes the requests its state needs.
// nil means nothing to log.
func (t *Tenant) exportUser(ctx context.Context, cfg *AppConfig, client *http.Client, id string, op simulator.Operation) (*LogEntry, error) {
	s, ok := t.snapshotUser(id, cfg.Scope)
	if !ok {
		return nil, nil
	}
	e := &LogEntry{ObjectType: "User", SourceID: id, Name: s.u.UserPrincipalName}
	steps := func(st ...string) { e.Steps = append(e.Steps, st...) }
	steps("Import user: "+s.u.UserPrincipalName, fmt.Sprintf("Determine if user is in scope: %t", s.inScope && !s.purged))
	sendUser := func(step, method, path string, prov simulator.Provenance, src string, q url.Values, body []byte) (*reply, bool, error) {
		rep, detail, err := t.send(ctx, cfg, client, call{op: op, subject: s.u.UserPrincipalName, step: step, prov: prov, source: src,
			method: method, path: path, query: q, body: body})
		if err != nil {
			return nil, false, err
		}
		if rep == nil {
			e.Status, e.MessageID = StatusFailure, MsgLogTransport
			e.Message = render(MsgLogTransport, "action", strings.ToLower(string(e.Action)), "object", "user", "name", e.Name, "detail", detail)
			return nil, false, nil
		}
		if rep.status < 200 || rep.status > 299 {
			if method == http.MethodDelete && rep.status == http.StatusNotFound {
				return rep, true, nil // already gone: the goal is reached (inferred)
			}
			e.Status, e.MessageID, e.HTTPStatus = StatusFailure, MsgLogHTTPError, rep.status
			e.Message = render(MsgLogHTTPError, "action", strings.ToLower(string(e.Action)), "object", "user", "name", e.Name,
				"status", statusLine(rep.status), "detail", scimDetail(rep.body))
			return rep, false, nil
		}
		e.HTTPStatus = rep.status
		return rep, true, nil
	}
	path := func(l *link) string { return "/Users/" + url.PathEscape(l.scimID) }
	switch {
	case s.purged:
		if s.link == nil {
			t.settle(id, nil, true)
			return nil, nil
		}
		e.Action, e.TargetID = ActionDelete, s.link.scimID
		_, ok, err := sendUser("delete user", http.MethodDelete, path(s.link), simulator.Documented,
			srcTutorial+", \"Delete User\"; "+srcHowWorks+": a hard-deleted user is deleted", nil, nil)
		if err != nil {
			return nil, err
		}
		if ok {
			t.settle(id, nil, true)
			e.Status, e.MessageID = StatusSuccess, MsgLogSuccess
		} else {
			t.settle(id, s.link, false)
		}
		return e, nil
	case !s.inScope:
		if s.link == nil {
			t.settle(id, nil, true)
			e.Action, e.Status, e.MessageID = ActionOther, StatusSkipped, MsgLogNotEntitled
			e.Message = render(MsgLogNotEntitled, "name", e.Name)
			return e, nil
		}
		if !s.link.active {
			t.settle(id, s.link, true)
			return nil, nil
		}
		e.Action, e.TargetID = ActionDisable, s.link.scimID
		steps("Perform action: disable")
		_, ok, err := sendUser("disable user", http.MethodPatch, path(s.link), simulator.Documented,
			srcTutorial+", \"Disable User\"; "+srcKnown+", \"requests made to disable users\"", nil, activePatch(cfg.Mode, false))
		if err != nil {
			return nil, err
		}
		if ok {
			l := *s.link
			l.active = false
			t.settle(id, &l, true)
			e.Status, e.MessageID = StatusSuccess, MsgLogSuccess
		} else {
			t.settle(id, s.link, false)
		}
		return e, nil
	}
	order, vals := evaluate(&s.u, cfg.Mappings)
	un := vals["userName"].str
	e.Action = ActionOther
	prov, src := simulator.Documented, srcTutorial+", \"Get User by query\"; "+srcHowWorks+": matching by the matching attribute"
	if s.link != nil {
		prov, src = simulator.Inferred, "inferred: incremental cycles query the target by the matching attribute again before an update"
	}
	rep, ok, err := sendUser("match user", http.MethodGet, "/Users", prov, src,
		url.Values{"filter": {`userName eq "` + un + `"`}}, nil)
	if err != nil {
		return nil, err
	}
	if !ok {
		t.settle(id, s.link, false)
		return e, nil
	}
	n, valid := listTotal(rep.body)
	if !valid {
		e.Status, e.MessageID = StatusFailure, MsgLogBadResponse
		e.Message = render(MsgLogBadResponse, "action", "match", "object", "user", "name", e.Name, "detail", "the filter answer is not a ListResponse with an integer totalResults")
		t.settle(id, s.link, false)
		return e, nil
	}
	if n == 0 {
		steps("Match user between source and target system: no match")
		e.Action = ActionCreate
		rep, ok, err := sendUser("create user", http.MethodPost, "/Users", simulator.Documented, srcTutorial+", \"Create User\"", nil, createUserBody(order, vals))
		if err != nil {
			return nil, err
		}
		if !ok {
			t.settle(id, s.link, false)
			return e, nil
		}
		sid := gjson.GetBytes(rep.body, "id")
		if sid.Type != gjson.String || sid.String() == "" {
			e.Status, e.MessageID = StatusFailure, MsgLogBadResponse
			e.Message = render(MsgLogBadResponse, "action", "create", "object", "user", "name", e.Name, "detail", "the create answer has no string id")
			t.settle(id, s.link, false)
			return e, nil
		}
		steps("Perform action: create")
		e.TargetID, e.Status, e.MessageID = sid.String(), StatusSuccess, MsgLogSuccess
		t.settle(id, &link{scimID: sid.String(), active: vals["active"].b}, true)
		return e, nil
	}
	hit := gjson.GetBytes(rep.body, "Resources.0")
	sid := hit.Get("id")
	if sid.Type != gjson.String || sid.String() == "" {
		e.Status, e.MessageID = StatusFailure, MsgLogBadResponse
		e.Message = render(MsgLogBadResponse, "action", "match", "object", "user", "name", e.Name, "detail", "the matching user has no string id")
		t.settle(id, s.link, false)
		return e, nil
	}
	steps("Match user between source and target system: matched " + sid.String())
	l := &link{scimID: sid.String(), active: vals["active"].b}
	e.TargetID = l.scimID
	changes := diff(order, vals, hit)
	if len(changes) == 0 {
		steps("Perform action: none (no change)")
		t.settle(id, l, true)
		e.Status, e.MessageID = StatusSkipped, MsgLogRedundant
		e.Message = render(MsgLogRedundant, "name", e.Name)
		return e, nil
	}
	e.Action = ActionUpdate
	if len(changes) == 1 && changes[0].val.isBool && !changes[0].val.b {
		e.Action = ActionDisable
	}
	steps("Perform action: " + strings.ToLower(string(e.Action)))
	_, ok, err = sendUser("update user", http.MethodPatch, path(l), simulator.Documented,
		srcTutorial+", \"Update User\"; "+srcKnown+" (shape per mode)", nil, userPatch(cfg.Mode, changes))
	if err != nil {
		return nil, err
	}
	if !ok {
		prev := s.link
		if prev == nil {
			prev = &link{scimID: l.scimID, active: hit.Get("active").Type != gjson.False}
		}
		t.settle(id, prev, false)
		return e, nil
	}
	e.Status, e.MessageID = StatusSuccess, MsgLogSuccess
	t.settle(id, l, true)
	return e, nil
}

// exportGroup evaluates one group: create (after a displayName match),
// membership changes, rename, or delete when it leaves the scope.
func (t *Tenant) exportGroup(ctx context.Context, cfg *AppConfig, client *http.Client, id string) ([]LogEntry, error) {
	t.mu.Lock()
	g0, ok := t.groups[id]
	if !ok {
		t.mu.Unlock()
		return nil, nil
	}
	g := *g0
	inScope := cfg.Scope == ScopeAll || t.assigned[id]
	var lk *link
	if l, ok := t.links[id]; ok {
		c := *l
		c.members = map[string]bool{}
		for m := range l.members {
			c.members[m] = true
		}
		lk = &c
	}
	want := map[string]string{} // user id → SCIM id
	for _, m := range g.Members {
		if l, ok := t.links[m]; ok {
			want[m] = l.scimID
		}
	}
	pushed := map[string]string{}
	if lk != nil {
		for m := range lk.members {
			if l, ok := t.links[m]; ok {
				pushed[m] = l.scimID
			} else if gl, ok := t.groupMemberIDs[id][m]; ok {
				pushed[m] = gl
			}
		}
	}
	t.mu.Unlock()

	var entries []LogEntry
	fail := false
	do := func(step string, prov simulator.Provenance, src, method, path string, q url.Values, body []byte, action Action) (*reply, bool, error) {
		e := LogEntry{ObjectType: "Group", SourceID: id, Name: g.DisplayName, Action: action}
		if lk != nil {
			e.TargetID = lk.scimID
		}
		rep, detail, err := t.send(ctx, cfg, client, call{op: OpCycle, subject: g.DisplayName, step: step, prov: prov, source: src,
			method: method, path: path, query: q, body: body})
		if err != nil {
			return nil, false, err
		}
		switch {
		case rep == nil:
			e.Status, e.MessageID = StatusFailure, MsgLogTransport
			e.Message = render(MsgLogTransport, "action", strings.ToLower(string(action)), "object", "group", "name", g.DisplayName, "detail", detail)
		case rep.status < 200 || rep.status > 299:
			e.Status, e.MessageID, e.HTTPStatus = StatusFailure, MsgLogHTTPError, rep.status
			e.Message = render(MsgLogHTTPError, "action", strings.ToLower(string(action)), "object", "group", "name", g.DisplayName,
				"status", statusLine(rep.status), "detail", scimDetail(rep.body))
		default:
			e.HTTPStatus = rep.status
			if method != http.MethodGet {
				e.Status, e.MessageID = StatusSuccess, MsgLogSuccess
				entries = append(entries, e)
			}
			return rep, true, nil
		}
		fail = true
		entries = append(entries, e)
		return rep, false, nil
	}
	gpath := func() string { return "/Groups/" + url.PathEscape(lk.scimID) }
	if !inScope {
		if lk != nil {
			if _, ok, err := do("delete group", simulator.Inferred, "inferred: a group leaving the scope is deleted; DELETE shape from "+srcTutorial+", \"Delete Group\"",
				http.MethodDelete, gpath(), nil, nil, ActionDelete); err != nil || !ok {
				t.settleGroup(id, lk, nil, false)
				return entries, err
			}
			lk = nil
		}
		t.settleGroup(id, lk, nil, true)
		return entries, nil
	}
	if lk == nil {
		rep, ok, err := do("match group", simulator.Documented, srcTutorial+", \"Get Group by displayName\"", http.MethodGet, "/Groups",
			url.Values{"excludedAttributes": {"members"}, "filter": {`displayName eq "` + g.DisplayName + `"`}}, nil, ActionOther)
		if err != nil || !ok {
			t.settleGroup(id, nil, nil, false)
			return entries, err
		}
		if n, _ := listTotal(rep.body); n > 0 {
			if sid := gjson.GetBytes(rep.body, "Resources.0.id").String(); sid != "" {
				lk = &link{scimID: sid, members: map[string]bool{}}
			}
		}
		if lk == nil {
			rep, ok, err := do("create group", simulator.Documented, srcTutorial+", \"Create Group\"", http.MethodPost, "/Groups", nil, createGroupBody(&g), ActionCreate)
			if err != nil || !ok {
				t.settleGroup(id, nil, nil, false)
				return entries, err
			}
			sid := gjson.GetBytes(rep.body, "id").String()
			if sid == "" {
				entries[len(entries)-1].Status, entries[len(entries)-1].MessageID = StatusFailure, MsgLogBadResponse
				entries[len(entries)-1].Message = render(MsgLogBadResponse, "action", "create", "object", "group", "name", g.DisplayName, "detail", "the create answer has no id")
				t.settleGroup(id, nil, nil, false)
				return entries, nil
			}
			lk = &link{scimID: sid, members: map[string]bool{}}
		}
		lk.name = g.DisplayName
	}
	if lk.name != g.DisplayName {
		if _, ok, err := do("rename group", simulator.Documented, srcTutorial+", \"Update Group [Non-member attributes]\"", http.MethodPatch, gpath(), nil,
			renamePatch(cfg.Mode, g.DisplayName), ActionUpdate); err != nil || !ok {
			t.settleGroup(id, lk, pushed, false)
			return entries, err
		}
		lk.name = g.DisplayName
	}
	var adds, removes []string
	var addUsers, removeUsers []string
	for _, m := range g.Members {
		if sid, ok := want[m]; ok && !lk.members[m] {
			adds, addUsers = append(adds, sid), append(addUsers, m)
		}
	}
	for _, m := range sortedKeys(lk.members) {
		if _, ok := want[m]; !ok {
			if sid, ok := pushed[m]; ok {
				removes, removeUsers = append(removes, sid), append(removeUsers, m)
			} else {
				delete(lk.members, m)
			}
		}
	}
	if len(adds) > 0 {
		src, prov := srcTutorial+", \"Update Group [Add Members]\"", simulator.Documented
		if cfg.Mode == ModeCompliant {
			src, prov = "inferred: the legacy add-members shape with a lower-case op and no \"$ref\"", simulator.Inferred
		}
		if _, ok, err := do("add members", prov, src, http.MethodPatch, gpath(), nil, membersAddPatch(cfg.Mode, adds), ActionUpdate); err != nil || !ok {
			t.settleGroup(id, lk, pushed, false)
			return entries, err
		}
		for _, m := range addUsers {
			lk.members[m] = true
			pushed[m] = want[m]
		}
	}
	if len(removes) > 0 {
		if _, ok, err := do("remove members", simulator.Documented, srcKnown+", \"requests to remove a group member\"", http.MethodPatch, gpath(), nil,
			membersRemovePatch(cfg.Mode, removes), ActionUpdate); err != nil || !ok {
			t.settleGroup(id, lk, pushed, false)
			return entries, err
		}
		for _, m := range removeUsers {
			delete(lk.members, m)
			delete(pushed, m)
		}
	}
	t.settleGroup(id, lk, pushed, !fail)
	return entries, nil
}

// settleGroup stores a group's link and the SCIM ids of its pushed
// members (kept so a member can be removed after its own link is gone).
func (t *Tenant) settleGroup(id string, lk *link, pushed map[string]string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if lk == nil {
		delete(t.links, id)
		delete(t.groupMemberIDs, id)
	} else {
		t.links[id] = lk
		if pushed != nil {
			t.groupMemberIDs[id] = pushed
		}
	}
	if ok {
		delete(t.dirty, id)
	} else {
		t.dirty[id] = true
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
