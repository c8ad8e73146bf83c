package doctor_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scimulator/scimulator/internal/doctor"
	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/simulator"
)

// Okta's simulated egress IP and the harness's own (allowed) address, sent in
// X-Forwarded-For once the target reads the client IP from it (README.md, "Admin API"),
// so the harness never locks itself out of a shared target.
const (
	oktaIP      = "198.51.100.7"
	oktaRange   = "198.51.100.0/24"
	harnessIP   = "203.0.113.5"
	harnessCIDR = "203.0.113.0/24"
)

// target is a reference server reachable over the network.
type target struct {
	baseURL, adminURL, adminKey string
	roots                       *x509.CertPool // nil: system roots
	allowHTTP                   bool
}

// inProcessTarget serves a fresh reference server (SCIM off, as on a new
// workspace) over HTTPS with httptest.
func inProcessTarget(t *testing.T) target {
	t.Helper()
	srv, err := reference.New(reference.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	return target{baseURL: ts.URL + "/scim/v2", adminURL: ts.URL + "/api/v1", adminKey: srv.AdminKey(), roots: roots}
}

// admin calls the reference admin API (README.md, "Admin API") and decodes the answer.
func (tg target) admin(t *testing.T, method, path string, body any, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, tg.adminURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tg.adminKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", harnessIP)
	client := http.DefaultClient
	if tg.roots != nil {
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig(tg.roots)}}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("admin %s %s = %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("admin %s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// scimStatus sends GET path (an absolute path on the target, e.g.
// /scim/v2/Users/123) with the admin key and returns the status.
func (tg target) scimStatus(t *testing.T, path string) int {
	t.Helper()
	base, err := url.Parse(tg.baseURL)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, base.ResolveReference(ref).String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tg.adminKey)
	req.Header.Set("X-Forwarded-For", harnessIP)
	client := http.DefaultClient
	if tg.roots != nil {
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig(tg.roots)}}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// doctorRun runs doctor as Okta would against tg with key.
func (tg target) doctorRun(t *testing.T, key string, deep bool, extra http.Header) doctor.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := doctor.Run(ctx, doctor.Config{
		URL: tg.baseURL, Auth: simulator.Auth{Mode: simulator.AuthBearer, Secret: key},
		RootCAs: tg.roots, AllowHTTP: tg.allowHTTP, Deep: deep, ExtraHeaders: extra,
		Timeout: 10 * time.Second, ConnectTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatalf("doctor.Run: %v", err)
	}
	var out strings.Builder
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), key) {
		t.Fatal("doctor's report shows the API key")
	}
	t.Logf("doctor:\n%s", out.String())
	return rep
}

// wantForbidden checks Okta's dialog and that doctor named exactly cause.
func wantForbidden(t *testing.T, rep doctor.Report, cause doctor.Code) doctor.Finding {
	t.Helper()
	if rep.OK || rep.Okta.Verified {
		t.Fatalf("OK = %t, verified = %t; want a failure", rep.OK, rep.Okta.Verified)
	}
	if !strings.Contains(rep.Okta.Message, "Forbidden from remote server") {
		t.Fatalf("Okta shows %q, want Forbidden from remote server", rep.Okta.Message)
	}
	var named *doctor.Finding
	for i, f := range rep.Findings {
		if f.Severity == doctor.SeverityError && f.Code != doctor.CodePlainHTTP {
			if named != nil {
				t.Fatalf("doctor named two causes: %s and %s", named.Code, f.Code)
			}
			named = &rep.Findings[i]
		}
	}
	if named == nil || named.Code != cause {
		t.Fatalf("doctor named %+v, want %s", named, cause)
	}
	return *named
}

func wantVerified(t *testing.T, rep doctor.Report) {
	t.Helper()
	if !rep.OK || !rep.Okta.Verified {
		t.Fatalf("after the fix OK = %t, verified = %t (%s)", rep.OK, rep.Okta.Verified, rep.Okta.Message)
	}
}

