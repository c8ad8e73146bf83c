package selftest

// The mutation driver of `scimulator selftest --mutants` (issue 9).
//
// Why not gremlins: gremlins (v0.6.0) runs `go test` on the mutated
// package, so reference/'s own unit tests would count as killers, and it
// has no setting to run another command instead. What issue 9 measures is
// the conformance suite, so this driver runs the embedded suite (steps.Run,
// cortex profile, the in-process reference server) per mutant.
//
// Design ("mutant schemata"): each mutated file is rewritten once, with
// every mutation point behind a switch on a package-level variable set from
// SCIMULATOR_MUTANT; the rewritten files reach the compiler only through
// `go build -overlay`, so no mutation hook exists in the normal build. One
// binary (./internal/selftest/mutantworker) then holds every mutant; the
// clean run records which points the suite reaches, and each reached
// mutant runs in its own worker process with a timeout.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// modulePath is the module whose reference server is mutated.
const modulePath = "github.com/scimulator/scimulator"

// workerPackage is the program built with the overlay: it runs the suite
// once against the in-process reference server.
const workerPackage = modulePath + "/internal/selftest/mutantworker"

// mutationScope lists what is mutated: the packages under reference/
// except the container launcher and the store (issue 9), minus logging
// code, whose text the suite does not check, and minus the fault switches:
// faults.go is their registry, and the code under "if s.faults.has(X)" is
// the injected bug itself, which the fault self-test measures (the
// condition is still mutated: that turns the fault on).
var (
	excludedPackages = []string{"reference/container", "reference/store"}
	excludedFiles    = []string{"reference/logquery.go", "reference/faults.go"}
	excludedFuncs    = map[string][]string{"reference/middleware.go": {"logRequest"}}
)

// MutantStatus is what the suite did to one mutant.
type MutantStatus string

// The mutant statuses. Killed, TimedOut and Crashed all count as killed: a
// mutant that makes the suite hang or the server panic is detected.
const (
	StatusKilled     MutantStatus = "killed"
	StatusTimedOut   MutantStatus = "timed out"
	StatusCrashed    MutantStatus = "crashed"
	StatusSurvived   MutantStatus = "survived"
	StatusNotReached MutantStatus = "not reached"
	StatusNotBuilt   MutantStatus = "not built"

	// statusNoScenario is a worker's answer for feature files with no
	// scenario of the profile; never a mutant's status.
	statusNoScenario MutantStatus = "no scenario"
)

// Dead reports whether the status counts as killed.
func (s MutantStatus) Dead() bool {
	return s == StatusKilled || s == StatusTimedOut || s == StatusCrashed
}

// MutantResult is one mutant's outcome.
type MutantResult struct {
	Mutant
	Status MutantStatus `json:"status"`
	// KilledBy names up to three scenarios that failed (killed only).
	KilledBy []string `json:"killed_by,omitempty"`
	// Detail says why a timed-out, crashed or unbuilt mutant counts as it does.
	Detail string `json:"detail,omitempty"`
}

// MutationConfig configures a mutation run.
type MutationConfig struct {
	// Root is the module's folder (the one with go.mod).
	Root string
	// Files are globs (path.Match, module-relative like
	// "reference/patch.go") that select the files to mutate; empty: all.
	Files []string
	// Only, when set, limits the run to the mutants with these IDs.
	Only []string
	// Workers is how many mutants run at once; 0 means the number of CPUs.
	Workers int
	// Timeout is the per-mutant limit; 0 means 5× the clean time of the
	// features the mutant runs, at least 10 s.
	Timeout time.Duration
	// Progress receives progress lines; nil is quiet.
	Progress io.Writer
}

// MutationReport is the outcome of a mutation run.
type MutationReport struct {
	// Files are the mutated files, sorted.
	Files []string `json:"files"`
	// Results holds one entry per generated mutant, in file and source order.
	Results []MutantResult `json:"results"`
	// Clean is the clean run's wall time; Duration the whole run's.
	Clean    time.Duration `json:"clean_ns"`
	Duration time.Duration `json:"duration_ns"`
	Workers  int           `json:"workers"`
}

// MutationCounts sums results.
type MutationCounts struct {
	Generated, NotBuilt, Run, NotReached, Killed, Survived int
}

// Counts sums the report's results. Run counts the mutants a worker ran;
// Survived includes the not reached ones.
func (r MutationReport) Counts() MutationCounts {
	return countResults(r.Results)
}

