package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
	"github.com/scimulator/scimulator/simulator/entra"
)

// The Entra driver (issue 10): the same target-side assertions as the
// Okta scenarios, with the simulated Entra ID provisioning service making
// the requests. Admin actions change the tenant; "the Entra provisioning
// cycle runs" (or provision on demand) sends the requests.

// entraState is the Entra side of a scenario's World.
type entraState struct {
	tenant *entra.Tenant
	mode   entra.Mode
	token  string
	conn   *entra.ConnectionResult
	// logs is the last provisioning log entry per user alias; from is the
	// transcript Seq before the last cycle.
	logs map[string]entra.LogEntry
	from int
	// groups are the ids of the Entra groups the scenario made; groupsOn
	// is "Provision Microsoft Entra ID Groups"; groupLog the last log
	// entry about a group.
	groups     []string
	groupNames []string // the groups' display names, in the order of groups
	groupsOn   bool
	scope      entra.Scope
	groupLog   *entra.LogEntry
	// legacyRemove: legacy Entra removed group members its own way (op
	// Remove, path members, the members as a value list), so the group's
	// read-back is judged by what Entra means by it, not by the RFC.
	legacyRemove bool
}

// needTenant is a scenario error unless an earlier step made the tenant.
func (w *World) needTenant() error {
	if w.entra == nil || w.entra.tenant == nil {
		return fmt.Errorf("scenario error: no Entra tenant (add \"Given an Entra tenant with the app connected\")")
	}
	return nil
}

// configureEntra (re)configures the tenant's enterprise app.
func (w *World) configureEntra() error {
	err := w.entra.tenant.ConfigureApp(entra.AppConfig{Name: "SCIM app", TenantURL: w.conn.baseURL, SecretToken: w.entra.token,
		Mode: w.entra.mode, ProvisionGroups: w.entra.groupsOn, Scope: w.entra.scope,
		InsecureSkipVerify: w.suite.profile.TLS.InsecureSkipVerify, ExtraHeaders: w.extraHeaders})
	if err != nil {
		return fmt.Errorf("configure the Entra app: %w", err)
	}
	return nil
}

// entraUser adds the alias to the tenant once: userPrincipalName and mail
// are the scenario's userName and email, mailNickname its local part.
func (w *World) entraUser(alias string) (*user, error) {
	if err := w.needTenant(); err != nil {
		return nil, err
	}
	u := w.userFor(alias)
	if u.entraID == "" {
		eu := w.entra.tenant.AddUser(entra.User{UserPrincipalName: u.userName, Mail: u.email, MailNickname: u.local,
			GivenName: u.given, Surname: u.family, DisplayName: u.given + " " + u.family, AccountEnabled: true})
		u.entraID = eu.ID
	}
	return u, nil
}

// entraCycle runs the initial cycle the first time, incremental ones
// after, and remembers each user's log entry and SCIM id.
func (w *World) entraCycle(ctx context.Context) error {
	t := w.entra.tenant
	w.entra.from = t.Transcript().LastSeq()
	var res entra.CycleResult
	var err error
	if t.Job().Status == entra.JobNotStarted {
		res, err = t.StartProvisioning(ctx)
	} else {
		res, err = t.RunCycle(ctx)
	}
	if err != nil {
		return fmt.Errorf("entra provisioning cycle: %w", err)
	}
	for _, e := range res.Entries {
		w.noteEntra(e)
	}
	return nil
}

// noteEntra records a log entry against the user (or group) it is about.
func (w *World) noteEntra(e entra.LogEntry) {
	if e.ObjectType == "Group" {
		w.entra.groupLog = &e
		return
	}
	for _, u := range w.users {
		if u.entraID != "" && u.entraID == e.SourceID {
			u.opFrom = w.entra.from
			w.entra.logs[u.alias] = e
			if id := w.entra.tenant.SCIMID(u.entraID); id != "" {
				if u.firstSCIMID == "" {
					u.firstSCIMID = id
				}
				u.scimID = id
			}
		}
	}
}

