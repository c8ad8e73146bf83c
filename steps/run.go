// Package steps binds scimulator's Gherkin scenarios (features/) to the
// Okta simulator and to any SCIM target, and runs them with godog.
//
// One World per scenario lives in the scenario's context; steps reach the
// target only over HTTP, whether it is the in-process reference server (a
// fresh one per scenario), a container or a vendor's URL. Run returns the
// result record, which the reports package turns into artefacts.
package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/features"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/internal/termsafe"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
)

// Config configures one suite run.
type Config struct {
	// Target is a validated, resolved target profile (target.Default() for
	// the in-process reference server).
	Target target.Profile
	// Profile selects the scenarios: okta or cortex ("" means cortex).
	Profile SuiteProfile
	// Tags is an extra godog tag expression ANDed with the profile's; it is
	// parsed and validated here (ParseExpr).
	Tags string
	// Concurrency is how many scenarios run at once; 0 means 4.
	Concurrency int
	// Progress receives one line per finished scenario; nil is quiet.
	Progress io.Writer
	// Waived, when set, says whether a failed scenario is excused by a
	// waiver: its progress line says WAIVED and it is not counted among
	// the failures so far. The record keeps it failed; the caller applies
	// the waivers (reports.Waivers.Apply).
	Waived func(reports.Scenario) bool
	// Live says Progress is a terminal: a counter line (done/total,
	// failures so far, elapsed) is kept at its bottom and redrawn. When
	// false, Progress gets plain lines only, and a "still running" line
	// after 30 s without one.
	Live bool
	// Features are the feature files; nil means the embedded features/.
	Features fs.FS
	// Version is written into the record.
	Version string
	// Timeout bounds each request to a shared target, the harness's and
	// the simulated Okta's alike; 0 means Okta's 60 s.
	Timeout time.Duration
	// BeforeScenarios, when set, runs once after the configuration and the
	// target have been checked and before the first scenario: the place
	// for side effects, such as creating the report folder, that must not
	// happen when the run is refused. Its error stops the run and is
	// returned wrapped in ErrConfig.
	BeforeScenarios func() error
}

// ErrNoScenarios is returned when the tag expression selects nothing.
var ErrNoScenarios = errors.New("no scenario selected")

// ErrConfig wraps every error Run returns for a bad configuration (profile,
// tags, nothing selected), as opposed to an infrastructure failure.
var ErrConfig = errors.New("bad configuration")

func configErr(err error) error { return fmt.Errorf("run suite: %w: %w", ErrConfig, err) }

// ErrTarget wraps every error Run returns because the target cannot be
// used at all: unreachable, or refusing the credentials on discovery. No
// scenario runs then — a rejected token must not turn into verdicts.
var ErrTarget = errors.New("target not usable")

func targetErr(err error) error { return fmt.Errorf("run suite: %w: %w", ErrTarget, err) }