// forbiddenScenarios reproduces each cause of "Forbidden from remote server"
// through the target's admin API, checks doctor names it, fixes it and checks
// Okta would then verify the connection.
func forbiddenScenarios(t *testing.T, tg target) {
	t.Run("SCIM disabled", func(t *testing.T) {
		f := wantForbidden(t, tg.doctorRun(t, tg.adminKey, false, nil), doctor.CodeSCIMDisabled)
		if !strings.Contains(f.Evidence, "SCIM is disabled") {
			t.Fatalf("evidence %q does not quote the target's detail", f.Evidence)
		}
		tg.admin(t, http.MethodPatch, "/settings", map[string]any{"scimEnabled": true}, nil)
		wantVerified(t, tg.doctorRun(t, tg.adminKey, false, nil))
	})
	t.Run("key role lacks the SCIM permissions", func(t *testing.T) {
		var weak struct{ Secret string }
		tg.admin(t, http.MethodPost, "/api-keys", map[string]any{"name": "okta (viewer)", "role": "Viewer", "owner": ""}, &weak)
		f := wantForbidden(t, tg.doctorRun(t, weak.Secret, false, nil), doctor.CodeMissingPermissions)
		for _, p := range []string{"Configure Open ID Connector & SCIM", "Edit Roles", "Manage Identity Mappings"} {
			if !strings.Contains(f.Title, p) {
				t.Fatalf("title %q does not name %s", f.Title, p)
			}
		}
		// The fix the article gives: a custom role holding the three permissions.
		tg.admin(t, http.MethodPost, "/roles", map[string]any{"name": "SCIM connector", "permissions": []string{
			scimwire.PermConfigureOIDCAndSCIM, scimwire.PermEditRoles, scimwire.PermManageIdentityMappings}}, nil)
		var good struct{ Secret string }
		tg.admin(t, http.MethodPost, "/api-keys", map[string]any{"name": "okta", "role": "SCIM connector", "owner": ""}, &good)
		wantVerified(t, tg.doctorRun(t, good.Secret, false, nil))
	})
	t.Run("caller IP outside the allowlist", func(t *testing.T) {
		fromOkta := http.Header{"X-Forwarded-For": {oktaIP}}
		tg.admin(t, http.MethodPatch, "/settings", map[string]any{"clientIpHeader": "X-Forwarded-For", "ipAllowlist": []string{harnessCIDR}}, nil)
		t.Cleanup(func() {
			tg.admin(t, http.MethodPatch, "/settings", map[string]any{"clientIpHeader": "", "ipAllowlist": []string{}}, nil)
		})
		f := wantForbidden(t, tg.doctorRun(t, tg.adminKey, false, fromOkta), doctor.CodeIPNotAllowed)
		if !strings.Contains(f.Evidence, oktaIP) {
			t.Fatalf("evidence %q does not show Okta's IP", f.Evidence)
		}
		tg.admin(t, http.MethodPatch, "/settings", map[string]any{"ipAllowlist": []string{harnessCIDR, oktaRange}}, nil)
		wantVerified(t, tg.doctorRun(t, tg.adminKey, false, fromOkta))
	})
	t.Run("deep round trip", func(t *testing.T) {
		rep := tg.doctorRun(t, tg.adminKey, true, nil)
		wantVerified(t, rep)
		want := []string{"create", "read back", "deactivate", "read back inactive", "clean up"}
		if len(rep.Deep) != len(want) {
			t.Fatalf("deep steps = %+v, want %v", rep.Deep, want)
		}
		for i, s := range rep.Deep {
			if !strings.HasPrefix(s.Step, want[i]) || !s.OK {
				t.Fatalf("deep step %d = %+v, want %q passing", i, s, want[i])
			}
		}
		if !strings.Contains(rep.Deep[2].Request, "PATCH") {
			t.Fatalf("OIN deactivation was %q, want Okta's PATCH", rep.Deep[2].Request)
		}
		// The throwaway user is gone, not merely inactive: the clean-up
		// deleted it, so SCIM answers 404 for it and no list shows it.
		method, path, _ := strings.Cut(rep.Deep[4].Request, " ")
		if method != http.MethodDelete || !strings.Contains(path, "/Users/") {
			t.Fatalf("clean-up request = %q, want DELETE of the user", rep.Deep[4].Request)
		}
		if status := tg.scimStatus(t, path); status != http.StatusNotFound {
			t.Fatalf("GET %s after the clean-up = %d, want 404", path, status)
		}
		var list struct {
			Users []struct{ Email, Status string }
		}
		tg.admin(t, http.MethodGet, "/users", nil, &list)
		for _, u := range list.Users {
			if strings.HasPrefix(u.Email, "scimulator-doctor-") {
				t.Fatalf("the throwaway user %s (%s) is still on the target", u.Email, u.Status)
			}
		}
	})
}

func TestForbiddenEndToEndInProcess(t *testing.T) {
	forbiddenScenarios(t, inProcessTarget(t))
}
