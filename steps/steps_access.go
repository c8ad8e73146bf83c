package steps

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// probe runs a probe, skipping the scenario with the reason when the target
// profile lacks it.
func (w *World) probe(ctx context.Context, name target.ProbeName, vars target.Vars) (target.Result, error) {
	p := w.prober()
	if !p.Has(name) {
		return target.Result{}, w.skip(reports.StatusSkipped, fmt.Sprintf("probe %s is not configured for this target", name))
	}
	res, err := p.Run(ctx, name, vars)
	if err != nil {
		return res, w.failAs(harnessRule, fmt.Sprintf("probe %s to work", name), err.Error(), nil, "", "")
	}
	return res, nil
}

// ownedBy reads the owners of the scenario's entity and reports whether
// the user alias's current SCIM id is among them.
func (w *World) ownedBy(ctx context.Context, entity, alias string) (*user, target.Result, bool, error) {
	u, err := w.known(alias)
	if err != nil {
		return nil, target.Result{}, false, err
	}
	res, err := w.probe(ctx, target.EntityOwners, target.Vars{"entity": target.S(w.scoped(entity)), "entityId": target.S(u.entityIDs[entity])})
	if err != nil {
		return u, res, false, err
	}
	for _, id := range res.Picked.Array() {
		if id.String() == u.scimID && u.scimID != "" {
			return u, res, true, nil
		}
	}
	return u, res, false, nil
}

// mintPersonalKey mints u a personal API key with the probe name and keeps
// its secret as u's key, redacted from every report. The key is not noted
// for the clean-up: deleting its owner removes a personal key (SPEC §1.4:
// deprovisioning deletes personal API keys).
func (w *World) mintPersonalKey(ctx context.Context, u *user, name target.ProbeName, prefix string) error {
	res, err := w.probeUser(ctx, u, name, target.Vars{"keyName": target.S(w.scoped(prefix + u.alias))})
	if err != nil {
		return err
	}
	u.apiKey = res.Picked.String()
	if u.apiKey == "" {
		return w.failAs(harnessRule, "the personal key's secret at the probe's pick path", "nothing", nil, "", "")
	}
	w.addSecret(u.apiKey)
	return nil
}

// grantTeam adds u's email to the scenario's team, creating the team if
// need be, and notes the team for the clean-up's list.
func (w *World) grantTeam(ctx context.Context, u *user, team string) error {
	if _, err := w.probeUser(ctx, u, target.GrantTeam, target.Vars{"team": target.S(w.scoped(team))}); err != nil {
		return err
	}
	w.noteObject("team", w.scoped(team))
	return nil
}

func userVars(u *user) target.Vars {
	return target.Vars{"email": target.S(u.email), "userName": target.S(u.userName), "id": target.S(u.scimID)}
}

// scoped names a team, role, key or entity uniquely for the scenario, so
// scenarios sharing a target never meet.
func (w *World) scoped(name string) string { return name + "-" + w.suffix }

// saveSettings reads the target's settings once and restores them after the
// scenario (a shared target must be left as found).
func (w *World) saveSettings(ctx context.Context) error {
	if len(w.restores) > 0 {
		return nil // already saved
	}
	res, err := w.probe(ctx, target.ReadSettings, nil)
	if err != nil {
		return err
	}
	saved := res.Body
	w.restores = append(w.restores, func(ctx context.Context) error {
		_, err := w.prober().Run(ctx, target.RestoreSettings, target.Vars{"settings": {Value: saved, JSON: true}})
		return err
	})
	return nil
}

// changeSetting saves the target's settings for restoring after the
// scenario, then runs the probe that changes one of them.
func (w *World) changeSetting(ctx context.Context, name target.ProbeName, vars target.Vars) error {
	if err := w.saveSettings(ctx); err != nil {
		return err
	}
	_, err := w.probe(ctx, name, vars)
	return err
}

// mintAppKey mints a workspace key named keyName (scoped) whose custom role
// holds exactly perms, and makes it the Okta app's API token; the token it
// replaces is kept as the app's previous token.
func (w *World) mintAppKey(ctx context.Context, perms []string, keyName string) error {
	key, err := w.mintRoleKey(ctx, "scim-role", perms, keyName)
	if err != nil {
		return err
	}
	w.appKey = appKey{perms: perms, name: keyName, prev: w.appAuth.Secret}
	w.appAuth.Secret = key
	return w.configureApp()
}

