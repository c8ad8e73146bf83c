package simulator

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
)

const srcTestCredentials = "SPEC §2.2 (observed in real captures): Test API Credentials lists users with count=2"

// testCredentials implements Org.TestAPICredentials.
func (o *Org) testCredentials(ctx context.Context) (CredentialsResult, error) {
	app, err := o.appSnapshot(OpTestCredentials)
	if err != nil {
		return CredentialsResult{}, err
	}
	res, err := o.testList(ctx, app, scimwire.UsersEndpoint, "startIndex=1&count=2", MsgNoResults)
	if err != nil || !res.OK {
		return res, err
	}
	if app.cfg.Provisioning.PushGroups {
		res, err = o.testList(ctx, app, scimwire.GroupsEndpoint, "startIndex=1&count=100", MsgNoGroupResults)
		if err != nil || !res.OK {
			return res, err
		}
	}
	return CredentialsResult{OK: true, MessageID: MsgCredentialsOK, Status: res.Status,
		Message: render(MsgCredentialsOK, "app", app.cfg.Name)}, nil
}

// testList makes one Test API Credentials request and reads it as the
// dialog does.
func (o *Org) testList(ctx context.Context, app appState, endpoint, query string, noResults MessageID) (CredentialsResult, error) {
	rep, fl, err := o.send(ctx, app, call{op: OpTestCredentials, subject: app.cfg.Name, step: "list " + strings.TrimPrefix(endpoint, "/"),
		prov: Observed, source: srcTestCredentials, method: http.MethodGet, path: endpoint, query: query})
	if err != nil {
		return CredentialsResult{}, err
	}
	dialog := func(id MessageID, status int, msg string) (CredentialsResult, error) {
		return CredentialsResult{MessageID: id, Status: status, Message: o.redactor.string(msg)}, nil
	}
	if fl != nil {
		return dialog(fl.id, fl.status, render(MsgCredentialsError, "reason", fl.reason))
	}
	switch {
	case rep.status == http.StatusUnauthorized:
		return dialog(MsgUnauthorized, rep.status, render(MsgUnauthorized))
	case rep.status == http.StatusForbidden:
		// Documented (Cortex article): "Forbidden from remote server".
		detail := forbiddenDetail(rep)
		msg := render(MsgForbidden, "detail", detail)
		if detail == "" {
			msg = strings.TrimSuffix(render(MsgForbidden, "detail", ""), ". Errors reported by remote server: ")
		}
		return dialog(MsgForbidden, rep.status, msg)
	case rep.status < 200 || rep.status > 299:
		hf := httpFailure(rep)
		return dialog(hf.id, rep.status, render(MsgCredentialsError, "reason", hf.reason))
	}
	if _, pf := parseList(rep.body); pf != nil {
		if pf.id == MsgNotInteger || pf.id == MsgWrongType {
			return dialog(pf.id, rep.status, render(MsgCredentialsError, "reason", pf.reason))
		}
		return dialog(noResults, rep.status, render(noResults))
	}
	return CredentialsResult{OK: true, Status: rep.status}, nil
}

// forbiddenDetail is the remote detail of a 403: the SCIM error's detail,
// or the parser error when the body is not JSON.
func forbiddenDetail(rep *reply) string {
	if len(trimSpace(rep.body)) == 0 {
		return ""
	}
	v, fl := parseBody(rep.body)
	if fl != nil {
		return fl.reason
	}
	return errorDetail(v)
}

// forceSync implements Org.ForceSync.
func (o *Org) forceSync(ctx context.Context) (SyncResult, error) {
	app, err := o.appSnapshot(OpForceSync)
	if err != nil {
		return SyncResult{}, err
	}
	var res SyncResult
	var changed []string
	o.mu.Lock()
	for _, id := range o.userOrder {
		r := o.users[id]
		if !r.app.assigned {
			continue
		}
		switch {
		case r.app.scimID == "":
			// SPEC §2.2: users assigned before provisioning was on are not
			// created by Force sync; they need Provision User.
			res.NotProvisioned = append(res.NotProvisioned, id)
		case r.user.Status == UserActive && r.app.status != AppUserDeprovisioned && app.cfg.Provisioning.UpdateAttributes &&
			(r.app.status == AppUserError || mapProfile(r.user.Profile, app.cfg).canonical() != r.app.lastMapped):
			changed = append(changed, id)
		default:
			res.Unchanged = append(res.Unchanged, id)
		}
	}
	o.mu.Unlock()
	pushed, err := o.Bulk(ctx, changed, func(ctx context.Context, id string) (Result, error) {
		unlock := o.lockUser(id)
		defer unlock()
		return o.pushIfChanged(ctx, OpForceSync, id)
	})
	res.Pushed = pushed
	return res, err
}