// entraExchanges are the tenant's exchanges about u since its last cycle.
func (w *World) entraExchanges(u *user) []simulator.Exchange {
	var out []simulator.Exchange
	for _, e := range w.entra.tenant.Transcript().Since(u.opFrom) {
		if e.Subject == u.userName {
			out = append(out, e)
		}
	}
	return out
}

// lastEntraExchange is u's last exchange, redacted, for a failure record.
func (w *World) lastEntraExchange(u *user) *reports.Exchange {
	exs := w.entraExchanges(u)
	if len(exs) == 0 {
		return nil
	}
	ex := w.redact(toReport(exs[len(exs)-1]))
	return &ex
}

func entraBasis(id entra.MessageID) reports.Basis {
	if m, ok := entra.LookupMessage(id); ok && m.Provenance != simulator.Inferred {
		return reports.BasisDocumented
	}
	return reports.BasisInferred
}

// entraLog returns u's last log entry, or a scenario error.
func (w *World) entraLog(u *user) (entra.LogEntry, error) {
	e, ok := w.entra.logs[u.alias]
	if !ok {
		return e, w.fail(fmt.Sprintf("a provisioning log entry for %s", u.userName), "none (no cycle evaluated the user)", nil, "", "")
	}
	return e, nil
}

// onEntraUser binds a step whose first argument is an Entra user's alias.
func onEntraUser(fn userFunc) func(context.Context, string) error {
	return byAlias((*World).entraUser, fn)
}

func onEntraUserWith[A any](fn func(ctx context.Context, w *World, u *user, a A) error) func(context.Context, string, A) error {
	return func(ctx context.Context, alias string, a A) error {
		return onEntraUser(func(ctx context.Context, w *World, u *user) error { return fn(ctx, w, u, a) })(ctx, alias)
	}
}

// onTenant binds a step without arguments that needs the tenant.
func onTenant(fn func(ctx context.Context, w *World) error) func(context.Context) error {
	return func(ctx context.Context) error {
		w := worldFrom(ctx)
		if err := w.needTenant(); err != nil {
			return err
		}
		return fn(ctx, w)
	}
}

// entraChange changes the Entra user (nothing is sent until a cycle).
func entraChange(change func(u *user, eu *entra.User)) func(context.Context, string) error {
	return onEntraUser(func(ctx context.Context, w *World, u *user) error {
		return w.entra.tenant.UpdateUser(u.entraID, func(eu *entra.User) { change(u, eu) })
	})
}

// entraGUIDFilter matches Test Connection's query (form-encoded).
var entraGUIDFilter = regexp.MustCompile(`/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}%22$`)

