package reference

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// faultProbes: for every fault switch, one observation of the behaviour it
// breaks, and what a clean server and the faulty server show. The test runs
// each probe against both, so a fault that stopped doing anything (or a
// clean server that picked up a bug) fails here.
var faultProbes = []struct {
	fault       string
	probe       func(t *testing.T, s *Server) string
	clean, bent string
}{
	{FaultEmailMutable, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		r := scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(u map[string]any) {
			u["userName"] = "b@example.com"
			delete(u, "emails")
		}))
		return fmt.Sprint(r.status)
	}, "400", "200"},
	{FaultPatchReactivation, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
		r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": true}}))
		return fmt.Sprint(r.status, " ", scim(t, s, "GET", "/Users/"+id, nil).json()["active"])
	}, "400 false", "200 true"},
	{FaultDuplicateCreate, func(t *testing.T, s *Server) string {
		mustCreate(t, s, "a@example.com")
		return fmt.Sprint(scim(t, s, "POST", "/Users", oktaUser("a@example.com", "A", "B")).status)
	}, "409", "201"},
	{FaultCaseSensitiveUserName, func(t *testing.T, s *Server) string {
		mustCreate(t, s, "Ana@Example.com")
		st := scim(t, s, "POST", "/Users", oktaUser("ana@example.com", "A", "B")).status
		n := scim(t, s, "GET", "/Users?filter="+url.QueryEscape(`userName eq "ANA@EXAMPLE.COM"`), nil).json()["totalResults"]
		return fmt.Sprint(st, " ", n)
	}, "409 1", "201 0"},
	{FaultZeroBasedStartIndex, func(t *testing.T, s *Server) string {
		first := mustCreate(t, s, "a@example.com")
		mustCreate(t, s, "b@example.com")
		res := scim(t, s, "GET", "/Users?startIndex=1&count=1", nil).json()["Resources"].([]any)
		return fmt.Sprint(res[0].(map[string]any)["id"] == first)
	}, "true", "false"},
	{FaultStringCounts, func(t *testing.T, s *Server) string {
		return fmt.Sprintf("%T", scim(t, s, "GET", "/Users", nil).json()["totalResults"])
	}, "float64", "string"},
	{FaultItemsPerPageRequested, func(t *testing.T, s *Server) string {
		mustCreate(t, s, "a@example.com")
		return fmt.Sprint(scim(t, s, "GET", "/Users?startIndex=1&count=100", nil).json()["itemsPerPage"])
	}, "1", "100"},
	{FaultHTMLErrors, func(t *testing.T, s *Server) string {
		return scim(t, s, "GET", "/Users/nope", nil).header.Get("Content-Type")
	}, "application/scim+json", "text/html; charset=utf-8"},
	{FaultPlainTextErrors, func(t *testing.T, s *Server) string {
		return scim(t, s, "GET", "/Users/nope", nil).header.Get("Content-Type")
	}, "application/scim+json", "text/plain; charset=utf-8"},
	{FaultNoPathlessPatch, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		return fmt.Sprint(scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}})).status)
	}, "200", "400"},
	{FaultDeprovisionKeepsSessions, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		_, sess := grantAccess(t, s, "a@example.com")
		scim(t, s, "DELETE", "/Users/"+id, nil)
		return fmt.Sprint(do(t, s, sess, "GET", "/api/v1/whoami", nil).status)
	}, "401", "200"},
	{FaultDeprovisionKeepsAPIKeys, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		key, _ := grantAccess(t, s, "a@example.com")
		scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
		return fmt.Sprint(do(t, s, key, "GET", "/api/v1/whoami", nil).status)
	}, "401", "200"},
	{FaultDeprovisionKeepsRoles, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		grantAccess(t, s, "a@example.com")
		scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
		return fmt.Sprint(admin(t, s, "GET", "/users/"+id, nil).json()["roles"])
	}, "[]", "[User Viewer]"},
	{FaultDeprovisionKeepsTeams, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		grantAccess(t, s, "a@example.com")
		scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
		return fmt.Sprint(admin(t, s, "GET", "/users/"+id, nil).json()["teams"])
	}, "[]", "[Platform]"},
	{FaultCredentialCheckedOnce, func(t *testing.T, s *Server) string {
		// A write with the owner's key, held after its handler while the
		// owner is deprovisioned, must not answer success once released.
		_, held, _ := writeLosingRace(t, s)
		return fmt.Sprint(held.status)
	}, "401", "200"},
	{FaultEmptyCreateBody, func(t *testing.T, s *Server) string {
		r := scim(t, s, "POST", "/Users", oktaUser("a@example.com", "A", "B"))
		return fmt.Sprint(r.status, " ", len(r.body) > 0)
	}, "201 true", "201 false"},
	{FaultLowercaseUserName, func(t *testing.T, s *Server) string {
		return fmt.Sprint(scim(t, s, "POST", "/Users", oktaUser("Ana@Example.com", "A", "B")).json()["userName"])
	}, "Ana@Example.com", "ana@example.com"},
	{FaultNoAuth, func(t *testing.T, s *Server) string {
		return fmt.Sprint(do(t, s, "", "GET", "/scim/v2/Users", nil).status)
	}, "401", "200"},
	{FaultDeactivationIgnored, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
		return fmt.Sprint(r.status, " ", scim(t, s, "GET", "/Users/"+id, nil).json()["active"])
	}, "200 false", "200 true"},
	{FaultNameChangeIgnored, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		r := scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": "Bia"}))
		r2 := scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(u map[string]any) {
			u["name"] = map[string]any{"givenName": "Bia", "familyName": "Souza"}
		}))
		n := scim(t, s, "GET", "/Users/"+id, nil).json()["name"].(map[string]any)
		return fmt.Sprint(r.status, r2.status, " ", n["givenName"], " ", n["familyName"])
	}, "200 200 Bia Souza", "200 200 Ana Lima"},
	{FaultNonSCIMErrorSchema, func(t *testing.T, s *Server) string {
		_, ok := scim(t, s, "GET", "/Users/nope", nil).json()["schemas"]
		return fmt.Sprint(ok)
	}, "true", "false"},
	{FaultReactivationNewID, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "active", "value": false}))
		r := scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(u map[string]any) { u["active"] = true }))
		return fmt.Sprint(r.status, " ", r.json()["id"] == id)
	}, "200 true", "200 false"},
	{FaultPutRejectsReadOnly, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		return fmt.Sprint(scim(t, s, "PUT", "/Users/"+id, echoBody(t, s, id, func(map[string]any) {})).status)
	}, "200", "400"},
	{FaultETagIgnored, func(t *testing.T, s *Server) string {
		id := mustCreate(t, s, "a@example.com")
		return fmt.Sprint(scim(t, s, "PATCH", "/Users/"+id, patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": "X"}), "If-Match", `W/"77"`).status)
	}, "412", "200"},
	{FaultSCIMToggleIgnored, func(t *testing.T, s *Server) string {
		admin(t, s, "PATCH", "/settings", map[string]any{"scimEnabled": false})
		return fmt.Sprint(scim(t, s, "GET", "/Users", nil).status)
	}, "403", "200"},
	{FaultPermissionsUnchecked, func(t *testing.T, s *Server) string {
		_, viewer := mintKey(t, s, "Viewer", "")
		return fmt.Sprint(do(t, s, viewer, "GET", "/scim/v2/Users", nil).status)
	}, "403", "200"},
	{FaultAllowlistIgnored, func(t *testing.T, s *Server) string {
		if r := doFrom(t, s, "203.0.113.5:1", "PATCH", "/api/v1/settings", map[string]any{"ipAllowlist": []string{"203.0.113.0/24"}}); r.status != 200 {
			t.Fatalf("set allowlist: %d %s", r.status, r.body)
		}
		outside := "198.51.100.7:1"
		return fmt.Sprint(doFrom(t, s, outside, "GET", "/scim/v2/Users", nil).status, " ",
			doFrom(t, s, outside, "GET", "/api/v1/settings", nil).status)
	}, "403 403", "200 403"},
	{FaultSPCMisreports, func(t *testing.T, s *Server) string {
		m := scim(t, s, "GET", "/ServiceProviderConfig", nil).json()
		var out []string
		for _, c := range []string{"patch", "bulk", "changePassword", "sort", "filter", "etag"} {
			out = append(out, fmt.Sprint(m[c].(map[string]any)["supported"]))
		}
		return strings.Join(out, " ")
	}, "true false false false true true", "false true true true true true"},
	{FaultDiscoveryMissing, func(t *testing.T, s *Server) string {
		var out []string
		for _, p := range []string{"/ServiceProviderConfig", "/Schemas", "/Schemas/" + scimwire.UserSchema, "/ResourceTypes", "/ResourceTypes/User", "/Users"} {
			out = append(out, fmt.Sprint(scim(t, s, "GET", p, nil).status))
		}
		return strings.Join(out, " ")
	}, "200 200 200 200 200 200", "404 404 404 404 404 200"},
	{FaultJSONContentTypeRejected, func(t *testing.T, s *Server) string {
		a := scim(t, s, "POST", "/Users", oktaUser("a@example.com", "A", "B"), "Content-Type", "application/json")
		b := scim(t, s, "POST", "/Users", oktaUser("b@example.com", "A", "B"), "Content-Type", "application/json; charset=utf-8")
		c := scim(t, s, "POST", "/Users", oktaUser("c@example.com", "A", "B"))
		// The admin API (the suite's probes send application/json) is
		// outside the fault: the bug is in the SCIM media-type check.
		d := do(t, s, s.AdminKey(), "PATCH", "/api/v1/settings", map[string]any{"defaultRole": "User"}, "Content-Type", "application/json")
		return fmt.Sprint(a.status, " ", b.status, " ", c.status, " ", d.status)
	}, "201 201 201 200", "415 415 201 200"},
	{FaultOptionalSCIMTypeOmitted, func(t *testing.T, s *Server) string {
		a := scim(t, s, "POST", "/Users", `{"userName": `)
		b := scim(t, s, "GET", "/Users?filter=userName%20eq", nil)
		mustCreate(t, s, "a@example.com")
		c := scim(t, s, "POST", "/Users", oktaUser("a@example.com", "A", "B"))
		return fmt.Sprintf("%d %v, %d %v, %d %v", a.status, a.json()["scimType"], b.status, b.json()["scimType"], c.status, c.json()["scimType"])
	}, "400 invalidSyntax, 400 invalidFilter, 409 uniqueness", "400 <nil>, 400 <nil>, 409 uniqueness"},
	{FaultErrorsAsPlainJSON, func(t *testing.T, s *Server) string {
		r := scim(t, s, "GET", "/Users/nope", nil)
		return fmt.Sprint(r.status, " ", r.header.Get("Content-Type"), " ", r.json()["schemas"])
	}, "404 " + scimwire.MediaType + " [" + scimwire.ErrorSchema + "]", "404 application/json [" + scimwire.ErrorSchema + "]"},
}

func TestFaults(t *testing.T) {
	for _, fp := range faultProbes {
		t.Run(fp.fault, func(t *testing.T) {
			if got := fp.probe(t, newTestServer(t)); got != fp.clean {
				t.Errorf("clean server: %q, want %q", got, fp.clean)
			}
			if got := fp.probe(t, newTestServer(t, fp.fault)); got != fp.bent {
				t.Errorf("with fault: %q, want %q", got, fp.bent)
			}
		})
	}
}

// TestEveryFaultProbed keeps KnownFaults and the probes in step.
func TestEveryFaultProbed(t *testing.T) {
	probed := map[string]bool{}
	for _, fp := range faultProbes {
		probed[fp.fault] = true
	}
	known := KnownFaults()
	if !sort.SliceIsSorted(known, func(i, j int) bool { return known[i].Name < known[j].Name }) {
		t.Error("KnownFaults not sorted")
	}
	for _, f := range known {
		if !probed[f.Name] {
			t.Errorf("fault %s has no probe", f.Name)
		}
		if f.Description == "" {
			t.Errorf("fault %s has no description", f.Name)
		}
	}
	if len(known) != len(faultProbes) {
		t.Errorf("%d faults, %d probes", len(known), len(faultProbes))
	}
}

func TestUnknownFault(t *testing.T) {
	_, err := New(Config{Faults: []string{"email-mutable", "no-such-fault"}})
	if err == nil || !strings.Contains(err.Error(), `unknown fault "no-such-fault"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckFaults(t *testing.T) {
	tests := []struct {
		name    string
		names   []string
		wantErr string // "" for success
	}{
		{"none", nil, ""},
		{"known", []string{FaultNoAuth, FaultETagIgnored}, ""},
		{"spaces and empty names are ignored, as in New", []string{" " + FaultNoAuth, ""}, ""},
		{"unknown", []string{FaultNoAuth, "nope"}, `unknown fault "nope" (known: ` + KnownFaults()[0].Name},
		{"case matters", []string{"No-Auth"}, `unknown fault "No-Auth"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFaults(tt.names)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckFaults(%q) = %v", tt.names, err)
				}
				if _, err := New(Config{Faults: tt.names}); err != nil {
					t.Fatalf("CheckFaults accepted %q but New refused: %v", tt.names, err)
				}
				return
			}
			if !errors.Is(err, ErrUnknownFault) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CheckFaults(%q) = %v, want ErrUnknownFault with %q", tt.names, err, tt.wantErr)
			}
			if _, err := New(Config{Faults: tt.names}); !errors.Is(err, ErrUnknownFault) {
				t.Fatalf("New(%q) = %v, want it to wrap ErrUnknownFault", tt.names, err)
			}
		})
	}
}
