// Package target describes the system the conformance suite tests: a target
// profile (a YAML or JSON file, or flags and environment) holding the SCIM
// base URL, how to authenticate, Okta's traffic profile, TLS options, the
// capabilities the target supports and the probes that read its access state
// through its own admin API (SPEC §3.2, §3.3).
//
// A profile never holds a secret: it names the environment variable that
// does, and Resolve reads it.
package target

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/scimulator/scimulator/internal/launch"
	"github.com/scimulator/scimulator/reports"
)

// Traffic is Okta's traffic profile (SPEC §2.2).
type Traffic string

// The two traffic profiles.
const (
	// TrafficOIN is a catalog app: PATCH for status changes.
	TrafficOIN Traffic = "OIN"
	// TrafficAIW is an App Integration Wizard app: PUT for everything.
	TrafficAIW Traffic = "AIW"
)

// ParseTraffic accepts "oin" or "aiw" in any case; "" means OIN.
func ParseTraffic(s string) (Traffic, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "OIN":
		return TrafficOIN, nil
	case "AIW":
		return TrafficAIW, nil
	}
	return "", fmt.Errorf("traffic profile %q: want OIN (catalog app, PATCH for status changes) or AIW (wizard app, PUT for everything)", s)
}

// AuthMode is how the credential goes into the Authorization header
// (SPEC §2.1).
type AuthMode string

// The authorization modes.
const (
	AuthBearer AuthMode = "bearer" // "Bearer " + secret
	AuthHeader AuthMode = "header" // the secret verbatim
	AuthBasic  AuthMode = "basic"  // Basic base64(username:secret)
)

// ParseAuthMode accepts bearer, header or basic in any case; "" means bearer.
func ParseAuthMode(s string) (AuthMode, error) {
	switch AuthMode(strings.ToLower(strings.TrimSpace(s))) {
	case "", AuthBearer:
		return AuthBearer, nil
	case AuthHeader:
		return AuthHeader, nil
	case AuthBasic:
		return AuthBasic, nil
	}
	return "", fmt.Errorf("auth mode %q: want bearer, header or basic", s)
}

// Auth says how to authenticate and where the secret lives.
type Auth struct {
	Mode AuthMode `yaml:"mode" json:"mode"`
	// SecretEnv names the environment variable holding the API token (or,
	// for basic, the password). The file never holds the secret itself.
	SecretEnv string `yaml:"secretEnv" json:"secretEnv"`
	// Username is the basic-auth user name (not a secret).
	Username string `yaml:"username,omitempty" json:"username,omitempty"`
	// Secret is filled by Resolve from SecretEnv (or, in-process, from the
	// server); it is never read from or written to a file.
	Secret string `yaml:"-" json:"-"`
}

// Authorization renders the Authorization header value.
func (a Auth) Authorization() string {
	switch a.Mode {
	case AuthHeader:
		return a.Secret
	case AuthBasic:
		return basicAuth(a.Username, a.Secret)
	}
	return "Bearer " + a.Secret
}

// TLS holds the TLS options for talking to the target.
type TLS struct {
	// CAFile is a PEM file of extra roots to trust (for a self-signed
	// certificate).
	CAFile string `yaml:"caFile,omitempty" json:"caFile,omitempty"`
	// InsecureSkipVerify turns certificate verification off. Okta never
	// does this; use it only to get a first run going.
	InsecureSkipVerify bool `yaml:"insecureSkipVerify,omitempty" json:"insecureSkipVerify,omitempty"`
}

// Admin is the target's admin API used by the probes.
type Admin struct {
	// BaseURL is the admin API base; probes' paths are appended.
	BaseURL string `yaml:"baseURL" json:"baseURL"`
	Auth    Auth   `yaml:"auth" json:"auth"`
	// ClientIPHeader and ClientIP: the harness's probes send ClientIP in
	// this header, so that allowlist scenarios, which put Okta's egress
	// address outside the allowlist, never lock the harness out (the
	// allowlist scenarios add ClientIP to the list they set).
	ClientIPHeader string `yaml:"clientIPHeader,omitempty" json:"clientIPHeader,omitempty"`
	ClientIP       string `yaml:"clientIP,omitempty" json:"clientIP,omitempty"`
}

