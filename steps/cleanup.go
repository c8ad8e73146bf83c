package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/reports"
)

// cleanupOp labels the harness's own clean-up requests in the transcript.
// SPEC §2.2: Okta never sends DELETE /Users/{id} (deprovisioning is a
// deactivation), so these must not be mistaken for Okta's traffic.
const cleanupOp = "harness clean-up"

// cleanupTimeout bounds one scenario's clean-up, however many users it made.
const cleanupTimeout = 2 * time.Minute

// cleanupState collects what the clean-up of every scenario of one run
// could not remove, for the run record.
type cleanupState struct {
	mu sync.Mutex
	// users and groups track DELETE /Users and DELETE /Groups.
	users, groups deletions
	// warnings are failed deletions, one line each.
	warnings []string
	// objects are what probes created and no probe removes, by kind
	// ("API key", "role", "team", "entity").
	objects map[string][]string
}

// deletions is what the clean-up knows of one endpoint's DELETE.
type deletions struct {
	// unsupported is the status (405 or 501) with which the target first
	// refused the DELETE; 0 while it works. Once set, later scenarios do
	// not try again and only list what they leave.
	unsupported int
	// left names what was left because the DELETE is unsupported.
	left []string
}

// plural is the plural of a kind noteObject is given.
func plural(kind string) string {
	if kind == "entity" {
		return "entities"
	}
	return kind + "s"
}

// createdUser is a SCIM user a scenario created on the target.
type createdUser struct{ id, userName string }

// noteObject remembers an object a probe created on the target (a team,
// role, API key or entity), so that a clean-up run lists it: the probe set
// has no probe that removes one.
func (w *World) noteObject(kind, name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.objects == nil {
		w.objects = map[string][]string{}
	}
	for _, n := range w.objects[kind] {
		if n == name {
			return
		}
	}
	w.objects[kind] = append(w.objects[kind], name)
}

// createdUsers lists the SCIM users the scenario created: every POST /Users
// of its transcript (raw or from the simulated Okta) answered 201 with an
// id, plus the ids its users were linked to. Only ids the scenario itself
// saw created or linked are listed, so the clean-up never touches another
// scenario's users on the shared target.
func (w *World) createdUsers() []createdUser {
	base, _ := url.Parse(w.conn.baseURL)
	usersPath := strings.TrimSuffix(base.Path, "/") + "/Users"
	var out []createdUser
	seen := map[string]bool{}
	add := func(id, userName string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, createdUser{id: id, userName: userName})
	}
	w.mu.Lock()
	exs := append([]reports.Exchange(nil), w.exchanges...)
	w.mu.Unlock()
	for _, ex := range exs {
		if ex.Method != http.MethodPost || ex.Status != http.StatusCreated {
			continue
		}
		u, err := url.Parse(ex.URL)
		if err != nil || strings.TrimSuffix(u.Path, "/") != usersPath {
			continue
		}
		name := gjson.Get(ex.ResponseBody, "userName").String()
		if name == "" {
			name = gjson.Get(ex.RequestBody, "userName").String()
		}
		add(gjson.Get(ex.ResponseBody, "id").String(), name)
	}
	aliases := make([]string, 0, len(w.users))
	for a := range w.users {
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	for _, a := range aliases {
		u := w.users[a]
		add(u.firstSCIMID, u.userName)
		add(u.scimID, u.userName)
	}
	return out
}

