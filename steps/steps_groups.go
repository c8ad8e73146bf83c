package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
)

// groupPush is the Okta group a scenario pushes (features/group_push.feature).
type groupPush struct {
	oktaID string            // the Okta group (00g…)
	name   string            // its display name as last set, with the scenario's suffix
	from   int               // transcript Seq before the last group operation
	result *simulator.Result // the last group task's outcome
	// scimID is the target group's id, kept after an unlink drops Okta's
	// link so that a later read can show the group gone.
	scimID string
	// rule is the rule of the last group operation, which its outcome
	// ("Okta's push of the group succeeded") is judged by.
	rule Rule
}

// The rules of the group operations: what Okta sends for each, where it
// is documented, and where SPEC marks it inferred or observed.
var (
	groupCreateRule  = okta("Okta SCIM 2.0 guide: Create Groups, then Update Group membership (OIN: PATCH add); SPEC §2.2 (AIW: PUT /Groups/{id} with the full member list, body shape inferred)")
	groupMembersRule = okta("Okta SCIM 2.0 guide: Update Group membership (OIN: one PATCH, a remove per member and one add); SPEC §2.2 (AIW: PUT, inferred)")
	groupRenameRule  = okta("Okta SCIM 2.0 guide: Update Group name (OIN: path-less PATCH replace of {id, displayName}); SPEC §2.2 (AIW: PUT, inferred)")
	groupPushNowRule = okta("SPEC Appendix B (observed): Push Now replaces members, [] for an empty group")
	groupDeleteRule  = okta("Okta SCIM 2.0 guide: Delete Group (DELETE /Groups/{id})")
	groupStateRule   = must("RFC 7644 §3.5.2 (a PATCH applies every operation; a PUT replaces the members) and §3.4.1 (GET returns the resource as it now is)")
	// entraLegacyRemoveRule judges the group after legacy Entra's remove,
	// which the RFC does not define: with a path and no filter, RFC 7644
	// §3.5.2.2 removes every member, and a value list is not part of it.
	entraLegacyRemoveRule = okta("Microsoft SCIM known issues: legacy Entra removes group members with op Remove, path members and a value list, meaning only the listed members (RFC 7644 §3.5.2.2 alone would remove them all)")
)

