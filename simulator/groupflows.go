package simulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/scimulator/scimulator/internal/scimwire"
)

const srcGroupPushNow = "Appendix B (observed): Push Now replaces members, [] for an empty group"

// gflow carries one group operation.
type gflow struct {
	o     *Org
	op    Operation
	app   appState
	group Group
	sent  int
}

func (o *Org) newGroupFlow(op Operation, groupID string) (*gflow, error) {
	app, err := o.appSnapshot(op)
	if err != nil {
		return nil, err
	}
	if !app.cfg.Provisioning.PushGroups {
		return nil, fmt.Errorf("%s: Push groups is off in the app's provisioning settings", op.lower())
	}
	g, ok := o.Group(groupID)
	if !ok {
		return nil, fmt.Errorf("%s: unknown group %q", op.lower(), groupID)
	}
	return &gflow{o: o, op: op, app: app, group: g}, nil
}

func (g *gflow) do(ctx context.Context, c call) (*reply, *failure, error) {
	c.op = g.op
	c.subject = g.group.Name
	g.sent++
	return g.o.send(ctx, g.app, c)
}

func (g *gflow) ok() (Result, error) {
	return Result{Operation: g.op, GroupID: g.group.ID, OK: true, Sent: g.sent}, nil
}

// fail opens (or updates) the group's task. Appendix B: a failed group push
// is not retried automatically; one bad member loses the whole push.
func (g *gflow) fail(phase string, fl *failure, retry func(context.Context) (Result, error)) (Result, error) {
	o := g.o
	msg := o.redactor.string(render(MsgTaskGroup, "group", g.group.Name, "app", g.app.cfg.Name, "phase", phase, "reason", fl.reason))
	o.mu.Lock()
	id := o.openTaskLocked(Task{Operation: g.op, GroupID: g.group.ID, Message: msg, MessageID: fl.id}, familyGroup, retry)
	o.mu.Unlock()
	return Result{Operation: g.op, GroupID: g.group.ID, Sent: g.sent, Message: msg, MessageID: fl.id, TaskID: id, Status: fl.status}, nil
}

// retryWith re-runs a group operation under the group lock.
func (o *Org) retryWith(groupID string, run func(context.Context) (Result, error)) func(context.Context) (Result, error) {
	return func(ctx context.Context) (Result, error) {
		unlock := o.lockGroup(groupID)
		defer unlock()
		return run(ctx)
	}
}

// members are the group's members that exist on the target: value is the
// SCIM id, display the login (inferred, see doc.go), in Okta order.
func (g *gflow) members(ids []string) []groupMember {
	o := g.o
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []groupMember
	for _, id := range ids {
		r, ok := o.users[id]
		if !ok || r.app.scimID == "" || r.app.status == AppUserDeprovisioned {
			continue
		}
		out = append(out, groupMember{value: r.app.scimID, display: r.user.Profile.Login})
	}
	return out
}

func (o *Org) setGroupLink(groupID, scimID string, pushed bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if r, ok := o.groups[groupID]; ok {
		r.group.SCIMID, r.group.Pushed = scimID, pushed
		o.resolveLocked("", groupID, familyGroup)
	}
}

// pushGroup implements Org.PushGroup.
func (o *Org) pushGroup(ctx context.Context, groupID string) (Result, error) {
	g, err := o.newGroupFlow(OpPushGroup, groupID)
	if err != nil {
		return Result{}, err
	}
	if g.group.Pushed {
		return g.sendMembers(ctx, membersPushNow)
	}
	retry := o.retryWith(groupID, func(ctx context.Context) (Result, error) { return o.pushGroup(ctx, groupID) })
	phase := "creating group " + g.group.Name
	rep, fl, err := g.do(ctx, call{step: "group existence check", prov: Documented, source: srcOktaSCIMGuide + ", Retrieve Groups (filter)",
		method: http.MethodGet, path: scimwire.GroupsEndpoint, query: filterQuery("displayName", g.group.Name)})
	if err != nil {
		return Result{}, err
	}
	var scimID string
	switch {
	case fl != nil:
		return g.fail(phase, fl, retry)
	case rep.status == http.StatusNotFound:
	case rep.status < 200 || rep.status > 299:
		return g.fail(phase, httpFailure(rep), retry)
	default:
		page, pf := parseList(rep.body)
		if pf != nil {
			return g.fail(phase, pf, retry)
		}
		if len(page.resources) > 0 {
			// A hit Okta cannot link to fails, as the user link does;
			// creating a second group with the same name would be worse.
			id, idf := requireString(page.resources[0], "id")
			if idf != nil {
				return g.fail(phase, idf, retry)
			}
			scimID = id
		}
	}
	linked := scimID != ""
	if !linked {
		syncPoint(ctx)
		rep, fl, err = g.do(ctx, call{step: "create group", prov: Documented, source: srcOktaSCIMGuide + ", Create Groups",
			method: http.MethodPost, path: scimwire.GroupsEndpoint, body: groupCreateBody(g.group.Name)})
		if err != nil {
			return Result{}, err
		}
		if f := check2xx(rep, fl); f != nil {
			return g.fail(phase, f, retry)
		}
		if len(trimSpace(rep.body)) == 0 {
			return g.fail(phase, &failure{id: MsgEmptyGroup, status: rep.status, reason: render(MsgEmptyGroup)}, retry)
		}
		v, pf := parseBody(rep.body)
		if pf != nil {
			return g.fail(phase, pf, retry)
		}
		obj, ok := v.(*jobj)
		if !ok {
			return g.fail(phase, wrongType("group", "object", v), retry)
		}
		id, idf := resourceID(obj)
		if idf == nil && id == "" {
			idf = &failure{id: MsgEmptyGroup, status: rep.status, reason: render(MsgEmptyGroup)}
		}
		if idf != nil {
			return g.fail(phase, idf, retry)
		}
		scimID = id
	}
	o.setGroupLink(groupID, scimID, true)
	g.group.SCIMID, g.group.Pushed = scimID, true
	if len(g.members(g.group.Members)) == 0 && !linked {
		return g.ok()
	}
	// A new group gets its members added; a linked one gets its whole
	// membership replaced, as Push Now does (inferred).
	if linked {
		return g.sendMembers(ctx, membersAfterLink)
	}
	return g.sendMembers(ctx, membersAdd)
}