// InProcessSpec selects the built-in reference server, started in-process
// and fresh for every scenario.
type InProcessSpec struct {
	// Faults are reference fault switches to turn on (reference.KnownFaults).
	Faults []string `yaml:"faults,omitempty" json:"faults,omitempty"`
}

// Profile is one target. Exactly one of BaseURL, InProcess and Container
// says where the target is.
type Profile struct {
	Name string `yaml:"name" json:"name"`
	// BaseURL is the SCIM base URL, e.g. https://host/scim/v2.
	BaseURL string `yaml:"baseURL,omitempty" json:"baseURL,omitempty"`
	Auth    Auth   `yaml:"auth" json:"auth"`
	// Traffic is Okta's traffic profile for scenarios that do not choose.
	Traffic Traffic `yaml:"traffic,omitempty" json:"traffic,omitempty"`
	// IdP is the identity provider whose scenarios run when the command
	// line chooses none: okta (the default) or entra (issue 10).
	IdP IdP `yaml:"idp,omitempty" json:"idp,omitempty"`
	// AllowHTTP permits a plain-http base URL (Okta itself refuses one).
	AllowHTTP bool `yaml:"allowHTTP,omitempty" json:"allowHTTP,omitempty"`
	TLS       TLS  `yaml:"tls,omitempty" json:"tls,omitempty"`
	// Capabilities override what discovery infers, e.g. {groups: false}.
	Capabilities map[Capability]bool `yaml:"capabilities,omitempty" json:"capabilities,omitempty"`
	// Admin is the target's admin API for probes; nil means no probes.
	Admin *Admin `yaml:"admin,omitempty" json:"admin,omitempty"`
	// BuiltinProbes names a built-in probe set ("reference") to start from;
	// Probes then add to or replace its entries.
	BuiltinProbes string `yaml:"builtinProbes,omitempty" json:"builtinProbes,omitempty"`
	Probes        Probes `yaml:"probes,omitempty" json:"probes,omitempty"`
	// InProcess runs the reference server in-process (the default target).
	InProcess *InProcessSpec `yaml:"inProcess,omitempty" json:"inProcess,omitempty"`
	// Container starts the target from a local image or build context
	// (decoded from the file's "container" section by Load).
	Container *launch.ContainerSpec `yaml:"-" json:"-"`
	// Cleanup makes the harness delete, after each scenario, the SCIM users
	// that scenario created on a shared target (DELETE /Users/{id}, sent by
	// the harness, never by the simulated Okta). It means nothing for the
	// in-process target, whose server is thrown away after each scenario.
	// `scimulator run --cleanup` overrides it.
	Cleanup bool `yaml:"cleanup,omitempty" json:"cleanup,omitempty"`
	// FailOn is the least serious failure level that fails a run against
	// this target: okta, must or should (issue 12); "" leaves the default,
	// must. `scimulator run --fail-on` overrides it.
	FailOn reports.Level `yaml:"failOn,omitempty" json:"failOn,omitempty"`
	// Limits are limits the target documents on what it accepts.
	Limits Limits `yaml:"limits,omitempty" json:"limits,omitempty"`
}

// Limits are limits a target documents. RFC 7644 sets none, so a limit the
// profile declares is checked exactly (accepted up to it, 400 invalidFilter
// beyond) and an undeclared one is not guessed: scenarios that need it are
// skipped with the reason, and every target is still checked for a clean
// answer (exact, or 400) to very deep and very long filters.
type Limits struct {
	// FilterDepth is how deep parentheses and value paths may nest in a
	// filter; 0 means not declared.
	FilterDepth int `yaml:"filterDepth,omitempty" json:"filterDepth,omitempty"`
	// FilterBytes is the longest filter accepted, in bytes; 0 means not
	// declared.
	FilterBytes int `yaml:"filterBytes,omitempty" json:"filterBytes,omitempty"`
}

// ReferenceLimits are the reference server's documented limits (README,
// "The reference server").
var ReferenceLimits = Limits{FilterDepth: 64, FilterBytes: 32 << 10}

// IdP is the identity provider a run simulates.
type IdP string