// mintRoleKey creates the custom role role (scoped) holding exactly perms
// and a workspace key named keyName (scoped) with it, and returns the key.
func (w *World) mintRoleKey(ctx context.Context, role string, perms []string, keyName string) (string, error) {
	res, err := w.probe(ctx, target.MintRoleKey, target.Vars{"role": target.S(w.scoped(role)),
		"permissions": target.J(perms), "keyName": target.S(w.scoped(keyName))})
	if err != nil {
		return "", err
	}
	w.noteObject("role", w.scoped(role))
	w.noteObject("API key", w.scoped(keyName))
	key := res.Picked.String()
	if key == "" {
		return "", w.failAs(harnessRule, "the minted key's secret at the probe's pick path", "nothing", nil, "", "")
	}
	w.addSecret(key)
	return key, nil
}

// probeUser runs a probe with u's variables (email, userName, id) plus
// extra.
func (w *World) probeUser(ctx context.Context, u *user, name target.ProbeName, extra target.Vars) (target.Result, error) {
	vars := userVars(u)
	maps.Copy(vars, extra)
	return w.probe(ctx, name, vars)
}

func registerAccessSteps(sc stepDefs) {
	// Settings (controls).
	sc.Step(`^SCIM is turned off on the target$`, must("SPEC §1.1"), func(ctx context.Context) error {
		return worldFrom(ctx).changeSetting(ctx, target.SetSCIM, target.Vars{"enabled": target.J(false)})
	})
	sc.Step(`^the app's API token belongs to a custom role with only "([^"]*)"$`, must("SPEC §1.2"), onOrgWith(func(ctx context.Context, w *World, perms string) error {
		return w.mintAppKey(ctx, strings.Split(perms, ","), "okta-token")
	}))
	sc.Step(`^the target's IP allowlist admits only "([^"]*)"$`, must("SPEC §1.1"), func(ctx context.Context, cidr string) error {
		w := worldFrom(ctx)
		a := w.conn.admin
		if a == nil || a.ClientIP == "" {
			return w.skip(reports.StatusSkipped, "allowlist scenarios need admin.clientIPHeader and admin.clientIP in the target profile, so the harness keeps its own access")
		}
		if err := w.changeSetting(ctx, target.SetAllowlist, target.Vars{"cidrs": target.J([]string{cidr, a.ClientIP}), "header": target.S(a.ClientIPHeader)}); err != nil {
			return err
		}
		// Okta's egress address, outside the list, unless a step says otherwise.
		w.extraHeaders.Set(a.ClientIPHeader, oktaIP)
		if w.org != nil {
			return w.configureApp()
		}
		return nil
	})
	sc.Step(`^the target's default role is "([^"]*)"$`, must("SPEC §1.1"), func(ctx context.Context, role string) error {
		return worldFrom(ctx).changeSetting(ctx, target.SetDefaultRole, target.Vars{"role": target.S(role)})
	})
	sc.Step(`^the target keeps deprovisioned users in teams$`, must("SPEC §1.4"), func(ctx context.Context) error {
		return worldFrom(ctx).changeSetting(ctx, target.SetKeepInTeams, target.Vars{"enabled": target.J(true)})
	})

	// Grants.
	sc.Step(`^"([^"]*)" has been given the role "([^"]*)" on the target$`, must("SPEC §1.5"), onUserWith(func(ctx context.Context, w *World, u *user, role string) error {
		_, err := w.probeUser(ctx, u, target.GrantRole, target.Vars{"role": target.S(role)})
		return err
	}))
	sc.Step(`^"([^"]*)" has been added to the team "([^"]*)" on the target$`, must("SPEC §1.5"), onUserWith(func(ctx context.Context, w *World, u *user, team string) error {
		return w.grantTeam(ctx, u, team)
	}))
	sc.Step(`^the team "([^"]*)" lists "([^"]*)"'s email on the target$`, must("SPEC §1.5"), func(ctx context.Context, team, alias string) error {
		w := worldFrom(ctx)
		return w.grantTeam(ctx, w.userFor(alias), team)
	})
	sc.Step(`^"([^"]*)" has a personal API key on the target$`, must("SPEC §1.5"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.mintPersonalKey(ctx, u, target.MintAPIKey, "personal-")
	}))
	sc.Step(`^"([^"]*)" has an active session on the target$`, must("SPEC §1.5"), onUser(func(ctx context.Context, w *World, u *user) error {
		res, err := w.probeUser(ctx, u, target.OpenSession, nil)
		if err != nil {
			return err
		}
		u.session = res.Picked.String()
		if res.Refused || u.session == "" {
			return w.fail(fmt.Sprintf("a session for %s", u.email), fmt.Sprintf("refused with %d", res.Status), nil, "", "")
		}
		w.addSecret(u.session)
		return nil
	}))
	sc.Step(`^"([^"]*)" owns the entity "([^"]*)" on the target$`, must("SPEC §1.5"), onUserWith(func(ctx context.Context, w *World, u *user, entity string) error {
		res, err := w.probeUser(ctx, u, target.OwnEntity, target.Vars{"entity": target.S(w.scoped(entity))})
		if err != nil {
			return err
		}
		w.noteObject("entity", w.scoped(entity))
		u.entityIDs[entity] = res.Picked.String()
		return nil
	}))

	// Observations.
	sc.Step(`^"([^"]*)" has exactly the roles "([^"]*)" on the target$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, roles string) error {
		return w.assertList(ctx, u, target.ReadRoles, strings.Split(roles, ","), "roles")
	}))
	sc.Step(`^"([^"]*)" has no roles on the target$`, must("SPEC §1.4 step 1"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertList(ctx, u, target.ReadRoles, nil, "roles (SPEC §1.4: deprovisioning removes all roles)")
	}))
	sc.Step(`^"([^"]*)" is in no team on the target$`, must("SPEC §1.4 step 2"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertList(ctx, u, target.ReadTeams, nil, "teams (SPEC §1.4: deprovisioning removes team memberships)")
	}))
	sc.Step(`^"([^"]*)" is a member of the team "([^"]*)" on the target$`, must("SPEC §1.4 (reprovisioning re-associates by email)"), onUserWith(func(ctx context.Context, w *World, u *user, team string) error {
		res, err := w.probe(ctx, target.TeamMembers, target.Vars{"team": target.S(w.scoped(team))})
		if err != nil {
			return err
		}
		for _, m := range res.Picked.Array() {
			if strings.EqualFold(m.String(), u.email) {
				return nil
			}
		}
		return w.fail(fmt.Sprintf("%s to be an associated member of team %s", u.email, w.scoped(team)), orMissing(res.Picked), w.lastProbeExchange(), "", "")
	}))
	sc.Step(`^"([^"]*)"'s (personal API key|session) (works|no longer works)$`, must("SPEC §1.4 steps 3-4"), onUserWith2(func(ctx context.Context, w *World, u *user, what, state string) error {
		name, secret := target.KeyValid, u.apiKey
		if what == "session" {
			name, secret = target.SessionValid, u.session
		}
		res, err := w.probe(ctx, name, target.Vars{"secret": target.S(secret)})
		if err != nil {
			return err
		}
		if want := state == "works"; res.Valid != want {
			rule := ""
			if !want {
				rule = " (SPEC §1.4: deprovisioning deletes personal API keys and invalidates sessions)"
			}
			return w.fail(fmt.Sprintf("%s's %s to be %s%s", u.email, what, map[bool]string{true: "valid", false: "revoked"}[want], rule),
				fmt.Sprintf("the check answered %d", res.Status), w.lastProbeExchange(), "", "")
		}
		// "Who am I" (SPEC §1.5): a live credential is its owner's, when the
		// profile's probe picks whose it is.
		if res.Valid && w.prober().Probes[name].Pick != "" && !strings.EqualFold(res.Picked.String(), u.email) {
			return w.fail(fmt.Sprintf("%s's %s to be %s's (SPEC §1.5: who am I)", u.email, what, u.email), orMissing(res.Picked), w.lastProbeExchange(), "", "")
		}
		return nil
	}))
	sc.Step(`^"([^"]*)" (can|cannot) open a session on the target$`, must("SPEC §1.4"), onUserWith(func(ctx context.Context, w *World, u *user, can string) error {
		res, err := w.probeUser(ctx, u, target.OpenSession, nil)
		if err != nil {
			return err
		}
		if tok := res.Picked.String(); tok != "" {
			w.addSecret(tok)
		}
		if opened := !res.Refused && res.Picked.String() != ""; opened != (can == "can") {
			return w.fail(fmt.Sprintf("%s %s log in", u.email, can), fmt.Sprintf("login answered %d", res.Status), w.lastProbeExchange(), "", "")
		}
		return nil
	}))
	sc.Step(`^the owner of "([^"]*)" on the target is "([^"]*)"$`, must("SPEC §1.4 (reprovisioning re-associates by email)"), func(ctx context.Context, entity, alias string) error {
		w := worldFrom(ctx)
		u, res, owned, err := w.ownedBy(ctx, entity, alias)
		if err != nil || owned {
			return err
		}
		return w.fail(fmt.Sprintf("entity %s owned by %s's current user id %s (SPEC §1.4: re-association by email)", w.scoped(entity), u.email, u.scimID),
			orMissing(res.Picked), w.lastProbeExchange(), "", "")
	})

	sc.Step(`^no owner of "([^"]*)" on the target is "([^"]*)"'s deleted SCIM id$`, must("SPEC §1.3 (DELETE removes the SCIM resource); SPEC §1.4 (records keep the email and are associated with the user again only on reprovisioning)"), func(ctx context.Context, entity, alias string) error {
		w := worldFrom(ctx)
		u, res, owned, err := w.ownedBy(ctx, entity, alias)
		if err != nil || !owned {
			return err
		}
		return w.fail(fmt.Sprintf("entity %s associated with no user of the deleted id %s (the record keeps %s's email for a later reprovisioning)", w.scoped(entity), u.scimID, u.email),
			orMissing(res.Picked), w.lastProbeExchange(), "", "")
	})

	// The target's view of users, read over SCIM.
	sc.Step(`^"([^"]*)" is (active|inactive) on the target$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, state string) error {
		return w.assertActive(ctx, u, state == "active")
	}))
	inactive := onUser(func(ctx context.Context, w *World, u *user) error { return w.assertActive(ctx, u, false) })
	sc.Step(`^"([^"]*)" stays inactive on the target$`, ScenarioRule, inactive)
	sc.Step(`^a SCIM client can still read "([^"]*)" with "active" equal to false$`, ScenarioRule, inactive)
	sc.Step(`^"([^"]*)" keeps the same SCIM id$`, okta("Okta SCIM 2.0 CRUD test: reactivation keeps the same SCIM id"), onUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.filter(ctx, fmt.Sprintf("userName eq %q", u.userName)); err != nil {
			return err
		}
		got := gjson.Get(w.lastBody(), "Resources.#.id").Array()
		if len(got) != 1 || got[0].String() != u.firstSCIMID || u.scimID != u.firstSCIMID {
			return w.failLast(fmt.Sprintf("one user %s with the original id %s (SPEC §1.3: reactivation keeps the id)", u.userName, u.firstSCIMID),
				fmt.Sprintf("ids %s; Okta now links %s", gjson.Get(w.lastBody(), "Resources.#.id").Raw, u.scimID))
		}
		return nil
	}))
	sc.Step(`^the target has "([^"]*)" with the (?:Okta|Entra) userName, email and names$`, okta("Okta SCIM 2.0 CRUD test: the target has the user with Okta's userName, email and names"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertKnownValues(ctx, u)
	}))
	sc.Step(`^"([^"]*)" keeps its userName, email and names on the target$`, must("RFC 7644 §3.5.2.3 (a replace without a path changes only the attributes its value holds); RFC 7644 §3.5.1 (a PUT stores what it sends)"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertKnownValues(ctx, u)
	}))
	sc.Step(`^the target's userName for "([^"]*)" is exactly the (?:Okta username|Entra userPrincipalName)$`, okta("Okta SCIM 2.0 spec test step 6 (userName returned as sent)"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertUserString(ctx, u, "userName", u.userName)
	}))
	sc.Step(`^the target has exactly one user matching "([^"]*)" in any case$`, must("RFC 7643 §4.1.1 (userName unique, caseExact false); SPEC §1.3"), onUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.filter(ctx, fmt.Sprintf("userName co %q", u.suffix)); err != nil {
			return err
		}
		n := 0
		for _, r := range gjson.Get(w.lastBody(), "Resources.#.userName").Array() {
			if strings.EqualFold(r.String(), u.userName) {
				n++
			}
		}
		if n != 1 {
			return w.failLast(fmt.Sprintf("exactly one user %s in any case (SPEC §1.3: unique case-insensitively)", u.userName), fmt.Sprintf("%d", n))
		}
		return nil
	}))
	sc.Step(`^the target has no user "([^"]*)"$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.filter(ctx, fmt.Sprintf("userName eq %q", u.userName)); err != nil {
			return err
		}
		return w.assertInt(w.lastBody(), "totalResults", 0)
	}))
	sc.Step(`^the target shows "([^"]*)" with (given name "[^"]*"(?: and family name "[^"]*")?|family name "[^"]*")$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, spec string) error {
		body, err := w.read(ctx, u)
		if err != nil {
			return err
		}
		vals := quoted.FindAllStringSubmatch(spec, -1)
		paths := []string{"name.givenName", "name.familyName"}
		if strings.HasPrefix(spec, "family") {
			paths = paths[1:]
		}
		for i, v := range vals {
			if err := w.assertString(body, paths[i], v[1]); err != nil {
				return err
			}
		}
		return nil
	}))
	sc.Step(`^the target's user "([^"]*)" has "([^"]*)" equal to "([^"]*)"$`, ScenarioRule, onUserWith2(func(ctx context.Context, w *World, u *user, path, want string) error {
		return w.assertUserString(ctx, u, path, want)
	}))
	sc.Step(`^the target's user "([^"]*)" has externalId equal to the Okta user id$`, must("RFC 7643 §3.1 (externalId is issued by the client); SPEC §1.3"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertUserString(ctx, u, "externalId", u.oktaID)
	}))
	sc.Step(`^the target's user "([^"]*)" has no "([^"]*)"$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, path string) error {
		body, err := w.read(ctx, u)
		if err != nil {
			return err
		}
		if v := gjson.Get(body, path); v.Exists() {
			return w.failLast(fmt.Sprintf("no %q in the user", path), v.Raw)
		}
		return nil
	}))
	sc.Step(`^the target still has "([^"]*)"'s original userName and email$`, must("SPEC §1.3 (only the names can change)"), onUser(func(ctx context.Context, w *World, u *user) error {
		body, err := w.read(ctx, u)
		if err != nil {
			return err
		}
		if err := w.assertString(body, "userName", u.origUserName); err != nil {
			return err
		}
		for _, e := range gjson.Get(body, "emails.#.value").Array() {
			if !strings.EqualFold(e.String(), u.origEmail) {
				return w.failLast(fmt.Sprintf("only the email %s (SPEC §1.3: the email cannot change)", u.origEmail), gjson.Get(body, "emails").Raw)
			}
		}
		return nil
	}))
}

