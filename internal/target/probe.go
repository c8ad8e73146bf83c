package target

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/version"
)

// ProbeName names one probe (SPEC §3.3).
type ProbeName string

// Grants give a freshly provisioned user access; the harness then
// deprovisions through Okta and observes that the access is gone.
const (
	// GrantRole gives {email} the role {role}.
	GrantRole ProbeName = "grantRole"
	// GrantTeam adds {email} to the team {team} (creating the team if need
	// be); it works before the user exists too, recording the email.
	GrantTeam ProbeName = "grantTeam"
	// MintAPIKey mints a personal API key for {email}; Pick selects the
	// secret.
	MintAPIKey ProbeName = "mintAPIKey"
	// MintSCIMKey mints a personal API key for {email} whose role may call
	// the SCIM API (SPEC §1.2: a key carries a role); Pick selects the
	// secret. The in-flight scenario sends a SCIM request with it while
	// its owner is deprovisioned.
	MintSCIMKey ProbeName = "mintSCIMKey"
	// OpenSession logs {email} in (standing in for SSO); Pick selects the
	// session token. A refusal (any status in Refused) means the user cannot
	// log in.
	OpenSession ProbeName = "openSession"
	// OwnEntity creates the entity {entity} owned by {email}; Pick selects
	// the entity's id, passed to EntityOwners as {entityId}.
	OwnEntity ProbeName = "ownEntity"
	// RevokeRole takes the role {role} from {email}, as an admin does by
	// hand.
	RevokeRole ProbeName = "revokeRole"
	// RemoveTeamMember removes {email} from the team {team}, as an admin
	// does by hand.
	RemoveTeamMember ProbeName = "removeTeamMember"
)

// Observations read the access state.
const (
	// ReadRoles: Pick selects the user's role names (an array).
	ReadRoles ProbeName = "readRoles"
	// ReadTeams: Pick selects the user's team names (an array).
	ReadTeams ProbeName = "readTeams"
	// TeamMembers: Pick selects the emails of the team {team}'s members
	// whose record is associated with a user.
	TeamMembers ProbeName = "teamMembers"
	// KeyValid calls with the key {secret}; Valid lists the statuses that
	// mean it still works. An optional Pick selects the email of the user a
	// personal key belongs to ("who am I", SPEC §1.5).
	KeyValid ProbeName = "keyValid"
	// SessionValid calls with the session token {secret}; Valid and Pick
	// as above.
	SessionValid ProbeName = "sessionValid"
	// EntityOwners reads the entity {entityId}: Pick selects the ids of the
	// users associated as its owners, compared with the user's SCIM id.
	EntityOwners ProbeName = "entityOwners"
	// ActiveUsers reads the Users tab (SPEC §1.5): Pick selects the emails
	// of the users it lists as active (a deprovisioned user is not among
	// them: source article, "verify that the user has been removed").
	ActiveUsers ProbeName = "activeUsers"
	// ReadKeyCount: Pick selects the number of personal API keys the Users
	// tab shows for {email}.
	ReadKeyCount ProbeName = "readKeyCount"
	// ReadSessionCount: Pick selects the number of active sessions the
	// Users tab shows for {email}.
	ReadSessionCount ProbeName = "readSessionCount"
	// RolePermissions: Pick selects the permissions of the role {role} (an
	// array).
	RolePermissions ProbeName = "rolePermissions"
	// SettingsView reads the settings as the admin sees them: Pick selects
	// an object {"scim": bool, "defaultRole": string, "allowlist": [entries],
	// "keepInTeams": bool, "header": string} (a gjson multipath builds it
	// from any shape; "header" is the client IP header, "" for none).
	SettingsView ProbeName = "settingsView"
	// KeyID: Pick selects the id of the API key named {keyName}, passed to
	// RevokeKey as {keyId}.
	KeyID ProbeName = "keyId"
)