// Run runs the suite and returns the result record. The error is only for
// configuration or infrastructure problems (bad tags, nothing selected, the
// target unreachable, a container that does not start); failing scenarios
// are in the record.
func Run(ctx context.Context, cfg Config) (reports.Run, error) {
	started := time.Now()
	profile, err := ParseSuiteProfile(string(cfg.Profile))
	if err != nil {
		return reports.Run{}, configErr(err)
	}
	extra, err := ParseExpr(cfg.Tags)
	if err != nil {
		return reports.Run{}, configErr(err)
	}
	expr := profile.Expr().And(extra)
	if cfg.Features == nil {
		cfg.Features = features.FS()
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	tp := cfg.Target
	if tp.BaseURL == "" && tp.InProcess == nil && tp.Container == nil {
		tp = target.Default()
	}
	if tp.InProcess != nil {
		// An unknown fault name is a configuration mistake, found before
		// anything runs (reference.New would refuse it in every scenario).
		if err := reference.CheckFaults(tp.InProcess.Faults); err != nil {
			return reports.Run{}, configErr(err)
		}
	}
	st := &suiteState{profile: tp, probes: tp.EffectiveProbes(), filtersDeclinable: profile == ProfileRFC}
	if prog := newProgress(cfg.Progress, cfg.Live); prog != nil {
		prog.waived = cfg.Waived
		// Every progress write goes through prog, so none collides with
		// the live line.
		st.prog, st.progress = prog, prog
	}
	if st.client, err = httpClient(tp); err != nil {
		return reports.Run{}, configErr(err)
	}
	if cfg.Timeout > 0 {
		st.client.Timeout, st.timeout = cfg.Timeout, cfg.Timeout
	}
	if err := st.index(cfg.Features); err != nil {
		return reports.Run{}, configErr(err)
	}
	total := st.countSelected(expr)
	if total == 0 {
		return reports.Run{}, configErr(fmt.Errorf("%w by %q: check --profile and --tags", ErrNoScenarios, expr.String()))
	}

	if tp.InProcess == nil {
		st.shared, err = newShared(ctx, tp, st.client, st.progress)
		if err != nil {
			return reports.Run{}, targetErr(err)
		}
		defer st.shared.close()
	}
	if err := st.inferCapabilities(ctx); err != nil {
		return reports.Run{}, err
	}
	if cfg.BeforeScenarios != nil {
		if err := cfg.BeforeScenarios(); err != nil {
			return reports.Run{}, configErr(err)
		}
	}

	// Phases: against a shared target, scenarios that change target-wide
	// settings run alone, after the others. In-process, every scenario has
	// its own server, so everything runs concurrently.
	type phase struct {
		expr        Expr
		concurrency int
	}
	st.prog.begin(total)
	defer st.prog.end()
	phases := []phase{{expr, cfg.Concurrency}}
	if st.shared != nil {
		phases = []phase{
			{expr.And(Expr{Term{{Tag: TagSerial, Not: true}}}), cfg.Concurrency},
			{expr.And(Expr{Term{{Tag: TagSerial}}}), 1},
		}
	}
	for _, ph := range phases {
		if err := ctx.Err(); err != nil {
			return reports.Run{}, fmt.Errorf("run suite: %w", err)
		}
		if st.countSelected(ph.expr) == 0 {
			continue
		}
		if err := st.godog(ctx, cfg.Features, ph.expr, ph.concurrency); err != nil {
			return reports.Run{}, fmt.Errorf("run suite: %w", err)
		}
	}

	st.prog.end()
	traffic := string(tp.Traffic)
	if profile.Entra() {
		traffic = "" // Okta's traffic profile means nothing to Entra's scenarios
	}
	run := reports.Run{
		Target: reports.Target{Name: tp.Name, BaseURL: st.baseURLForRecord(), TrafficProfile: traffic,
			AuthMode: string(tp.Auth.Mode)},
		Profile:  string(profile),
		Tags:     expr.String(),
		Started:  started,
		Duration: time.Since(started),
		Version:  cfg.Version,
	}
	run.CleanupWarnings = st.cleanup.report()
	for _, c := range st.caps.List() {
		run.Capabilities = append(run.Capabilities, "@"+string(c))
	}
	st.mu.Lock()
	run.Scenarios = append(run.Scenarios, st.scenarios...)
	st.mu.Unlock()
	if run.Counts().Failed > 0 {
		st.attachContainerLogs(ctx, &run)
	}
	sort.SliceStable(run.Scenarios, func(i, j int) bool {
		a, b := run.Scenarios[i], run.Scenarios[j]
		if a.URI != b.URI {
			return a.URI < b.URI
		}
		return a.Line < b.Line
	})
	if len(run.Scenarios) == 0 {
		return run, configErr(fmt.Errorf("%w by %q", ErrNoScenarios, expr.String()))
	}
	return run, nil
}

// attachContainerLogs puts the target container's logs, when the run
// started one, into the record and the progress output (issue 5: a run
// against a container shows its logs when a scenario fails).
func (s *suiteState) attachContainerLogs(ctx context.Context, run *reports.Run) {
	if s.shared == nil || s.shared.running == nil {
		return
	}
	logs, err := s.shared.containerLogs(ctx)
	if err != nil {
		logs = strings.TrimRight(logs, "\n") + "\n(" + target.RedactString(err.Error(), []string{s.shared.secret}) + ")"
	}
	run.TargetLogs = logs
	if s.progress != nil {
		s.mu.Lock()
		fmt.Fprintf(s.progress, "---- target container logs (%s), because a scenario failed ----\n%s\n---- end of target container logs ----\n",
			s.shared.running.Image(), termsafe.Lines(strings.TrimRight(logs, "\n"), 0))
		s.mu.Unlock()
	}
}

func (s *suiteState) baseURLForRecord() string {
	if s.shared != nil {
		return s.shared.baseURL
	}
	return "in-process, a fresh server per scenario"
}

// inferCapabilities reads discovery once: from the shared target, or from
// one throwaway in-process server.
func (s *suiteState) inferCapabilities(ctx context.Context) error {
	c := s.shared
	if c == nil {
		var err error
		if c, err = newInProcess(s.profile.InProcess); err != nil {
			return err
		}
		defer c.close()
	}
	caps, err := target.Infer(ctx, c.client, c.baseURL, c.authorization, s.profile.Capabilities)
	var rej *target.RejectedError
	var bad *target.AnswerError
	switch {
	case errors.As(err, &rej):
		return targetErr(rejectedMessage(rej, s.profile.Auth))
	case errors.As(err, &bad):
		// It answered, but not usably: say what was read (issue 11).
		return targetErr(fmt.Errorf("the target at %s is reachable, but %w; no scenario was run (scimulator doctor diagnoses Okta's request the same way)",
			c.baseURL, bad))
	case err != nil:
		return targetErr(fmt.Errorf("cannot reach the target %s at %s: %w: check the URL, that the target is running, and the network or TLS settings (scimulator doctor explains)",
			s.profile.Name, c.baseURL, err))
	}
	s.caps = caps
	return nil
}

// rejectedMessage turns a discovery 401/403 into what to check.
func rejectedMessage(rej *target.RejectedError, auth target.Auth) error {
	where := "the token"
	if auth.SecretEnv != "" {
		where = fmt.Sprintf("the token in %s (--token-env or auth.secretEnv)", auth.SecretEnv)
	}
	if rej.Status == http.StatusUnauthorized {
		return fmt.Errorf("the token was rejected by GET %s (HTTP 401): check that %s is a valid, unexpired API token and that the auth mode %q is how the target expects it; no scenario was run",
			rej.Path, where, auth.Mode)
	}
	return fmt.Errorf("the target refused GET %s (HTTP 403, Okta's \"Forbidden from remote server\"): %s is known but not allowed — check that SCIM is enabled, the key's role has the SCIM permissions and the caller's IP is allowlisted (scimulator doctor diagnoses which); no scenario was run",
		rej.Path, where)
}

// countSelected reads the features in fsys and counts the scenarios
// matching expr. Run reads the features once (index) and counts with
// suiteState.countSelected.
func countSelected(fsys fs.FS, expr Expr) (int, error) {
	var s suiteState
	if err := s.index(fsys); err != nil {
		return 0, err
	}
	return s.countSelected(expr), nil
}

// Catalog lists the names and tags of every scenario in fsys (nil means
// the embedded features/), selected or not, each once and in file order:
// what a waiver may name (scimulator run --waivers).
func Catalog(fsys fs.FS) (names, tags []string, err error) {
	if fsys == nil {
		fsys = features.FS()
	}
	var st suiteState
	if err := st.index(fsys); err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for i, name := range st.pickleNames {
		if !seen["name:"+name] {
			seen["name:"+name] = true
			names = append(names, name)
		}
		for _, t := range st.pickleTags[i] {
			if !seen["tag:"+t] {
				seen["tag:"+t] = true
				tags = append(tags, t)
			}
		}
	}
	return names, tags, nil
}

// countSelected counts the indexed scenarios matching expr, with our own
// matcher (which mirrors godog's), so zero selected scenarios is caught
// before godog would silently run nothing.
func (s *suiteState) countSelected(expr Expr) int {
	n := 0
	for _, tags := range s.pickleTags {
		if expr.Match(tags) {
			n++
		}
	}
	return n
}

// index reads the feature files once: feature names, lines and keywords for
// the record, and each scenario's tags for countSelected.
func (s *suiteState) index(fsys fs.FS) error {
	feats, err := (godog.TestSuite{Options: &godog.Options{FS: fsys, Paths: []string{"."}}}).RetrieveFeatures()
	if err != nil {
		return fmt.Errorf("read features: %w", err)
	}
	s.lines, s.keywords, s.features, s.rules = map[string]int{}, map[string]string{}, map[string]string{}, map[string]Rule{}
	s.pickleTags, s.pickleNames = nil, nil
	for _, f := range feats {
		for _, p := range f.Pickles {
			s.pickleNames = append(s.pickleNames, p.Name)
			tags := make([]string, len(p.Tags))
			for i, t := range p.Tags {
				tags[i] = t.Name
			}
			s.pickleTags = append(s.pickleTags, tags)
		}
		doc := f.GherkinDocument
		if doc == nil || doc.Feature == nil {
			continue
		}
		s.features[f.Uri] = doc.Feature.Name
		for _, child := range doc.Feature.Children {
			if child.Background != nil {
				for _, st := range child.Background.Steps {
					s.lines[st.Id], s.keywords[st.Id] = int(st.Location.Line), st.Keyword
				}
			}
			if sc := child.Scenario; sc != nil {
				s.lines[sc.Id] = int(sc.Location.Line)
				r, ok, err := parseScenarioRule(sc.Description)
				if err != nil {
					return fmt.Errorf("%s:%d: scenario %q: %w", f.Uri, sc.Location.Line, sc.Name, err)
				}
				if ok {
					s.rules[sc.Id] = r
				}
				for _, st := range sc.Steps {
					s.lines[st.Id], s.keywords[st.Id] = int(st.Location.Line), st.Keyword
				}
				for _, ex := range sc.Examples {
					for _, row := range ex.TableBody {
						s.lines[row.Id] = int(row.Location.Line)
					}
				}
			}
		}
	}
	return nil
}

// godog runs one phase. Strict mode makes undefined or pending steps fail
// (STYLE.md, "Known traps"); godog's own output is discarded because the
// result record is kept by the hooks.
func (s *suiteState) godog(ctx context.Context, fsys fs.FS, expr Expr, concurrency int) error {
	before := s.count()
	suite := godog.TestSuite{
		Name:                "scimulator",
		ScenarioInitializer: func(sc *godog.ScenarioContext) { s.initScenario(sc) },
		Options: &godog.Options{
			FS:             fsys,
			Paths:          []string{"."},
			Tags:           expr.String(),
			Strict:         true,
			Concurrency:    concurrency,
			Format:         "progress",
			Output:         io.Discard,
			NoColors:       true,
			DefaultContext: ctx,
		},
	}
	status := suite.Run()
	ran := s.count() - before
	switch {
	case status == 2:
		return fmt.Errorf("godog rejected the run (status 2) for tags %q", expr.String())
	case ran == 0:
		return fmt.Errorf("%w: godog ran nothing for tags %q", ErrNoScenarios, expr.String())
	}
	// Status 1 means failed scenarios, which the record holds.
	return nil
}

func (s *suiteState) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.scenarios)
}

func (s *suiteState) add(sc reports.Scenario) {
	// The progress line is written under the lock too: scenarios finish
	// concurrently and the writer need not be safe for concurrent use.
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scenarios = append(s.scenarios, sc)
	s.prog.finished(sc)
}