func countResults(rs []MutantResult) MutationCounts {
	var c MutationCounts
	for _, res := range rs {
		c.Generated++
		switch {
		case res.Status == StatusNotBuilt:
			c.NotBuilt++
		case res.Status.Dead():
			c.Killed++
			c.Run++
		case res.Status == StatusNotReached:
			c.NotReached++
			c.Survived++
		default:
			c.Survived++
			c.Run++
		}
	}
	return c
}

// KillRate is killed / (killed + survived): not-built mutants are left
// out (they are counted and printed separately).
func (c MutationCounts) KillRate() float64 {
	if c.Killed+c.Survived == 0 {
		return 0
	}
	return float64(c.Killed) / float64(c.Killed+c.Survived)
}

// Survivors returns the surviving mutants (not reached included).
func (r MutationReport) Survivors() []MutantResult {
	var out []MutantResult
	for _, res := range r.Results {
		if res.Status == StatusSurvived || res.Status == StatusNotReached {
			out = append(out, res)
		}
	}
	return out
}

// FindModuleRoot returns the folder at or above dir whose go.mod declares
// this module: the mutation run needs the source, not just the binary.
func FindModuleRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			if strings.Contains(string(data), "module "+modulePath+"\n") {
				return d, nil
			}
			return "", fmt.Errorf("%s is not the %s module: run the mutation test from a checkout of scimulator", filepath.Join(d, "go.mod"), modulePath)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod at or above %s: run the mutation test from a checkout of scimulator", dir)
		}
		d = parent
	}
}

// listedPackage is what `go list -json` says about one package.
type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	Export     string
}

// mutationSet is the generated mutants with what the build needs.
type mutationSet struct {
	root    string
	files   []*fileMutants
	pkgOf   map[*fileMutants]*listedPackage
	mutants []*Mutant
	points  int
}

// GenerateMutants type-checks the packages in scope and returns every
// mutant of the files the globs select (all when none), in file and source
// order. It does not build or run anything.
func GenerateMutants(ctx context.Context, root string, globs []string) ([]Mutant, error) {
	set, err := generate(ctx, root, globs)
	if err != nil {
		return nil, err
	}
	out := make([]Mutant, len(set.mutants))
	for i, m := range set.mutants {
		out[i] = *m
	}
	return out, nil
}

func inScope(rel string) bool {
	if !strings.HasPrefix(rel, "reference/") || strings.HasSuffix(rel, "_test.go") {
		return false
	}
	for _, p := range excludedPackages {
		if strings.HasPrefix(rel, p+"/") {
			return false
		}
	}
	for _, f := range excludedFiles {
		if rel == f {
			return false
		}
	}
	return true
}

// CheckGlobs rejects a malformed glob.
func CheckGlobs(globs []string) error {
	for _, g := range globs {
		if g == "" {
			return errors.New("empty file glob")
		}
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("file glob %q: %w", g, err)
		}
	}
	return nil
}

func matchAny(globs []string, rel string) bool {
	if len(globs) == 0 {
		return true
	}
	for _, g := range globs {
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
	}
	return false
}

func generate(ctx context.Context, root string, globs []string) (*mutationSet, error) {
	if err := CheckGlobs(globs); err != nil {
		return nil, fmt.Errorf("generate mutants: %w", err)
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("generate mutants: %w", err)
	}
	pkgs, exports, err := listPackages(ctx, root)
	if err != nil {
		return nil, fmt.Errorf("generate mutants: %w", err)
	}
	set := &mutationSet{root: root, pkgOf: map[*fileMutants]*listedPackage{}}
	matched := false
	for _, lp := range pkgs {
		fset := token.NewFileSet()
		var files []*ast.File
		var fms []*fileMutants
		for _, name := range lp.GoFiles {
			abs := filepath.Join(lp.Dir, name)
			src, err := os.ReadFile(abs)
			if err != nil {
				return nil, fmt.Errorf("generate mutants: %w", err)
			}
			f, err := parser.ParseFile(fset, abs, src, parser.SkipObjectResolution)
			if err != nil {
				return nil, fmt.Errorf("generate mutants: %w", err)
			}
			files = append(files, f)
			rel, err := filepath.Rel(root, abs)
			if err != nil {
				return nil, fmt.Errorf("generate mutants: %w", err)
			}
			fms = append(fms, &fileMutants{rel: filepath.ToSlash(rel), abs: abs, src: src})
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{},
			Defs: map[*ast.Ident]types.Object{}, Implicits: map[ast.Node]types.Object{}}
		conf := types.Config{Importer: importer.ForCompiler(fset, "gc", func(p string) (io.ReadCloser, error) {
			exp, ok := exports[p]
			if !ok || exp == "" {
				return nil, fmt.Errorf("no export data for %s", p)
			}
			return os.Open(exp)
		})}
		tpkg, err := conf.Check(lp.ImportPath, fset, files, info)
		if err != nil {
			return nil, fmt.Errorf("generate mutants: type-check %s: %w", lp.ImportPath, err)
		}
		for i, fm := range fms {
			if !inScope(fm.rel) || !matchAny(globs, fm.rel) {
				continue
			}
			matched = true
			generateFile(fset, info, tpkg, files[i], fm, excludedFuncs[fm.rel])
			if len(fm.points) == 0 {
				continue
			}
			set.files = append(set.files, fm)
			set.pkgOf[fm] = lp
		}
	}
	if len(globs) > 0 && !matched {
		return nil, fmt.Errorf("generate mutants: no file in the mutation scope (reference/ outside container, store, logging and tests) matches %s", strings.Join(globs, ", "))
	}
	sort.Slice(set.files, func(i, j int) bool { return set.files[i].rel < set.files[j].rel })
	for _, fm := range set.files {
		for _, p := range fm.points {
			p.index = set.points
			set.points++
			for _, m := range p.muts {
				set.mutants = append(set.mutants, m)
				m.num = len(set.mutants)
				m.point = p.index
			}
		}
	}
	return set, nil
}

