package steps

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
)

// appKey is the Okta app's API token as a step minted it: the custom role's
// permissions, the key's (unscoped) name and the token it replaced.
type appKey struct {
	perms []string
	name  string
	prev  string
}

// registerCortexSteps binds the steps that change and read the Cortex side
// as its admin sees it (SPEC §1.5): the Users tab, roles and their
// permissions, a custom default role, roles and team records removed by
// hand, API key rotation and revocation, the settings read back.
func registerCortexSteps(sc stepDefs) {
	sc.Step(`^the Users tab lists "([^"]*)" as (active|deprovisioned)(?: with (\d+) API keys? and (\d+) active sessions?)?$`,
		must("SPEC §1.5 (the Users tab: status, key count, active sessions); SPEC §1.4"),
		func(ctx context.Context, alias, state, keys, sessions string) error {
			return onUser(func(ctx context.Context, w *World, u *user) error {
				return w.assertUsersTab(ctx, u, state == "active", []string{keys, sessions})
			})(ctx, alias)
		})
	sc.Step(`^the role "([^"]*)" of "([^"]*)" has been removed on the target$`, must("SPEC §1.5 (roles)"), func(ctx context.Context, role, alias string) error {
		return onUser(func(ctx context.Context, w *World, u *user) error {
			_, err := w.probeUser(ctx, u, target.RevokeRole, target.Vars{"role": target.S(role)})
			return err
		})(ctx, alias)
	})
	sc.Step(`^"([^"]*)"'s email has been removed from the team "([^"]*)" on the target$`, must("SPEC §1.5 (teams and members)"), onUserWith(func(ctx context.Context, w *World, u *user, team string) error {
		_, err := w.probeUser(ctx, u, target.RemoveTeamMember, target.Vars{"team": target.S(w.scoped(team))})
		return err
	}))
	sc.Step(`^"([^"]*)" is in exactly the teams "([^"]*)" on the target$`, must("SPEC §1.5 (the Users tab shows the user's teams)"), onUserWith(func(ctx context.Context, w *World, u *user, teams string) error {
		var want []string
		for _, t := range strings.Split(teams, ",") {
			want = append(want, w.scoped(t))
		}
		return w.assertList(ctx, u, target.ReadTeams, want, "teams")
	}))
	sc.Step(`^the app's custom role holds exactly the permissions "([^"]*)" on the target$`, must("SPEC §1.2 (custom roles hold any set of permissions)"), onOrgWith(func(ctx context.Context, w *World, perms string) error {
		res, err := w.probe(ctx, target.RolePermissions, target.Vars{"role": target.S(w.scoped("scim-role"))})
		if err != nil {
			return err
		}
		if got := pickedNames(res.Picked); !res.Picked.IsArray() || normNames(got) != normNames(strings.Split(perms, ",")) {
			return w.fail(fmt.Sprintf("the role %s to hold exactly %s", w.scoped("scim-role"), perms), orMissing(res.Picked), w.lastProbeExchange(), "", "")
		}
		return nil
	}))
	sc.Step(`^the target's default role is a custom role "([^"]*)" with only "([^"]*)"$`, must("SPEC §1.1 (default role); SPEC §1.2 (custom roles)"), func(ctx context.Context, role, perms string) error {
		w := worldFrom(ctx)
		if _, err := w.mintRoleKey(ctx, role, strings.Split(perms, ","), role+"-key"); err != nil {
			return err
		}
		return w.changeSetting(ctx, target.SetDefaultRole, target.Vars{"role": target.S(w.scoped(role))})
	})
	sc.Step(`^"([^"]*)" has exactly the custom role "([^"]*)" on the target$`, must("SPEC §1.1 (the default role is given on creation and on reactivation)"), onUserWith(func(ctx context.Context, w *World, u *user, role string) error {
		return w.assertList(ctx, u, target.ReadRoles, []string{w.scoped(role)}, "roles")
	}))
	sc.Step(`^the target's settings read back SCIM (on|off), the default role "([^"]*)", keep-in-teams (on|off) and the allowlist "([^"]*)" with the harness's address$`, must("SPEC §1.1; SPEC §1.5 (settings)"), func(ctx context.Context, scim, role, keep, cidr string) error {
		w := worldFrom(ctx)
		res, err := w.probe(ctx, target.SettingsView, nil)
		if err != nil {
			return err
		}
		v := res.Picked
		want := []string{cidr}
		if a := w.conn.admin; a != nil && a.ClientIP != "" {
			want = append(want, a.ClientIP)
		}
		if v.Get("scim").Type != map[string]gjson.Type{"on": gjson.True, "off": gjson.False}[scim] ||
			v.Get("defaultRole").String() != role ||
			v.Get("keepInTeams").Type != map[string]gjson.Type{"on": gjson.True, "off": gjson.False}[keep] ||
			!v.Get("allowlist").IsArray() || normNames(pickedNames(v.Get("allowlist"))) != normNames(want) {
			return w.fail(fmt.Sprintf(`settings {"scim": %t, "defaultRole": %q, "allowlist": %q, "keepInTeams": %t}`, scim == "on", role, want, keep == "on"),
				orMissing(v), w.lastProbeExchange(), "", "")
		}
		return nil
	})
	sc.Step(`^the app's API token is rotated to a new key of the same custom role$`, must("SPEC §1.2 (an API key carries a role)"), onOrg(func(ctx context.Context, w *World) error {
		if w.appKey.name == "" {
			return w.failAs(harnessRule, "an earlier step minting the app's token", "none", nil, "", "")
		}
		return w.mintAppKey(ctx, w.appKey.perms, w.appKey.name+"-2")
	}))
	sc.Step(`^the app's API token is revoked on the target$`, must("SPEC §1.5 (API keys: revoke)"), onOrg(func(ctx context.Context, w *World) error {
		if w.appKey.name == "" {
			return w.failAs(harnessRule, "an earlier step minting the app's token", "none", nil, "", "")
		}
		res, err := w.probe(ctx, target.KeyID, target.Vars{"keyName": target.S(w.scoped(w.appKey.name))})
		if err != nil {
			return err
		}
		id := res.Picked.String()
		if id == "" {
			return w.fail(fmt.Sprintf("the key %s listed with its id", w.scoped(w.appKey.name)), orMissing(res.Picked), w.lastProbeExchange(), "", "")
		}
		_, err = w.probe(ctx, target.RevokeKey, target.Vars{"keyId": target.S(id)})
		return err
	}))
	sc.Step(`^the app's API token is "([^"]*)"'s personal key$`, must("SPEC §1.2 (an API key belongs to a user or to the workspace, and carries a role)"), onUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.needOrg(); err != nil {
			return err
		}
		if u.apiKey == "" {
			return w.failAs(harnessRule, fmt.Sprintf("an earlier step minting %s a personal key", u.alias), "none", nil, "", "")
		}
		w.appKey = appKey{prev: w.appAuth.Secret}
		w.appAuth.Secret = u.apiKey
		return w.configureApp()
	}))
	sc.Step(`^the app's previous API token still works$`, must("SPEC §1.5 (revoking one key leaves the others)"), onOrg(func(ctx context.Context, w *World) error {
		res, err := w.probe(ctx, target.KeyValid, target.Vars{"secret": target.S(w.appKey.prev)})
		if err != nil {
			return err
		}
		if !res.Valid {
			return w.fail("the previous API token to be valid", fmt.Sprintf("the check answered %d", res.Status), w.lastProbeExchange(), "", "")
		}
		return nil
	}))
}

