package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cucumber/godog"
	"github.com/gavv/httpexpect/v2"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/internal/termsafe"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
)

// worldKey is the context key of the scenario's World.
type worldKey struct{}

// World is the state of one scenario. It lives in the scenario's context
// (never in a package variable), so scenarios run concurrently.
type World struct {
	suite *suiteState
	conn  *conn // the target as this scenario sees it

	// suffix makes this scenario's userNames unique on a shared target.
	suffix string
	users  map[string]*user

	// Okta side.
	org          *simulator.Org
	traffic      target.Traffic
	appAuth      simulator.Auth
	appKey       appKey // the app's token when a step minted it (mintAppKey)
	provisioning simulator.Provisioning
	coreMappings simulator.CoreMappings // zero: Okta's defaults
	extraHeaders http.Header
	results      map[string]simulator.Result // last Okta result per user alias
	creds        *simulator.CredentialsResult
	imported     *simulator.ImportResult
	syncFrom     int // transcript Seq before Force sync
	syncResult   *simulator.SyncResult
	group        *groupPush // the Okta group the scenario pushes (steps_groups.go)

	// Entra side (nil unless the scenario makes an Entra tenant).
	entra *entraState

	// Raw SCIM side.
	last      *httpexpect.Response
	lastEx    *reports.Exchange
	firstList string // id of the first resource of the last list (SPEC test)
	firstPage string // body of the first page of a paged listing
	pages     []string
	pair      []int                // statuses of two racing requests
	inFlight  *inFlightRace        // the in-flight race's outcome (steps_inflight.go)
	notes     map[string]notedUser // users as noted earlier, by alias (steps_exact.go)
	// wholeLists are the ids of each whole list read, in the target's own
	// order: the order a page's positions refer to (steps_exact.go).
	wholeLists [][]string
	// wholeListPath is the request of the last whole list, which
	// orderMoves repeats; pagesPath that of "lists … in pages" in one page.
	wholeListPath, pagesPath string

	mu        sync.Mutex
	exchanges []reports.Exchange
	secrets   []string
	restores  []func(context.Context) error
	// objects are the teams, roles, API keys and entities the scenario's
	// probes created, by kind, for the clean-up's list (noteObject).
	objects map[string][]string
	// failures are the checks that failed, in order (fail); a should-level
	// one does not stop the scenario.
	failures []reports.Failure
	// rule is the rule of the running step, set by stepDefs.Step;
	// scenarioRule is the scenario's "Level:" line, for generic steps.
	rule, scenarioRule Rule
	tags               []string // the scenario's tags
	// filtersDeclinable: a filter this scenario expects answered may be
	// declined instead (declinedFilter); filterAsks and filterDeclines
	// count such filters and the refusals, filterChecks the filters whose
	// refusal (or either answer) was itself checked.
	filtersDeclinable                        bool
	filterAsks, filterDeclines, filterChecks int
	// stepFailed is set when the running step reported a failure, even one
	// it let pass (advice).
	stepFailed bool
	// advice are the messages of the running step's should-level failures,
	// for its record.
	advice     []string
	reported   string // first httpexpect failure message not yet consumed
	stepText   string
	stepStart  time.Time
	steps      []reports.Step
	skipReason string
	skipStatus reports.Status
	started    time.Time
}

// user is one user of the scenario, by the alias the feature file uses.
type user struct {
	alias           string
	userName, email string
	given, family   string
	nick            string // Okta nickName, "" unless a step sets it
	local, suffix   string
	origUserName    string
	origEmail       string
	oktaID          string
	entraID         string // objectId in the simulated Entra tenant
	scimID          string
	firstSCIMID     string // the id Okta first linked, for "keeps the same SCIM id"
	opFrom          int    // transcript Seq before the user's last Okta operation
	apiKey, session string
	entityIDs       map[string]string
}

func worldFrom(ctx context.Context) *World {
	w, _ := ctx.Value(worldKey{}).(*World)
	return w
}

func newSuffix() string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms; a clock-based
		// suffix still keeps names apart.
		return fmt.Sprintf("%08x", time.Now().UnixNano()&0xffffffff)
	}
	return hex.EncodeToString(b)
}

