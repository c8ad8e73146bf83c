package simulator

import (
	"context"
	"fmt"
)

// userRec is an Okta user and its app-side state, guarded by Org.mu.
type userRec struct {
	user User
	app  appUserRec
}

// appUserRec is the app assignment of one user, guarded by Org.mu.
type appUserRec struct {
	assigned   bool
	status     AppUserStatus
	scimID     string
	lastPushed []byte // last POST/PUT body, password removed
	lastMapped string // canonical mapped profile at the last push
	lastError  string
}

// AddUser creates an active Okta user with a fresh 00u… id and returns it.
// No traffic: a user reaches the app only through Assign.
func (o *Org) AddUser(p Profile) User {
	id := o.rnd.oktaID("00u")
	u := User{ID: id, Profile: p.clone(), Status: UserActive}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.users[id] = &userRec{user: u, app: appUserRec{status: AppUserNotProvisioned}}
	o.userOrder = append(o.userOrder, id)
	u.Profile = p.clone() // the caller's copy must not share maps with the org's
	return u
}

// User returns a snapshot of the Okta user with id.
func (o *Org) User(id string) (User, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.users[id]
	if !ok {
		return User{}, false
	}
	u := r.user
	u.Profile = u.Profile.clone()
	return u, true
}

// UserByLogin returns the Okta user whose login is login.
func (o *Org) UserByLogin(login string) (User, bool) {
	o.mu.Lock()
	var id string
	for _, uid := range o.userOrder {
		if o.users[uid].user.Profile.Login == login {
			id = uid
			break
		}
	}
	o.mu.Unlock()
	if id == "" {
		return User{}, false
	}
	return o.User(id)
}

// Users returns every Okta user in creation order.
func (o *Org) Users() []User {
	o.mu.Lock()
	ids := append([]string(nil), o.userOrder...)
	o.mu.Unlock()
	out := make([]User, 0, len(ids))
	for _, id := range ids {
		if u, ok := o.User(id); ok {
			out = append(out, u)
		}
	}
	return out
}

// AppUser returns the app-side state of the user with Okta id userID.
func (o *Org) AppUser(userID string) (AppUser, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.users[userID]
	if !ok {
		return AppUser{}, false
	}
	return AppUser{
		UserID:     userID,
		Assigned:   r.app.assigned,
		SCIMID:     r.app.scimID,
		Status:     r.app.status,
		LastPushed: append([]byte(nil), r.app.lastPushed...),
		LastError:  r.app.lastError,
	}, true
}

// UpdateUserProfile replaces the Okta user's profile. With Update user
// attributes on and the user provisioned, it pushes the change when the
// mapped app profile changed (GET then PUT, SPEC §2.2); otherwise it only
// stores the profile (Force sync pushes it later).
func (o *Org) UpdateUserProfile(ctx context.Context, userID string, p Profile) (Result, error) {
	unlock := o.lockUser(userID)
	defer unlock()
	o.mu.Lock()
	r, ok := o.users[userID]
	if ok {
		r.user.Profile = p.clone()
	}
	o.mu.Unlock()
	if !ok {
		return Result{}, fmt.Errorf("update user profile: unknown user %q", userID)
	}
	return o.pushIfChanged(ctx, OpProfileUpdate, userID)
}

// DeactivateUser deactivates the Okta user. Okta deprovisions its app
// account (the same deactivation traffic as Unassign, inferred) and removes
// the assignment; reactivating the user does not restore it — reassign.
func (o *Org) DeactivateUser(ctx context.Context, userID string) (Result, error) {
	return o.setStatus(ctx, OpDeactivate, userID, UserDeactivated)
}

// SuspendUser suspends the Okta user; its app account is deactivated on
// the target but stays assigned (inferred).
func (o *Org) SuspendUser(ctx context.Context, userID string) (Result, error) {
	return o.setStatus(ctx, OpSuspend, userID, UserSuspended)
}

// UnsuspendUser returns a suspended user to active and reactivates its
// still-assigned app account (inferred).
func (o *Org) UnsuspendUser(ctx context.Context, userID string) (Result, error) {
	return o.setStatus(ctx, OpUnsuspend, userID, UserActive)
}

// ReactivateUser returns a deactivated Okta user to active. It sends no
// traffic: the assignment was removed on deactivation, and the app account
// is reactivated when the app is assigned again (Cortex article: "Accounts
// can be reactivated if the app is reassigned").
func (o *Org) ReactivateUser(ctx context.Context, userID string) (Result, error) {
	return o.setStatus(ctx, OpReactivate, userID, UserActive)
}
