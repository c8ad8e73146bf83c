package simulator

import (
	"context"
	"fmt"
	"sync"
)

// TestAPICredentials is the Provisioning > Integration button: GET
// /Users?startIndex=1&count=2, plus GET /Groups?startIndex=1&count=100 when
// Push groups is on (SPEC §2.2). It returns the dialog the admin sees.
func (o *Org) TestAPICredentials(ctx context.Context) (CredentialsResult, error) {
	return o.testCredentials(ctx)
}

// Assign assigns the app to the user. With Create users on it checks
// whether the user exists on the target (filter on userName) and creates
// or links it; a previously deprovisioned app account is reactivated. With
// provisioning off the assignment is only recorded (and Force sync will
// not create it: use ProvisionUser).
func (o *Org) Assign(ctx context.Context, userID string) (Result, error) {
	unlock := o.lockUser(userID)
	defer unlock()
	return o.assign(ctx, OpAssign, userID)
}

// Unassign removes the assignment. With Deactivate users on, the target
// account is deactivated (OIN: path-less PATCH active false; AIW: GET then
// PUT active false). Okta never sends DELETE for users.
func (o *Org) Unassign(ctx context.Context, userID string) (Result, error) {
	unlock := o.lockUser(userID)
	defer unlock()
	return o.unassign(ctx, OpUnassign, userID)
}

// ProvisionUser is the "Provision User" action for an assigned user that
// has nothing on the target (assigned before provisioning was on): the
// create flow, existence check then POST (inferred that it needs no toggle).
func (o *Org) ProvisionUser(ctx context.Context, userID string) (Result, error) {
	unlock := o.lockUser(userID)
	defer unlock()
	return o.provision(ctx, OpProvision, userID)
}

// ForceSync is "To App > Force sync": re-applies the mappings and pushes
// the update flow only for provisioned users whose mapped values changed,
// with bounded parallelism. Assigned users with nothing on the target are
// not created.
func (o *Org) ForceSync(ctx context.Context) (SyncResult, error) {
	return o.forceSync(ctx)
}

// Import is "Import Now" (To Okta): pages of 100 from startIndex 1 until
// totalResults is covered; inactive resources are skipped. A target whose
// paging never ends is stopped after AppConfig.MaxImportPages pages; one
// whose pages leave users unread (smaller than 100) fails with a task.
func (o *Org) Import(ctx context.Context) (ImportResult, error) {
	return o.importUsers(ctx)
}

// Bulk runs op for every user id with at most Options.Concurrency
// operations in flight, e.g. org.Bulk(ctx, ids, org.Assign). Results are in
// the order of userIDs; the error joins the programmer errors, if any.
func (o *Org) Bulk(ctx context.Context, userIDs []string, op func(context.Context, string) (Result, error)) ([]Result, error) {
	results := make([]Result, len(userIDs))
	errs := make([]error, len(userIDs))
	sem := make(chan struct{}, o.concurrency)
	var wg sync.WaitGroup
	for i, id := range userIDs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i], errs[i] = op(ctx, id)
		}()
	}
	wg.Wait()
	return results, joinErrors(errs)
}

// Duplicate replays one user operation copies times at once, as real Okta
// does (duplicate deprovisions; a create racing another create gives one
// 201 and one 409). The copies run without the per-user lock and meet at a
// barrier just before their state-changing request, so all existence checks
// happen before any write. The end state does not depend on which answer
// arrives first: if any copy succeeds, the app user ends as that success
// left it and the tasks the failing copies opened are resolved (each
// copy's Result still reports what the target answered it). Supported:
// OpAssign, OpProvision, OpUnassign, OpProfileUpdate.
func (o *Org) Duplicate(ctx context.Context, userID string, op Operation, copies int) ([]Result, error) {
	if copies < 1 {
		return nil, fmt.Errorf("duplicate %s: copies must be at least 1", op)
	}
	var run func(context.Context) (Result, error)
	switch op {
	case OpAssign:
		run = func(ctx context.Context) (Result, error) { return o.assign(ctx, op, userID) }
	case OpProvision:
		run = func(ctx context.Context) (Result, error) { return o.provision(ctx, op, userID) }
	case OpUnassign:
		run = func(ctx context.Context) (Result, error) { return o.unassign(ctx, op, userID) }
	case OpProfileUpdate:
		run = func(ctx context.Context) (Result, error) { return o.pushIfChanged(ctx, op, userID) }
	default:
		return nil, fmt.Errorf("duplicate %s: operation cannot be duplicated", op)
	}
	b := newBarrier(copies)
	results := make([]Result, copies)
	errs := make([]error, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := &barrierToken{b: b}
			defer tok.leave()
			results[i], errs[i] = run(withBarrier(ctx, tok))
		}()
	}
	wg.Wait()
	return results, joinErrors(errs)
}