func registerGroupSteps(sc stepDefs) {
	sc.Step(`^the admin pushes the Okta group "([^"]*)" with ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?)$`, ScenarioRule, onOrgWith2(func(ctx context.Context, w *World, name, list string) error {
		var ids []string
		for _, alias := range quotedList(list) {
			u, err := w.oktaUser(alias)
			if err != nil {
				return err
			}
			ids = append(ids, u.oktaID)
		}
		g, err := w.org.AddGroup(name+" "+w.suffix, ids...)
		if err != nil {
			return fmt.Errorf("scenario error: %w", err)
		}
		w.group = &groupPush{oktaID: g.ID, name: g.Name}
		return w.groupOp(groupCreateRule, func() (simulator.Result, error) { return w.org.PushGroup(ctx, g.ID) })
	}))
	sc.Step(`^the admin removes "([^"]*)" from the pushed group and adds "([^"]*)"$`, ScenarioRule, onOrgWith2(func(ctx context.Context, w *World, gone, added string) error {
		return w.changeMembers(ctx, []string{added}, []string{gone})
	}))
	sc.Step(`^the admin removes every member from the pushed group$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		g, err := w.pushedGroup()
		if err != nil {
			return err
		}
		og, _ := w.org.Group(g.oktaID)
		var aliases []string
		for _, u := range w.users {
			for _, m := range og.Members {
				if u.oktaID == m {
					aliases = append(aliases, u.alias)
				}
			}
		}
		return w.changeMembers(ctx, nil, aliases)
	}))
	sc.Step(`^the admin renames the pushed group to "([^"]*)"$`, ScenarioRule, onOrgWith(func(ctx context.Context, w *World, name string) error {
		g, err := w.pushedGroup()
		if err != nil {
			return err
		}
		g.name = name + " " + w.suffix
		return w.groupOp(groupRenameRule, func() (simulator.Result, error) { return w.org.RenameGroup(ctx, g.oktaID, g.name) })
	}))
	sc.Step(`^the admin clicks "Push Now" for the pushed group$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		g, err := w.pushedGroup()
		if err != nil {
			return err
		}
		return w.groupOp(groupPushNowRule, func() (simulator.Result, error) { return w.org.PushNow(ctx, g.oktaID) })
	}))
	sc.Step(`^the admin unlinks the pushed group and deletes it in the app$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		g, err := w.pushedGroup()
		if err != nil {
			return err
		}
		return w.groupOp(groupDeleteRule, func() (simulator.Result, error) { return w.org.UnlinkAndDeleteGroup(ctx, g.oktaID) })
	}))
	sc.Step(`^Okta's push of the group succeeded$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		g, err := w.pushedGroup()
		if err != nil {
			return err
		}
		if g.result == nil || !g.result.OK {
			if reason := groupCreateRefused(w.org.Transcript().Since(g.from)); reason != "" {
				return w.skip(reports.StatusNotSupported, reason)
			}
			got, msg := "no group task ran", ""
			var id simulator.MessageID
			if g.result != nil {
				got, msg, id = fmt.Sprintf("the task failed: %q", g.result.Message), g.result.Message, g.result.MessageID
			}
			return w.failAs(g.rule, "Okta's group task to succeed (a 2xx answer to every group request)", got, w.lastOktaExchange(), msg, basisOf(id))
		}
		return nil
	}))
	sc.Step(`^Okta looked the group up by displayName, then created it$`, okta("Okta SCIM 2.0 guide: Retrieve Groups (filter displayName eq), then Create Groups; SPEC §2.2"), onOrg(func(ctx context.Context, w *World) error {
		g, err := w.pushedGroup()
		if err != nil {
			return err
		}
		seq := w.groupRequests(g.from)
		lookup := "GET /Groups?filter=" + url.PathEscape(`displayName eq "`+g.name+`"`)
		if len(seq) < 2 || !strings.HasPrefix(seq[0], lookup) || seq[1] != "POST /Groups" {
			return w.fail("GET /Groups?filter=displayName eq … then POST /Groups", strings.Join(seq, ", "), w.lastOktaExchange(), "", "")
		}
		return nil
	}))
	sc.Step(`^a SCIM client adds "([^"]*)" to the target's group$`, ScenarioRule, func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		u, err := w.known(alias)
		if err != nil {
			return err
		}
		if u.scimID == "" {
			return fmt.Errorf("scenario error: %s was never provisioned, so it has no SCIM id to add", u.alias)
		}
		id, err := w.targetGroupID("")
		if err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]any{
			"schemas":    []string{scimwire.PatchOpSchema},
			"Operations": []map[string]any{{"op": "add", "path": "members", "value": []map[string]string{{"value": u.scimID}}}},
		})
		if _, err := w.send(ctx, raw{method: http.MethodPatch, path: "/Groups/" + url.PathEscape(id), body: string(body)}); err != nil {
			return err
		}
		if s := w.lastStatus(); s != http.StatusOK && s != http.StatusNoContent {
			return w.failAs(groupStateRule, "PATCH add of a member to answer 200 or 204 (RFC 7644 §3.5.2)", fmt.Sprint(s), w.lastEx, "", "")
		}
		return nil
	})
	sc.Step(`^the target's group "([^"]*)" has (no members|exactly the members? ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?))$`, groupStateRule, func(ctx context.Context, name, what, list string) error {
		w := worldFrom(ctx)
		if w.entra != nil && w.entra.legacyRemove {
			w.rule = entraLegacyRemoveRule
		}
		var want []string
		for _, alias := range quotedList(list) {
			u, err := w.known(alias)
			if err != nil {
				return err
			}
			if u.scimID == "" {
				return w.fail(fmt.Sprintf("a SCIM id for %s", u.userName), "none: the user was never provisioned", nil, "", "")
			}
			want = append(want, u.scimID)
		}
		return w.assertGroup(ctx, name+" "+w.suffix, want)
	})
	sc.Step(`^the target no longer has the group$`, must("RFC 7644 §3.6 (a deleted resource answers 404 afterwards)"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		id, err := w.targetGroupID("")
		if err != nil {
			return err
		}
		if _, err := w.send(ctx, raw{method: http.MethodGet, path: "/Groups/" + url.PathEscape(id)}); err != nil {
			return err
		}
		if w.lastStatus() != http.StatusNotFound {
			return w.failLast("GET /Groups/"+id+" to answer 404 after the group was deleted", fmt.Sprint(w.lastStatus()))
		}
		if w.group == nil {
			return nil
		}
		// A 404 for every id proves nothing by itself: the group must be
		// gone from the list Okta's next push would search too.
		filter := fmt.Sprintf("displayName eq %q", w.group.name)
		if _, err := w.send(ctx, raw{method: http.MethodGet, path: "/Groups?filter=" + url.QueryEscape(filter)}); err != nil {
			return err
		}
		if n := gjson.Get(w.lastBody(), "totalResults"); w.lastStatus() != http.StatusOK || !n.Exists() || n.Int() != 0 {
			return w.failLast(fmt.Sprintf("GET /Groups?filter=%s to answer 200 with totalResults 0 after the delete", filter),
				fmt.Sprintf("%d with totalResults %s", w.lastStatus(), orMissing(n)))
		}
		return nil
	})
}

// pushedGroup is the scenario's Okta group, or a scenario error.
func (w *World) pushedGroup() (*groupPush, error) {
	if w.group == nil {
		return nil, fmt.Errorf("scenario error: no pushed group (add \"the admin pushes the Okta group … with …\")")
	}
	return w.group, nil
}