// listPackages lists the packages in scope (with their files) and the
// export data of every dependency, building what is not cached.
func listPackages(ctx context.Context, root string) ([]*listedPackage, map[string]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-export", "-deps",
		"-json=ImportPath,Name,Dir,GoFiles,Export", "./reference/...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("go list ./reference/...: %w\n%s", err, stderr.String())
	}
	exports := map[string]string{}
	var pkgs []*listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var lp listedPackage
		if err := dec.Decode(&lp); err != nil {
			return nil, nil, fmt.Errorf("go list ./reference/...: %w", err)
		}
		exports[lp.ImportPath] = lp.Export
		rel := strings.TrimPrefix(lp.ImportPath, modulePath+"/")
		if rel == lp.ImportPath || (rel != "reference" && !strings.HasPrefix(rel, "reference/")) {
			continue
		}
		if inScope(rel + "/x.go") {
			pkgs = append(pkgs, &lp)
		}
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ImportPath < pkgs[j].ImportPath })
	return pkgs, exports, nil
}

// compileErr matches a compiler error line: file:line:col: message.
var compileErr = regexp.MustCompile(`(?m)^(\S+\.go):(\d+):(\d+): `)

// maxBuildRounds bounds the rebuilds that drop points which do not compile.
const maxBuildRounds = 8

// build writes the schemata overlay into dir and builds the worker there.
// Points whose rewrite does not compile (rare: an untyped constant whose
// type the closure cannot carry) are dropped and the build retried; their
// mutants are returned as not built.
func (set *mutationSet) build(ctx context.Context, dir string, progress func(string, ...any)) (string, map[int]string, error) {
	dropped := map[int]string{}
	bin := filepath.Join(dir, "mutantworker")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	for round := 0; ; round++ {
		overlay := map[string]string{}
		rendered := map[string][]byte{}
		pkgNames := map[string]string{}
		for i, fm := range set.files {
			out := fm.render(dropped)
			name := filepath.Join(dir, fmt.Sprintf("f%d_%s", i, filepath.Base(fm.abs)))
			if err := os.WriteFile(name, out, 0o600); err != nil {
				return "", nil, err
			}
			overlay[fm.abs] = name
			rendered[fm.abs] = out
			lp := set.pkgOf[fm]
			pkgNames[lp.Dir] = lp.Name
		}
		for pkgDir, name := range pkgNames {
			sw := filepath.Join(dir, "switch_"+name+".go")
			if err := os.WriteFile(sw, switchSource(name, set.points), 0o600); err != nil {
				return "", nil, err
			}
			overlay[filepath.Join(pkgDir, switchFile)] = sw
		}
		ovl, err := json.Marshal(map[string]any{"Replace": overlay})
		if err != nil {
			return "", nil, err
		}
		ovlFile := filepath.Join(dir, "overlay.json")
		if err := os.WriteFile(ovlFile, ovl, 0o600); err != nil {
			return "", nil, err
		}
		cmd := exec.CommandContext(ctx, "go", "build", "-overlay", ovlFile, "-o", bin, workerPackage)
		cmd.Dir = set.root
		out, err := cmd.CombinedOutput()
		if err == nil {
			return bin, dropped, nil
		}
		if ctx.Err() != nil {
			return "", nil, ctx.Err()
		}
		progress("mutants: build round %d failed; dropping the points that do not compile", round+1)
		n := 0
		text := string(out)
		for _, m := range compileErr.FindAllStringSubmatchIndex(text, -1) {
			file := text[m[2]:m[3]]
			if !filepath.IsAbs(file) {
				file = filepath.Join(set.root, file)
			}
			src, ok := rendered[filepath.Clean(file)]
			if !ok {
				continue
			}
			line, _ := strconv.Atoi(text[m[4]:m[5]])
			col, _ := strconv.Atoi(text[m[6]:m[7]])
			msg, _, _ := strings.Cut(text[m[1]:], "\n")
			if p := pointAt(src, lineColOffset(src, line, col)); p >= 0 && dropped[p] == "" {
				dropped[p] = "does not compile under schemata: " + strings.TrimSpace(msg)
				n++
			}
		}
		if n == 0 || round+1 >= maxBuildRounds {
			return "", nil, fmt.Errorf("build the mutation worker: %w\n%s", err, tailText(string(out), 3000))
		}
	}
}

