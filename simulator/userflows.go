package simulator

import (
	"context"
	"net/http"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// create is the create flow (SPEC §2.2, documented): the existence check
// GET /Users?filter=userName eq "<mapped userName, the login by default>"&startIndex=1&count=100, then
// POST /Users when nothing matched, or link to the match.
func (f *flow) create(ctx context.Context, family string) (Result, error) {
	hit, res, done, err := f.existenceCheck(ctx, family)
	if done || err != nil {
		return res, err
	}
	if hit != nil {
		return f.link(ctx, family, hit)
	}
	syncPoint(ctx)
	pw := f.o.rnd.password()
	// The password is an org-wide secret from now on: a target may store
	// it and echo it in any later answer (GET, errors), so scrubbing only
	// this exchange is not enough.
	f.o.redactor.add(pw)
	body := createBody(f.m, f.user.ID, pw)
	rep, fl, err := f.do(ctx, call{step: "create user", prov: Documented, source: srcOktaSCIMGuide + ", Create the user",
		method: http.MethodPost, path: scimwire.UsersEndpoint, body: marshalOrdered(body), secrets: []string{pw}})
	if err != nil {
		return Result{}, err
	}
	if bad := check2xx(rep, fl); bad != nil {
		return f.fail(family, f.phaseCreate(), bad)
	}
	if len(trimSpace(rep.body)) == 0 {
		// Observed: a 201 with an empty body fails the task.
		return f.fail(family, f.phaseCreate(), &failure{id: MsgEmptyUser, status: rep.status, reason: render(MsgEmptyUser)})
	}
	v, fl := parseBody(rep.body)
	if fl != nil {
		fl.status = rep.status
		return f.fail(family, f.phaseCreate(), fl)
	}
	obj, ok := v.(*jobj)
	if !ok {
		fl := wrongType("user", "object", v)
		fl.status = rep.status
		return f.fail(family, f.phaseCreate(), fl)
	}
	id, fl := resourceID(obj)
	if fl == nil && id == "" {
		fl = &failure{id: MsgUserWithoutID, reason: render(MsgUserWithoutID)}
	}
	if fl != nil {
		fl.status = rep.status
		return f.fail(family, f.phaseCreate(), fl)
	}
	body.del("password")
	f.succeed(family, id, AppUserProvisioned, marshalOrdered(body))
	return f.ok()
}

// existenceCheck runs the filter GET. It returns the first match, or
// done=true with a failed result. Documented: "not found" is 200 with
// totalResults 0, or 404.
func (f *flow) existenceCheck(ctx context.Context, family string) (hit *jobj, res Result, done bool, err error) {
	rep, fl, err := f.do(ctx, call{step: "existence check", prov: Documented, source: srcOktaSCIMGuide + ", Determine if the user already exists",
		method: http.MethodGet, path: scimwire.UsersEndpoint, query: filterQuery("userName", f.m.userName)})
	if err != nil {
		return nil, Result{}, true, err
	}
	if fl == nil {
		switch {
		case rep.status == http.StatusNotFound:
			return nil, Result{}, false, nil
		case rep.status < 200 || rep.status > 299:
			fl = httpFailure(rep)
		default:
			page, pf := parseList(rep.body)
			switch {
			case pf != nil:
				pf.status = rep.status
				fl = pf
			case page.totalResults == 0 && len(page.resources) == 0:
				return nil, Result{}, false, nil
			case len(page.resources) == 0:
				// totalResults says a user exists but none was returned.
				fl = &failure{id: MsgNotListResponse, status: rep.status, reason: render(MsgNotListResponse)}
			default:
				return page.resources[0], Result{}, false, nil
			}
		}
	}
	res, err = f.fail(family, f.phaseExists(), fl)
	return nil, res, true, err
}

// link adopts an existing target user (SPEC §2.2). OIN (inferred): PATCH
// active true if it is inactive, then GET + PUT when Update user
// attributes is on. AIW: GET then PUT merged with active true.
func (f *flow) link(ctx context.Context, family string, hit *jobj) (Result, error) {
	id, fl := requireString(hit, "id")
	if fl != nil {
		return f.fail(family, f.phaseExists(), fl)
	}
	if f.cfg().Profile == ProfileAIW {
		f.rec.scimID = id
		return f.putUser(ctx, family, f.phasePush(), id, true, wireAIW)
	}
	active, fl := resourceActive(hit)
	if fl != nil {
		return f.fail(family, f.phaseExists(), fl)
	}
	f.succeed(family, id, AppUserProvisioned, nil)
	if !active {
		if res, err := f.patchStatus(ctx, family, true); err != nil || !res.OK {
			return res, err
		}
	}
	if f.cfg().Provisioning.UpdateAttributes {
		return f.putUser(ctx, family, f.phasePush(), id, true, wireOINLink)
	}
	return f.ok()
}

// pushProfile is the update flow: GET /Users/{id} then PUT of the target's
// object with Okta's values merged (documented). Unless force is set, it
// sends nothing when the mapped values did not change since the last push.
func (f *flow) pushProfile(ctx context.Context, family, phase string, force bool) (Result, error) {
	if !force && f.rec.status == AppUserProvisioned && f.m.canonical() == f.rec.lastMapped {
		return f.ok()
	}
	return f.putUser(ctx, family, phase, f.rec.scimID, true, wireProfilePush)
}

// wire names the flow a GET + PUT pair of a user belongs to, which
// decides the provenance recorded on both exchanges: the request shapes
// are documented, but not every flow that sends them is (SPEC §2.2).
type wire int

// The flows that end in GET + PUT of a user.
const (
	// wireProfilePush is the documented update flow.
	wireProfilePush wire = iota
	// wireOINLink: SPEC §2.2 marks the OIN push after linking an existing
	// user as inferred.
	wireOINLink
	// wireAIW is the AIW engine's GET + PUT for linking, reactivation and
	// deactivation (SPEC §2.2; real captures).
	wireAIW
)

// labels returns the provenance and the sources of the GET and the PUT.
func (w wire) labels() (prov Provenance, getSrc, putSrc string) {
	switch w {
	case wireOINLink:
		const why = " (SPEC §2.2: an OIN app links an existing user, then pushes its profile with GET + PUT)"
		return Inferred, srcInferred + why, srcInferred + why
	case wireAIW:
		return Observed, srcCaptures + ": the AIW engine reads the user before every PUT",
			srcCaptures + ": the AIW engine sends PUT with active for links and status changes"
	}
	return Documented, srcOktaSCIMGuide + ", Retrieve a specific user", srcOktaSCIMGuide + ", Update a specific user (PUT)"
}

// putUser reads the target's user and writes it back merged with Okta's
// values and the given active flag; w labels both exchanges.
func (f *flow) putUser(ctx context.Context, family, phase, scimID string, active bool, w wire) (Result, error) {
	prov, getSrc, putSrc := w.labels()
	path := resourcePath(scimwire.UsersEndpoint, scimID)
	rep, fl, err := f.do(ctx, call{step: "read user before update", prov: prov, source: getSrc,
		method: http.MethodGet, path: path})
	if err != nil {
		return Result{}, err
	}
	if bad := check2xx(rep, fl); bad != nil {
		return f.fail(family, phase, bad)
	}
	v, fl := parseBody(rep.body)
	if fl != nil {
		fl.status = rep.status
		return f.fail(family, phase, fl)
	}
	obj, ok := v.(*jobj)
	if !ok {
		return f.fail(family, phase, wrongType("user", "object", v))
	}
	syncPoint(ctx)
	body := mergeForPut(obj, f.m, scimID, active)
	step := "update user"
	if !active {
		step = "deactivate user"
	}
	rep, fl, err = f.do(ctx, call{step: step, prov: prov, source: putSrc,
		method: http.MethodPut, path: path, body: body})
	if err != nil {
		return Result{}, err
	}
	if bad := check2xx(rep, fl); bad != nil {
		return f.fail(family, phase, bad)
	}
	if len(trimSpace(rep.body)) > 0 {
		if _, fl := parseBody(rep.body); fl != nil {
			fl.status = rep.status
			return f.fail(family, phase, fl)
		}
	}
	status := AppUserProvisioned
	if !active {
		status = AppUserDeprovisioned
	}
	f.succeed(family, scimID, status, body)
	return f.ok()
}

// patchStatus is the OIN engine's path-less PATCH of active; 200 and 204
// are both success (documented for deactivation).
func (f *flow) patchStatus(ctx context.Context, family string, active bool) (Result, error) {
	step, prov, src, phase := "deactivate user", Documented, srcOktaSCIMGuide+", Update a specific user (PATCH)", f.phaseDeactivate()
	if active {
		step, prov, src, phase = "reactivate user", Inferred, srcInferred+" (mirror of the documented deactivation PATCH)", f.phaseReactivate()
	}
	syncPoint(ctx)
	rep, fl, err := f.do(ctx, call{step: step, prov: prov, source: src, method: http.MethodPatch,
		path: resourcePath(scimwire.UsersEndpoint, f.rec.scimID), body: patchActive(active)})
	if err != nil {
		return Result{}, err
	}
	if bad := check2xx(rep, fl); bad != nil {
		return f.fail(family, phase, bad)
	}
	status := AppUserProvisioned
	if !active {
		status = AppUserDeprovisioned
	}
	f.succeed(family, f.rec.scimID, status, nil)
	return f.ok()
}

// deactivate deactivates the linked target user: OIN path-less PATCH,
// AIW GET then PUT with active false (SPEC §2.2).
func (f *flow) deactivate(ctx context.Context) (Result, error) {
	if f.cfg().Profile == ProfileAIW {
		return f.putUser(ctx, familyDeactivate, f.phaseDeactivate(), f.rec.scimID, false, wireAIW)
	}
	return f.patchStatus(ctx, familyDeactivate, false)
}

// reactivate reactivates a deprovisioned app user. OIN: PATCH active true
// (body inferred), then the profile if it changed. AIW: the create flow,
// whose filter hit leads to GET then PUT with active true.
func (f *flow) reactivate(ctx context.Context) (Result, error) {
	if f.cfg().Profile == ProfileAIW {
		return f.create(ctx, familyReactivate)
	}
	res, err := f.patchStatus(ctx, familyReactivate, true)
	if err != nil || !res.OK {
		return res, err
	}
	if f.cfg().Provisioning.UpdateAttributes && f.m.canonical() != f.rec.lastMapped {
		return f.putUser(ctx, familyReactivate, f.phasePush(), f.rec.scimID, true, wireProfilePush)
	}
	return f.ok()
}

func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\n' || b[j-1] == '\r' || b[j-1] == '\t') {
		j--
	}
	return b[i:j]
}
