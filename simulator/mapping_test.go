package simulator

import (
	"fmt"
	"strings"
	"testing"
)

// TestForceSyncAfterMappingChange: changing a mapping sends nothing by
// itself; Force sync then pushes GET + PUT only for the users whose mapped
// value changed, and the PUT carries the new value (SPEC §2.2).
func TestForceSyncAfterMappingChange(t *testing.T) {
	for _, profile := range []TrafficProfile{ProfileOIN, ProfileAIW} {
		t.Run(string(profile), func(t *testing.T) {
			ft := newFakeTarget(t)
			org, _ := newTestOrg(t, ft, profile)
			pa := ana()
			pa.DisplayName = "Ana Lopez" // what the default template gives too
			pb := ben()
			pb.DisplayName = "Benny O."
			a, b := org.AddUser(pa), org.AddUser(pb)
			must(t, "assign ana")(org.Assign(bg, a.ID))
			must(t, "assign ben")(org.Assign(bg, b.ID))

			before := len(ft.requests())
			reconfigure(t, org, func(c *AppConfig) { c.CoreMappings.DisplayName = "displayName" })
			if n := len(ft.requests()) - before; n != 0 {
				t.Fatalf("changing a mapping sent %d requests, want none", n)
			}
			res, err := org.ForceSync(bg)
			if err != nil {
				t.Fatal(err)
			}
			reqs := ft.requests()[before:]
			bu, _ := org.AppUser(b.ID)
			path := fakeBase + "/Users/" + bu.SCIMID
			if len(reqs) != 2 || reqs[0].Method != "GET" || reqs[0].RequestURI != path ||
				reqs[1].Method != "PUT" || reqs[1].RequestURI != path {
				t.Fatalf("force sync sent %s; want GET + PUT of ben only", dump(reqs))
			}
			if !strings.Contains(string(reqs[1].Body), `"displayName":"Benny O."`) {
				t.Errorf("PUT lacks the newly mapped displayName: %s", reqs[1].Body)
			}
			if !strings.Contains(string(bu.LastPushed), `"displayName":"Benny O."`) {
				t.Errorf("last pushed = %s", bu.LastPushed)
			}
			if len(res.Pushed) != 1 || res.Pushed[0].UserID != b.ID || !res.Pushed[0].OK {
				t.Errorf("pushed = %+v, want ben only", res.Pushed)
			}
			if fmt.Sprint(res.Unchanged) != fmt.Sprint([]string{a.ID}) {
				t.Errorf("unchanged = %v, want ana only", res.Unchanged)
			}
			before = len(ft.requests())
			if _, err := org.ForceSync(bg); err != nil || len(ft.requests()) != before {
				t.Errorf("second force sync sent %d requests, want none", len(ft.requests())-before)
			}
		})
	}
}

// TestMappingChangeWithUpdatesOff: with Update user attributes off, a
// mapping change is not pushed by Force sync; it is once the toggle is on.
func TestMappingChangeWithUpdatesOff(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	p := ana()
	p.NickName = "Annie"
	u := org.AddUser(p)
	must(t, "assign")(org.Assign(bg, u.ID))
	reconfigure(t, org, func(c *AppConfig) {
		c.CoreMappings.GivenName = "nickName"
		c.Provisioning.UpdateAttributes = false
	})
	before := len(ft.requests())
	res, err := org.ForceSync(bg)
	if err != nil || len(ft.requests()) != before || len(res.Pushed) != 0 {
		t.Fatalf("force sync with updates off: err %v, %d requests, pushed %+v", err, len(ft.requests())-before, res.Pushed)
	}
	reconfigure(t, org, func(c *AppConfig) { c.Provisioning.UpdateAttributes = true })
	if _, err := org.ForceSync(bg); err != nil {
		t.Fatal(err)
	}
	reqs := ft.requests()[before:]
	if len(reqs) != 2 || !strings.Contains(string(reqs[1].Body), `"givenName":"Annie"`) {
		t.Errorf("force sync with updates on sent %s; want GET + PUT with givenName Annie", dump(reqs))
	}
}