// lineColOffset turns a 1-based line and byte column into an offset.
func lineColOffset(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line && off < len(src); l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return min(off+col-1, len(src))
}

func tailText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// workerResult is one worker process's outcome.
type workerResult struct {
	status MutantStatus
	failed []string
	detail string
}

// runWorker runs the worker binary with the given mutant active (0: none),
// cover file ("" for none) and feature files (none: all).
func runWorker(ctx context.Context, bin string, num int, cover string, timeout time.Duration, features ...string) workerResult {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, features...)
	cmd.Env = append(os.Environ(), EnvMutant+"="+strconv.Itoa(num), EnvMutantCover+"="+cover)
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var failed, notRun []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "FAILED "); ok {
			failed = append(failed, name)
		}
		if name, ok := strings.CutPrefix(sc.Text(), "NOTRUN "); ok {
			notRun = append(notRun, name)
		}
	}
	var ee *exec.ExitError
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return workerResult{status: StatusTimedOut, detail: fmt.Sprintf("the suite did not finish within %s", timeout)}
	case err == nil:
		return workerResult{status: StatusSurvived}
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return workerResult{status: StatusKilled, failed: failed}
	case errors.As(err, &ee) && ee.ExitCode() == 5:
		return workerResult{status: statusNoScenario}
	case errors.As(err, &ee) && ee.ExitCode() == 4:
		// Skipped scenarios name no broken rule (as in the fault
		// self-test): the mutant survives, with the skips as detail.
		return workerResult{status: StatusSurvived,
			detail: oneLine(fmt.Sprintf("no scenario failed, %d did not run: %s", len(notRun), strings.Join(notRun, "; ")), maxReasonLen)}
	default:
		return workerResult{status: StatusCrashed, failed: failed,
			detail: oneLine(strings.TrimSpace(err.Error()+": "+lastLine(stderr.String())), maxReasonLen)}
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// RunMutants generates the mutants of the selected files, builds them into
// one worker binary, checks that the clean suite passes there, and runs
// every mutant the clean suite reaches, cfg.Workers at a time.
func RunMutants(ctx context.Context, cfg MutationConfig) (MutationReport, error) {
	started := time.Now()
	var mu sync.Mutex
	progress := func(format string, args ...any) {
		if cfg.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(cfg.Progress, format+"\n", args...)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	set, err := generate(ctx, cfg.Root, cfg.Files)
	if err != nil {
		return MutationReport{}, err
	}
	rep := MutationReport{Workers: workers}
	for _, fm := range set.files {
		rep.Files = append(rep.Files, fm.rel)
	}
	progress("mutants: %d generated in %d files", len(set.mutants), len(set.files))
	if len(set.mutants) == 0 {
		return rep, errors.New("mutants: no mutant generated")
	}
	only := map[string]bool{}
	for _, id := range cfg.Only {
		only[id] = true
	}

	dir, err := os.MkdirTemp("", "scimulator-mutants-")
	if err != nil {
		return rep, fmt.Errorf("mutants: %w", err)
	}
	defer os.RemoveAll(dir)
	t0 := time.Now()
	bin, dropped, err := set.build(ctx, dir, progress)
	if err != nil {
		return rep, fmt.Errorf("mutants: %w", err)
	}
	progress("mutants: built the schemata worker in %s", time.Since(t0).Round(time.Millisecond))

	// The clean run, one worker per feature file: every scenario must pass
	// with no mutant active, and each file's run records the points it
	// reaches, so a mutant later runs only the features that reach it.
	feats, err := featureFiles(set.root)
	if err != nil {
		return rep, fmt.Errorf("mutants: %w", err)
	}
	t0 = time.Now()
	reachedBy := map[int][]string{}
	cleanRes := make([]workerResult, len(feats))
	cleanDur := map[string]time.Duration{}
	parallel(ctx, workers, len(feats), func(i int) {
		f0 := time.Now()
		cleanRes[i] = runWorker(ctx, bin, 0, filepath.Join(dir, fmt.Sprintf("cover%d.txt", i)), 5*time.Minute, feats[i])
		mu.Lock()
		cleanDur[feats[i]] = time.Since(f0)
		mu.Unlock()
	})
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("mutants: %w", err)
	}
	rep.Clean = time.Since(t0)
	for i, res := range cleanRes {
		if res.status == statusNoScenario {
			continue
		}
		if res.status != StatusSurvived || res.detail != "" {
			return rep, fmt.Errorf("mutants: the clean suite does not pass on the mutation build (%s, %s%s); fix that first: %s",
				feats[i], res.status, strings.Join(append([]string{""}, res.failed...), "; failed: "), res.detail)
		}
		pts, err := readCover(filepath.Join(dir, fmt.Sprintf("cover%d.txt", i)))
		if err != nil {
			return rep, fmt.Errorf("mutants: %w", err)
		}
		for p := range pts {
			reachedBy[p] = append(reachedBy[p], feats[i])
		}
	}
	progress("mutants: clean suite passed (%d feature files) in %s and reached %d of %d points", len(feats), rep.Clean.Round(time.Millisecond), len(reachedBy), set.points)
	// A mutant's time limit: 5× the clean time of the features it runs,
	// at least 10 s (the machine may be busy).
	timeoutFor := func(fs []string) time.Duration {
		if cfg.Timeout > 0 {
			return cfg.Timeout
		}
		var d time.Duration
		for _, f := range fs {
			d += cleanDur[f]
		}
		return max(10*time.Second, 5*d)
	}

	var jobs []int
	rep.Results = make([]MutantResult, 0, len(set.mutants))
	for _, m := range set.mutants {
		if len(only) > 0 && !only[m.ID] {
			continue
		}
		res := MutantResult{Mutant: *m}
		switch {
		case dropped[m.point] != "":
			res.Status, res.Detail = StatusNotBuilt, dropped[m.point]
		case len(reachedBy[m.point]) == 0:
			res.Status = StatusNotReached
		default:
			jobs = append(jobs, len(rep.Results))
		}
		rep.Results = append(rep.Results, res)
	}
	progress("mutants: running %d reached mutants, %d at a time, each on the features that reach it", len(jobs), workers)
	done := 0
	parallel(ctx, workers, len(jobs), func(j int) {
		r := &rep.Results[jobs[j]]
		wr := runWorker(ctx, bin, r.num, "", timeoutFor(reachedBy[r.point]), reachedBy[r.point]...)
		r.Status, r.Detail = wr.status, wr.detail
		if r.Status == statusNoScenario {
			r.Status, r.Detail = StatusCrashed, "the worker found no scenario to run"
		}
		if len(wr.failed) > 3 {
			wr.failed = wr.failed[:3]
		}
		r.KilledBy = wr.failed
		mu.Lock()
		done++
		n := done
		mu.Unlock()
		if n%50 == 0 || n == len(jobs) {
			progress("mutants: %d/%d run (%s)", n, len(jobs), time.Since(started).Round(time.Second))
		}
	})
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("mutants: %w", err)
	}
	rep.Duration = time.Since(started)
	return rep, nil
}

func readCover(file string) (map[int]bool, error) {
	out := map[int]bool{}
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, l := range strings.Fields(string(data)) {
		n, err := strconv.Atoi(l)
		if err != nil {
			return nil, fmt.Errorf("coverage file: bad line %q", l)
		}
		out[n] = true
	}
	return out, nil
}

// parallel calls fn(0) … fn(n-1), at most workers at a time, and stops
// handing out work when ctx is done.
func parallel(ctx context.Context, workers, n int, fn func(i int)) {
	ch := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for i := range ch {
				fn(i)
			}
		})
	}
feed:
	for i := range n {
		select {
		case ch <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
}

// featureFiles lists the feature files (names in features/) the worker
// embeds, sorted.
func featureFiles(root string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(root, "features", "*.feature"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no feature files in %s", filepath.Join(root, "features"))
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	sort.Strings(out)
	return out, nil
}