// assertUsersTab checks that the Users tab lists u as active or not and,
// when counts holds them, u's personal API key and active session counts.
func (w *World) assertUsersTab(ctx context.Context, u *user, active bool, counts []string) error {
	res, err := w.probe(ctx, target.ActiveUsers, nil)
	if err != nil {
		return err
	}
	listed := slices.ContainsFunc(res.Picked.Array(), func(e gjson.Result) bool { return strings.EqualFold(e.String(), u.email) })
	if listed != active {
		return w.fail(fmt.Sprintf("the Users tab to list %s as %s", u.email, map[bool]string{true: "active", false: "deprovisioned (not active)"}[active]),
			orMissing(res.Picked), w.lastProbeExchange(), "", "")
	}
	for i, name := range []struct {
		probe target.ProbeName
		what  string
	}{{target.ReadKeyCount, "personal API keys"}, {target.ReadSessionCount, "active sessions"}} {
		if i >= len(counts) || counts[i] == "" {
			continue
		}
		want, _ := strconv.Atoi(counts[i])
		res, err := w.probeUser(ctx, u, name.probe, nil)
		if err != nil {
			return err
		}
		if res.Picked.Type != gjson.Number || res.Picked.Raw != strconv.Itoa(want) {
			return w.fail(fmt.Sprintf("the Users tab to show %s with %d %s", u.email, want, name.what), orMissing(res.Picked), w.lastProbeExchange(), "", "")
		}
	}
	return nil
}