// userFor returns the scenario's user with the alias, creating its names:
// userName "<alias>.<suffix>@example.com" keeps the alias's case, so
// "Mixed.Case" gives a mixed-case userName (Okta's SPEC test step 6).
func (w *World) userFor(alias string) *user {
	if u, ok := w.users[alias]; ok {
		return u
	}
	local := alias + "." + w.suffix
	un := local + "@example.com"
	u := &user{alias: alias, userName: un, email: un, local: local, suffix: w.suffix,
		given: capitalize(alias), family: "Example",
		origUserName: un, origEmail: un, entityIDs: map[string]string{}}
	w.users[alias] = u
	return u
}

// capitalize upper-cases the first letter of s (a user's given name from
// its alias); "" stays "".
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// groupPrefix is the userName prefix of the scenario's users named prefix:
// unique to the scenario, so listing by it is exact on a shared target.
func (w *World) groupPrefix(prefix string) string { return prefix + "." + w.suffix + "." }

// memberFor returns the i-th user named prefix, e.g. "imp.<suffix>.007".
func (w *World) memberFor(prefix string, i int) *user {
	alias := fmt.Sprintf("%s#%03d", prefix, i)
	if u, ok := w.users[alias]; ok {
		return u
	}
	local := fmt.Sprintf("%s%03d", w.groupPrefix(prefix), i)
	un := local + "@example.com"
	u := &user{alias: alias, userName: un, email: un, local: local, suffix: w.suffix,
		given: strings.ToUpper(prefix[:1]) + prefix[1:], family: fmt.Sprintf("N%03d", i),
		origUserName: un, origEmail: un, entityIDs: map[string]string{}}
	w.users[alias] = u
	return u
}

// known returns a user the scenario introduced earlier, or an error naming
// the missing Given.
func (w *World) known(alias string) (*user, error) {
	u, ok := w.users[alias]
	if !ok {
		return nil, fmt.Errorf("scenario error: user %q was not introduced by an earlier step", alias)
	}
	return u, nil
}

// addSecret remembers a value to redact from every recorded exchange.
func (w *World) addSecret(s string) {
	if s == "" {
		return
	}
	w.mu.Lock()
	w.secrets = append(w.secrets, s)
	w.mu.Unlock()
}

func (w *World) secretList() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.secrets...)
}

// record adds an exchange to the scenario's transcript.
func (w *World) record(ex reports.Exchange) {
	w.mu.Lock()
	w.exchanges = append(w.exchanges, ex)
	w.mu.Unlock()
}

// errSkipped marks a step that found the scenario cannot run here.
var errSkipped = godog.ErrSkip

// skip records why the scenario does not run and stops it.
func (w *World) skip(status reports.Status, reason string) error {
	if w.skipReason == "" {
		w.skipReason, w.skipStatus = reason, status
	}
	return errSkipped
}

// fail records a failed check with the running step's rule
// (currentRule) and returns the step's error. expected and actual are in
// the rule's words; ex is the exchange that showed it and admin the
// message Okta's console would show.
func (w *World) fail(expected, actual string, ex *reports.Exchange, admin string, basis reports.Basis) error {
	return w.failAs(w.currentRule(), expected, actual, ex, admin, basis)
}

// failAs is fail with an explicit rule, for a helper that checks several
// rules of different levels in one step (assertSCIMError). A should-level
// failure is recorded and returns nil: advice never stops the scenario, so
// it cannot hide a worse failure after it.
func (w *World) failAs(r Rule, expected, actual string, ex *reports.Exchange, admin string, basis reports.Basis) error {
	if r == ScenarioRule {
		r = w.scenarioRuleOrDefault()
	}
	if admin == "" && ex != nil && strings.HasPrefix(ex.Operation, "SCIM client") {
		admin, basis = w.oktaViewOf(ex)
	}
	f := reports.Failure{Step: w.stepText, Level: r.Level, Citation: r.Cite,
		Expected: expected, Actual: actual, AdminMessage: admin, AdminMessageBasis: basis, Exchange: ex}
	if w.entra != nil {
		f.IdP = "Entra"
	}
	w.failures = append(w.failures, f)
	w.stepFailed = true
	msg := fmt.Sprintf("[%s: %s] expected %s, got %s", r.Level, r.Cite, expected, actual)
	if ex != nil {
		msg += fmt.Sprintf(" (%s %s → %d: %s)", ex.Method, pathOf(ex.URL), ex.Status, trim(ex.ResponseBody, 300))
	}
	if admin != "" {
		msg += fmt.Sprintf("; %s: %q", w.idpName(), admin)
	}
	if r.Level == reports.LevelShould {
		w.advice = append(w.advice, msg)
		return nil
	}
	return errors.New(msg)
}