// membersMode says why the whole membership is sent, which decides the
// OIN request and its provenance.
type membersMode int

const (
	// membersAdd: a new group's members, one PATCH add (documented).
	membersAdd membersMode = iota
	// membersPushNow: "Push Now", PATCH replace of members (observed).
	membersPushNow
	// membersAfterLink: a filter hit linked an existing group; its
	// membership is replaced as Push Now does (inferred).
	membersAfterLink
)

// sendMembers pushes the whole membership: replace (or add, for a new
// group) on OIN, PUT on AIW.
func (g *gflow) sendMembers(ctx context.Context, mode membersMode) (Result, error) {
	retry := g.o.retryWith(g.group.ID, func(ctx context.Context) (Result, error) { return g.o.pushNow(ctx, g.group.ID) })
	ms := g.members(g.group.Members)
	if g.app.cfg.Profile == ProfileAIW {
		return g.put(ctx, ms, "pushing members of group "+g.group.Name, retry)
	}
	body, step, prov, src := groupMembersPatch(nil, ms), "add group members", Documented, srcOktaSCIMGuide+", Update Group membership"
	switch mode {
	case membersPushNow:
		body, step, prov, src = groupReplaceMembersPatch(ms), "replace group members", Observed, srcGroupPushNow
	case membersAfterLink:
		body, step, prov, src = groupReplaceMembersPatch(ms), "replace group members", Inferred,
			srcInferred+" (a filter hit links the existing group; its membership is replaced as Push Now does)"
	}
	return g.patch(ctx, body, step, prov, src, "pushing members of group "+g.group.Name, retry)
}

func (g *gflow) patch(ctx context.Context, body []byte, step string, prov Provenance, src, phase string, retry func(context.Context) (Result, error)) (Result, error) {
	syncPoint(ctx)
	return g.push(ctx, call{step: step, prov: prov, source: src, method: http.MethodPatch,
		path: resourcePath(scimwire.GroupsEndpoint, g.group.SCIMID), body: body}, phase, retry)
}

// put is the AIW engine's group update: PUT /Groups/{id} with the full
// member list (SPEC §2.2; body shape inferred).
func (g *gflow) put(ctx context.Context, ms []groupMember, phase string, retry func(context.Context) (Result, error)) (Result, error) {
	syncPoint(ctx)
	return g.push(ctx, call{step: "replace group", prov: Inferred, source: srcInferred + " (SPEC §2.2: AIW sends PUT /Groups/{id} with the full member list)",
		method: http.MethodPut, path: resourcePath(scimwire.GroupsEndpoint, g.group.SCIMID),
		body: groupPutBody(g.group.SCIMID, g.group.Name, ms)}, phase, retry)
}

// push sends a group update and, on a 2xx answer, records the group as
// pushed; any other outcome fails the group task with retry.
func (g *gflow) push(ctx context.Context, c call, phase string, retry func(context.Context) (Result, error)) (Result, error) {
	rep, fl, err := g.do(ctx, c)
	if err != nil {
		return Result{}, err
	}
	if f := check2xx(rep, fl); f != nil {
		return g.fail(phase, f, retry)
	}
	g.o.setGroupLink(g.group.ID, g.group.SCIMID, true)
	return g.ok()
}