// TestMappedUserName: the existence check filters on the mapped userName,
// and create sends every mapped core value.
func TestMappedUserName(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	reconfigure(t, org, func(c *AppConfig) {
		c.OktaAttributes = []string{"employeeNumber"}
		c.CoreMappings = CoreMappings{UserName: "email", GivenName: "{nickName}", FamilyName: "lastName",
			Email: "login", DisplayName: "{lastName}, {firstName} ({employeeNumber})"}
	})
	u := org.AddUser(Profile{Login: "alopez", Email: "ana.lopez@example.com", FirstName: "Ana", LastName: "Lopez",
		NickName: "Annie", Attributes: map[string]string{"employeeNumber": "E7"}})
	must(t, "assign")(org.Assign(bg, u.ID))
	reqs := ft.requests()
	if want := fakeBase + "/Users?filter=userName%20eq%20%22ana.lopez%40example.com%22&startIndex=1&count=100"; reqs[0].RequestURI != want {
		t.Errorf("existence check = %s, want %s", reqs[0].RequestURI, want)
	}
	body := string(reqs[1].Body)
	for _, want := range []string{`"userName":"ana.lopez@example.com"`, `"name":{"givenName":"Annie","familyName":"Lopez"}`,
		`"value":"alopez"`, `"displayName":"Lopez, Ana (E7)"`} {
		if !strings.Contains(body, want) {
			t.Errorf("create body lacks %s: %s", want, body)
		}
	}
}

// TestMappingExpressions: plain attributes, templates (trimmed) and
// extension mappings of absent custom attributes.
func TestMappingExpressions(t *testing.T) {
	p := Profile{Login: "l@example.com", Email: "e@example.com", FirstName: "Ana", LastName: "Lopez",
		NickName: "Annie", DisplayName: "Ms Lopez", Attributes: map[string]string{"dept": "Ops", "blank": ""}}
	noLast := p
	noLast.LastName = ""
	custom := []string{"dept", "blank", "absent"}
	cases := []struct {
		expr   string
		p      Profile
		want   string
		wantOK bool
	}{
		{"login", p, "l@example.com", true},
		{"email", p, "e@example.com", true},
		{"firstName", p, "Ana", true},
		{"lastName", p, "Lopez", true},
		{"nickName", p, "Annie", true},
		{"displayName", p, "Ms Lopez", true},
		{"dept", p, "Ops", true},
		{"blank", p, "", true},
		{"absent", p, "", false},
		{"{firstName} {lastName}", p, "Ana Lopez", true},
		{"{firstName} {lastName}", noLast, "Ana", true},
		{"  {nickName}  ", p, "Annie", true},
		{"{dept}-{absent}", p, "Ops-", true},
		{"Dr. {lastName}", p, "Dr. Lopez", true},
	}
	for _, tc := range cases {
		e, err := parseExpr(tc.expr, custom)
		if err != nil {
			t.Errorf("%q: %v", tc.expr, err)
			continue
		}
		got, ok := e.eval(tc.p)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("%q = %q, %t; want %q, %t", tc.expr, got, ok, tc.want, tc.wantOK)
		}
	}
}

