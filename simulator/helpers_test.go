package simulator

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

var testStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const testToken = "test-token"

// newTestOrg returns an org with a virtual clock and a seeded randomness
// source, its app pointing at ft with every toggle on.
func newTestOrg(t *testing.T, ft *fakeTarget, profile TrafficProfile) (*Org, *VirtualClock) {
	t.Helper()
	vc := NewVirtualClock(testStart)
	seed := [32]byte{7}
	org := NewOrg(Options{Clock: vc, Rand: rand.NewChaCha8(seed)})
	if err := org.ConfigureApp(testApp(ft.baseURL(), profile)); err != nil {
		t.Fatalf("configure app: %v", err)
	}
	return org, vc
}

func testApp(base string, profile TrafficProfile) AppConfig {
	return AppConfig{Name: "Cortex", BaseURL: base, Auth: Auth{Mode: AuthBearer, Secret: testToken},
		Profile: profile, Provisioning: AllOn(), AllowHTTP: true}
}

func ana() Profile {
	return Profile{Login: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lopez"}
}

func ben() Profile {
	return Profile{Login: "ben@example.com", Email: "ben@example.com", FirstName: "Ben", LastName: "Okafor"}
}

// must returns a checker that fails the test unless the operation
// succeeded: must(t, "assign")(org.Assign(ctx, id)).
func must(t *testing.T, what string) func(Result, error) Result {
	t.Helper()
	return func(r Result, err error) Result {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !r.OK {
			t.Fatalf("%s: not OK: %s", what, r.Message)
		}
		return r
	}
}

func reconfigure(t *testing.T, org *Org, change func(*AppConfig)) {
	t.Helper()
	cfg, ok := org.App()
	if !ok {
		t.Fatal("no app")
	}
	change(&cfg)
	if err := org.ConfigureApp(cfg); err != nil {
		t.Fatalf("reconfigure: %v", err)
	}
}

var bg = context.Background()