// The identity providers.
const (
	IdPOkta  IdP = "okta"
	IdPEntra IdP = "entra"
)

// ParseIdP checks an identity provider name; "" means okta.
func ParseIdP(s string) (IdP, error) {
	switch IdP(strings.ToLower(strings.TrimSpace(s))) {
	case "", IdPOkta:
		return IdPOkta, nil
	case IdPEntra:
		return IdPEntra, nil
	}
	return "", fmt.Errorf("idp: unknown identity provider %q (want %q or %q)", s, IdPOkta, IdPEntra)
}

// Default is the zero-set-up target: the reference server in-process, a
// fresh isolated one per scenario, with its built-in probes.
func Default() Profile {
	return Profile{
		Name:          "embedded reference",
		Traffic:       TrafficOIN,
		Auth:          Auth{Mode: AuthBearer},
		BuiltinProbes: BuiltinReference,
		InProcess:     &InProcessSpec{},
		// The embedded reference's capabilities are known (it is this
		// project's server), so they are declared, not inferred: a fault
		// that breaks discovery (discovery-missing, spc-misreports) then
		// fails the discovery scenarios instead of silently narrowing the
		// run to what the broken discovery claims.
		Capabilities: map[Capability]bool{CapPatch: true, CapFilter: true, CapETag: true, CapDiscovery: true, CapGroups: true},
		// CapGroupWrites is left to inference: Cortex keeps no groups
		// (SPEC §1), and its /ResourceTypes says so by listing no Group.
		Limits: ReferenceLimits,
	}
}

// Shared reports whether scenarios share one target (a URL or a container),
// so settings-changing scenarios must run serially and restore what they
// change.
func (p Profile) Shared() bool { return p.InProcess == nil }

// Validate checks the profile and returns it with defaults filled in. Its
// errors say what to change.
func (p Profile) Validate() (Profile, error) {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	where := 0
	if p.BaseURL != "" {
		where++
	}
	if p.InProcess != nil {
		where++
	}
	if p.Container != nil {
		where++
	}
	switch {
	case where == 0:
		add("no target: set baseURL (your SCIM endpoint, e.g. https://app.example.com/scim/v2), container, or inProcess")
	case where > 1:
		add("baseURL, container and inProcess are alternatives: set exactly one")
	}
	if p.Name == "" {
		p.Name = p.BaseURL
	}
	t, err := ParseTraffic(string(p.Traffic))
	if err != nil {
		add("%w", err)
	}
	p.Traffic = t
	if p.IdP, err = ParseIdP(string(p.IdP)); err != nil {
		add("%w", err)
	}
	if p.Limits.FilterDepth < 0 || p.Limits.FilterBytes < 0 {
		add("limits: filterDepth and filterBytes are positive numbers, or left out when the target documents none")
	}
	if p.FailOn != "" {
		if p.FailOn, err = reports.ParseLevel(string(p.FailOn)); err != nil {
			add("failOn: %w", err)
		}
	}
	if p.BaseURL != "" {
		if err := checkURL("baseURL", p.BaseURL, p.AllowHTTP); err != nil {
			add("%w", err)
		}
		p.BaseURL = strings.TrimRight(p.BaseURL, "/")
	}
	if p.Container != nil && p.Container.Image == "" && p.Container.BuildContext == "" {
		add("container: set image (a local image) or buildContext (a folder with a Dockerfile)")
	}
	if p.InProcess == nil {
		p.Auth, err = validateAuth("auth", p.Auth)
		if err != nil {
			add("%w", err)
		}
	} else if p.Auth.Mode == "" {
		p.Auth.Mode = AuthBearer
	}
	if p.InProcess != nil && p.Limits == (Limits{}) {
		// The in-process target is the reference server: its limits are
		// known, as its capabilities are.
		p.Limits = ReferenceLimits
	}
	if p.TLS.CAFile != "" {
		if _, err := os.Stat(p.TLS.CAFile); err != nil {
			add("tls.caFile: %w", err)
		}
	}
	for c := range p.Capabilities {
		if _, ok := capabilityDocs[c]; !ok {
			add("capabilities: unknown capability %q (known: %s)", c, strings.Join(capabilityNames(), ", "))
		}
	}
	if p.Admin != nil {
		if p.Admin.BaseURL == "" && p.InProcess == nil && p.Container == nil {
			add("admin.baseURL: set the admin API base URL the probes call (e.g. https://app.example.com/api/v1)")
		}
		if p.Admin.BaseURL != "" {
			if err := checkURL("admin.baseURL", p.Admin.BaseURL, p.AllowHTTP); err != nil {
				add("%w", err)
			}
		}
		if p.InProcess == nil && p.Admin.Auth.SecretEnv != "" {
			if p.Admin.Auth, err = validateAuth("admin.auth", p.Admin.Auth); err != nil {
				add("%w", err)
			}
		}
		if (p.Admin.ClientIP == "") != (p.Admin.ClientIPHeader == "") {
			add("admin: set both clientIPHeader and clientIP, or neither")
		}
	}
	switch p.BuiltinProbes {
	case "", BuiltinReference:
	default:
		add("builtinProbes: unknown set %q (known: %q)", p.BuiltinProbes, BuiltinReference)
	}
	if err := p.Probes.validate(); err != nil {
		add("%w", err)
	}
	if len(errs) > 0 {
		return p, fmt.Errorf("target profile %q: %w", p.Name, errors.Join(errs...))
	}
	return p, nil
}