// assertKnownValues reads the user over SCIM and checks its userName,
// primary email and names are the ones the scenario gave it.
func (w *World) assertKnownValues(ctx context.Context, u *user) error {
	body, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	for path, want := range map[string]string{"userName": u.userName, "emails.#(primary==true).value": u.email,
		"name.givenName": u.given, "name.familyName": u.family} {
		if err := w.assertString(body, path, want); err != nil {
			return err
		}
	}
	return nil
}

// assertActive reads the user over SCIM and checks active.
func (w *World) assertActive(ctx context.Context, u *user, want bool) error {
	body, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	return w.assertBool(body, "active", want)
}

// assertUserString reads the user over SCIM and checks one string at path.
func (w *World) assertUserString(ctx context.Context, u *user, path, want string) error {
	body, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	return w.assertString(body, path, want)
}

// assertList compares the list a probe about u picks with want, ignoring
// order and case.
func (w *World) assertList(ctx context.Context, u *user, name target.ProbeName, want []string, what string) error {
	res, err := w.probeUser(ctx, u, name, nil)
	if err != nil {
		return err
	}
	if got := pickedNames(res.Picked); normNames(got) != normNames(want) {
		return w.fail(fmt.Sprintf("%s %s: %v", u.email, what, want), fmt.Sprint(got), w.lastProbeExchange(), "", "")
	}
	return nil
}

// pickedNames is a probe's picked array as strings.
func pickedNames(picked gjson.Result) []string {
	var got []string
	for _, v := range picked.Array() {
		got = append(got, v.String())
	}
	return got
}

// normNames is a list of names as a set: trimmed, lower case, sorted,
// without repeats, joined with commas.
func normNames(s []string) string {
	c := make([]string, len(s))
	for i, v := range s {
		c[i] = strings.ToLower(strings.TrimSpace(v))
	}
	sort.Strings(c)
	return strings.Join(slices.Compact(c), ",")
}

// lastProbeExchange is the scenario's last recorded exchange (a probe's).
func (w *World) lastProbeExchange() *reports.Exchange {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.exchanges) == 0 {
		return nil
	}
	ex := w.exchanges[len(w.exchanges)-1]
	return &ex
}