// createdGroups lists the ids of the groups the scenario's identity
// provider created on the target: a POST /Groups answered with any 2xx
// and an id, since Okta takes any 2xx for a created group.
func (w *World) createdGroups() []string {
	base, _ := url.Parse(w.conn.baseURL)
	groupsPath := strings.TrimSuffix(base.Path, "/") + "/Groups"
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, ex := range w.exchanges {
		if ex.Method != http.MethodPost || ex.Status < 200 || ex.Status > 299 {
			continue
		}
		if u, err := url.Parse(ex.URL); err != nil || strings.TrimSuffix(u.Path, "/") != groupsPath {
			continue
		}
		if id := gjson.Get(ex.ResponseBody, "id").String(); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// cleanUp deletes the scenario's SCIM groups, then its users, from a shared
// target when the run asked for it (Profile.Cleanup). A 404 means already gone; a 405 or
// 501 means the target has no DELETE, said once for the run; any other
// failure is a warning. Nothing here changes the scenario's outcome.
func (w *World) cleanUp(ctx context.Context) {
	s := w.suite
	if !s.profile.Cleanup || w.conn == nil || !w.conn.shared {
		return // in-process: the scenario's server is thrown away
	}
	w.mu.Lock()
	objects := w.objects
	w.mu.Unlock()
	s.cleanup.mu.Lock()
	if s.cleanup.objects == nil {
		s.cleanup.objects = map[string][]string{}
	}
	for kind, names := range objects {
		s.cleanup.objects[kind] = append(s.cleanup.objects[kind], names...)
	}
	s.cleanup.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	client := w.recordingClient(cleanupOp)
	// Groups first: a group's members are the scenario's users.
	for _, id := range w.createdGroups() {
		w.deleteCreated(ctx, client, &s.cleanup.groups, "/Groups/", id, "", "group")
	}
	for _, u := range w.createdUsers() {
		w.deleteCreated(ctx, client, &s.cleanup.users, "/Users/", u.id, u.userName, "user")
	}
}

// deleteCreated deletes one resource the scenario created (endpoint +
// id; name, when not "", is how the run's list names it, else the id). A
// 404 means already gone; a 405 or 501 means the target has no such
// DELETE, said once for the run; any other failure is a warning.
func (w *World) deleteCreated(ctx context.Context, client *http.Client, d *deletions, endpoint, id, name, noun string) {
	c := &w.suite.cleanup
	label, what := id, endpoint+id
	if name != "" {
		label, what = name, what+" ("+name+")"
	}
	c.mu.Lock()
	unsupported := d.unsupported != 0
	if unsupported {
		d.left = append(d.left, label)
	}
	c.mu.Unlock()
	if unsupported {
		return
	}
	status, err := w.deleteResource(ctx, client, endpoint, id)
	switch {
	case err != nil:
		w.cleanupWarning(fmt.Sprintf("DELETE %s failed: %v", what, err))
	case status == http.StatusNoContent, status == http.StatusOK, status == http.StatusNotFound:
		// Deleted, or already gone (RFC 7644 §3.6: a deleted resource is 404).
	case status == http.StatusMethodNotAllowed, status == http.StatusNotImplemented:
		c.mu.Lock()
		if d.unsupported == 0 {
			d.unsupported = status
		}
		d.left = append(d.left, label)
		c.mu.Unlock()
	default:
		w.cleanupWarning(fmt.Sprintf("DELETE %s answered HTTP %d: the %s was left on the target", what, status, noun))
	}
}

// deleteResource sends DELETE {endpoint}{id} with the target's SCIM
// credential and returns the status.
func (w *World) deleteResource(ctx context.Context, client *http.Client, endpoint, id string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, w.conn.baseURL+endpoint+url.PathEscape(id), nil)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("Authorization", w.conn.authorization)
	resp, err := client.Do(req)
	if err != nil {
		// The recorder already redacted the exchange; the error text may
		// carry the URL only, never the credential.
		return 0, err
	}
	_ = resp.Body.Close() // the recorder has read and recorded it
	return resp.StatusCode, nil
}

// cleanupWarning records one clean-up failure and writes it as a progress
// line.
func (w *World) cleanupWarning(msg string) {
	s := w.suite
	msg = target.RedactString(msg, w.secretList())
	s.cleanup.mu.Lock()
	s.cleanup.warnings = append(s.cleanup.warnings, msg)
	s.cleanup.mu.Unlock()
	if s.progress != nil {
		s.mu.Lock()
		fmt.Fprintf(s.progress, "      clean-up warning: %s\n", trim(msg, 0))
		s.mu.Unlock()
	}
}

// report returns the run's clean-up warnings: each failed deletion, then
// one line for a target without DELETE /Users, then the objects probes
// created and nothing removes.
func (c *cleanupState) report() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]string(nil), c.warnings...)
	for _, d := range []struct {
		*deletions
		endpoint, what string
	}{{&c.users, "/Users", "users were left (%s)"}, {&c.groups, "/Groups", "groups were left (ids %s)"}} {
		if d.unsupported == 0 {
			continue
		}
		left := append([]string(nil), d.left...)
		sort.Strings(left)
		out = append(out, fmt.Sprintf("the target does not support DELETE %s (HTTP %d): %d "+d.what,
			d.endpoint, d.unsupported, len(left), strings.Join(left, ", ")))
	}
	kinds := make([]string, 0, len(c.objects))
	for k := range c.objects {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		names := append([]string(nil), c.objects[k]...)
		sort.Strings(names)
		kind := k
		if len(names) > 1 {
			kind = plural(k)
		}
		out = append(out, fmt.Sprintf("%d %s created through probes left on the target: the probe set has no probe that removes one (%s)",
			len(names), kind, strings.Join(names, ", ")))
	}
	return out
}