func registerEntraSteps(sc stepDefs) {
	sc.Step(`^an Entra tenant with the app connected$`, ScenarioRule, func(ctx context.Context) error {
		w := worldFrom(ctx)
		if w.conn.auth.Mode != target.AuthBearer {
			// Documented: Entra sends the Secret Token as a bearer token.
			return w.skip(reports.StatusNotSupported, fmt.Sprintf("Entra ID sends only a bearer token; the target's auth mode is %q", w.conn.auth.Mode))
		}
		w.entra = &entraState{tenant: entra.NewTenant(entra.Options{Transport: w.conn.client.Transport}), mode: entra.ModeCompliant,
			token: w.conn.auth.Secret, logs: map[string]entra.LogEntry{}}
		return w.configureEntra()
	})
	sc.Step(`^the Entra app uses the (compliant|legacy) SCIM behaviour$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		w.entra.mode = entra.ModeCompliant
		if strings.Contains(w.stepText, "legacy") {
			w.entra.mode = entra.ModeLegacy
		}
		return w.configureEntra()
	}))
	sc.Step(`^the Entra app's secret token is replaced by an unknown token$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		w.entra.token = "unknown-token-" + w.suffix
		return w.configureEntra()
	}))
	sc.Step(`^Entra calls from "([^"]*)"$`, ScenarioRule, func(ctx context.Context, ip string) error {
		w := worldFrom(ctx)
		if err := w.needTenant(); err != nil {
			return err
		}
		w.extraHeaders.Set(w.clientIPHeader(), ip)
		return w.configureEntra()
	})
	sc.Step(`^the Entra admin clicks "Test Connection"$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		res, err := w.entra.tenant.TestConnection(ctx)
		if err != nil {
			return fmt.Errorf("entra test connection: %w", err)
		}
		w.entra.conn = &res
		return nil
	}))
	sc.Step(`^Entra says the connection test succeeded$`, okta("Microsoft SCIM endpoint tutorial: Test Connection wants 200 OK and an empty ListResponse for userName eq a random GUID"), onTenant(func(ctx context.Context, w *World) error {
		if c := w.entra.conn; c == nil || !c.OK {
			return w.failEntraConn("Test Connection to succeed (200 and an empty ListResponse for a random GUID)")
		}
		return nil
	}))
	sc.Step(`^Entra says "([^"]*)"$`, ScenarioRule, func(ctx context.Context, want string) error {
		w := worldFrom(ctx)
		if err := w.needTenant(); err != nil {
			return err
		}
		if c := w.entra.conn; c == nil || !strings.Contains(c.Message, want) {
			return w.failEntraConn(fmt.Sprintf("Entra to say %q", want))
		}
		return nil
	})
	sc.Step(`^Entra's Test Connection filtered userName on a random GUID$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		for _, e := range w.entra.tenant.Transcript().Exchanges {
			if e.Operation == entra.OpTestConnection && e.Request.Method == http.MethodGet &&
				entraGUIDFilter.MatchString(e.Request.URL) {
				return nil
			}
		}
		return w.fail("GET /Users?filter=userName eq \"<GUID>\" (Microsoft's SCIM tutorial)", "no such request", w.lastOktaExchange(), "", "")
	}))
	sc.Step(`^an Entra user "([^"]*)"$`, ScenarioRule, func(ctx context.Context, alias string) error {
		_, err := worldFrom(ctx).entraUser(alias)
		return err
	})
	sc.Step(`^the Entra admin assigns the app to "([^"]*)"$`, ScenarioRule, onEntraUser(func(ctx context.Context, w *World, u *user) error {
		return w.entra.tenant.Assign(u.entraID)
	}))
	sc.Step(`^"([^"]*)" is assigned the Entra app and provisioned$`, okta("Microsoft SCIM endpoint tutorial: Get User by query, then Create User (201 with an id)"), onEntraUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.entra.tenant.Assign(u.entraID); err != nil {
			return err
		}
		if err := w.entraCycle(ctx); err != nil {
			return err
		}
		return w.assertEntraLog(u, entra.StatusSuccess, entra.ActionCreate, "")
	}))
	sc.Step(`^the Entra admin unassigns the app from "([^"]*)"$`, ScenarioRule, onEntraUser(func(ctx context.Context, w *World, u *user) error {
		return w.entra.tenant.Unassign(u.entraID)
	}))
	sc.Step(`^the Entra provisioning cycle runs$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		return w.entraCycle(ctx)
	}))
	sc.Step(`^the Entra provisioning cycle runs (\d+) times$`, ScenarioRule, func(ctx context.Context, n int) error {
		w := worldFrom(ctx)
		if err := w.needTenant(); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := w.entraCycle(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	sc.Step(`^the Entra admin provisions "([^"]*)" on demand$`, ScenarioRule, onEntraUser(func(ctx context.Context, w *World, u *user) error {
		w.entra.from = w.entra.tenant.Transcript().LastSeq()
		e, err := w.entra.tenant.ProvisionOnDemand(ctx, u.entraID)
		if err != nil {
			return fmt.Errorf("entra provision on demand: %w", err)
		}
		w.noteEntra(e)
		return nil
	}))
	sc.Step(`^the Entra admin changes "([^"]*)"'s surname to "([^"]*)"$`, ScenarioRule, onEntraUserWith(func(ctx context.Context, w *World, u *user, family string) error {
		return w.entra.tenant.UpdateUser(u.entraID, func(eu *entra.User) { eu.Surname = family })
	}))
	sc.Step(`^the Entra admin changes "([^"]*)"'s mailNickname to "([^"]*)"$`, ScenarioRule, onEntraUserWith(func(ctx context.Context, w *World, u *user, nick string) error {
		return w.entra.tenant.UpdateUser(u.entraID, func(eu *entra.User) { eu.MailNickname = nick })
	}))
	sc.Step(`^the Entra admin changes "([^"]*)"'s mail to a new address$`, ScenarioRule, entraChange(func(u *user, eu *entra.User) {
		eu.Mail = "changed." + u.local + "@example.com"
	}))
	sc.Step(`^the Entra admin (disables|enables) "([^"]*)"$`, ScenarioRule, func(ctx context.Context, what, alias string) error {
		return entraChange(func(_ *user, eu *entra.User) { eu.AccountEnabled = what == "enables" })(ctx, alias)
	})
	sc.Step(`^the Entra admin (deletes|restores) "([^"]*)"$`, ScenarioRule, func(ctx context.Context, what, alias string) error {
		return onEntraUser(func(ctx context.Context, w *World, u *user) error {
			if what == "deletes" {
				return w.entra.tenant.SoftDelete(u.entraID)
			}
			return w.entra.tenant.Restore(u.entraID)
		})(ctx, alias)
	})
	sc.Step(`^"([^"]*)" is permanently deleted in Entra$`, ScenarioRule, onEntraUser(func(ctx context.Context, w *World, u *user) error {
		return w.entra.tenant.HardDelete(u.entraID)
	}))
	sc.Step(`^the Entra group "([^"]*)" with "([^"]*)" and "([^"]*)" is assigned to the app$`, ScenarioRule, func(ctx context.Context, name, a, b string) error {
		w := worldFrom(ctx)
		ua, err := w.entraUser(a)
		if err != nil {
			return err
		}
		ub, err := w.entraUser(b)
		if err != nil {
			return err
		}
		g, err := w.entra.tenant.AddGroup(name+" "+w.suffix, ua.entraID, ub.entraID)
		if err != nil {
			return err
		}
		w.entra.groups = append(w.entra.groups, g.ID)
		w.entra.groupNames = append(w.entra.groupNames, g.DisplayName)
		return w.entra.tenant.Assign(g.ID)
	})
	sc.Step(`^the Entra app syncs all users and groups$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		w.entra.scope = entra.ScopeAll
		return w.configureEntra()
	}))
	sc.Step(`^an Entra user "([^"]*)" in the department "([^"]*)"$`, ScenarioRule, onEntraUserWith(func(ctx context.Context, w *World, u *user, dept string) error {
		return w.entra.tenant.UpdateUser(u.entraID, func(eu *entra.User) { eu.Department, eu.EmployeeID = dept, "E-"+u.suffix })
	}))
	sc.Step(`^the Entra admin moves "([^"]*)" to the department "([^"]*)"$`, ScenarioRule, onEntraUserWith(func(ctx context.Context, w *World, u *user, dept string) error {
		return w.entra.tenant.UpdateUser(u.entraID, func(eu *entra.User) { eu.Department = dept })
	}))
	sc.Step(`^Entra's requests for "([^"]*)" carried the enterprise extension$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		for _, e := range w.entra.tenant.Transcript().Exchanges {
			if e.Subject == u.userName && (e.Request.Method == http.MethodPost || e.Request.Method == http.MethodPatch) &&
				strings.Contains(string(e.Request.Body), "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") {
				return nil
			}
		}
		return w.fail("a create or PATCH carrying the enterprise extension (Entra's default mappings)", strings.Join(methodsOf(w.entraExchanges(u)), ", "), w.lastEntraExchange(u), "", "")
	}))
	sc.Step(`^the Entra app provisions groups$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		w.entra.groupsOn = true
		return w.configureEntra()
	}))
	sc.Step(`^Entra sent no /Groups request$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		for _, e := range w.entra.tenant.Transcript().Exchanges {
			if strings.Contains(pathAfterBase(e.Request.URL), "/Groups") {
				ex := w.redact(toReport(e))
				return w.fail("no /Groups traffic while \"Provision Microsoft Entra ID Groups\" is off", e.Request.Method+" "+pathAfterBase(e.Request.URL), &ex, "", "")
			}
		}
		return nil
	}))
	sc.Step(`^Entra looked the group up by displayName, then tried to create it$`, ScenarioRule, onTenant(func(ctx context.Context, w *World) error {
		var seq []string
		for _, e := range w.entra.tenant.Transcript().Since(w.entra.from) {
			if p := pathAfterBase(e.Request.URL); strings.HasPrefix(p, "/Groups") {
				seq = append(seq, e.Request.Method+" "+p)
			}
		}
		if len(seq) < 2 || !strings.HasPrefix(seq[0], "GET /Groups?excludedAttributes=members&filter=displayName+eq+") || seq[1] != "POST /Groups" {
			return w.fail("GET /Groups?excludedAttributes=members&filter=displayName eq … then POST /Groups (tutorial, \"Get Group by displayName\", \"Create Group\")",
				strings.Join(seq, ", "), w.lastOktaExchange(), "", "")
		}
		return nil
	}))
	sc.Step(`^Entra's provisioning log for the group shows (Success|Failure)(?: for (Create|Update|Delete))?$`, ScenarioRule, func(ctx context.Context, status, action string) error {
		return onTenant(func(ctx context.Context, w *World) error {
			e := w.entra.groupLog
			if want, got, ok := groupLogMatches(e, entra.Status(status), entra.Action(action)); !ok {
				if reason := groupCreateRefused(w.entra.tenant.Transcript().Since(w.entra.from)); reason != "" && status == string(entra.StatusSuccess) {
					return w.skip(reports.StatusNotSupported, reason)
				}
				var msg string
				var basis reports.Basis
				if e != nil {
					msg, basis = e.Message, entraBasis(e.MessageID)
				}
				return w.fail(want, got, w.lastOktaExchange(), msg, basis)
			}
			return nil
		})(ctx)
	})
	sc.Step(`^the Entra admin removes "([^"]*)" from the group$`, ScenarioRule, onEntraUser(func(ctx context.Context, w *World, u *user) error {
		if len(w.entra.groups) == 0 {
			return fmt.Errorf("scenario error: no Entra group (add \"the Entra group … is assigned to the app\")")
		}
		return w.entra.tenant.RemoveMember(w.entra.groups[0], u.entraID)
	}))

	// Outcomes as the Entra admin sees them, and Entra's requests.
	sc.Step(`^Entra's provisioning log for "([^"]*)" shows (Success|Failure|Skipped)(?: for (Create|Update|Disable|Delete))?$`, ScenarioRule, func(ctx context.Context, alias, status, action string) error {
		return onUser(func(ctx context.Context, w *World, u *user) error {
			return w.assertEntraLog(u, entra.Status(status), entra.Action(action), "")
		})(ctx, alias)
	})
	sc.Step(`^Entra's provisioning log for "([^"]*)" shows Failure with "([^"]*)"$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, want string) error {
		return w.assertEntraLog(u, entra.StatusFailure, "", want)
	}))
	sc.Step(`^Entra checked whether "([^"]*)" exists before creating it$`, okta("Microsoft SCIM endpoint tutorial: Get User by query, then Create User"), onUser(func(ctx context.Context, w *World, u *user) error {
		seq := methodsOf(w.entraExchanges(u))
		if len(seq) < 2 || !strings.HasPrefix(seq[0], "GET /Users?filter=userName+eq+") || seq[1] != "POST /Users" {
			return w.fail("GET /Users?filter=userName eq … then POST /Users (Microsoft's SCIM tutorial)", strings.Join(seq, ", "), w.lastEntraExchange(u), "", "")
		}
		return nil
	}))
	sc.Step(`^Entra did not create "([^"]*)"$`, okta("Microsoft SCIM endpoint tutorial: a user matched by userName is updated, not created"), onUser(func(ctx context.Context, w *World, u *user) error {
		for _, e := range w.entraExchanges(u) {
			if e.Request.Method == http.MethodPost {
				ex := w.redact(toReport(e))
				return w.fail("Entra to match the existing user by userName, not POST a new one", fmt.Sprintf("POST answered %d", ex.Status), &ex, "", "")
			}
		}
		return nil
	}))
	sc.Step(`^Entra sent nothing for "([^"]*)"$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		if seq := methodsOf(w.entraExchanges(u)); len(seq) > 0 {
			return w.fail(fmt.Sprintf("no request about %s", u.userName), strings.Join(seq, ", "), w.lastEntraExchange(u), "", "")
		}
		return nil
	}))
	sc.Step(`^Entra (disabled|enabled) "([^"]*)" with PATCH active (true|false|"True"|"False")$`, ScenarioRule, func(ctx context.Context, what, alias, val string) error {
		return onUser(func(ctx context.Context, w *World, u *user) error { return w.assertEntraActivePatch(u, val) })(ctx, alias)
	})
	sc.Step(`^Entra updated "([^"]*)" with (lower-case|capitalised) PATCH ops$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, style string) error {
		for _, e := range w.entraExchanges(u) {
			if e.Request.Method != http.MethodPatch {
				continue
			}
			for _, op := range gjson.GetBytes(e.Request.Body, "Operations.#.op").Array() {
				s := op.String()
				if (style == "lower-case") != (s == strings.ToLower(s)) {
					ex := w.redact(toReport(e))
					return w.fail(fmt.Sprintf("%s PATCH ops (known-issues page)", style), fmt.Sprintf("op %q", s), &ex, "", "")
				}
			}
			return nil
		}
		return w.fail("a PATCH from Entra", strings.Join(methodsOf(w.entraExchanges(u)), ", "), w.lastEntraExchange(u), "", "")
	}))
	sc.Step(`^Entra deleted "([^"]*)" with DELETE$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		for _, e := range w.entraExchanges(u) {
			if e.Request.Method == http.MethodDelete && strings.HasSuffix(pathAfterBase(e.Request.URL), "/Users/"+u.firstSCIMID) {
				return nil
			}
		}
		return w.fail("DELETE /Users/"+u.firstSCIMID+" (tutorial, \"Delete User\")", strings.Join(methodsOf(w.entraExchanges(u)), ", "), w.lastEntraExchange(u), "", "")
	}))
	sc.Step(`^the target refused Entra's request for "([^"]*)" with (\d+) and scimType "([^"]*)"$`, ScenarioRule, func(ctx context.Context, alias string, status int, scimType string) error {
		return onUser(func(ctx context.Context, w *World, u *user) error {
			ex := w.lastEntraExchange(u)
			if ex == nil || ex.Status != status || gjson.Get(ex.ResponseBody, "scimType").String() != scimType {
				got := "no exchange"
				if ex != nil {
					got = fmt.Sprintf("%d with scimType %s", ex.Status, orMissing(gjson.Get(ex.ResponseBody, "scimType")))
				}
				e := w.entra.logs[u.alias]
				return w.fail(fmt.Sprintf("%d with scimType %q", status, scimType), got, ex, e.Message, entraBasis(e.MessageID))
			}
			return nil
		})(ctx, alias)
	})
	sc.Step(`^the Entra provisioning job is in quarantine$`, okta("Microsoft \"Application provisioning in quarantine status\": most calls failing consistently quarantine the job"), onTenant(func(ctx context.Context, w *World) error {
		j := w.entra.tenant.Job()
		if j.Status != entra.JobQuarantined || j.Quarantine == nil {
			return w.fail("the job in quarantine after repeated failures (Microsoft: \"Application provisioning in quarantine status\")",
				fmt.Sprintf("job %s after %d cycles, %d failing in a row", j.Status, j.Cycles, j.FailingCycles), w.lastOktaExchange(), "", "")
		}
		return nil
	}))
	sc.Step(`^the target's user "([^"]*)" has externalId equal to the Entra mailNickname$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertUserString(ctx, u, "externalId", u.local)
	}))
	sc.Step(`^Entra pushed the group with "([^"]*)" and "([^"]*)" as members$`, ScenarioRule, func(ctx context.Context, a, b string) error {
		return worldFrom(ctx).assertEntraMembers(ctx, []string{a, b}, nil)
	})
	sc.Step(`^Entra removed "([^"]*)" from the group$`, ScenarioRule, func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		if err := w.assertEntraMembers(ctx, nil, []string{alias}); err != nil {
			return err
		}
		w.entra.legacyRemove = w.entra.mode == entra.ModeLegacy
		return nil
	})
}