// failLast is fail with the last raw SCIM exchange.
func (w *World) failLast(expected, actual string) error {
	return w.fail(expected, actual, w.lastEx, "", "")
}

// consumeReported turns a failure httpexpect reported into the step's
// error, naming the last exchange.
func (w *World) consumeReported(expected string) error {
	w.mu.Lock()
	msg := w.reported
	w.reported = ""
	w.mu.Unlock()
	if msg == "" {
		return nil
	}
	actual := firstLines(msg, 6)
	if w.lastEx == nil || w.lastEx.Status != 0 {
		return w.failLast(expected, actual)
	}
	if hint := transportHint(w.lastEx.Error); hint != "" {
		actual = hint + " (" + actual + ")"
	}
	// No answer at all is never advice, whatever the scenario's level.
	r := w.currentRule()
	if r == ScenarioRule {
		r = w.scenarioRuleOrDefault()
	}
	if r.Level == reports.LevelShould {
		r = must("RFC 7644 §3.12 (a request gets an HTTP answer, a refusal a SCIM error; never a dropped connection)")
	}
	return w.failAs(r, expected, actual, w.lastEx, "", "")
}

// transportHint says in the target's terms what a transport error means,
// or "" when it says enough itself. A connection closed without an answer
// is what a server that panics on a request looks like from outside.
func transportHint(err string) string {
	switch {
	case strings.Contains(err, "EOF"), strings.Contains(err, "connection reset"):
		return "the target closed the connection without answering: it may have crashed on this request (look in its logs)"
	case strings.Contains(err, "connection refused"):
		return "the target refused the connection: it is not listening (any more) at its base URL"
	}
	return ""
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			return u[i+3+j:]
		}
	}
	return u
}

// trim collapses white space, shows control characters and invalid UTF-8
// as escapes (the text quotes the target: issue 11, termsafe) and cuts s to
// at most n bytes (0: no cut), on a rune boundary so no character is split,
// marking the cut with "…".
func trim(s string, n int) string {
	s = termsafe.OneLine(s, 0)
	if n <= 0 || len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	var keep []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		keep = append(keep, strings.TrimSpace(l))
		if len(keep) == n {
			break
		}
	}
	return strings.Join(keep, " ")
}

// bracePattern matches anything written as a variable, ${…}, so that a
// malformed one is reported rather than sent as literal text.
var bracePattern = regexp.MustCompile(`\$\{[^{}]*\}`)

// varPattern is a well-formed variable: ${random} or ${alias.field}, where an
// alias is at least one letter, digit, "_" or "-" ("${.userName}" is none).
var varPattern = regexp.MustCompile(`^\$\{(?:random|([A-Za-z0-9_-]+)\.([A-Za-z]+))\}$`)

// expandVars replaces ${alias.field} and ${random} in feature text. The
// alias must name a user an earlier step introduced, and an id must exist:
// an empty value would make a request or assertion mean something else.
func (w *World) expandVars(s string) (string, error) {
	var errs []error
	out := bracePattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := varPattern.FindStringSubmatch(m)
		switch {
		case sub == nil:
			errs = append(errs, fmt.Errorf("unknown variable %s (want ${random} or ${alias.field})", m))
			return m
		case sub[1] == "":
			return w.suffix // ${random}
		}
		u, err := w.known(sub[1])
		if err != nil {
			errs = append(errs, fmt.Errorf("expand %s: %w", m, err))
			return m
		}
		switch sub[2] {
		case "userName":
			return u.userName
		case "email":
			return u.email
		case "suffix":
			return u.suffix
		case "local":
			return u.local
		case "id":
			if u.scimID == "" {
				errs = append(errs, fmt.Errorf("expand %s: user %q has no SCIM id yet", m, u.alias))
				return m
			}
			return u.scimID
		}
		errs = append(errs, fmt.Errorf("unknown variable %s (fields: userName, email, suffix, local, id)", m))
		return m
	})
	return out, errors.Join(errs...)
}

// idpName names the identity provider the scenario drives, for messages.
func (w *World) idpName() string {
	if w.entra != nil {
		return "Entra"
	}
	return "Okta"
}
