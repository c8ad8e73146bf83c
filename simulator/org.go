package simulator

import (
	"errors"
	"fmt"
	"sync"

	"github.com/rs/zerolog"
)

// Org is an in-memory Okta org with one SCIM app instance. All methods are
// safe for concurrent use; operations on one user are serialised, as
// Okta's engine does, except through Duplicate.
type Org struct {
	clock       Clock
	log         zerolog.Logger
	transport   httpTransport
	concurrency int
	rnd         *randSource

	mu         sync.Mutex
	app        *appState // nil until ConfigureApp
	users      map[string]*userRec
	userOrder  []string
	groups     map[string]*groupRec
	groupOrder []string
	tasks      []*taskRec
	exchanges  []Exchange
	userLocks  map[string]*sync.Mutex
	groupLocks map[string]*sync.Mutex
	redactor   *redactor
}

// NewOrg returns an empty org. Configure the app with ConfigureApp before
// running operations that send traffic.
func NewOrg(opts Options) *Org {
	clock := opts.Clock
	if clock == nil {
		clock = RealClock()
	}
	conc := opts.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	return &Org{
		clock:       clock,
		log:         opts.Logger,
		transport:   httpTransport{override: opts.Transport},
		concurrency: conc,
		rnd:         newRandSource(opts.Rand),
		users:       map[string]*userRec{},
		groups:      map[string]*groupRec{},
		userLocks:   map[string]*sync.Mutex{},
		groupLocks:  map[string]*sync.Mutex{},
		redactor:    newRedactor(),
	}
}

// ConfigureApp sets (or replaces) the app's configuration: URL, credential,
// traffic profile, toggles and mappings. Calling it again keeps users,
// assignments and tasks, so a scenario can switch a toggle mid-way. It
// fails on a configuration Okta would not save (http without AllowHTTP,
// missing secret, unknown profile).
func (o *Org) ConfigureApp(cfg AppConfig) error {
	cfg, err := cfg.validate()
	if err != nil {
		return err
	}
	client := o.transport.client(cfg)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.redactor.addAuth(cfg.Auth)
	if o.app != nil && o.transport.override == nil {
		// Requests in flight keep their connections; idle ones of the
		// replaced client would otherwise linger until garbage collection.
		o.app.client.CloseIdleConnections()
	}
	o.app = &appState{cfg: cfg, client: client}
	return nil
}

// App returns the current app configuration (with defaults filled in) and
// whether one is set.
func (o *Org) App() (AppConfig, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.app == nil {
		return AppConfig{}, false
	}
	return o.app.cfg, true
}

// errNoApp is returned by operations that need the app configured.
var errNoApp = errors.New("no app configured (call ConfigureApp first)")

// appSnapshot returns a copy of the app state, or errNoApp.
func (o *Org) appSnapshot(op Operation) (appState, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.app == nil {
		return appState{}, fmt.Errorf("%s: %w", op.lower(), errNoApp)
	}
	return *o.app, nil
}

// lockUser serialises operations on one user and returns the unlock.
func (o *Org) lockUser(id string) func() { return o.lockIn(o.userLocks, id) }

// lockGroup serialises operations on one group and returns the unlock.
func (o *Org) lockGroup(id string) func() { return o.lockIn(o.groupLocks, id) }

// lockIn locks id's mutex in locks (one of the Org's maps, set once in
// NewOrg and guarded by o.mu), creating it on first use, and returns the
// unlock.
func (o *Org) lockIn(locks map[string]*sync.Mutex, id string) func() {
	o.mu.Lock()
	l, ok := locks[id]
	if !ok {
		l = &sync.Mutex{}
		locks[id] = l
	}
	o.mu.Unlock()
	l.Lock()
	return l.Unlock
}
