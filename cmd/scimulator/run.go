package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/internal/version"
	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
	"github.com/scimulator/scimulator/steps"
)

// runFlags are the flags of `scimulator run`.
type runFlags struct {
	targetFile  string
	url         string
	tokenEnv    string
	auth        string
	username    string
	traffic     string
	allowHTTP   bool
	insecure    bool
	caFile      string
	profile     string
	tags        string
	reportDir   string
	concurrency int
	faults      string
	cleanup     bool
	failOn      string
	timeout     time.Duration
	waivers     string
	baseline    string
	newOnly     bool
	idp         string
}

// runSuite runs the conformance suite against a target: the embedded
// reference server by default, a target profile (--target) or a URL (--url
// with --token-env). Exit status (reports.Run.Passed decides): 0 when every
// selected scenario passed or failed only below --fail-on, 1 otherwise,
// 2 on bad usage or configuration.
func runSuite(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.targetFile, "target", "", "target profile `file` (.yaml, .yml or .json); see features/targets/")
	fs.StringVar(&f.url, "url", "", "SCIM base `URL` of your endpoint, e.g. https://app.example.com/scim/v2")
	fs.StringVar(&f.tokenEnv, "token-env", "", "environment `variable` holding the API token (with --url)")
	fs.StringVar(&f.auth, "auth", "bearer", "how the token is sent: bearer, header (verbatim) or basic (with --url)")
	fs.StringVar(&f.username, "username", "", "basic-auth user name (with --auth basic)")
	fs.StringVar(&f.traffic, "traffic", "oin", "Okta traffic profile: oin (catalog app, PATCH) or aiw (wizard app, PUT) (with --url)")
	fs.BoolVar(&f.allowHTTP, "allow-http", false, "allow a plain-http URL (Okta itself only talks HTTPS)")
	fs.BoolVar(&f.insecure, "insecure", false, "skip TLS certificate verification (Okta never does)")
	fs.StringVar(&f.caFile, "ca-file", "", "PEM `file` of extra CA certificates to trust")
	fs.StringVar(&f.profile, "profile", "cortex", "scenario profile: okta (any Okta-compatible app), rfc (okta and the RFC 7643/7644 rules Okta never exercises), cortex (adds the Cortex semantics), entra (the Entra ID-driven scenarios any Entra-compatible app must pass) or entra-cortex (every Entra ID-driven scenario, the Cortex semantics included)")
	fs.StringVar(&f.idp, "idp", "", "identity provider to simulate: okta (the default) or entra (without --profile: --profile entra-cortex, every Entra scenario; --profile entra keeps those any Entra-compatible app must pass); a target profile's idp field sets it too")
	fs.StringVar(&f.tags, "tags", "", "extra tag `expression` ANDed with the profile: , is OR, && is AND, ~ is NOT (e.g. \"~@groups\")")
	fs.StringVar(&f.reportDir, "report-dir", "scimulator-report", "`directory` for the reports (JUnit, Cucumber JSON, HTML, Markdown, HAR)")
	fs.IntVar(&f.concurrency, "concurrency", 4, "scenarios run at once")
	fs.BoolVar(&f.cleanup, "cleanup", false, "delete the SCIM users each scenario created on a shared target (--url, or a profile's baseURL or container) after the scenario; overrides the profile's cleanup")
	fs.StringVar(&f.failOn, "fail-on", "must", "the least serious failure `level` that fails the run (exit 1): okta (the IdP breaks; also idp), must (also RFC MUSTs and the SPEC) or should (also advice); failures below it are listed, not hidden; overrides the profile's failOn")
	fs.DurationVar(&f.timeout, "timeout", simulator.DefaultTimeout, "read timeout of each request to the target (Okta waits 60s)")
	fs.StringVar(&f.waivers, "waivers", "", "YAML `file` of waivers: known failures (by scenario name or @tag) reported as waived that do not fail the run")
	fs.StringVar(&f.baseline, "baseline", "", "a previous run's cucumber.json or report `folder`: print and write (diff.md, report.html) what newly fails, newly passes, is new or gone")
	fs.BoolVar(&f.newOnly, "fail-on-new-only", false, "with --baseline: exit 1 only for failures the baseline did not have (and for waiver problems)")
	fs.StringVar(&f.faults, "fault", "", "comma-separated reference fault switches for the embedded target (see selftest)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator run [--target FILE | --url URL --token-env VAR] [--cleanup] [--idp okta|entra] [--profile okta|rfc|cortex|entra|entra-cortex] [--tags EXPR] [--report-dir DIR] [--concurrency N] [--waivers FILE] [--baseline PREVIOUS [--fail-on-new-only]]")
		fmt.Fprintln(stderr, "\nWith no target, runs against the embedded reference server (a fresh one per scenario).")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := f.checkCombination(set); err != nil {
		return usageError("%v", err)
	}
	prof, err := f.targetProfile(getenv)
	if err != nil {
		return usageError("%v", err)
	}
	if set["cleanup"] {
		// The flag wins over the profile's cleanup, either way. In-process
		// it changes nothing: each scenario's server is thrown away.
		prof.Cleanup = f.cleanup
	}
	if f.timeout <= 0 {
		return usageError("--timeout must be positive, got %s", f.timeout)
	}
	if f.concurrency < 1 {
		return usageError("--concurrency must be at least 1, got %d", f.concurrency)
	}
	suiteProfile, err := chooseSuiteProfile(f, set, prof.IdP)
	if err != nil {
		return usageError("%v", err)
	}
	failOn, err := reports.ParseLevel(f.failOn)
	if err != nil {
		return usageError("--fail-on: %v", err)
	}
	if prof.FailOn != "" && !set["fail-on"] {
		// The profile's failOn, unless the flag says otherwise.
		failOn = prof.FailOn
	}
	// Waivers and the baseline are read before anything runs: a typo in
	// either must not cost a long run.
	waivers, err := loadWaivers(f.waivers)
	if err != nil {
		return usageError("--waivers: %v", err)
	}
	var baseline *reports.Baseline
	switch {
	case f.baseline != "":
		b, err := reports.LoadBaseline(f.baseline)
		if err != nil {
			return usageError("--baseline: %v", err)
		}
		baseline = &b
	case f.newOnly:
		return usageError("--fail-on-new-only needs --baseline: new failures are new relative to a previous run")
	}

	cleanup := ""
	if prof.Cleanup && prof.Shared() {
		cleanup = ", deleting the users each scenario creates (--cleanup)"
	}
	fmt.Fprintf(stdout, "scimulator run: %s, profile %s%s\n", describe(prof), suiteProfile, cleanup)
	run, err := steps.Run(ctx, steps.Config{Target: prof, Profile: suiteProfile, Tags: f.tags,
		Concurrency: f.concurrency, Progress: stdout, Live: isTerminal(stdout),
		Waived: func(s reports.Scenario) bool { return waivers.Excuses(s, time.Now()) }, Timeout: f.timeout, Version: version.Version(),
		// The report directory is created once the flags, tags and target
		// have been checked (a refused run leaves nothing behind) but
		// before any scenario runs, so a path that cannot hold the reports
		// is a configuration error, not a lost run.
		BeforeScenarios: func() error {
			if err := prepareReportDir(f.reportDir); err != nil {
				return fmt.Errorf("--report-dir: %w", err)
			}
			return nil
		}})
	if err != nil {
		// Bad configuration and an unusable target (unreachable, token
		// rejected) are exit 2: nothing was tested.
		if errors.Is(err, steps.ErrConfig) || errors.Is(err, steps.ErrTarget) {
			return usageError("%v", err)
		}
		return err
	}
	run.FailOn = failOn
	run = waivers.Apply(run, time.Now())
	if baseline != nil {
		run.Diff, run.NewOnly = baseline.Compare(run), f.newOnly
	}
	paths, werr := reports.WriteAll(f.reportDir, run, nil)
	fmt.Fprintln(stdout)
	if err := reports.WriteSummary(stdout, run, paths); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	if werr != nil {
		return fmt.Errorf("write reports: %w", werr)
	}
	if !run.Passed() {
		return &exitError{code: 1, err: errors.New(reports.FailReason(run))}
	}
	return nil
}

