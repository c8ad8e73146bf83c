package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
)

// oktaIP is Okta's simulated egress address for allowlist scenarios
// (TEST-NET-3, RFC 5737), outside any allowlist the scenarios set.
const oktaIP = "203.0.113.9"

// configureApp (re)configures the org's app from the World.
func (w *World) configureApp() error {
	mode := simulator.AuthBearer
	switch w.conn.auth.Mode {
	case target.AuthHeader:
		mode = simulator.AuthHeader
	case target.AuthBasic:
		mode = simulator.AuthBasic
	}
	auth := w.appAuth
	auth.Mode = mode
	if mode == simulator.AuthBasic {
		auth.Username, auth.Password = w.conn.auth.Username, auth.Secret
	}
	err := w.org.ConfigureApp(simulator.AppConfig{
		Name:               "SCIM app",
		BaseURL:            w.conn.baseURL,
		Auth:               auth,
		Profile:            simulator.TrafficProfile(w.traffic),
		Provisioning:       w.provisioning,
		CoreMappings:       w.coreMappings,
		AllowHTTP:          true, // the run command already refused http without --allow-http
		InsecureSkipVerify: w.suite.profile.TLS.InsecureSkipVerify,
		ExtraHeaders:       w.extraHeaders,
		Timeout:            w.suite.timeout,
	})
	if err != nil {
		return fmt.Errorf("configure the Okta app: %w", err)
	}
	return nil
}

// needImport is a scenario error unless an import ran.
func (w *World) needImport() error {
	if w.imported == nil {
		return fmt.Errorf("scenario error: no import ran (add \"When the admin imports users from the app\")")
	}
	return nil
}

// needOrg is a scenario error unless an earlier step made the Okta org.
func (w *World) needOrg() error {
	if w.org == nil {
		return fmt.Errorf("scenario error: no Okta org (add \"Given an Okta org with the app connected\")")
	}
	return nil
}

// oktaUser adds the alias to the Okta org once.
func (w *World) oktaUser(alias string) (*user, error) {
	if err := w.needOrg(); err != nil {
		return nil, err
	}
	u := w.userFor(alias)
	if u.oktaID == "" {
		ou := w.org.AddUser(u.oktaProfile())
		u.oktaID = ou.ID
	}
	return u, nil
}

// oktaProfile is u's Okta profile as the scenario last set it.
func (u *user) oktaProfile() simulator.Profile {
	return simulator.Profile{Login: u.userName, Email: u.email, FirstName: u.given, LastName: u.family, NickName: u.nick}
}

// oktaOp runs one Okta operation for a user, remembers the result and the
// SCIM id Okta linked, and marks where its traffic starts.
func (w *World) oktaOp(u *user, op func(string) (simulator.Result, error)) error {
	from := w.org.Transcript().LastSeq()
	res, err := op(u.oktaID)
	if err != nil {
		return fmt.Errorf("okta operation for %s: %w", u.userName, err)
	}
	w.results[u.alias] = res
	w.opFrom(u, from)
	if au, ok := w.org.AppUser(u.oktaID); ok && au.SCIMID != "" {
		if u.firstSCIMID == "" {
			u.firstSCIMID = au.SCIMID
		}
		u.scimID = au.SCIMID
	}
	return nil
}

func (w *World) opFrom(u *user, seq int) { u.opFrom = seq }

// assign assigns the app to u in Okta, which provisions u.
func (w *World) assign(ctx context.Context, u *user) error {
	return w.oktaOp(u, func(id string) (simulator.Result, error) { return w.org.Assign(ctx, id) })
}

// oktaExchanges returns the Okta exchanges about u since its last operation.
func (w *World) oktaExchanges(u *user) []simulator.Exchange {
	var out []simulator.Exchange
	for _, e := range w.org.Transcript().Since(u.opFrom) {
		if e.Subject == u.userName || (u.scimID != "" && strings.Contains(e.Request.URL, "/Users/"+u.scimID)) {
			out = append(out, e)
		}
	}
	return out
}

// toReport converts a simulator exchange (already redacted by the
// simulator) into the record's form.
func toReport(e simulator.Exchange) reports.Exchange {
	ex := reports.Exchange{Operation: string(e.Operation), Started: e.Started, Method: e.Request.Method, URL: e.Request.URL,
		RequestHeaders: e.Request.Header, RequestBody: string(e.Request.Body), Duration: e.Duration, Error: e.Error}
	if e.Step != "" {
		ex.Operation += ": " + e.Step
	}
	if e.Response != nil {
		ex.Status, ex.ResponseHeaders, ex.ResponseBody = e.Response.Status, e.Response.Header, string(e.Response.Body)
	}
	return ex
}

