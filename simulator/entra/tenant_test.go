package entra

import (
	"strings"
	"testing"

	"github.com/scimulator/scimulator/simulator"
)

func TestTestConnectionOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		seed   bool
		want   MessageID
	}{
		{"ok", 0, false, MsgConnectionOK},
		{"unauthorized", 401, false, MsgConnectionUnauthorized},
		{"server error", 500, false, MsgConnectionHTTPError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := newFakeTarget(t)
			ft.fail = tc.status
			tn := newTenant(t, ft, ModeCompliant, false)
			r, err := tn.TestConnection(bg)
			if err != nil {
				t.Fatal(err)
			}
			if r.MessageID != tc.want || r.OK != (tc.want == MsgConnectionOK) {
				t.Fatalf("got %+v, want %s", r, tc.want)
			}
			if strings.Contains(r.Message, "{") {
				t.Errorf("unfilled placeholder in %q", r.Message)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		tn := NewTenant(Options{})
		check(t, tn.ConfigureApp(AppConfig{TenantURL: "http://127.0.0.1:1/scim", SecretToken: "x"}))
		r, err := tn.TestConnection(bg)
		if err != nil || r.OK || r.MessageID != MsgConnectionUnreachable {
			t.Fatalf("got %+v %v", r, err)
		}
	})
}

func TestUnassignedUserIsSkippedWithoutTraffic(t *testing.T) {
	ft := newFakeTarget(t)
	tn := newTenant(t, ft, ModeCompliant, false)
	tn.AddUser(ana())
	res, err := tn.StartProvisioning(bg)
	check(t, err)
	if len(res.Entries) != 1 || res.Entries[0].Status != StatusSkipped || res.Entries[0].MessageID != MsgLogNotEntitled {
		t.Fatalf("entries %+v", res.Entries)
	}
	if ft.count() != 0 {
		t.Fatalf("a skipped user caused %d requests", ft.count())
	}
}

func TestScopeAllProvisionsUnassignedUsers(t *testing.T) {
	ft := newFakeTarget(t)
	tn := NewTenant(Options{Seed: 1})
	check(t, tn.ConfigureApp(AppConfig{TenantURL: ft.url(), SecretToken: "x", Scope: ScopeAll}))
	tn.AddUser(ana())
	res := cycle(t, tn)
	if len(res.Entries) != 1 || res.Entries[0].Action != ActionCreate {
		t.Fatalf("entries %+v", res.Entries)
	}
}

func TestIncrementalCycleOnlyTouchesChangedUsers(t *testing.T) {
	ft := newFakeTarget(t)
	tn := newTenant(t, ft, ModeCompliant, false)
	provisioned(t, tn, ana())
	b := tn.AddUser(ben())
	check(t, tn.Assign(b.ID))
	from := ft.count()
	cycle(t, tn)
	for _, r := range ft.requests(from) {
		if strings.Contains(r, "ana") {
			t.Fatalf("unchanged ana got traffic: %s", r)
		}
	}
	from = ft.count()
	if res := cycle(t, tn); len(res.Entries) != 0 || ft.count() != from {
		t.Fatalf("a cycle without changes sent %d requests, entries %+v", ft.count()-from, res.Entries)
	}
}

func TestFailuresAreRetriedThenQuarantine(t *testing.T) {
	ft := newFakeTarget(t)
	tn := newTenant(t, ft, ModeCompliant, false)
	u := tn.AddUser(ana())
	check(t, tn.Assign(u.ID))
	ft.fail = 500
	res, err := tn.StartProvisioning(bg)
	check(t, err)
	if res.Failed != 1 || res.Entries[0].MessageID != MsgLogHTTPError || !strings.Contains(res.Entries[0].Message, "500 Internal Server Error: fake failure") {
		t.Fatalf("first cycle %+v", res)
	}
	for i := 0; i < 2; i++ {
		if res, err = tn.RunCycle(bg); err != nil || res.Failed != 1 {
			t.Fatalf("escrow retry %d: %v %+v", i, err, res)
		}
	}
	j := tn.Job()
	if j.Status != JobQuarantined || j.Quarantine == nil || j.Quarantine.Reason != "EncounteredEscrowProportionThreshold" || j.NextCycleIn != QuarantineInterval {
		t.Fatalf("job %+v", j)
	}
	ft.fail = 0
	res, err = tn.RestartProvisioning(bg)
	check(t, err)
	if j := tn.Job(); j.Status != JobActive || res.Succeeded != 1 {
		t.Fatalf("after restart: job %+v, cycle %+v", j, res)
	}
}

func TestProvisionOnDemandSteps(t *testing.T) {
	ft := newFakeTarget(t)
	tn := newTenant(t, ft, ModeCompliant, false)
	u := tn.AddUser(ana())
	e, err := tn.ProvisionOnDemand(bg, u.ID)
	check(t, err)
	if e.Status != StatusSkipped || e.MessageID != MsgLogNotEntitled {
		t.Fatalf("unassigned on demand: %+v", e)
	}
	check(t, tn.Assign(u.ID))
	e, err = tn.ProvisionOnDemand(bg, u.ID)
	check(t, err)
	if e.Status != StatusSuccess || e.Action != ActionCreate || len(e.Steps) != 4 || !strings.HasPrefix(e.Steps[2], "Match user") {
		t.Fatalf("on demand: %+v", e)
	}
}

func TestSecretTokenIsRedacted(t *testing.T) {
	ft := newFakeTarget(t)
	tn := newTenant(t, ft, ModeCompliant, false)
	provisioned(t, tn, ana())
	for _, ex := range tn.Transcript().Exchanges {
		if ex.Request.Header.Get("Authorization") != simulator.Redacted {
			t.Fatalf("Authorization recorded as %q", ex.Request.Header.Get("Authorization"))
		}
		if strings.Contains(ex.Request.URL+string(ex.Request.Body), "test-token") {
			t.Fatal("token in the transcript")
		}
	}
}

func TestConfigureAppRefusesBadInput(t *testing.T) {
	tn := NewTenant(Options{})
	for _, cfg := range []AppConfig{
		{TenantURL: "ftp://x", SecretToken: "t"},
		{TenantURL: "https://x.example/scim"},
		{TenantURL: "https://x.example/scim", SecretToken: "t", Mode: "strict"},
		{TenantURL: "https://x.example/scim", SecretToken: "t", Mappings: []Mapping{{SrcMail, "emails"}}},
		{TenantURL: "https://x.example/scim", SecretToken: "t", Mappings: []Mapping{{SrcMail, workEmailPath}}},
	} {
		if err := tn.ConfigureApp(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	if _, err := tn.TestConnection(bg); err == nil {
		t.Error("test connection without an app succeeded")
	}
}

// TestCatalog: every message has a known provenance and a source, and
// every entry the code renders exists.
func TestCatalog(t *testing.T) {
	seen := map[MessageID]bool{}
	for _, m := range Messages() {
		if seen[m.ID] {
			t.Errorf("%s twice", m.ID)
		}
		seen[m.ID] = true
		switch m.Provenance {
		case simulator.Documented, simulator.Observed, simulator.Inferred:
		default:
			t.Errorf("%s: provenance %q", m.ID, m.Provenance)
		}
		if m.Source == "" || m.Template == "" {
			t.Errorf("%s: empty source or template", m.ID)
		}
		if m.Provenance == simulator.Inferred && !strings.Contains(m.Source, "inferred") {
			t.Errorf("%s: an inferred message's source must say so", m.ID)
		}
	}
	if r := render("no.such"); r != "no.such" {
		t.Errorf("unknown id renders %q", r)
	}
}
