package simulator

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Defaults of the provisioning engine.
const (
	// DefaultTimeout is the read timeout of one HTTP exchange: 60 seconds
	// (SPEC §2.1). That it bounds the whole exchange rather than each
	// socket read is inferred (doc.go).
	DefaultTimeout = 60 * time.Second
	// DefaultConnectTimeout bounds the TCP and TLS connect (inferred).
	DefaultConnectTimeout = 30 * time.Second
	// DefaultMaxResponseBytes bounds how much of an answer is read
	// (decompressed); larger answers fail the exchange (inferred: Okta
	// has some limit; the simulator must never read without bound).
	DefaultMaxResponseBytes int64 = 10 << 20
	// DefaultConcurrency is the parallelism of bulk operations.
	DefaultConcurrency = 4
	// DefaultMaxImportPages bounds Import against a target whose
	// totalResults never stops growing (inferred safety limit: 100 000
	// users).
	DefaultMaxImportPages = 1000
	// DefaultMaxRetryWait caps any single wait between 429 retries. It is
	// a simulator safety limit, not Okta behaviour: a Retry-After of
	// billions of seconds must not overflow or stall a run. 24 hours
	// leaves SPEC §2.3's own schedule untouched (5 minutes doubled up to
	// the 9th wait is 21 h 20 min).
	DefaultMaxRetryWait = 24 * time.Hour
	// UserAgent is the User-Agent Okta's SCIM client sends (observed in
	// real captures).
	UserAgent = "Okta SCIM Client 1.0.0"
)

// Options configure an Org. The zero value is usable: real clock, no logs,
// a default transport, crypto-random passwords and ids.
type Options struct {
	// Clock stamps exchanges and tasks and paces 429 retries; nil means
	// the wall clock. Use NewVirtualClock in tests.
	Clock Clock
	// Logger receives one debug event per exchange (never headers or
	// secrets); the zero value logs nothing.
	Logger zerolog.Logger
	// Transport overrides the HTTP transport (tests, in-process targets).
	// When set, AppConfig's TLS options and ConnectTimeout are the
	// transport's business; redirects are still never followed.
	Transport http.RoundTripper
	// Concurrency bounds parallel operations in Bulk; 0 means
	// DefaultConcurrency.
	Concurrency int
	// Rand is the source of randomness for Okta ids and the 8-character
	// password; nil means crypto/rand. Give a seeded reader (for example
	// math/rand/v2's ChaCha8) for deterministic ids in golden tests. A
	// reader that fails is replaced by crypto/rand.
	Rand io.Reader
}

// TrafficProfile selects which of Okta's two provisioning engines talks to
// the app (SPEC §2.2).
type TrafficProfile string

// The two traffic profiles.
const (
	// ProfileOIN is a catalog (OIN) app: PATCH for status changes.
	ProfileOIN TrafficProfile = "OIN"
	// ProfileAIW is a custom app built with the App Integration Wizard:
	// PUT for everything.
	ProfileAIW TrafficProfile = "AIW"
)

// AuthMode is how the app's credential goes into the Authorization header.
type AuthMode string

// Authorization modes (SPEC §2.1).
const (
	// AuthHeader sends Secret verbatim as the Authorization header
	// ("HTTP Header" in Okta's AIW form; OIN apps such as Cortex put the
	// API token there with its scheme).
	AuthHeader AuthMode = "header"
	// AuthBearer sends "Bearer " + Secret.
	AuthBearer AuthMode = "bearer"
	// AuthBasic sends Basic Username:Password.
	AuthBasic AuthMode = "basic"
)

// Auth is the app's API credential. Secret and Password never appear in a
// transcript, log, error or task message.
type Auth struct {
	Mode     AuthMode
	Secret   string // AuthHeader and AuthBearer
	Username string // AuthBasic
	Password string // AuthBasic
}

// Provisioning holds the app's "To App" and "To Okta" toggles.
type Provisioning struct {
	CreateUsers      bool // Create users
	UpdateAttributes bool // Update user attributes
	DeactivateUsers  bool // Deactivate users
	SyncPassword     bool // Sync password (the password is sent on create either way)
	PushGroups       bool // Push groups (also adds GET /Groups to Test API Credentials)
	ImportUsers      bool // Import (To Okta)
}

// AllOn returns every toggle switched on, the usual test configuration.
func AllOn() Provisioning {
	return Provisioning{CreateUsers: true, UpdateAttributes: true, DeactivateUsers: true,
		SyncPassword: true, PushGroups: true, ImportUsers: true}
}