// appendOktaExchanges adds the org's (or the Entra tenant's) transcript to
// the scenario record.
func (w *World) appendOktaExchanges() {
	for _, t := range w.idpTranscripts() {
		for _, e := range t.Exchanges {
			w.record(w.redact(toReport(e)))
		}
	}
}

// idpTranscripts are the transcripts of the simulated identity providers
// the scenario made.
func (w *World) idpTranscripts() []*simulator.Transcript {
	var out []*simulator.Transcript
	if w.org != nil {
		out = append(out, w.org.Transcript())
	}
	if w.entra != nil && w.entra.tenant != nil {
		out = append(out, w.entra.tenant.Transcript())
	}
	return out
}

// failingExchange is the last Okta exchange of u's operation, the one whose
// answer decided the outcome.
func (w *World) failingExchange(u *user) *reports.Exchange {
	exs := w.oktaExchanges(u)
	if len(exs) == 0 {
		return nil
	}
	ex := w.redact(toReport(exs[len(exs)-1]))
	return &ex
}

func basisOf(id simulator.MessageID) reports.Basis {
	if m, ok := simulator.LookupMessage(id); ok && m.Provenance == simulator.Documented {
		return reports.BasisDocumented
	}
	return reports.BasisInferred
}

func registerOktaSteps(sc stepDefs) {
	sc.Step(`^an Okta org with the app connected$`, ScenarioRule, func(ctx context.Context) error {
		w := worldFrom(ctx)
		w.org = simulator.NewOrg(simulator.Options{Transport: w.conn.client.Transport})
		w.appAuth = simulator.Auth{Secret: w.conn.auth.Secret}
		w.provisioning = simulator.AllOn()
		// Group push only where the target serves groups: otherwise Test API
		// Credentials would also GET /Groups (SPEC §2.2).
		w.provisioning.PushGroups = w.suite.caps.Has(target.CapGroups)
		return w.configureApp()
	})
	sc.Step(`^the app uses the (OIN|AIW) traffic profile$`, ScenarioRule, func(ctx context.Context, tr string) error {
		w := worldFrom(ctx)
		w.traffic = target.Traffic(tr)
		if w.org == nil {
			return nil
		}
		return w.configureApp()
	})
	sc.Step(`^the app's API token is replaced by an unknown token$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		w.appAuth.Secret = "unknown-token-" + w.suffix
		return w.configureApp()
	}))
	sc.Step(`^Okta calls from "([^"]*)"$`, ScenarioRule, onOrgWith(func(ctx context.Context, w *World, ip string) error {
		w.extraHeaders.Set(w.clientIPHeader(), ip)
		return w.configureApp()
	}))
	sc.Step(`^the admin clicks "Test API Credentials"$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		res, err := w.org.TestAPICredentials(ctx)
		if err != nil {
			return fmt.Errorf("test API credentials: %w", err)
		}
		w.creds = &res
		return nil
	}))
	sc.Step(`^Okta says the credentials are valid$`, okta("Okta SCIM 2.0 guide: Test API Credentials reads GET /Users; SPEC §2.2"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		if w.creds == nil || !w.creds.OK {
			msg, basis := w.credsMessage()
			return w.fail("Test API Credentials to succeed", w.credsActual(), w.lastOktaExchange(), msg, basis)
		}
		return nil
	})
	sc.Step(`^Okta says "([^"]*)"$`, ScenarioRule, func(ctx context.Context, want string) error {
		w := worldFrom(ctx)
		if w.creds == nil || !strings.Contains(w.creds.Message, want) {
			msg, basis := w.credsMessage()
			return w.fail(fmt.Sprintf("Okta to say %q", want), w.credsActual(), w.lastOktaExchange(), msg, basis)
		}
		return nil
	})
	sc.Step(`^the target answered (\d+)$`, ScenarioRule, func(ctx context.Context, status int) error {
		w := worldFrom(ctx)
		ex := w.lastOktaExchange()
		if ex == nil || ex.Status != status {
			got := "no exchange"
			if ex != nil {
				got = fmt.Sprint(ex.Status)
			}
			return w.fail(fmt.Sprintf("the target to answer %d", status), got, ex, "", "")
		}
		return nil
	})
	sc.Step(`^the target's error detail names ((?:"[^"]*", )*"[^"]*"(?: and "[^"]*")?)$`, ScenarioRule, func(ctx context.Context, list string) error {
		w := worldFrom(ctx)
		ex := w.lastOktaExchange()
		detail := ""
		if ex != nil {
			detail = gjson.Get(ex.ResponseBody, "detail").String()
		}
		for _, m := range quoted.FindAllStringSubmatch(list, -1) {
			if !strings.Contains(detail, m[1]) {
				msg, basis := w.credsMessage()
				return w.fail(fmt.Sprintf("the SCIM error detail to name %s, so the admin knows what to fix", m[1]), fmt.Sprintf("detail %q", detail), ex, msg, basis)
			}
		}
		return nil
	})
	sc.Step(`^Okta sent "(GET|POST|PUT|PATCH) ([^"]*)"$`, ScenarioRule, func(ctx context.Context, method, pathQuery string) error {
		w := worldFrom(ctx)
		for _, e := range w.org.Transcript().Exchanges {
			if e.Request.Method == method && strings.HasSuffix(e.Request.URL, pathQuery) {
				return nil
			}
		}
		return w.fail(fmt.Sprintf("Okta to send %s %s", method, pathQuery), "no such request in the transcript", nil, "", "")
	})
	sc.Step(`^an Okta user "([^"]*)"$`, ScenarioRule, func(ctx context.Context, alias string) error {
		_, err := worldFrom(ctx).oktaUser(alias)
		return err
	})
	sc.Step(`^the admin assigns the app to "([^"]*)"$`, ScenarioRule, onOktaUser(func(ctx context.Context, w *World, u *user) error {
		return w.assign(ctx, u)
	}))
	sc.Step(`^"([^"]*)" is assigned the app and provisioned$`, okta("Okta SCIM 2.0 guide: Create users (existence check, then POST /Users answering 201)"), onOktaUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.assign(ctx, u); err != nil {
			return err
		}
		return w.assertOK(u)
	}))
	sc.Step(`^the admin unassigns the app from "([^"]*)"$`, ScenarioRule, onOktaUser(func(ctx context.Context, w *World, u *user) error {
		return w.oktaOp(u, func(id string) (simulator.Result, error) { return w.org.Unassign(ctx, id) })
	}))
	sc.Step(`^the admin deactivates "([^"]*)" in Okta$`, ScenarioRule, onOktaUser(func(ctx context.Context, w *World, u *user) error {
		return w.oktaOp(u, func(id string) (simulator.Result, error) { return w.org.DeactivateUser(ctx, id) })
	}))
	sc.Step(`^the admin reactivates "([^"]*)" in Okta and assigns the app again$`, ScenarioRule, onOktaUser(func(ctx context.Context, w *World, u *user) error {
		if _, err := w.org.ReactivateUser(ctx, u.oktaID); err != nil {
			return fmt.Errorf("reactivate %s in Okta: %w", u.userName, err)
		}
		return w.assign(ctx, u)
	}))
	sc.Step(`^the admin changes "([^"]*)"'s name to "([^"]*)" "([^"]*)" in Okta$`, ScenarioRule, onOktaUserWith2(func(ctx context.Context, w *World, u *user, given, family string) error {
		u.given, u.family = given, family
		return w.oktaOp(u, func(id string) (simulator.Result, error) {
			return w.org.UpdateUserProfile(ctx, id, u.oktaProfile())
		})
	}))
	sc.Step(`^the admin changes "([^"]*)"'s email to a new address in Okta$`, ScenarioRule, onOktaUser(func(ctx context.Context, w *World, u *user) error {
		return w.oktaOp(u, func(id string) (simulator.Result, error) {
			p := u.oktaProfile()
			p.Email = "changed." + u.local + "@example.com"
			return w.org.UpdateUserProfile(ctx, id, p)
		})
	}))
	sc.Step(`^"([^"]*)"'s last name changed to "([^"]*)" in Okta while updates were off$`, ScenarioRule, onOktaUserWith(func(ctx context.Context, w *World, u *user, family string) error {
		w.provisioning.UpdateAttributes = false
		if err := w.configureApp(); err != nil {
			return err
		}
		u.family = family
		if _, err := w.org.UpdateUserProfile(ctx, u.oktaID, u.oktaProfile()); err != nil {
			return fmt.Errorf("update %s in Okta: %w", u.userName, err)
		}
		w.provisioning.UpdateAttributes = true
		return w.configureApp()
	}))
	sc.Step(`^"([^"]*)" was assigned the app before provisioning was turned on$`, ScenarioRule, onOktaUser(func(ctx context.Context, w *World, u *user) error {
		on := w.provisioning
		w.provisioning = simulator.Provisioning{}
		if err := w.configureApp(); err != nil {
			return err
		}
		if err := w.assign(ctx, u); err != nil {
			return err
		}
		w.provisioning = on
		return w.configureApp()
	}))
	sc.Step(`^"([^"]*)" has the nickname "([^"]*)" in Okta$`, ScenarioRule, onOktaUserWith(func(ctx context.Context, w *World, u *user, nick string) error {
		// nickName is not mapped by default: Okta stores it and pushes
		// nothing.
		u.nick = nick
		return w.oktaOp(u, func(id string) (simulator.Result, error) { return w.org.UpdateUserProfile(ctx, id, u.oktaProfile()) })
	}))
	sc.Step(`^the admin maps the app's "(userName|name\.givenName|name\.familyName|email|displayName)" from the Okta attribute "([^"]*)"$`, okta("Okta SCIM 2.0 guide: a mapping change is applied by Force sync; SPEC §2.2"), func(ctx context.Context, appAttr, expr string) error {
		w := worldFrom(ctx)
		if err := w.needOrg(); err != nil {
			return err
		}
		field := map[string]*string{"userName": &w.coreMappings.UserName, "name.givenName": &w.coreMappings.GivenName,
			"name.familyName": &w.coreMappings.FamilyName, "email": &w.coreMappings.Email, "displayName": &w.coreMappings.DisplayName}[appAttr]
		*field = expr
		from := w.org.Transcript().LastSeq()
		if err := w.configureApp(); err != nil {
			return err
		}
		// SPEC §2.2: a mapping change is applied by Force sync, not pushed
		// by itself.
		if sent := w.org.Transcript().Since(from); len(sent) > 0 {
			ex := w.redact(toReport(sent[0]))
			return w.fail("no request when the admin saves a mapping (Force sync applies it)", fmt.Sprintf("%d requests", len(sent)), &ex, "", "")
		}
		return nil
	})
	sc.Step(`^the admin runs Force sync$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		w.syncFrom = w.org.Transcript().LastSeq()
		res, err := w.org.ForceSync(ctx)
		if err != nil {
			return fmt.Errorf("force sync: %w", err)
		}
		w.syncResult = &res
		for _, u := range w.users {
			u.opFrom = w.syncFrom
		}
		for _, r := range res.Pushed {
			for _, u := range w.users {
				if u.oktaID == r.UserID {
					w.results[u.alias] = r
				}
			}
		}
		return nil
	}))
	sc.Step(`^the admin imports users from the app$`, ScenarioRule, onOrg(func(ctx context.Context, w *World) error {
		w.syncFrom = w.org.Transcript().LastSeq()
		res, err := w.org.Import(ctx)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		w.imported = &res
		return nil
	}))

	// Outcomes as the admin sees them.
	sc.Step(`^Okta's provisioning of "([^"]*)" succeeded$`, okta("Okta SCIM 2.0 guide: the provisioning task succeeds only on a 2xx SCIM answer; SPEC §2.3"), onUser(func(ctx context.Context, w *World, u *user) error {
		return w.assertOK(u)
	}))
	sc.Step(`^Okta's provisioning of "([^"]*)" failed with "([^"]*)"$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, want string) error {
		res := w.results[u.alias]
		if res.OK || !strings.Contains(res.Message, want) {
			return w.fail(fmt.Sprintf("Okta's task to fail with %q", want), fmt.Sprintf("ok=%t, message %q", res.OK, res.Message),
				w.failingExchange(u), res.Message, basisOf(res.MessageID))
		}
		return nil
	}))
	sc.Step(`^the target answered (\d+) with scimType "([^"]*)"$`, ScenarioRule, func(ctx context.Context, status int, scimType string) error {
		w := worldFrom(ctx)
		var ex *reports.Exchange
		for _, u := range w.users {
			if e := w.failingExchange(u); e != nil && (ex == nil || e.Started.After(ex.Started)) {
				ex = e
			}
		}
		want := fmt.Sprintf("%d with scimType %q", status, scimType)
		if ex == nil {
			return w.fail(want, "no exchange", nil, "", "")
		}
		got := fmt.Sprintf("%d with scimType %s", ex.Status, orMissing(gjson.Get(ex.ResponseBody, "scimType")))
		if ex.Status != status {
			return w.fail(want, got, ex, "", "")
		}
		if gjson.Get(ex.ResponseBody, "scimType").String() != scimType {
			return w.failAs(w.scimTypeRule(scimType), want, got, ex, "", "")
		}
		return nil
	})
	sc.Step(`^Okta checked whether "([^"]*)" exists before creating it$`, okta("Okta SCIM 2.0 guide: Create users (GET /Users?filter=userName eq, then POST); SPEC §2.2"), onUser(func(ctx context.Context, w *World, u *user) error {
		seq := methodsOf(w.oktaExchanges(u))
		if len(seq) < 2 || !strings.HasPrefix(seq[0], "GET /Users?filter=") || seq[1] != "POST /Users" {
			return w.fail("GET /Users?filter=userName eq … then POST /Users (SPEC §2.2)", strings.Join(seq, ", "), w.failingExchange(u), "", "")
		}
		return nil
	}))
	sc.Step(`^Okta did not create "([^"]*)"$`, okta("Okta SCIM 2.0 guide: an existing user found by the userName filter is linked, not created; SPEC Appendix B"), onUser(func(ctx context.Context, w *World, u *user) error {
		for _, e := range w.oktaExchanges(u) {
			if e.Request.Method == http.MethodPost {
				ex := w.redact(toReport(e))
				return w.fail("Okta to link the existing user found case-insensitively, not POST a new one", fmt.Sprintf("POST answered %d", ex.Status), &ex, "", "")
			}
		}
		return nil
	}))
	sc.Step(`^Okta pushed the update for "([^"]*)" with GET then PUT$`, okta("Okta SCIM 2.0 guide: Update a specific user (PUT); SPEC §2.2"), onUser(func(ctx context.Context, w *World, u *user) error {
		seq := methodsOf(w.oktaExchanges(u))
		want := []string{"GET /Users/" + u.scimID, "PUT /Users/" + u.scimID}
		if len(seq) < 2 || seq[0] != want[0] || seq[1] != want[1] {
			return w.fail(strings.Join(want, " then ")+" (SPEC §2.2)", strings.Join(seq, ", "), w.failingExchange(u), w.results[u.alias].Message, basisOf(w.results[u.alias].MessageID))
		}
		return w.assertOK(u)
	}))
	sc.Step(`^Okta (deactivated|reactivated) "([^"]*)" with (PATCH|PUT)$`, okta("Okta SCIM 2.0 guide: Update a specific user (PATCH or PUT with active); SPEC Appendix B"), func(ctx context.Context, what, alias, method string) error {
		w := worldFrom(ctx)
		u, err := w.known(alias)
		if err != nil {
			return err
		}
		active := what == "reactivated"
		for _, e := range w.oktaExchanges(u) {
			if e.Request.Method != method {
				continue
			}
			body := string(e.Request.Body)
			switch method {
			case http.MethodPut:
				if gjson.Get(body, "active").Type == boolType(active) {
					return nil
				}
			case http.MethodPatch:
				// Appendix B: no path, lowercase op, active a JSON boolean.
				op := gjson.Get(body, "Operations.0")
				if op.Get("op").String() == "replace" && !op.Get("path").Exists() && op.Get("value.active").Type == boolType(active) {
					return nil
				}
			}
		}
		return w.fail(fmt.Sprintf("Okta to send %s with active %t", method, active), strings.Join(methodsOf(w.oktaExchanges(u)), ", "), w.failingExchange(u), "", "")
	})
	sc.Step(`^the reactivation of "([^"]*)" succeeded with PUT and "([^"]*)" is active on the target$`, okta("Okta SCIM 2.0 CRUD test: reactivate and reassign makes the user active"), onUserWith(func(ctx context.Context, w *World, u *user, _ string) error {
		if err := w.assertOK(u); err != nil {
			return err
		}
		return w.assertActive(ctx, u, true)
	}))
	sc.Step(`^the reactivation of "([^"]*)" was refused by the target with mutability and "([^"]*)" stays inactive$`, must("SPEC §1.3 (reactivation only through PUT; PATCH active true is 400 mutability)"), onUserWith(func(ctx context.Context, w *World, u *user, _ string) error {
		res := w.results[u.alias]
		ex := w.failingExchange(u)
		if res.OK || ex == nil || ex.Status != http.StatusBadRequest {
			got := fmt.Sprintf("Okta result ok=%t", res.OK)
			if ex != nil {
				got += fmt.Sprintf(", last answer %d", ex.Status)
			}
			return w.fail("the PATCH reactivation to be refused with 400 mutability (Cortex: reactivation only through PUT)", got, ex, res.Message, basisOf(res.MessageID))
		}
		// The scimType is the RFC's OPTIONAL part (scimTypeRule).
		if v := gjson.Get(ex.ResponseBody, "scimType"); v.String() != "mutability" {
			if err := w.failAs(w.scimTypeRule("mutability"), `scimType "mutability" in the 400 refusal`, "scimType "+orMissing(v), ex, res.Message, basisOf(res.MessageID)); err != nil {
				return err
			}
		}
		return w.assertActive(ctx, u, false)
	}))
	sc.Step(`^Okta sent no request for "([^"]*)" during Force sync$`, okta("Okta SCIM 2.0 guide: Force sync pushes only changed users; SPEC §2.2"), onUser(func(ctx context.Context, w *World, u *user) error {
		for _, e := range w.org.Transcript().Since(w.syncFrom) {
			if e.Subject == u.userName || (u.scimID != "" && strings.Contains(e.Request.URL, u.scimID)) ||
				strings.Contains(string(e.Request.Body), u.userName) {
				ex := w.redact(toReport(e))
				return w.fail(fmt.Sprintf("no Force sync traffic for %s (SPEC §2.2)", u.userName), e.Request.Method+" "+pathOf(e.Request.URL), &ex, "", "")
			}
		}
		return nil
	}))
	sc.Step(`^Okta's import succeeded$`, okta("Okta SCIM 2.0 guide: Import users reads GET /Users in pages; SPEC §2.2"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		if w.imported == nil || !w.imported.OK {
			msg := ""
			var id simulator.MessageID
			if w.imported != nil {
				msg, id = w.imported.Message, w.imported.MessageID
			}
			return w.fail("the import to succeed", "it failed", w.lastOktaExchange(), msg, basisOf(id))
		}
		return nil
	})
	sc.Step(`^Okta imported all (\d+) users named "([^"]*)"$`, okta("Okta SCIM 2.0 guide: Import users reads every page; SPEC §2.2"), func(ctx context.Context, n int, prefix string) error {
		w := worldFrom(ctx)
		if err := w.needImport(); err != nil {
			return err
		}
		seen := map[string]int{}
		for _, iu := range w.imported.Users {
			if strings.HasPrefix(iu.UserName, w.groupPrefix(prefix)) {
				seen[iu.UserName]++
			}
		}
		var missing, dup []string
		for i := 1; i <= n; i++ {
			un := w.memberFor(prefix, i).userName
			switch seen[un] {
			case 0:
				missing = append(missing, un)
			case 1:
			default:
				dup = append(dup, un)
			}
		}
		if len(missing)+len(dup) > 0 || len(seen) != n {
			return w.fail(fmt.Sprintf("all %d users imported exactly once", n), fmt.Sprintf("%d imported; missing %v; duplicated %v", len(seen), firstN(missing, 3), firstN(dup, 3)), w.lastOktaExchange(), w.imported.Message, "")
		}
		return nil
	})
	sc.Step(`^Okta read the users in pages of 100 starting at 1$`, okta("Okta SCIM 2.0 guide: Import users (startIndex=1, count=100); SPEC §2.2"), func(ctx context.Context) error {
		w := worldFrom(ctx)
		var got []string
		for _, e := range w.org.Transcript().Since(w.syncFrom) {
			u, err := url.Parse(e.Request.URL)
			if err != nil || e.Request.Method != http.MethodGet {
				continue
			}
			got = append(got, u.Query().Get("startIndex")+"/"+u.Query().Get("count"))
		}
		if len(got) < 2 {
			return w.fail("at least two pages (startIndex=1, then 101)", strings.Join(got, ", "), w.lastOktaExchange(), "", "")
		}
		for i, g := range got {
			if want := fmt.Sprintf("%d/100", 1+100*i); g != want {
				return w.fail("pages startIndex/count 1/100, 101/100, …", strings.Join(got, ", "), w.lastOktaExchange(), "", "")
			}
		}
		return nil
	})
	sc.Step(`^Okta (imported|did not import) "([^"]*)"$`, okta("Okta SCIM 2.0 guide: Import users skips inactive users; SPEC §2.2"), func(ctx context.Context, what, alias string) error {
		w := worldFrom(ctx)
		u, err := w.known(alias)
		if err != nil {
			return err
		}
		if err := w.needImport(); err != nil {
			return err
		}
		found := false
		for _, iu := range w.imported.Users {
			found = found || strings.EqualFold(iu.UserName, u.userName)
		}
		if found != (what == "imported") {
			return w.fail(fmt.Sprintf("Okta %s %s (inactive users are skipped, SPEC §2.2)", what, u.userName), fmt.Sprintf("imported=%t", found), w.lastOktaExchange(), "", "")
		}
		return nil
	})
	sc.Step(`^Okta's create request for "([^"]*)" carried ((?:"[^"]*", )*"[^"]*" and "[^"]*")$`, okta("Okta SCIM 2.0 guide: Create users (request body); SPEC Appendix B"), onUserWith(func(ctx context.Context, w *World, u *user, list string) error {
		for _, e := range w.oktaExchanges(u) {
			if e.Request.Method != http.MethodPost {
				continue
			}
			for _, m := range quoted.FindAllStringSubmatch(list, -1) {
				if !gjson.GetBytes(e.Request.Body, m[1]).Exists() {
					ex := w.redact(toReport(e))
					return w.fail(fmt.Sprintf("Okta's create body to carry %q (SPEC §2.2)", m[1]), "it is missing", &ex, "", "")
				}
			}
			return nil
		}
		return w.fail("a POST /Users from Okta", strings.Join(methodsOf(w.oktaExchanges(u)), ", "), nil, "", "")
	}))
}