// Controls change target settings for the Forbidden and settings scenarios.
const (
	// ReadSettings: the whole response body is kept and handed back as
	// {settings} to RestoreSettings after the scenario.
	ReadSettings    ProbeName = "readSettings"
	RestoreSettings ProbeName = "restoreSettings"
	// SetSCIM turns SCIM on or off: {enabled} is a JSON boolean.
	SetSCIM ProbeName = "setSCIM"
	// SetAllowlist sets the IP allowlist {cidrs} (a JSON array) and the
	// client IP header {header}.
	SetAllowlist ProbeName = "setAllowlist"
	// SetDefaultRole sets the default role {role}.
	SetDefaultRole ProbeName = "setDefaultRole"
	// SetKeepInTeams sets "keep deprovisioned users in teams" to {enabled}.
	SetKeepInTeams ProbeName = "setKeepInTeams"
	// MintRoleKey creates a custom role {role} holding {permissions} (a JSON
	// array) and a workspace key with it; Pick selects the secret.
	MintRoleKey ProbeName = "mintRoleKey"
	// RevokeKey revokes the API key {keyId}: it stops working at once.
	RevokeKey ProbeName = "revokeKey"
	// CreateRole creates the custom role {role} holding {permissions} (a
	// JSON array); Pick selects the permissions the answer shows, and a
	// status in Refused means the name is taken (by a built-in role, or by
	// a role with other permissions).
	CreateRole ProbeName = "createRole"
	// DeleteRole deletes the role {role}; a status in Refused means the
	// target kept it (built in, still in use, or no such role).
	DeleteRole ProbeName = "deleteRole"
	// SetClientIPHeader sets the client IP header {header} alone; Pick
	// selects the header the answer shows, and a status in Refused means
	// the target rejected the name and changed nothing.
	SetClientIPHeader ProbeName = "setClientIPHeader"
)

var probeDocs = map[ProbeName]string{
	GrantRole: "grant", GrantTeam: "grant", MintAPIKey: "grant", MintSCIMKey: "grant", OpenSession: "grant", OwnEntity: "grant",
	RevokeRole: "grant", RemoveTeamMember: "grant",
	ReadRoles: "observation", ReadTeams: "observation", TeamMembers: "observation", KeyValid: "observation",
	SessionValid: "observation", EntityOwners: "observation", ActiveUsers: "observation", ReadKeyCount: "observation",
	ReadSessionCount: "observation", RolePermissions: "observation", KeyID: "observation", SettingsView: "observation",
	ReadSettings: "control", RestoreSettings: "control", SetSCIM: "control", SetAllowlist: "control",
	SetDefaultRole: "control", SetKeepInTeams: "control", MintRoleKey: "control", RevokeKey: "control",
	CreateRole: "control", DeleteRole: "control", SetClientIPHeader: "control",
}