// failEntraConn fails with the Test Connection outcome as the admin sees it.
func (w *World) failEntraConn(expected string) error {
	got, msg := "Test Connection was not run", ""
	var basis reports.Basis
	if c := w.entra.conn; c != nil {
		got = fmt.Sprintf("HTTP %d, notification %q", c.Status, c.Message)
		msg, basis = c.Message, entraBasis(c.MessageID)
	}
	return w.fail(expected, got, w.lastOktaExchange(), msg, basis)
}

// assertEntraLog checks u's last provisioning log entry.
func (w *World) assertEntraLog(u *user, status entra.Status, action entra.Action, contains string) error {
	e, err := w.entraLog(u)
	if err != nil {
		return err
	}
	want := string(status)
	if action != "" {
		want += " for " + string(action)
	}
	if contains != "" {
		want += fmt.Sprintf(" saying %q", contains)
	}
	if e.Status != status || (action != "" && e.Action != action) || !strings.Contains(e.Message, contains) {
		return w.fail(fmt.Sprintf("Entra's provisioning log for %s to show %s", u.userName, want),
			fmt.Sprintf("%s for %s: %q", e.Status, e.Action, e.Message), w.lastEntraExchange(u), e.Message, entraBasis(e.MessageID))
	}
	return nil
}

// groupLogMatches says whether the group's last log entry shows status
// (for action, when given). An expected Failure must be the target's answer:
// a request that got none (a timeout, a dropped connection) is not the
// refusal the scenario describes, so a server that hangs does not pass.
func groupLogMatches(e *entra.LogEntry, status entra.Status, action entra.Action) (want, got string, ok bool) {
	want = fmt.Sprintf("the group's log entry to show %s", status)
	if action != "" {
		want += " for " + string(action)
	}
	if status == entra.StatusFailure {
		want += " with the target's HTTP answer"
	}
	if e == nil {
		return want, "no log entry for a group", false
	}
	got = fmt.Sprintf("%s for %s: %q", e.Status, e.Action, e.Message)
	unanswered := e.MessageID == entra.MsgLogTransport
	if unanswered {
		got += " (the target never answered)"
	}
	ok = e.Status == status && (action == "" || e.Action == action) && !unanswered
	return want, got, ok
}