// groupOp runs one Okta group operation, remembering its rule, its
// outcome, where its traffic starts and the target group's id.
func (w *World) groupOp(r Rule, op func() (simulator.Result, error)) error {
	g := w.group
	g.rule = r
	g.from = w.org.Transcript().LastSeq()
	res, err := op()
	if err != nil {
		return fmt.Errorf("okta group operation on %s: %w", g.name, err)
	}
	g.result = &res
	if og, ok := w.org.Group(g.oktaID); ok && og.SCIMID != "" {
		g.scimID = og.SCIMID
	}
	return nil
}

// changeMembers adds and removes Okta users (by alias) in the pushed group.
func (w *World) changeMembers(ctx context.Context, add, remove []string) error {
	g, err := w.pushedGroup()
	if err != nil {
		return err
	}
	ids := func(aliases []string) ([]string, error) {
		var out []string
		for _, a := range aliases {
			u, err := w.oktaUser(a)
			if err != nil {
				return nil, err
			}
			out = append(out, u.oktaID)
		}
		return out, nil
	}
	addIDs, err := ids(add)
	if err != nil {
		return err
	}
	removeIDs, err := ids(remove)
	if err != nil {
		return err
	}
	return w.groupOp(groupMembersRule, func() (simulator.Result, error) { return w.org.UpdateGroupMembers(ctx, g.oktaID, addIDs, removeIDs) })
}

// groupRequests lists the identity provider's /Groups requests since seq as
// "METHOD path?query".
func (w *World) groupRequests(seq int) []string {
	var out []string
	for _, e := range w.org.Transcript().Since(seq) {
		if p := pathAfterBase(e.Request.URL); strings.HasPrefix(p, "/Groups") {
			out = append(out, e.Request.Method+" "+p)
		}
	}
	return out
}

// groupCreateRefused says why group scenarios cannot run when the target
// answered POST /Groups with 405 or 501: it lists Group in /ResourceTypes
// but creates no groups. Any other refusal is the target's failure, and
// the empty string says so.
func groupCreateRefused(exs []simulator.Exchange) string {
	for _, e := range exs {
		if e.Request.Method != http.MethodPost || !strings.HasSuffix(strings.SplitN(e.Request.URL, "?", 2)[0], "/Groups") || e.Response == nil {
			continue
		}
		if s := e.Response.Status; s == http.StatusMethodNotAllowed || s == http.StatusNotImplemented {
			return fmt.Sprintf("the target lists Group in /ResourceTypes but refused POST /Groups with HTTP %d: it creates no groups; "+
				"say so in the target profile (capabilities: {group-writes: false})", s)
		}
	}
	return ""
}

// targetGroupID is the target's id of the scenario's group called name
// (with the scenario's suffix; "" for the scenario's only group): the one
// Okta pushed, or one Entra provisioned.
func (w *World) targetGroupID(name string) (string, error) {
	switch {
	case w.group != nil:
		if name != "" && w.group.name != name {
			return "", fmt.Errorf("scenario error: the pushed group is called %q, not %q", w.group.name, name)
		}
		if w.group.scimID != "" {
			return w.group.scimID, nil
		}
	case w.entra != nil && w.entra.tenant != nil:
		for i, id := range w.entra.groups {
			if name == "" || w.entra.groupNames[i] == name {
				if sid := w.entra.tenant.SCIMID(id); sid != "" {
					return sid, nil
				}
				break
			}
		}
	}
	return "", w.fail("the target's id for the scenario's group", "none: no group was created on the target", w.lastOktaExchange(), "", "")
}

// assertGroup reads the scenario's group with GET /Groups/{id} and checks
// its displayName and that its members are exactly want (SCIM ids), no
// more, no fewer, none twice.
func (w *World) assertGroup(ctx context.Context, name string, want []string) error {
	id, err := w.targetGroupID(name)
	if err != nil {
		return err
	}
	if _, err := w.send(ctx, raw{method: http.MethodGet, path: "/Groups/" + url.PathEscape(id)}); err != nil {
		return err
	}
	if w.lastStatus() != http.StatusOK {
		return w.failLast(fmt.Sprintf("GET /Groups/%s to answer 200", id), fmt.Sprint(w.lastStatus()))
	}
	body := w.lastBody()
	if got := gjson.Get(body, "displayName").String(); got != name {
		return w.failLast(fmt.Sprintf("displayName %q", name), fmt.Sprintf("%q", got))
	}
	var got []string
	for _, v := range gjson.Get(body, "members.#.value").Array() {
		got = append(got, v.String())
	}
	if !sameMembers(got, want) {
		return w.failLast("members exactly "+w.describeIDs(want), w.describeIDs(got))
	}
	return nil
}

// sameMembers reports whether got holds exactly the ids of want, each once.
func sameMembers(got, want []string) bool {
	g, wnt := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(wnt)
	return slices.Equal(g, wnt)
}

// describeIDs names SCIM user ids by the scenario's userNames where known,
// for a failure message an engineer can read.
func (w *World) describeIDs(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		n := id
		for _, u := range w.users {
			if u.scimID == id || u.firstSCIMID == id {
				n = u.userName + " (" + id + ")"
				break
			}
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
