package doctor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/scimulator/scimulator/simulator"
)

// deepRoundTrip creates a throwaway user the way Okta does (assign: existence
// check then POST), reads it back, deactivates it the way Okta does
// (unassign: PATCH for OIN, PUT for AIW), checks it reads back inactive, and
// finally — doctor's own request, Okta never sends it — DELETEs it.
func deepRoundTrip(ctx context.Context, org *simulator.Org, d diagnoser) []DeepStep {
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return []DeepStep{{Step: "create", Detail: "cannot make a random user name: " + err.Error()}}
	}
	tag := hex.EncodeToString(suffix)
	login := "scimulator-doctor-" + tag + "@example.com" // RFC 2606: never a real mailbox
	user := org.AddUser(simulator.Profile{Login: login, Email: login, FirstName: "Doctor", LastName: "Probe " + tag})

	var steps []DeepStep
	seq := org.Transcript().LastSeq()
	res, err := org.Assign(ctx, user.ID)
	create := opStep(org, "create "+login+" (Okta: assign user)", seq, res, err)
	steps = append(steps, create)
	app, _ := org.AppUser(user.ID)
	if !create.OK || app.SCIMID == "" {
		if create.OK {
			steps[len(steps)-1].OK = false
			steps[len(steps)-1].Detail += "; but Okta recorded no SCIM id"
		}
		return append(steps, DeepStep{Step: "read, deactivate, clean up", Skipped: true, Detail: "skipped: the create failed"})
	}
	steps[len(steps)-1].Detail = "created with id " + app.SCIMID
	userURL := strings.TrimRight(d.app.BaseURL, "/") + "/Users/" + url.PathEscape(app.SCIMID)

	steps = append(steps, d.readStep(ctx, "read back", userURL, login, true))

	seq = org.Transcript().LastSeq()
	res, err = org.Unassign(ctx, user.ID)
	deact := opStep(org, "deactivate (Okta: unassign user)", seq, res, err)
	if deact.OK {
		deact.Detail = "deactivated"
	}
	steps = append(steps, deact)
	if deact.OK {
		steps = append(steps, d.readStep(ctx, "read back inactive", userURL, login, false))
	}
	return append(steps, d.cleanup(ctx, userURL, login))
}

// opStep reports one simulator operation with its last request.
func opStep(org *simulator.Org, name string, seq int, res simulator.Result, err error) DeepStep {
	s := DeepStep{Step: name, OK: err == nil && res.OK, Status: res.Status}
	if exs := org.Transcript().Since(seq); len(exs) > 0 {
		var reqs []string
		for _, e := range exs {
			reqs = append(reqs, e.Request.Method+" "+pathOf(e.Request.URL))
		}
		s.Request = strings.Join(reqs, ", then ")
		if last := exs[len(exs)-1]; last.Response != nil {
			s.Status = last.Response.Status
		}
	}
	switch {
	case err != nil:
		s.Detail = err.Error()
	case !res.OK:
		s.Detail = "Okta would show: " + res.Message
	default:
		s.Detail = "ok"
	}
	return s
}

// readStep GETs the user (doctor's own request, shaped like Okta's) and
// checks userName and active.
func (d diagnoser) readStep(ctx context.Context, name, userURL, login string, wantActive bool) DeepStep {
	s := DeepStep{Step: name, Request: "GET " + pathOf(userURL)}
	r, err := d.probe.do(ctx, http.MethodGet, userURL, nil)
	if err != nil {
		s.Detail = err.Error()
		return s
	}
	s.Status = r.Status
	if r.Status != http.StatusOK {
		s.Detail = fmt.Sprintf("want 200, got %d: %s", r.Status, trimBody(r.Body, 200))
		return s
	}
	var u struct {
		UserName string `json:"userName"`
		Active   *bool  `json:"active"`
	}
	if err := json.Unmarshal(r.Body, &u); err != nil {
		s.Detail = "the user is not JSON: " + err.Error()
		return s
	}
	switch {
	case !strings.EqualFold(u.UserName, login):
		s.Detail = fmt.Sprintf("userName is %q, want %q", u.UserName, login)
	case u.Active == nil:
		s.Detail = "the user has no active attribute"
	case *u.Active != wantActive:
		s.Detail = fmt.Sprintf("active is %t, want %t", *u.Active, wantActive)
	default:
		s.OK, s.Detail = true, fmt.Sprintf("userName %s, active %t", u.UserName, *u.Active)
	}
	return s
}

// cleanup deletes the throwaway user. Okta never deletes users, so a target
// may rightly refuse; then the deactivated user stays and doctor says so.
func (d diagnoser) cleanup(ctx context.Context, userURL, login string) DeepStep {
	s := DeepStep{Step: "clean up (doctor, not Okta: DELETE)", Request: "DELETE " + pathOf(userURL)}
	r, err := d.probe.do(ctx, http.MethodDelete, userURL, nil)
	if err != nil {
		s.Skipped, s.Detail = true, err.Error()+"; the deactivated user "+login+" is left on the target"
		return s
	}
	s.Status = r.Status
	if r.Status/100 == 2 {
		s.OK, s.Detail = true, "deleted"
		return s
	}
	// Not a failure of the target: Okta itself never sends DELETE.
	s.Skipped = true
	s.Detail = fmt.Sprintf("the target answered %d; the deactivated user %s is left on it, delete it by hand if you like", r.Status, login)
	return s
}