// importPageSize is Okta's import page size (documented: count=100).
const importPageSize = 100

// importUsers implements Org.Import.
func (o *Org) importUsers(ctx context.Context) (ImportResult, error) {
	app, err := o.appSnapshot(OpImport)
	if err != nil {
		return ImportResult{}, err
	}
	if !app.cfg.Provisioning.ImportUsers {
		return ImportResult{}, errors.New("import: Import is off in the app's provisioning settings")
	}
	var res ImportResult
	fail := func(fl *failure) (ImportResult, error) {
		msg := o.redactor.string(render(MsgTaskImport, "app", app.cfg.Name, "phase", "importing users", "reason", fl.reason))
		// Retrying an import task runs the whole import again.
		retry := func(ctx context.Context) (Result, error) {
			ir, err := o.importUsers(ctx)
			return Result{Operation: OpImport, OK: ir.OK, Message: ir.Message, MessageID: ir.MessageID, TaskID: ir.TaskID}, err
		}
		o.mu.Lock()
		res.TaskID = o.openTaskLocked(Task{Operation: OpImport, Message: msg, MessageID: fl.id}, familyImport, retry)
		o.mu.Unlock()
		res.Message, res.MessageID = msg, fl.id
		return res, nil
	}
	for start := 1; ; start += importPageSize {
		if res.Pages >= app.cfg.MaxImportPages {
			return fail(&failure{id: MsgImportRunaway, reason: render(MsgImportRunaway,
				"pages", strconv.Itoa(res.Pages), "total", strconv.Itoa(res.TotalResults))})
		}
		rep, fl, err := o.send(ctx, app, call{op: OpImport, subject: app.cfg.Name, step: "import page " + strconv.Itoa(res.Pages+1),
			prov: Documented, source: srcOktaSCIMGuide + ", Retrieve users", method: http.MethodGet, path: scimwire.UsersEndpoint,
			query: "startIndex=" + strconv.Itoa(start) + "&count=" + strconv.Itoa(importPageSize)})
		if err != nil {
			return res, err
		}
		res.Pages++
		if bad := check2xx(rep, fl); bad != nil {
			return fail(bad)
		}
		page, fl := parseList(rep.body)
		if fl != nil {
			return fail(fl)
		}
		res.TotalResults = page.totalResults
		for _, r := range page.resources {
			active, fl := resourceActive(r)
			if fl != nil {
				return fail(fl)
			}
			if !active {
				res.SkippedInactive++
				continue
			}
			// A user Okta cannot address (no id) or match (no string
			// userName) fails the import rather than being imported empty.
			id, fl := requireString(r, "id")
			if fl != nil {
				return fail(fl)
			}
			userName, fl := requireString(r, "userName")
			if fl != nil {
				return fail(fl)
			}
			res.Users = append(res.Users, ImportedUser{SCIMID: id, UserName: userName,
				GivenName: stringField(r, "name", "givenName"), FamilyName: stringField(r, "name", "familyName"),
				Email: primaryEmail(r), ExternalID: stringField(r, "externalId"), Active: true})
		}
		// Inferred: a page without resources ends the import even if
		// totalResults claims more, so a lying target cannot loop us.
		if len(page.resources) == 0 || start+importPageSize > page.totalResults {
			break
		}
	}
	// Okta sends startIndex +100 whatever the page held (SPEC §2.2); a
	// target that returns smaller pages (RFC 7644 §3.4.2.4 allows it) or
	// stops early has users Okta never read. Say so rather than report a
	// complete import (inferred).
	if read := len(res.Users) + res.SkippedInactive; read < res.TotalResults {
		return fail(&failure{id: MsgImportIncomplete, reason: render(MsgImportIncomplete, "read", strconv.Itoa(read),
			"total", strconv.Itoa(res.TotalResults), "count", strconv.Itoa(importPageSize))})
	}
	res.OK = true
	o.mu.Lock()
	o.resolveLocked("", "", familyImport)
	o.mu.Unlock()
	return res, nil
}

func primaryEmail(r *jobj) string {
	raw, _ := r.get("emails")
	arr, _ := raw.([]any)
	first := ""
	for _, e := range arr {
		eo, ok := e.(*jobj)
		if !ok {
			continue
		}
		v, _ := eo.get("value")
		s, _ := v.(string)
		if p, _ := eo.get("primary"); p == true {
			return s
		}
		if first == "" {
			first = s
		}
	}
	return first
}
