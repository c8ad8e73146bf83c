package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// registerStepDefs binds every step definition, by domain, each with its
// rule (levels.go).
func registerStepDefs(sc stepDefs) {
	registerSCIMSteps(sc)
	registerAssertSteps(sc)
	registerOktaSteps(sc)
	registerEntraSteps(sc)
	registerGroupSteps(sc)
	registerAccessSteps(sc)
	registerCortexSteps(sc)
	registerRoleSteps(sc)
	registerFilterSteps(sc)
	registerExactSteps(sc)
	registerPatchSteps(sc)
	registerInputSteps(sc)
	registerHTTPSteps(sc)
	registerDetailSteps(sc)
	registerInFlightSteps(sc)
}

func registerSCIMSteps(sc stepDefs) {
	sc.Step(`^a SCIM client sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)"$`, ScenarioRule, func(ctx context.Context, method, path string) error {
		w := worldFrom(ctx)
		p, err := w.expandVars(path)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: method, path: p})
		return err
	})
	sc.Step(`^a SCIM client sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)" without credentials$`, ScenarioRule, func(ctx context.Context, method, path string) error {
		w := worldFrom(ctx)
		_, err := w.send(ctx, raw{method: method, path: path, noAuth: true})
		return err
	})
	sc.Step(`^a SCIM client sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)" with the Authorization "([^"]*)"$`, ScenarioRule, func(ctx context.Context, method, path, auth string) error {
		w := worldFrom(ctx)
		_, err := w.send(ctx, raw{method: method, path: path, authorization: auth})
		return err
	})
	sc.Step(`^a SCIM client sends (POST|PUT|PATCH) "([^"]*)" with:$`, ScenarioRule, func(ctx context.Context, method, path string, doc *godog.DocString) error {
		w := worldFrom(ctx)
		body, err := w.expandVars(doc.Content)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: method, path: path, body: body})
		return err
	})
	sc.Step(`^the target already has the user "([^"]*)"$`, okta("Okta SCIM 2.0 spec test step 6 (POST /Users answers 201 with an id); RFC 7644 §3.3"), func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		return w.requireCreated(ctx, w.userFor(alias))
	})
	sc.Step(`^the target already has (\d+) users named "([^"]*)"$`, okta("Okta SCIM 2.0 spec test step 6 (POST /Users answers 201 with an id); RFC 7644 §3.3"), func(ctx context.Context, n int, prefix string) error {
		w := worldFrom(ctx)
		for i := 1; i <= n; i++ {
			if err := w.requireCreated(ctx, w.memberFor(prefix, i)); err != nil {
				return err
			}
		}
		return nil
	})
	sc.Step(`^a SCIM client creates the user "([^"]*)"(?: again)?$`, ScenarioRule, func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		u := w.userFor(alias)
		return w.create(ctx, u, u.userName, "")
	})
	sc.Step(`^a SCIM client creates the user "([^"]*)" again with the userName in upper case$`, ScenarioRule, func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		u := w.userFor(alias)
		return w.create(ctx, u, strings.ToUpper(u.userName), "")
	})
	sc.Step(`^a SCIM client creates the user "([^"]*)" with Content-Type "([^"]*)"$`, ScenarioRule, func(ctx context.Context, alias, ct string) error {
		w := worldFrom(ctx)
		u := w.userFor(alias)
		return w.create(ctx, u, u.userName, ct)
	})
	sc.Step(`^the target already has "([^"]*)" with the userName in upper case$`, okta("Okta SCIM 2.0 spec test step 6 (POST /Users answers 201 with an id); RFC 7644 §3.3"), func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		u := w.userFor(alias)
		if err := w.create(ctx, u, strings.ToUpper(u.userName), ""); err != nil {
			return err
		}
		if w.lastStatus() != http.StatusCreated {
			return w.failLast("POST /Users to answer 201", strconv.Itoa(w.lastStatus()))
		}
		return nil
	})
	sc.Step(`^two SCIM clients create the user "([^"]*)" at the same time$`, ScenarioRule, func(ctx context.Context, alias string) error {
		w := worldFrom(ctx)
		u := w.userFor(alias)
		return w.race(ctx, func() (int, error) {
			r, err := w.rawStatus(ctx, raw{method: http.MethodPost, path: "/Users", body: createBody(u, u.userName)})
			return r, err
		})
	})
	sc.Step(`^two SCIM clients send Okta's deactivation PATCH for "([^"]*)" at the same time$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		body := `{"schemas":["` + scimwire.PatchOpSchema + `"],"Operations":[{"op":"replace","value":{"active":false}}]}`
		return w.race(ctx, func() (int, error) {
			return w.rawStatus(ctx, raw{method: http.MethodPatch, path: "/Users/" + u.scimID, body: body})
		})
	}))
	sc.Step(`^a SCIM client reads "([^"]*)"$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		_, err := w.send(ctx, raw{method: http.MethodGet, path: "/Users/" + u.scimID})
		return err
	}))
	sc.Step(`^a SCIM client (?:deletes|deleted) "([^"]*)"$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		_, err := w.send(ctx, raw{method: http.MethodDelete, path: "/Users/" + u.scimID})
		return err
	}))
	sc.Step(`^a SCIM client deactivated "([^"]*)"$`, okta("Okta SCIM 2.0 guide: Update a specific user (PUT with active false answers 200); RFC 7644 §3.5.1"), onUser(func(ctx context.Context, w *World, u *user) error {
		if err := w.putModified(ctx, u, nil, func(o map[string]any) { o["active"] = false }); err != nil {
			return err
		}
		if s := w.lastStatus(); s != http.StatusOK {
			return w.failLast("PUT with active false to answer 200", strconv.Itoa(s))
		}
		return nil
	}))
	sc.Step(`^a SCIM client reads "([^"]*)" and PUTs it back unchanged except the given name "([^"]*)"$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, given string) error {
		return w.putModified(ctx, u, nil, func(o map[string]any) { setName(o, "givenName", given) })
	}))
	sc.Step(`^a SCIM client PUTs "([^"]*)" with a new userName and the given name "([^"]*)"$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, given string) error {
		renamed := "renamed." + u.local + "@example.com"
		return w.putModified(ctx, u, nil, func(o map[string]any) {
			o["userName"] = renamed
			o["emails"] = []map[string]any{{"primary": true, "type": "work", "value": renamed}}
			setName(o, "givenName", given)
		})
	}))
	sc.Step(`^a SCIM client PUTs "([^"]*)" with the given name "([^"]*)" and extra attributes:$`, ScenarioRule, onUserWith2(func(ctx context.Context, w *World, u *user, given string, doc *godog.DocString) error {
		extra := gjson.Parse(doc.Content)
		if !extra.IsObject() {
			return fmt.Errorf("scenario error: extra attributes must be a JSON object")
		}
		return w.putModified(ctx, u, nil, func(o map[string]any) {
			for k, v := range extra.Value().(map[string]any) {
				o[k] = v
			}
			setName(o, "givenName", given)
		})
	}))
	sc.Step(`^a SCIM client PUTs "([^"]*)" with the given name "([^"]*)" and a stale If-Match$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, given string) error {
		return w.putModified(ctx, u, map[string]string{"If-Match": w.staleETag()}, func(o map[string]any) { setName(o, "givenName", given) })
	}))
	sc.Step(`^a SCIM client PUTs "([^"]*)" with the given name "([^"]*)" and If-Match of its current ETag$`, must("RFC 7644 §3.14 (ETags MUST be surfaced in the ETag header when supported)"), onUserWith(func(ctx context.Context, w *World, u *user, given string) error {
		if _, err := w.read(ctx, u); err != nil {
			return err
		}
		etag := w.last.Raw().Header.Get("ETag")
		if etag == "" {
			etag = gjson.Get(w.lastBody(), "meta.version").String()
		}
		if etag == "" {
			return w.failLast("GET /Users/{id} to carry an ETag header or meta.version", "neither")
		}
		return w.putModified(ctx, u, map[string]string{"If-Match": etag}, func(o map[string]any) { setName(o, "givenName", given) })
	}))
	sc.Step(`^a SCIM client PATCHes "([^"]*)" with a stale If-Match:$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, doc *godog.DocString) error {
		body, err := w.expandVars(doc.Content)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: http.MethodPatch, path: "/Users/" + u.scimID, body: body, headers: map[string]string{"If-Match": w.staleETag()}})
		return err
	}))
	sc.Step(`^a SCIM client deletes "([^"]*)" with a stale If-Match$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		_, err := w.send(ctx, raw{method: http.MethodDelete, path: "/Users/" + u.scimID, headers: map[string]string{"If-Match": w.staleETag()}})
		return err
	}))
	sc.Step(`^a SCIM client PUTs "([^"]*)" with "active" set to true$`, ScenarioRule, onUser(func(ctx context.Context, w *World, u *user) error {
		return w.putModified(ctx, u, nil, func(o map[string]any) { o["active"] = true })
	}))
	sc.Step(`^a SCIM client PATCHes "([^"]*)" with:$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, doc *godog.DocString) error {
		body, err := w.expandVars(doc.Content)
		if err != nil {
			return err
		}
		_, err = w.send(ctx, raw{method: http.MethodPatch, path: "/Users/" + u.scimID, body: body})
		return err
	}))
	sc.Step(`^a SCIM client filters users by userName "([^"]*)"$`, ScenarioRule, func(ctx context.Context, v string) error {
		w := worldFrom(ctx)
		v, err := w.expandVars(v)
		if err != nil {
			return err
		}
		return w.filter(ctx, fmt.Sprintf("userName eq %q", v))
	})
	sc.Step(`^a SCIM client filters users by "([^"]*)"'s userName( in upper case| in lower case)?$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, casing string) error {
		v := u.userName
		switch strings.TrimSpace(casing) {
		case "in upper case":
			v = strings.ToUpper(v)
		case "in lower case":
			v = strings.ToLower(v)
		}
		return w.filter(ctx, fmt.Sprintf("userName eq %q", v))
	}))
	sc.Step(`^a SCIM client filters users with: (.+)$`, ScenarioRule, func(ctx context.Context, expr string) error {
		w := worldFrom(ctx)
		expr, err := w.expandVars(expr)
		if err != nil {
			return err
		}
		return w.filter(ctx, expr)
	})
	sc.Step(`^a SCIM client reads the first listed user by id$`, ScenarioRule, func(ctx context.Context) error {
		w := worldFrom(ctx)
		if w.firstList == "" {
			return w.failLast("an earlier list to return a resource with an id", "none")
		}
		_, err := w.send(ctx, raw{method: http.MethodGet, path: "/Users/" + url.PathEscape(w.firstList)})
		return err
	})
	sc.Step(`^a SCIM client lists the users named "([^"]*)" in pages of (\d+)$`, must("RFC 7644 §3.4.2.4 (pagination answers 200 ListResponses)"), func(ctx context.Context, prefix string, size int) error {
		w := worldFrom(ctx)
		w.pages = nil
		expr := fmt.Sprintf("userName sw %q", w.groupPrefix(prefix))
		w.pagesPath = pageQuery(expr, 1, wholeListCount)
		filter := strings.ReplaceAll(url.QueryEscape(expr), "+", "%20")
		for start := 1; start < 10000; start += size {
			if _, err := w.send(ctx, raw{method: http.MethodGet, path: fmt.Sprintf("/Users?filter=%s&startIndex=%d&count=%d", filter, start, size)}); err != nil {
				return err
			}
			if w.lastStatus() != http.StatusOK {
				return w.failLast("a page to answer 200", strconv.Itoa(w.lastStatus()))
			}
			body := w.lastBody()
			if start == 1 {
				w.firstPage = body
			}
			res := gjson.Get(body, "Resources").Array()
			for _, r := range res {
				w.pages = append(w.pages, r.Get("userName").String())
			}
			if len(res) == 0 || int64(start-1+len(res)) >= gjson.Get(body, "totalResults").Int() {
				return nil
			}
		}
		return w.failLast("paging to end", "more than 10000 resources")
	})
}

// staleETag is an entity tag no version of any user has (RFC 9110 §13.1.1:
// If-Match with it must fail with 412).
func (w *World) staleETag() string { return `W/"stale-` + w.suffix + `"` }

// filter sends GET /Users?filter=… and remembers the first listed id.
func (w *World) filter(ctx context.Context, expr string) error {
	_, err := w.send(ctx, raw{method: http.MethodGet, path: "/Users?filter=" + strings.ReplaceAll(url.QueryEscape(expr), "+", "%20")})
	w.firstList = gjson.Get(w.lastBody(), "Resources.0.id").String()
	return err
}

// rawStatus sends a request outside the World's "last response" slot (for
// racing requests) and returns the status.
func (w *World) rawStatus(ctx context.Context, r raw) (int, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, w.conn.baseURL+r.path, strings.NewReader(r.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", w.conn.authorization)
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("Accept", "application/scim+json")
	resp, err := w.recordingClient("SCIM client (racing)").Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// race runs f twice at the same time and keeps both statuses.
func (w *World) race(ctx context.Context, f func() (int, error)) error {
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	errs := make([]error, 2)
	start := make(chan struct{})
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i], errs[i] = f()
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	slices.Sort(statuses)
	w.pair = statuses
	return nil
}
