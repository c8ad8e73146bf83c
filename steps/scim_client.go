package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/gavv/httpexpect/v2"
	"github.com/tidwall/gjson"
)

// reporter records httpexpect's first failure in the World instead of
// failing a testing.T: godog steps return errors (STYLE.md, "Known traps":
// not ReporterFunc, which formats its arguments wrongly).
type reporter struct{ w *World }

// Errorf records the failure message; only the first one per step is kept.
func (r reporter) Errorf(message string, args ...any) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	if r.w.reported == "" {
		r.w.reported = fmt.Sprintf(message, args...)
	}
}

// raw is one raw SCIM request, sent with httpexpect.
type raw struct {
	method, path string
	body         string
	contentType  string
	headers      map[string]string
	// authorization overrides the target's credential; noAuth sends none.
	authorization string
	noAuth        bool
}

// expect returns an httpexpect instance for the target's SCIM base URL that
// records exchanges into the World.
func (w *World) expect(ctx context.Context) *httpexpect.Expect {
	return httpexpect.WithConfig(httpexpect.Config{
		BaseURL:   w.conn.baseURL,
		Client:    w.recordingClient("SCIM client"),
		Reporter:  reporter{w: w},
		Formatter: &httpexpect.DefaultFormatter{DisableRequests: true, DisableResponses: true, ColorMode: httpexpect.ColorModeNever},
		Context:   ctx,
	})
}

// recordingClient returns the connection's client with every exchange
// recorded into the World under op. It keeps the connection's redirect rule
// (Okta does not follow redirects, SPEC §2.1) and timeout, so every SCIM
// request of a scenario behaves alike.
func (w *World) recordingClient(op string) *http.Client {
	return &http.Client{
		Transport:     recorder{next: w.conn.client.Transport, w: w, op: op},
		CheckRedirect: w.conn.client.CheckRedirect,
		Timeout:       w.conn.client.Timeout,
		Jar:           w.conn.client.Jar,
	}
}

// send sends a raw SCIM request and keeps the response as the last one.
func (w *World) send(ctx context.Context, r raw) (*httpexpect.Response, error) {
	path, query, _ := strings.Cut(r.path, "?")
	req := w.expect(ctx).Request(r.method, path)
	if query != "" {
		req = req.WithQueryString(query)
	}
	req = req.WithHeader("Accept", "application/scim+json")
	switch {
	case r.noAuth:
	case r.authorization != "":
		req = req.WithHeader("Authorization", r.authorization)
	default:
		req = req.WithHeader("Authorization", w.conn.authorization)
	}
	for k, v := range r.headers {
		req = req.WithHeader(k, v)
	}
	if r.body != "" {
		ct := r.contentType
		if ct == "" {
			ct = "application/scim+json"
		}
		req = req.WithHeader("Content-Type", ct).WithBytes([]byte(r.body))
	}
	resp := req.Expect()
	w.last = resp
	if id := gjson.Get(w.lastBody(), "Resources.0.id"); id.Exists() {
		w.firstList = id.String()
	}
	if err := w.consumeReported("the request to complete"); err != nil {
		return resp, err
	}
	return resp, nil
}

// lastBody returns the last response body.
func (w *World) lastBody() string {
	if w.lastEx == nil {
		return ""
	}
	return w.lastEx.ResponseBody
}

func (w *World) lastStatus() int {
	if w.lastEx == nil {
		return 0
	}
	return w.lastEx.Status
}

// createBody is the body Okta sends on create (SPEC §2.2), used for raw
// creates so that they look like Okta's.
func createBody(u *user, userName string) string {
	b, _ := json.Marshal(map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName":    userName,
		"name":        map[string]string{"givenName": u.given, "familyName": u.family},
		"emails":      []map[string]any{{"primary": true, "value": userName, "type": "work"}},
		"displayName": u.given + " " + u.family,
		"locale":      "en-US",
		"externalId":  "00u" + u.suffix,
		"groups":      []string{},
		"password":    "Pw" + u.suffix,
		"active":      true,
	})
	return string(b)
}

// create creates the user through raw SCIM and records its id.
func (w *World) create(ctx context.Context, u *user, userName, contentType string) error {
	if _, err := w.send(ctx, raw{method: http.MethodPost, path: "/Users", body: createBody(u, userName), contentType: contentType}); err != nil {
		return err
	}
	if w.lastStatus() == http.StatusCreated {
		if id := gjson.Get(w.lastBody(), "id").String(); id != "" {
			u.scimID = id
		}
	}
	return nil
}

// requireCreated creates the user and insists on 201 with an id.
func (w *World) requireCreated(ctx context.Context, u *user) error {
	if err := w.create(ctx, u, u.userName, ""); err != nil {
		return err
	}
	if w.lastStatus() != http.StatusCreated || u.scimID == "" {
		return w.failLast(fmt.Sprintf("POST /Users for %s to answer 201 with an id", u.userName),
			fmt.Sprintf("%d with id %q", w.lastStatus(), gjson.Get(w.lastBody(), "id").String()))
	}
	return nil
}

// read GETs the user by its SCIM id.
func (w *World) read(ctx context.Context, u *user) (string, error) {
	if u.scimID == "" {
		return "", w.fail(fmt.Sprintf("a SCIM id for %s", u.userName), "none: the user was never created or linked", nil, "", "")
	}
	if _, err := w.send(ctx, raw{method: http.MethodGet, path: "/Users/" + u.scimID}); err != nil {
		return "", err
	}
	if w.lastStatus() != http.StatusOK {
		return "", w.failLast(fmt.Sprintf("GET /Users/%s to answer 200", u.scimID), fmt.Sprint(w.lastStatus()))
	}
	return w.lastBody(), nil
}

// putModified GETs the user, lets edit change the JSON object and PUTs it
// back, as Okta does (SPEC §2.2: the target's own object with values merged).
func (w *World) putModified(ctx context.Context, u *user, headers map[string]string, edit func(map[string]any)) error {
	body, err := w.read(ctx, u)
	if err != nil {
		return err
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(body), &obj); err != nil {
		return w.failLast("GET /Users/{id} to answer a JSON object", "unparsable body: "+err.Error())
	}
	edit(obj)
	b, _ := json.Marshal(obj)
	_, err = w.send(ctx, raw{method: http.MethodPut, path: "/Users/" + u.scimID, body: string(b), headers: headers})
	return err
}

func setName(obj map[string]any, key, value string) {
	name, _ := obj["name"].(map[string]any)
	if name == nil {
		name = map[string]any{}
	}
	name[key] = value
	obj["name"] = name
}

// mediaType returns the media type of a Content-Type value, lower-cased.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(ct))
	}
	return mt
}