// AppConfig is the one SCIM app instance of an org.
type AppConfig struct {
	// Name is the app's label, used in admin messages ("Cortex").
	Name string
	// BaseURL is the SCIM base URL; /Users and /Groups are appended.
	BaseURL string
	Auth    Auth
	// Profile is the traffic profile; empty means ProfileOIN.
	Profile      TrafficProfile
	Provisioning Provisioning
	// CoreMappings map the core app attributes (userName, name, email,
	// displayName); empty fields take DefaultCoreMappings. Changing them
	// with ConfigureApp sends nothing: Force sync (or the next profile
	// change) pushes the users whose mapped values changed (SPEC §2.2).
	CoreMappings CoreMappings
	// Mappings are extension attribute mappings, pushed in this order.
	Mappings []Mapping
	// OktaAttributes are the custom attributes of the Okta user profile
	// (keys of Profile.Attributes) that mappings may read; as in Okta's
	// Profile Editor, an attribute must exist before it can be mapped.
	OktaAttributes []string
	// AllowHTTP permits a plain-http BaseURL. Okta itself refuses it.
	AllowHTTP bool
	// RootCAs verifies the target's certificate; nil means system roots.
	RootCAs *x509.CertPool
	// InsecureSkipVerify turns TLS verification off (Okta never does).
	InsecureSkipVerify bool
	// Timeout bounds one exchange from sending to the last body byte;
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds the TCP and TLS connect; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxResponseBytes bounds the (decompressed) answer; 0 means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// MaxImportPages bounds Import; 0 means DefaultMaxImportPages.
	MaxImportPages int
	// MaxRetryWait caps any single wait between 429 retries (a simulator
	// safety limit, not Okta behaviour); 0 means DefaultMaxRetryWait.
	// When it applies, the 429 exchange's Note says so.
	MaxRetryWait time.Duration
	// ExtraHeaders are added to every request, e.g. X-Forwarded-For to model
	// Okta's egress IP behind the target's proxy. They cannot replace the
	// headers Okta always sends.
	ExtraHeaders http.Header

	// compiled holds the parsed mappings, set by validate.
	compiled *compiledMappings
}

// validate checks c and returns it with defaults filled in.
func (c AppConfig) validate() (AppConfig, error) {
	if c.Name == "" {
		c.Name = "SCIM app"
	}
	if c.Profile == "" {
		c.Profile = ProfileOIN
	}
	if c.Profile != ProfileOIN && c.Profile != ProfileAIW {
		return c, fmt.Errorf("configure app: unknown traffic profile %q (want OIN or AIW)", c.Profile)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		// url.Error quotes the URL, which may hold a password: name the
		// problem without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return c, fmt.Errorf("configure app: base URL does not parse: %w", err)
	}
	if u.User != nil {
		// Okta's form has no place for credentials in the URL, and they
		// would show in every transcript URL and error: the credential
		// belongs in Auth. The URL is not quoted, it holds a secret.
		return c, errors.New("configure app: base URL must not contain user:password@; put the credential in Auth (mode basic for a username and password)")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !c.AllowHTTP {
			return c, errors.New("configure app: base URL uses http; Okta only talks HTTPS (set AllowHTTP for a local target)")
		}
	default:
		return c, fmt.Errorf("configure app: base URL %q must be an absolute https URL", c.BaseURL)
	}
	if u.Host == "" {
		return c, fmt.Errorf("configure app: base URL %q has no host", c.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return c, fmt.Errorf("configure app: base URL %q must not have a query or fragment", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	switch c.Auth.Mode {
	case AuthHeader, AuthBearer:
		if c.Auth.Secret == "" {
			return c, fmt.Errorf("configure app: auth mode %s needs a secret", c.Auth.Mode)
		}
	case AuthBasic:
		if c.Auth.Username == "" {
			return c, errors.New("configure app: auth mode basic needs a username")
		}
	default:
		return c, fmt.Errorf("configure app: unknown auth mode %q (want header, bearer or basic)", c.Auth.Mode)
	}
	if err := c.compileMappings(); err != nil {
		return c, err
	}
	if c.Timeout < 0 || c.ConnectTimeout < 0 || c.MaxResponseBytes < 0 || c.MaxImportPages < 0 || c.MaxRetryWait < 0 {
		return c, errors.New("configure app: timeouts and limits must not be negative")
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.MaxResponseBytes == 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if c.MaxImportPages == 0 {
		c.MaxImportPages = DefaultMaxImportPages
	}
	if c.MaxRetryWait == 0 {
		c.MaxRetryWait = DefaultMaxRetryWait
	}
	c.ExtraHeaders = c.ExtraHeaders.Clone()
	return c, nil
}