// loadWaivers reads --waivers and checks every scenario name and tag in
// it against the whole suite; no file means no waivers.
func loadWaivers(path string) (reports.Waivers, error) {
	if path == "" {
		return nil, nil
	}
	ws, err := reports.LoadWaivers(path)
	if err != nil {
		return nil, err
	}
	names, tags, err := steps.Catalog(nil)
	if err != nil {
		return nil, err
	}
	if err := ws.Check(names, tags); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ws, nil
}

// urlOnlyFlags are the flags that describe a --url target; a profile file
// (--target) holds the same settings itself, so combining them would
// silently ignore the flag.
var urlOnlyFlags = []string{"auth", "username", "traffic", "insecure", "ca-file"}

// checkCombination refuses flags that would be ignored: the --url flags
// with --target, and --fault with any target but the embedded one.
func (f runFlags) checkCombination(set map[string]bool) error {
	if f.targetFile != "" {
		for _, name := range urlOnlyFlags {
			if set[name] {
				return fmt.Errorf("--%s applies to --url only: with --target, set it in the profile file instead", name)
			}
		}
	}
	if f.faults != "" {
		known := map[string]bool{}
		var names []string
		for _, k := range reference.KnownFaults() {
			known[k.Name] = true
			names = append(names, k.Name)
		}
		for _, name := range strings.Split(f.faults, ",") {
			if !known[strings.TrimSpace(name)] {
				return fmt.Errorf("--fault: unknown fault %q (known: %s)", name, strings.Join(names, ", "))
			}
		}
	}
	return nil
}