func validateAuth(field string, a Auth) (Auth, error) {
	m, err := ParseAuthMode(string(a.Mode))
	if err != nil {
		return a, fmt.Errorf("%s.mode: %w", field, err)
	}
	a.Mode = m
	if a.SecretEnv == "" {
		return a, fmt.Errorf("%s.secretEnv: name the environment variable that holds the token (the profile never holds the secret itself)", field)
	}
	if m == AuthBasic && a.Username == "" {
		return a, fmt.Errorf("%s.username: basic auth needs a username", field)
	}
	return a, nil
}

func checkURL(field, raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP {
			return fmt.Errorf("%s %q uses http: Okta only talks HTTPS; use https or allow plain HTTP explicitly (allowHTTP: true, or --allow-http)", field, raw)
		}
	default:
		return fmt.Errorf("%s %q: want an absolute https:// URL", field, raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%s %q has no host", field, raw)
	}
	if u.User != nil {
		return fmt.Errorf("%s: put no credentials in the URL; name the environment variable holding the token in secretEnv (--token-env)", field)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s %q must not have a query or fragment", field, raw)
	}
	return nil
}

// Resolve reads the secrets the profile names from getenv. It fails with the
// variable's name when one is unset; in-process targets need none.
func (p Profile) Resolve(getenv func(string) string) (Profile, error) {
	if p.InProcess != nil {
		return p, nil
	}
	if p.Auth.SecretEnv != "" {
		p.Auth.Secret = getenv(p.Auth.SecretEnv)
		if p.Auth.Secret == "" {
			return p, fmt.Errorf("target profile %q: environment variable %s is empty: export the API token there (auth.secretEnv)", p.Name, p.Auth.SecretEnv)
		}
	}
	if p.Container != nil && len(p.Container.Env) > 0 {
		// container.env values written "env:NAME" come from the environment,
		// so a container's bootstrap key never sits in the file.
		spec := *p.Container
		spec.Env = make(map[string]string, len(p.Container.Env))
		for k, v := range p.Container.Env {
			if name, ok := strings.CutPrefix(v, "env:"); ok {
				v = getenv(name)
				if v == "" {
					return p, fmt.Errorf("target profile %q: environment variable %s is empty (container.env.%s)", p.Name, name, k)
				}
			}
			spec.Env[k] = v
		}
		p.Container = &spec
	}
	if p.Admin != nil {
		a := *p.Admin
		if a.Auth.SecretEnv != "" {
			a.Auth.Secret = getenv(a.Auth.SecretEnv)
			if a.Auth.Secret == "" {
				return p, fmt.Errorf("target profile %q: environment variable %s is empty: export the admin API key there (admin.auth.secretEnv)", p.Name, a.Auth.SecretEnv)
			}
		}
		p.Admin = &a
	}
	return p, nil
}
