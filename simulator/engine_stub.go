package simulator

import (
	"context"
	"errors"
)

var errTODO = errors.New("not implemented yet")

func (o *Org) pushIfChanged(ctx context.Context, op Operation, userID string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) setStatus(ctx context.Context, op Operation, userID string, s UserStatus) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) testCredentials(ctx context.Context) (CredentialsResult, error) {
	return CredentialsResult{}, errTODO
}
func (o *Org) assign(ctx context.Context, op Operation, userID string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) unassign(ctx context.Context, op Operation, userID string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) provision(ctx context.Context, op Operation, userID string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) forceSync(ctx context.Context) (SyncResult, error)     { return SyncResult{}, errTODO }
func (o *Org) importUsers(ctx context.Context) (ImportResult, error) { return ImportResult{}, errTODO }
func (o *Org) pushGroup(ctx context.Context, id string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) updateGroupMembers(ctx context.Context, id string, add, remove []string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) renameGroup(ctx context.Context, id, name string) (Result, error) {
	return Result{}, errTODO
}
func (o *Org) pushNow(ctx context.Context, id string) (Result, error) { return Result{}, errTODO }
func (o *Org) unlinkGroup(ctx context.Context, id string) (Result, error) {
	return Result{}, errTODO
}