// prepareReportDir creates dir and checks that a file can be written in it.
func prepareReportDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".scimulator-write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	name := probe.Name()
	_ = probe.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("clean up the write check in %s: %w", dir, err)
	}
	return nil
}

// targetProfile builds the validated, resolved profile from the flags.
func (f runFlags) targetProfile(getenv env) (target.Profile, error) {
	urlFlags := f.url != "" || f.tokenEnv != ""
	var prof target.Profile
	var err error
	switch {
	case f.targetFile != "" && urlFlags:
		return prof, errors.New("--target and --url/--token-env are alternatives: use one")
	case f.targetFile != "":
		prof, err = target.Load(f.targetFile)
		if err != nil {
			return prof, err
		}
		if f.allowHTTP && !prof.AllowHTTP {
			prof.AllowHTTP = true
			if prof, err = prof.Validate(); err != nil {
				return prof, err
			}
		}
	case urlFlags:
		prof, err = target.FromFlags(target.Flags{URL: f.url, TokenEnv: f.tokenEnv, Auth: f.auth, Username: f.username,
			Traffic: f.traffic, AllowHTTP: f.allowHTTP, Insecure: f.insecure, CAFile: f.caFile})
		if err != nil {
			return prof, err
		}
	default:
		prof = target.Default()
	}
	if f.faults != "" {
		if prof.InProcess == nil {
			return prof, errors.New("--fault applies to the embedded reference target only")
		}
		spec := *prof.InProcess
		spec.Faults = append(append([]string(nil), spec.Faults...), strings.Split(f.faults, ",")...)
		prof.InProcess = &spec
	}
	return prof.Resolve(getenv)
}

func describe(p target.Profile) string {
	switch {
	case p.InProcess != nil && len(p.InProcess.Faults) > 0:
		return fmt.Sprintf("embedded reference server with faults %s", strings.Join(p.InProcess.Faults, ","))
	case p.InProcess != nil:
		return "embedded reference server"
	case p.Container != nil:
		return "container " + p.Container.Image + p.Container.BuildContext
	}
	return p.BaseURL
}

// chooseSuiteProfile combines --profile, --idp and the target profile's idp
// field: --idp entra (or idp: entra) without --profile means entra-cortex,
// every Entra scenario, as the default Okta profile is cortex; --profile
// entra narrows it to what any Entra-compatible app must pass. A --profile
// that names Okta's scenarios with it is refused rather than silently
// ignored.
func chooseSuiteProfile(f runFlags, set map[string]bool, profIdP target.IdP) (steps.SuiteProfile, error) {
	idp := profIdP
	if set["idp"] {
		var err error
		if idp, err = target.ParseIdP(f.idp); err != nil {
			return "", fmt.Errorf("--idp: %w", err)
		}
	}
	if !set["profile"] {
		if idp == target.IdPEntra {
			return steps.ProfileEntraCortex, nil
		}
		return steps.ParseSuiteProfile(f.profile)
	}
	p, err := steps.ParseSuiteProfile(f.profile)
	if err != nil {
		return "", fmt.Errorf("--profile: %w", err)
	}
	switch {
	case idp == target.IdPEntra && !p.Entra():
		return "", fmt.Errorf("--profile %s selects the Okta-driven scenarios but the identity provider is entra (--idp or the target profile's idp): use --profile entra (what any Entra-compatible app must pass), --profile entra-cortex, or leave --profile out", p)
	case set["idp"] && idp == target.IdPOkta && p.Entra():
		return "", fmt.Errorf("--profile %s selects the Entra-driven scenarios but --idp is okta: drop one of them", p)
	}
	return p, nil
}