// ProbeNames lists every known probe name, sorted.
func ProbeNames() []ProbeName {
	out := make([]ProbeName, 0, len(probeDocs))
	for n := range probeDocs {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Request is one HTTP request template. Placeholders {name} are replaced:
// in Path they are URL-path-escaped, in Body JSON-escaped (JSON-valued
// variables such as {cidrs} go in raw), in Headers verbatim.
type Request struct {
	Method string `yaml:"method" json:"method"`
	// Path is appended to the admin base URL, or absolute.
	Path    string            `yaml:"path" json:"path"`
	Headers map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	Body    string            `yaml:"body,omitempty" json:"body,omitempty"`
	// Expect lists the acceptable statuses; empty means any 2xx.
	Expect []int `yaml:"expect,omitempty" json:"expect,omitempty"`
}

// Probe is a sequence of requests; Pick, Valid and Refused read the last
// response.
type Probe struct {
	Requests []Request `yaml:"requests" json:"requests"`
	// Pick is a gjson path over the last response body.
	Pick string `yaml:"pick,omitempty" json:"pick,omitempty"`
	// Valid lists the statuses meaning "still works" (KeyValid,
	// SessionValid); any other status in Expect means revoked.
	Valid []int `yaml:"valid,omitempty" json:"valid,omitempty"`
	// Refused lists statuses meaning "refused" rather than an error
	// (OpenSession for a deprovisioned user).
	Refused []int `yaml:"refused,omitempty" json:"refused,omitempty"`
}

// Probes maps names to probes.
type Probes map[ProbeName]Probe

func (ps Probes) validate() error {
	for name, p := range ps {
		if _, ok := probeDocs[name]; !ok {
			names := make([]string, 0, len(probeDocs))
			for _, n := range ProbeNames() {
				names = append(names, string(n))
			}
			return fmt.Errorf("probes: unknown probe %q (known: %s)", name, strings.Join(names, ", "))
		}
		if len(p.Requests) == 0 {
			return fmt.Errorf("probes.%s: needs at least one request", name)
		}
		for i, r := range p.Requests {
			if r.Method == "" || r.Path == "" {
				return fmt.Errorf("probes.%s.requests[%d]: method and path are required", name, i)
			}
		}
		if p.Pick != "" && !gjsonPathOK(p.Pick) {
			return fmt.Errorf("probes.%s.pick: %q is not a gjson path", name, p.Pick)
		}
	}
	return nil
}

func gjsonPathOK(p string) bool { return strings.TrimSpace(p) != "" && !strings.ContainsAny(p, "\n\r") }

// Var is a template variable. JSON variables are inserted raw into bodies.
type Var struct {
	Value string
	JSON  bool
}

// Vars are the placeholders of one probe call.
type Vars map[string]Var

// S is a string variable.
func S(v string) Var { return Var{Value: v} }

// J is a JSON variable (inserted raw into bodies).
func J(v any) Var {
	b, err := json.Marshal(v)
	if err != nil {
		return Var{Value: "null", JSON: true}
	}
	return Var{Value: string(b), JSON: true}
}

// Result is the outcome of a probe.
type Result struct {
	Status int
	Body   string
	Picked gjson.Result
	// Valid is set for probes with Valid statuses.
	Valid bool
	// Refused is set when the last status is one of Refused.
	Refused bool
}

// Exchange is one probe request and its answer, redacted, for transcripts.
type Exchange struct {
	Probe           ProbeName
	Started         time.Time
	Method, URL     string
	RequestHeaders  http.Header
	RequestBody     string
	Status          int
	ResponseHeaders http.Header
	ResponseBody    string
	Duration        time.Duration
	Error           string
}

// Prober runs probes against a target's admin API.
type Prober struct {
	Client *http.Client
	Admin  Admin
	Probes Probes
	// Record receives every exchange, with secrets redacted; may be nil.
	Record func(Exchange)
	// Secrets are values to redact from recorded exchanges besides the
	// Authorization header (session tokens, minted keys).
	Secrets func() []string
}

// Has reports whether the probe is configured.
func (p *Prober) Has(name ProbeName) bool {
	if p == nil {
		return false
	}
	_, ok := p.Probes[name]
	return ok
}

// Run runs the probe with vars.
func (p *Prober) Run(ctx context.Context, name ProbeName, vars Vars) (Result, error) {
	probe, ok := p.Probes[name]
	if !ok {
		return Result{}, fmt.Errorf("probe %s: not configured in the target profile", name)
	}
	var res Result
	for i, r := range probe.Requests {
		status, body, err := p.do(ctx, name, r, vars)
		if err != nil {
			return res, fmt.Errorf("probe %s: %w", name, err)
		}
		res.Status, res.Body = status, body
		last := i == len(probe.Requests)-1
		if last && slices.Contains(probe.Refused, status) {
			res.Refused = true
			return res, nil
		}
		if last && len(probe.Valid) > 0 {
			res.Valid = slices.Contains(probe.Valid, status)
			if res.Valid || len(r.Expect) == 0 || slices.Contains(r.Expect, status) {
				return res.pick(probe, vars), nil
			}
		}
		if !statusOK(r.Expect, status) {
			return res, fmt.Errorf("probe %s: %s %s answered %d, want %s: %s", name, r.Method, expand(r.Path, vars, pathEscape), status, wantStatus(r.Expect), trim(body, 300))
		}
	}
	return res.pick(probe, vars), nil
}

// pick applies the probe's Pick, if any, to the last response body.
func (res Result) pick(probe Probe, vars Vars) Result {
	if probe.Pick != "" {
		res.Picked = gjson.Get(res.Body, expand(probe.Pick, vars, func(s string) string { return s }))
	}
	return res
}

func statusOK(expect []int, status int) bool {
	if len(expect) == 0 {
		return status >= 200 && status < 300
	}
	return slices.Contains(expect, status)
}

func wantStatus(expect []int) string {
	if len(expect) == 0 {
		return "2xx"
	}
	parts := make([]string, len(expect))
	for i, s := range expect {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, " or ")
}

func (p *Prober) do(ctx context.Context, name ProbeName, r Request, vars Vars) (int, string, error) {
	path := expand(r.Path, vars, pathEscape)
	u := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		u = strings.TrimRight(p.Admin.BaseURL, "/") + path
	}
	var body io.Reader
	reqBody := ""
	if r.Body != "" {
		reqBody = expand(r.Body, vars, jsonEscape)
		body = strings.NewReader(reqBody)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u, body)
	if err != nil {
		return 0, "", fmt.Errorf("build %s %s: %w", r.Method, redactURL(u), err)
	}
	if p.Admin.Auth.Secret != "" {
		req.Header.Set("Authorization", p.Admin.Auth.Authorization())
	}
	if p.Admin.ClientIPHeader != "" {
		req.Header.Set(p.Admin.ClientIPHeader, p.Admin.ClientIP)
	}
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	// The harness says who it is (scimulator/VERSION (harness)).
	req.Header.Set("User-Agent", version.UserAgent())
	for k, v := range r.Headers {
		req.Header.Set(k, expand(v, vars, func(s string) string { return s }))
	}
	start := time.Now()
	ex := Exchange{Probe: name, Started: start, Method: r.Method, URL: redactURL(u), RequestHeaders: redactHeaders(req.Header), RequestBody: reqBody}
	resp, err := p.Client.Do(req)
	if err != nil {
		ex.Error, ex.Duration = err.Error(), time.Since(start)
		p.record(ex)
		return 0, "", fmt.Errorf("%s %s: %w", r.Method, redactURL(u), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	ex.Status, ex.ResponseHeaders, ex.ResponseBody, ex.Duration = resp.StatusCode, resp.Header.Clone(), string(b), time.Since(start)
	p.record(ex)
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: read body: %w", r.Method, redactURL(u), err)
	}
	return resp.StatusCode, string(b), nil
}

func (p *Prober) record(ex Exchange) {
	if p.Record == nil {
		return
	}
	var secrets []string
	if p.Secrets != nil {
		secrets = p.Secrets()
	}
	if p.Admin.Auth.Secret != "" {
		secrets = append(secrets, p.Admin.Auth.Secret)
	}
	ex.RequestBody = RedactString(ex.RequestBody, secrets)
	ex.ResponseBody = RedactString(ex.ResponseBody, secrets)
	ex.URL = RedactString(ex.URL, secrets)
	p.Record(ex)
}

// RedactString replaces every secret in s with "[REDACTED]".
func RedactString(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}

// redactHeaders copies h with credentials blanked.
func redactHeaders(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Authorization", "Cookie", "X-Api-Key"} {
		if out.Get(k) != "" {
			out.Set(k, "[REDACTED]")
		}
	}
	return out
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// placeholder matches {name}; JSON braces around it never match because a
// name holds only letters and digits.
var placeholder = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9]*)\}`)

// expand replaces {name} placeholders with escaped variable values; JSON
// variables go in unescaped. Unknown placeholders are left as written.
func expand(tmpl string, vars Vars, esc func(string) string) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		v, ok := vars[m[1:len(m)-1]]
		switch {
		case !ok:
			return m
		case v.JSON:
			return v.Value
		}
		return esc(v.Value)
	})
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(bytes.Trim(b, `"`))
}

func trim(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// pathEscape escapes a path segment, so "{team}" with a slash stays one
// segment.
func pathEscape(s string) string { return url.PathEscape(s) }