// TestMappingValidation: ConfigureApp refuses mappings Okta's Profile
// Editor would not save, naming the attribute and the problem.
func TestMappingValidation(t *testing.T) {
	good := AppConfig{Name: "Cortex", BaseURL: "https://cortex.example/scim/v2", Auth: Auth{Mode: AuthBearer, Secret: "k"}}
	const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	cases := []struct {
		name   string
		change func(*AppConfig)
		want   string
	}{
		{"unknown attribute", func(c *AppConfig) { c.CoreMappings.GivenName = "firstname" },
			`mapping of name.givenName: unknown Okta attribute "firstname"`},
		{"undeclared custom attribute", func(c *AppConfig) { c.CoreMappings.DisplayName = "preferredName" },
			`mapping of displayName: unknown Okta attribute "preferredName"`},
		{"unknown attribute in a template", func(c *AppConfig) { c.CoreMappings.DisplayName = "{firstName} {surname}" },
			`mapping of displayName: template "{firstName} {surname}": unknown Okta attribute "surname"`},
		{"blank expression", func(c *AppConfig) { c.CoreMappings.Email = "  " }, "mapping of email: empty expression"},
		{"empty placeholder", func(c *AppConfig) { c.CoreMappings.DisplayName = "{} {lastName}" }, "empty placeholder {}"},
		{"unclosed brace", func(c *AppConfig) { c.CoreMappings.DisplayName = "{firstName {lastName}" }, "'{' without '}'"},
		{"stray closing brace", func(c *AppConfig) { c.CoreMappings.UserName = "login}" }, "'}' without '{'"},
		{"blank placeholder", func(c *AppConfig) { c.CoreMappings.FamilyName = "{ }" }, "mapping of name.familyName: template \"{ }\": empty placeholder {}"},
		{"extension from unknown attribute", func(c *AppConfig) {
			c.Mappings = []Mapping{{Namespace: ent, Attribute: "department", From: "dept"}}
		}, `mapping 0 (` + ent + `:department): unknown Okta attribute "dept"`},
		{"extension without from", func(c *AppConfig) { c.Mappings = []Mapping{{Namespace: ent, Attribute: "department"}} },
			"mapping 0 needs namespace, attribute and from"},
	}
	for _, tc := range cases {
		cfg := good
		tc.change(&cfg)
		err := NewOrg(Options{}).ConfigureApp(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	if _, err := parseExpr("{{firstName}}", nil); err == nil || !strings.Contains(err.Error(), "'{' without '}'") {
		t.Errorf(`"{{firstName}}": err = %v`, err)
	}
	if _, err := parseExpr("x{", nil); err == nil || !strings.Contains(err.Error(), "'{' without '}'") {
		t.Errorf(`"x{": err = %v`, err)
	}
	// Defaults are filled in and shown by App; the extension maps from a
	// declared custom attribute.
	cfg := good
	cfg.OktaAttributes = []string{"dept"}
	cfg.Mappings = []Mapping{{Namespace: ent, Attribute: "department", From: "dept"}}
	org := NewOrg(Options{})
	if err := org.ConfigureApp(cfg); err != nil {
		t.Fatal(err)
	}
	if got, _ := org.App(); got.CoreMappings != DefaultCoreMappings() {
		t.Errorf("core mappings = %+v, want the defaults", got.CoreMappings)
	}
}

// TestExplicitDefaultsMatchZeroValue: spelling out DefaultCoreMappings
// sends byte for byte what the zero value (pinned by the golden files)
// sends.
func TestExplicitDefaultsMatchZeroValue(t *testing.T) {
	run := func(explicit bool) string {
		ft := newFakeTarget(t)
		org, _ := newTestOrg(t, ft, ProfileAIW)
		if explicit {
			reconfigure(t, org, func(c *AppConfig) { c.CoreMappings = DefaultCoreMappings() })
		}
		u := org.AddUser(Profile{Login: "cai@example.com", Email: "cai@example.com", FirstName: "Cai"})
		must(t, "assign")(org.Assign(bg, u.ID))
		must(t, "update")(org.UpdateUserProfile(bg, u.ID, Profile{Login: "cai@example.com", LastName: "Wu"}))
		return dump(ft.requests())
	}
	zero, explicit := run(false), run(true)
	if zero != explicit {
		t.Errorf("explicit defaults differ from the zero value:\n%s\n---\n%s", explicit, zero)
	}
	for _, want := range []string{`"displayName":"Cai"`, `"displayName":"Wu"`, `"value":"cai@example.com"`} {
		if !strings.Contains(zero, want) {
			t.Errorf("requests lack %s (a missing name leaves no stray space; an empty email falls back to the login):\n%s", want, zero)
		}
	}
}
