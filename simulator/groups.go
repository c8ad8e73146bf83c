package simulator

import (
	"context"
	"fmt"
)

// groupRec is an Okta group and its push state, guarded by Org.mu.
type groupRec struct {
	group Group
}

// AddGroup creates an Okta group (00g… id) with the given members. No
// traffic: a group reaches the app through PushGroup.
func (o *Org) AddGroup(name string, memberIDs ...string) (Group, error) {
	id := o.rnd.oktaID("00g")
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range memberIDs {
		if _, ok := o.users[m]; !ok {
			return Group{}, fmt.Errorf("add group %q: unknown user %q", name, m)
		}
	}
	g := Group{ID: id, Name: name, Members: dedupe(memberIDs)}
	o.groups[id] = &groupRec{group: g}
	o.groupOrder = append(o.groupOrder, id)
	return cloneGroup(g), nil
}

// Group returns a snapshot of the Okta group with id.
func (o *Org) Group(id string) (Group, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.groups[id]
	if !ok {
		return Group{}, false
	}
	return cloneGroup(r.group), true
}

// PushGroup links the group to the app (Push Groups tab, "Push group"):
// when no target id is known, GET /Groups?filter=displayName eq "<name>"
// then POST /Groups with members [] (or link to the match), then the
// membership is pushed (OIN: PATCH add; AIW: PUT with the full list).
// Members not provisioned on the app are left out (inferred).
func (o *Org) PushGroup(ctx context.Context, groupID string) (Result, error) {
	unlock := o.lockGroup(groupID)
	defer unlock()
	return o.pushGroup(ctx, groupID)
}

// UpdateGroupMembers changes the Okta group's membership and, for a pushed
// group, sends it (OIN: one PATCH holding a remove per removed member with
// path members[value eq "<id>"] and one add of [{value, display}];
// AIW: PUT /Groups/{id} with the full member list).
func (o *Org) UpdateGroupMembers(ctx context.Context, groupID string, add, remove []string) (Result, error) {
	unlock := o.lockGroup(groupID)
	defer unlock()
	return o.updateGroupMembers(ctx, groupID, add, remove)
}

// RenameGroup renames the Okta group and, when pushed, the target group
// (OIN: path-less PATCH replace {id, displayName}; AIW: PUT).
func (o *Org) RenameGroup(ctx context.Context, groupID, name string) (Result, error) {
	unlock := o.lockGroup(groupID)
	defer unlock()
	return o.renameGroup(ctx, groupID, name)
}

// PushNow re-sends a pushed group's whole membership (OIN: PATCH replace
// members, [] for an empty group; AIW: PUT).
func (o *Org) PushNow(ctx context.Context, groupID string) (Result, error) {
	unlock := o.lockGroup(groupID)
	defer unlock()
	return o.pushNow(ctx, groupID)
}

// UnlinkAndDeleteGroup is "Unlink pushed group" with "Delete the group in
// the target app": DELETE /Groups/{id}, then the link is dropped.
func (o *Org) UnlinkAndDeleteGroup(ctx context.Context, groupID string) (Result, error) {
	unlock := o.lockGroup(groupID)
	defer unlock()
	return o.unlinkGroup(ctx, groupID)
}

func cloneGroup(g Group) Group {
	g.Members = append([]string(nil), g.Members...)
	return g
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
