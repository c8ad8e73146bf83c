// Package reference is the reference SCIM 2.0 service provider with the
// semantics of "Okta SCIM for Cortex" (SPEC §1): SCIM Users under /scim/v2,
// the Cortex side (settings, roles, API keys, teams, entities, sessions) under
// /api/v1, and /healthz. It is the yardstick every scenario is measured
// against, and it carries fault switches (KnownFaults) that each plant one
// real-world bug so the suite can be shown to catch it.
package reference

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/scimulator/scimulator/reference/store"
)

// Config configures a Server.
type Config struct {
	// AdminKey is the bootstrap admin API key secret; generated when empty.
	AdminKey string
	// EnableSCIM is the SCIM setting at start (default off, SPEC §1.1).
	EnableSCIM bool
	// Faults are fault names from KnownFaults(); an unknown name makes New fail.
	Faults []string
	// Logger receives request logs; the zero value logs nothing.
	Logger zerolog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBodyBytes limits request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Store holds the workspace; nil means a fresh in-memory store. A store
	// that already holds a workspace (store.OpenFile of an existing file)
	// keeps its settings, custom roles, users, teams and keys, as
	// seedWorkspace describes. The bootstrap admin key's hash is replaced
	// by AdminKey's on every New: without a fixed AdminKey a restart
	// generates a new bootstrap key and the previous one stops working.
	Store store.Store
}

// Server is a reference SCIM server. It is safe for concurrent use.
type Server struct {
	st       store.Store
	faults   faultSet
	log      zerolog.Logger
	now      func() time.Time
	maxBody  int64
	adminKey string
	flights  *flights
	handler  http.Handler
	// drainLimit bounds a deprovision's wait for in-flight requests
	// (WriteTimeout; tests shorten it).
	drainLimit time.Duration
	// afterHandler, when set (tests only), runs after a request's handler
	// and before its final credential re-check, so a test can hold a
	// request in flight at the point where it has a success buffered.
	afterHandler func(r *http.Request)
}

// bootstrapKeyID is the id of the bootstrap admin key.
const bootstrapKeyID = "bootstrap"

// New builds a Server from cfg.
func New(cfg Config) (*Server, error) {
	fs, err := newFaultSet(cfg.Faults)
	if err != nil {
		return nil, fmt.Errorf("new reference server: %w", err)
	}
	if cfg.MaxBodyBytes < 0 {
		return nil, errors.New("new reference server: MaxBodyBytes must not be negative")
	}
	s := &Server{
		st:       cfg.Store,
		faults:   fs,
		log:      cfg.Logger,
		now:      cfg.Now,
		maxBody:  cfg.MaxBodyBytes,
		adminKey: cfg.AdminKey,
		flights:  newFlights(),

		drainLimit: WriteTimeout,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.st == nil {
		s.st = store.NewMemory(nil)
	}
	if s.adminKey == "" {
		s.adminKey, err = newSecret("scim_")
		if err != nil {
			return nil, fmt.Errorf("new reference server: generate admin key: %w", err)
		}
	}
	err = s.st.Write(func(d *store.Data) error {
		seedWorkspace(d, cfg.EnableSCIM)
		d.PutAPIKey(store.APIKey{
			ID: bootstrapKeyID, Name: "bootstrap admin key", Role: RoleAdmin,
			Hash: hashSecret(s.adminKey), Created: s.now().UTC(),
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("new reference server: seed workspace: %w", err)
	}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the HTTP handler serving /scim/v2/..., /api/v1/... and
// /healthz.
func (s *Server) Handler() http.Handler { return s.handler }

// AdminKey returns the bootstrap admin key secret. It is also valid for SCIM:
// its role, Admin, holds every permission.
func (s *Server) AdminKey() string { return s.adminKey }

// SCIMEnabled reports the workspace's SCIM setting as stored now. After a
// restart on a kept workspace it is the stored value, whatever
// Config.EnableSCIM said (SPEC §1.6), so start-up messages read it here.
func (s *Server) SCIMEnabled() (bool, error) {
	var on bool
	err := s.st.Read(func(d *store.Data) error {
		on = d.Settings.ScimEnabled
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read scim setting: %w", err)
	}
	return on, nil
}

// seedWorkspace prepares the workspace at start (SPEC §1.6).
//
// A fresh workspace — one without roles; the built-in roles cannot be
// deleted, so every workspace a server has written holds them — gets the
// default settings, with the SCIM setting from enableSCIM.
//
// A loaded workspace keeps its settings, custom roles, users, teams and
// keys. Only enableSCIM true (an explicit --enable-scim) changes a setting:
// it switches SCIM on; false leaves the stored value as it is.
//
// Either way the built-in roles are written from builtInRoles. The admin
// API refuses to edit or delete them, so this changes nothing in a
// workspace written by this version; it brings one written by a version
// with other built-in permissions up to date.
func seedWorkspace(d *store.Data, enableSCIM bool) {
	fresh := len(d.Roles) == 0
	for _, r := range builtInRoles() {
		d.Roles[r.Name] = r
	}
	switch {
	case fresh:
		d.Settings = store.Settings{DefaultRole: RoleUser, IPAllowlist: []string{}, ScimEnabled: enableSCIM}
	case enableSCIM:
		d.Settings.ScimEnabled = true
	}
}

// newSecret returns prefix followed by 32 random bytes, base64url-encoded.
func newSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// newID returns a random identifier (a UUID v4 in its usual form).
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go 1.24+)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