// updateGroupMembers implements Org.UpdateGroupMembers.
func (o *Org) updateGroupMembers(ctx context.Context, groupID string, add, remove []string) (Result, error) {
	o.mu.Lock()
	r, ok := o.groups[groupID]
	if !ok {
		o.mu.Unlock()
		return Result{}, fmt.Errorf("%s: unknown group %q", OpGroupMembers.lower(), groupID)
	}
	for _, id := range append(append([]string(nil), add...), remove...) {
		if _, ok := o.users[id]; !ok {
			o.mu.Unlock()
			return Result{}, fmt.Errorf("%s: unknown user %q", OpGroupMembers.lower(), id)
		}
	}
	removed := map[string]bool{}
	for _, id := range remove {
		removed[id] = true
	}
	var kept []string
	var actuallyRemoved []string
	for _, id := range r.group.Members {
		if removed[id] {
			actuallyRemoved = append(actuallyRemoved, id)
			continue
		}
		kept = append(kept, id)
	}
	var actuallyAdded []string
	for _, id := range dedupe(add) {
		if !contains(kept, id) {
			kept = append(kept, id)
			actuallyAdded = append(actuallyAdded, id)
		}
	}
	r.group.Members = kept
	pushed := r.group.Pushed
	o.mu.Unlock()
	if !pushed {
		return Result{Operation: OpGroupMembers, GroupID: groupID, OK: true}, nil
	}
	g, err := o.newGroupFlow(OpGroupMembers, groupID)
	if err != nil {
		return Result{}, err
	}
	retry := o.retryWith(groupID, func(ctx context.Context) (Result, error) { return o.pushNow(ctx, groupID) })
	phase := "pushing members of group " + g.group.Name
	if g.app.cfg.Profile == ProfileAIW {
		return g.put(ctx, g.members(g.group.Members), phase, retry)
	}
	// A removed member is named by its SCIM id even if its app account
	// has since been deactivated (inferred).
	var removeIDs []string
	o.mu.Lock()
	for _, id := range actuallyRemoved {
		if r, ok := o.users[id]; ok && r.app.scimID != "" {
			removeIDs = append(removeIDs, r.app.scimID)
		}
	}
	o.mu.Unlock()
	adds := g.members(actuallyAdded)
	if len(removeIDs) == 0 && len(adds) == 0 {
		return g.ok()
	}
	return g.patch(ctx, groupMembersPatch(removeIDs, adds), "update group members", Documented,
		srcOktaSCIMGuide+", Update Group membership", phase, retry)
}

// renameGroup implements Org.RenameGroup.
func (o *Org) renameGroup(ctx context.Context, groupID, name string) (Result, error) {
	if name == "" {
		return Result{}, errors.New("rename group: name must not be empty")
	}
	o.mu.Lock()
	r, ok := o.groups[groupID]
	if ok {
		r.group.Name = name
	}
	pushed := ok && r.group.Pushed
	o.mu.Unlock()
	if !ok {
		return Result{}, fmt.Errorf("%s: unknown group %q", OpRenameGroup.lower(), groupID)
	}
	if !pushed {
		return Result{Operation: OpRenameGroup, GroupID: groupID, OK: true}, nil
	}
	g, err := o.newGroupFlow(OpRenameGroup, groupID)
	if err != nil {
		return Result{}, err
	}
	retry := o.retryWith(groupID, func(ctx context.Context) (Result, error) { return o.renameGroup(ctx, groupID, name) })
	phase := "renaming group " + name
	if g.app.cfg.Profile == ProfileAIW {
		return g.put(ctx, g.members(g.group.Members), phase, retry)
	}
	return g.patch(ctx, groupRenamePatch(g.group.SCIMID, name), "rename group", Documented,
		srcOktaSCIMGuide+", Update Group name", phase, retry)
}

// pushNow implements Org.PushNow.
func (o *Org) pushNow(ctx context.Context, groupID string) (Result, error) {
	g, err := o.newGroupFlow(OpPushNow, groupID)
	if err != nil {
		return Result{}, err
	}
	if !g.group.Pushed {
		return Result{}, fmt.Errorf("%s: group %q is not pushed", OpPushNow.lower(), groupID)
	}
	return g.sendMembers(ctx, membersPushNow)
}

// unlinkGroup implements Org.UnlinkAndDeleteGroup: DELETE /Groups/{id}
// (documented, Okta SCIM 2.0 guide "Delete Group").
func (o *Org) unlinkGroup(ctx context.Context, groupID string) (Result, error) {
	g, err := o.newGroupFlow(OpUnlinkGroup, groupID)
	if err != nil {
		return Result{}, err
	}
	if !g.group.Pushed {
		return Result{}, fmt.Errorf("%s: group %q is not pushed", OpUnlinkGroup.lower(), groupID)
	}
	retry := o.retryWith(groupID, func(ctx context.Context) (Result, error) { return o.unlinkGroup(ctx, groupID) })
	rep, fl, err := g.do(ctx, call{step: "delete group", prov: Documented, source: srcOktaSCIMGuide + ", Delete Group",
		method: http.MethodDelete, path: resourcePath(scimwire.GroupsEndpoint, g.group.SCIMID)})
	if err != nil {
		return Result{}, err
	}
	if f := check2xx(rep, fl); f != nil {
		return g.fail("deleting group "+g.group.Name, f, retry)
	}
	o.setGroupLink(groupID, "", false)
	return g.ok()
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
