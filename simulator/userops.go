package simulator

import (
	"context"
	"fmt"
)

// assign records the assignment and provisions it (see Org.Assign).
func (o *Org) assign(ctx context.Context, op Operation, userID string) (Result, error) {
	f, err := o.newFlow(op, userID)
	if err != nil {
		return Result{}, err
	}
	o.mu.Lock()
	o.users[userID].app.assigned = true
	o.mu.Unlock()
	prov := f.cfg().Provisioning
	switch {
	case f.user.Status != UserActive:
		// Inferred: Okta provisions only active users; the assignment
		// waits.
		return f.ok()
	case f.rec.scimID != "" && f.rec.status == AppUserDeprovisioned:
		// Cortex article: "Accounts can be reactivated if the app is
		// reassigned" (part of Deactivate users).
		if !prov.DeactivateUsers {
			return f.ok()
		}
		return f.reactivate(ctx)
	case f.rec.scimID != "":
		if !prov.UpdateAttributes {
			return f.ok()
		}
		return f.pushProfile(ctx, familyPush, f.phasePush(), f.rec.status == AppUserError)
	case !prov.CreateUsers:
		return f.ok()
	}
	return f.create(ctx, familyCreate)
}

// provision runs the create flow for an assigned user with nothing on the
// target (see Org.ProvisionUser).
func (o *Org) provision(ctx context.Context, op Operation, userID string) (Result, error) {
	f, err := o.newFlow(op, userID)
	if err != nil {
		return Result{}, err
	}
	if !f.rec.assigned {
		return Result{}, fmt.Errorf("%s: user %q is not assigned to the app", op.lower(), userID)
	}
	if f.user.Status != UserActive {
		return Result{}, fmt.Errorf("%s: user %q is %s, not active", op.lower(), userID, f.user.Status)
	}
	if f.rec.scimID != "" {
		if f.rec.status == AppUserDeprovisioned {
			return f.reactivate(ctx)
		}
		return f.ok()
	}
	return f.create(ctx, familyCreate)
}

// unassign removes the assignment and deactivates the target user when
// Deactivate users is on (see Org.Unassign).
func (o *Org) unassign(ctx context.Context, op Operation, userID string) (Result, error) {
	f, err := o.newFlow(op, userID)
	if err != nil {
		return Result{}, err
	}
	o.mu.Lock()
	o.users[userID].app.assigned = false
	o.mu.Unlock()
	if f.rec.scimID == "" || f.rec.status == AppUserDeprovisioned || !f.cfg().Provisioning.DeactivateUsers {
		return f.ok()
	}
	return f.deactivate(ctx)
}

// pushIfChanged pushes the profile of a provisioned, assigned, active user
// when Update user attributes is on and the mapped values changed.
func (o *Org) pushIfChanged(ctx context.Context, op Operation, userID string) (Result, error) {
	f, err := o.newFlow(op, userID)
	if err != nil {
		return Result{}, err
	}
	if f.user.Status != UserActive || !f.rec.assigned || f.rec.scimID == "" ||
		f.rec.status == AppUserDeprovisioned || !f.cfg().Provisioning.UpdateAttributes {
		return f.ok()
	}
	return f.pushProfile(ctx, familyPush, f.phasePush(), f.rec.status == AppUserError)
}

// setStatus changes an Okta user's lifecycle status and sends what Okta
// sends for it (see DeactivateUser, SuspendUser, UnsuspendUser,
// ReactivateUser). Transitions Okta does not offer are programmer errors.
func (o *Org) setStatus(ctx context.Context, op Operation, userID string, to UserStatus) (Result, error) {
	unlock := o.lockUser(userID)
	defer unlock()
	o.mu.Lock()
	r, ok := o.users[userID]
	if !ok {
		o.mu.Unlock()
		return Result{}, fmt.Errorf("%s: unknown user %q", op.lower(), userID)
	}
	from := r.user.Status
	valid := map[Operation]bool{
		OpDeactivate: from == UserActive || from == UserSuspended,
		OpSuspend:    from == UserActive,
		OpUnsuspend:  from == UserSuspended,
		OpReactivate: from == UserDeactivated,
	}[op]
	if !valid {
		o.mu.Unlock()
		return Result{}, fmt.Errorf("%s: user %q is %s", op.lower(), userID, from)
	}
	r.user.Status = to
	wasAssigned := r.app.assigned
	if op == OpDeactivate {
		// Inferred: deactivating an Okta user removes its app assignments;
		// reactivation does not bring them back.
		r.app.assigned = false
	}
	o.mu.Unlock()

	f, err := o.newFlow(op, userID)
	if err != nil {
		// No app configured: the status change stands, nothing is sent.
		return Result{Operation: op, UserID: userID, OK: true}, nil //nolint:nilerr // status changes need no app
	}
	prov := f.cfg().Provisioning
	switch op {
	case OpDeactivate, OpSuspend:
		if wasAssigned && f.rec.scimID != "" && f.rec.status != AppUserDeprovisioned && prov.DeactivateUsers {
			return f.deactivate(ctx)
		}
	case OpUnsuspend:
		if f.rec.assigned && f.rec.scimID != "" && f.rec.status == AppUserDeprovisioned && prov.DeactivateUsers {
			return f.reactivate(ctx)
		}
	}
	return f.ok()
}
