package simulator

import (
	"context"
	"fmt"
	"strconv"
)

// Task families: what a retry re-runs.
const (
	familyCreate     = "create"
	familyPush       = "push"
	familyDeactivate = "deactivate"
	familyReactivate = "reactivate"
	familyImport     = "import"
	familyGroup      = "group"
)

// flow carries one user operation: the app, a snapshot of the user and
// its app state, and the number of requests sent so far.
type flow struct {
	o    *Org
	op   Operation
	app  appState
	user User
	rec  appUserRec
	m    mapped
	sent int
	// dup is the Duplicate copy this flow runs as, nil otherwise (set
	// by do from the context).
	dup *barrierToken
}

// newFlow snapshots the user; unknown users are programmer errors.
func (o *Org) newFlow(op Operation, userID string) (*flow, error) {
	app, err := o.appSnapshot(op)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.users[userID]
	if !ok {
		return nil, fmt.Errorf("%s: unknown user %q", op.lower(), userID)
	}
	u := r.user
	u.Profile = u.Profile.clone()
	rec := r.app
	rec.lastPushed = append([]byte(nil), rec.lastPushed...)
	return &flow{o: o, op: op, app: app, user: u, rec: rec, m: mapProfile(u.Profile, app.cfg)}, nil
}

func (f *flow) cfg() AppConfig { return f.app.cfg }

// do sends c on behalf of the flow's operation and user.
func (f *flow) do(ctx context.Context, c call) (*reply, *failure, error) {
	c.op = f.op
	c.subject = f.user.Profile.Login
	if f.dup == nil {
		f.dup = tokenOf(ctx)
	}
	f.sent++
	return f.o.send(ctx, f.app, c)
}

// ok is a successful result.
func (f *flow) ok() (Result, error) {
	return Result{Operation: f.op, UserID: f.user.ID, OK: true, Sent: f.sent}, nil
}

// userLabel is how Okta names the user in messages: the display name.
func (f *flow) userLabel() string {
	if n := f.user.Profile.FullName(); n != "" {
		return n
	}
	return f.user.Profile.Login
}

// Phases of the user task message (SPEC §2.3; the first three observed,
// the others inferred by analogy).
func (f *flow) phaseExists() string { return "verifying if user " + f.userLabel() + " exists" }
func (f *flow) phaseCreate() string { return "creating user " + f.userLabel() }
func (f *flow) phasePush() string {
	return "trying to push profile update for '" + f.user.Profile.Login + "'"
}
func (f *flow) phaseDeactivate() string { return "deactivating user " + f.userLabel() }
func (f *flow) phaseReactivate() string { return "reactivating user " + f.userLabel() }

// fail records a failed user operation: the app user goes to ERROR with
// the message, and the open task of the same family is updated or a new
// one opened, retried with the family's flow. Under Duplicate a success
// wins whatever the order the answers arrive in: once a copy has
// succeeded, a failing copy leaves the app user as the success left it
// and its task is resolved at once (a success arriving after a failure
// resolves the task in succeed).
func (f *flow) fail(family, phase string, fl *failure) (Result, error) {
	o := f.o
	msg := o.redactor.string(render(MsgTaskUser, "user", f.userLabel(), "app", f.cfg().Name,
		"phase", phase, "reason", fl.reason))
	userID, op := f.user.ID, f.op
	retry := func(ctx context.Context) (Result, error) {
		unlock := o.lockUser(userID)
		defer unlock()
		return o.runFamily(ctx, op, userID, family)
	}
	o.mu.Lock()
	siblingSucceeded := f.dup != nil && f.dup.b.succeeded
	if r, ok := o.users[userID]; ok && !siblingSucceeded {
		r.app.status = AppUserError
		r.app.lastError = msg
	}
	taskID := o.openTaskLocked(Task{Operation: op, UserID: userID, Message: msg, MessageID: fl.id}, family, retry)
	if siblingSucceeded {
		o.resolveLocked(userID, "", family)
	}
	o.mu.Unlock()
	o.log.Debug().Str("op", string(op)).Str("user", userID).Str("message_id", string(fl.id)).Msg("okta: provisioning failed")
	return Result{Operation: op, UserID: userID, Sent: f.sent, Message: msg, MessageID: fl.id,
		TaskID: taskID, Status: fl.status}, nil
}

// openTaskLocked updates the open task of (user or group, family) or opens
// one; o.mu must be held.
func (o *Org) openTaskLocked(t Task, family string, retry func(context.Context) (Result, error)) string {
	for _, rec := range o.tasks {
		if rec.task.Status == TaskOpen && rec.family == family && rec.task.UserID == t.UserID && rec.task.GroupID == t.GroupID {
			rec.task.Message, rec.task.MessageID, rec.task.Operation = t.Message, t.MessageID, t.Operation
			rec.task.Attempts++
			rec.retry = retry
			return rec.task.ID
		}
	}
	t.ID = "task-" + strconv.Itoa(len(o.tasks)+1)
	t.Status = TaskOpen
	t.Created = o.clock.Now()
	t.Attempts = 1
	o.tasks = append(o.tasks, &taskRec{task: t, family: family, retry: retry})
	return t.ID
}

// resolveLocked resolves the open tasks of (user or group, family); o.mu
// must be held.
func (o *Org) resolveLocked(userID, groupID, family string) {
	for _, rec := range o.tasks {
		if rec.task.Status == TaskOpen && rec.family == family && rec.task.UserID == userID && rec.task.GroupID == groupID {
			rec.task.Status = TaskResolved
		}
	}
}

// succeed stores the outcome of a successful write to the target.
// pushed is the body sent (nil when the write carried no profile).
func (f *flow) succeed(family, scimID string, status AppUserStatus, pushed []byte) {
	o := f.o
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.users[f.user.ID]
	if !ok {
		return
	}
	r.app.scimID = scimID
	r.app.status = status
	r.app.lastError = ""
	if pushed != nil {
		r.app.lastPushed = pushed
		r.app.lastMapped = f.m.canonical()
	}
	f.rec = r.app
	o.resolveLocked(f.user.ID, "", family)
	if f.dup != nil {
		f.dup.b.succeeded = true
	}
}

// runFamily re-runs a failed family for a task retry, against the user's
// current state.
func (o *Org) runFamily(ctx context.Context, op Operation, userID, family string) (Result, error) {
	f, err := o.newFlow(op, userID)
	if err != nil {
		return Result{}, err
	}
	switch family {
	case familyCreate:
		if f.rec.scimID != "" {
			return f.pushProfile(ctx, familyCreate, f.phasePush(), true)
		}
		return f.create(ctx, familyCreate)
	case familyPush:
		return f.pushProfile(ctx, familyPush, f.phasePush(), true)
	case familyDeactivate:
		return f.deactivate(ctx)
	case familyReactivate:
		return f.reactivate(ctx)
	}
	return Result{}, fmt.Errorf("%s: unknown task family %q", op.lower(), family)
}