func boolType(b bool) gjson.Type {
	if b {
		return gjson.True
	}
	return gjson.False
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// methodsOf renders exchanges as "METHOD /path?query".
func methodsOf(exs []simulator.Exchange) []string {
	out := make([]string, 0, len(exs))
	for _, e := range exs {
		out = append(out, e.Request.Method+" "+pathAfterBase(e.Request.URL))
	}
	return out
}

// pathAfterBase strips scheme, host and the base path up to /Users.
func pathAfterBase(u string) string {
	p := pathOf(u)
	for _, ep := range []string{"/Users", "/Groups"} {
		if i := strings.Index(p, ep); i >= 0 {
			return p[i:]
		}
	}
	return p
}

// assertOK checks that the user's last Okta operation succeeded.
func (w *World) assertOK(u *user) error {
	res, ok := w.results[u.alias]
	if !ok {
		return fmt.Errorf("scenario error: no Okta operation ran for %q", u.alias)
	}
	if !res.OK {
		return w.fail(fmt.Sprintf("Okta's %s for %s to succeed", strings.ToLower(string(res.Operation)), u.userName),
			fmt.Sprintf("it failed (HTTP %d)", res.Status), w.failingExchange(u), res.Message, basisOf(res.MessageID))
	}
	return nil
}

// credsMessage is the Test API Credentials dialog's message and its basis,
// both empty when the button was not clicked.
func (w *World) credsMessage() (string, reports.Basis) {
	if w.creds == nil {
		return "", ""
	}
	return w.creds.Message, basisOf(w.creds.MessageID)
}

func (w *World) credsActual() string {
	if w.creds == nil {
		return "Test API Credentials was not run"
	}
	return fmt.Sprintf("HTTP %d, dialog %q", w.creds.Status, w.creds.Message)
}

// lastOktaExchange is the simulated identity provider's last exchange
// (Okta's, or Entra's in an Entra scenario), redacted.
func (w *World) lastOktaExchange() *reports.Exchange {
	ts := w.idpTranscripts()
	if len(ts) == 0 {
		return nil
	}
	t := ts[len(ts)-1]
	if len(t.Exchanges) == 0 {
		return nil
	}
	ex := w.redact(toReport(t.Exchanges[len(t.Exchanges)-1]))
	return &ex
}

// clientIPHeader is the header carrying the caller's address on the target.
func (w *World) clientIPHeader() string {
	if w.conn.admin != nil && w.conn.admin.ClientIPHeader != "" {
		return w.conn.admin.ClientIPHeader
	}
	return "X-Forwarded-For"
}