// assertEntraActivePatch checks that u's exchanges hold a PATCH setting
// active to val, as written in the feature: a JSON boolean (compliant) or
// the quoted string legacy Entra sends.
func (w *World) assertEntraActivePatch(u *user, val string) error {
	for _, e := range w.entraExchanges(u) {
		if e.Request.Method != http.MethodPatch {
			continue
		}
		for _, op := range gjson.GetBytes(e.Request.Body, "Operations").Array() {
			if strings.EqualFold(op.Get("path").String(), "active") && op.Get("value").Raw == val {
				return nil
			}
		}
	}
	return w.fail(fmt.Sprintf("a PATCH with path active and value %s (known-issues page)", val), strings.Join(methodsOf(w.entraExchanges(u)), ", "), w.lastEntraExchange(u), "", "")
}

// assertEntraMembers checks the group PATCHes Entra sent: members added
// (by the users' SCIM ids) and members removed, in the mode's shape.
func (w *World) assertEntraMembers(ctx context.Context, added, removed []string) error {
	if err := w.needTenant(); err != nil {
		return err
	}
	var bodies []string
	for _, e := range w.entra.tenant.Transcript().Since(w.entra.from) {
		if e.Request.Method == http.MethodPatch && strings.Contains(e.Request.URL, "/Groups/") {
			bodies = append(bodies, string(e.Request.Body))
		}
	}
	all := strings.Join(bodies, "\n")
	for _, list := range [][]string{added, removed} {
		for _, alias := range list {
			u, err := w.known(alias)
			if err != nil {
				return err
			}
			if u.scimID == "" || !strings.Contains(all, u.scimID) {
				return w.fail(fmt.Sprintf("a group PATCH naming %s's SCIM id %q", u.userName, u.scimID), fmt.Sprintf("%d group PATCHes: %s", len(bodies), trim(all, 300)), w.lastOktaExchange(), "", "")
			}
		}
	}
	return nil
}
