package selftest

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// genSnippet type-checks one file of package p and returns its mutation
// points and mutants (numbered from 1 in source order).
func genSnippet(t *testing.T, src string) (*fileMutants, []*Mutant) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "snip.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{},
		Defs: map[*ast.Ident]types.Object{}, Implicits: map[ast.Node]types.Object{}}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	fm := &fileMutants{rel: "reference/snip.go", src: []byte(src)}
	generateFile(fset, info, pkg, f, fm, []string{"skipped"})
	var ms []*Mutant
	for i, p := range fm.points {
		p.index = i
		for _, m := range p.muts {
			ms = append(ms, m)
			m.num, m.point = len(ms), i
		}
	}
	return fm, ms
}

func shown(ms []*Mutant) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m.Op) + " " + m.Original + " → " + m.Mutated
	}
	return out
}

const opsSnippet = `package p

func cmp(a, b int, ok bool) bool {
	return a < b && !ok
}

func sum(a, b int) int {
	a++
	work(a)
	return a*b + 2
}

func work(int) {}
`

func TestGenerateAppliesEachOperator(t *testing.T) {
	_, ms := genSnippet(t, opsSnippet)
	want := []string{
		"logical a < b && !ok → a < b || !ok",
		"negate a < b → a >= b",
		"boundary a < b → a <= b",
		"drop-not !ok → ok",
		"incdec a++ → a--",
		"remove-call work(a) → (removed)",
		"arith a*b + 2 → a*b - 2",
		"arith a*b → a / b",
		"const 2 → 3",
	}
	if got := shown(ms); !slices.Equal(got, want) {
		t.Errorf("mutants:\n got %q\nwant %q", got, want)
	}
	if ms[0].Line != 4 || ms[0].Func != "cmp" || ms[4].Func != "sum" {
		t.Errorf("positions: %+v / %+v", *ms[0], *ms[4])
	}
}

// TestGenerateLeavesOut: constant contexts (const, array length), string
// concatenation, panic, a for loop's post statement, make's capacity hint
// and the functions named as skipped get no mutant.
func TestGenerateLeavesOut(t *testing.T) {
	_, ms := genSnippet(t, `package p

const limit = 1 + 2

func f(s string, n int) string {
	const local = 3 < 4
	var arr [2]int
	buf := make([]byte, n, 64)
	for i := n; ; i++ {
		arr[i] = n
		panic(s + "x" + string(buf))
	}
}

func skipped(a int) bool { return a > 1 }

type t struct{}

func (t) skipped() {}

func g(x t) { x.skipped() }
`)
	if len(ms) != 0 {
		t.Errorf("want no mutant, got %q", shown(ms))
	}
}

// TestGenerateSkipsFaultBodies: the body under "if s.faults.has(X)" is an
// injected bug, not mutated; its condition and the else branch are.
func TestGenerateSkipsFaultBodies(t *testing.T) {
	_, ms := genSnippet(t, `package p

type faultSet map[string]bool

func (f faultSet) has(n string) bool { return f[n] }

type server struct{ faults faultSet }

func (s *server) f(n int) int {
	if s.faults.has("x") && n > 0 {
		return n + 1
	} else {
		return n * 2
	}
}
`)
	want := []string{
		"logical s.faults.has(\"x\") && n > 0 → s.faults.has(\"x\") || n > 0",
		"negate n > 0 → n <= 0",
		"boundary n > 0 → n >= 0",
		"const 0 → 1",
		"arith n * 2 → n / 2",
		"const 2 → 3",
	}
	if got := shown(ms); !slices.Equal(got, want) {
		t.Errorf("mutants:\n got %q\nwant %q", got, want)
	}
}

// TestMutantIDsStable: ids name file, function and change, not lines, so
// an edit above leaves them alone; the same change twice in a function is
// told apart by "#2".
func TestMutantIDsStable(t *testing.T) {
	src := `package p

func f(a int) bool {
	if a == 0 {
		return a == 0
	}
	return false
}
`
	_, ms1 := genSnippet(t, src)
	_, ms2 := genSnippet(t, strings.Replace(src, "package p\n", "package p\n\n// a comment\nvar x = 0\n", 1))
	ids := func(ms []*Mutant) (out []string) {
		for _, m := range ms {
			if m.Func == "f" {
				out = append(out, m.ID)
			}
		}
		return out
	}
	want := []string{
		"reference/snip.go f: a == 0 → a != 0",
		"reference/snip.go f: 0 → 1",
		"reference/snip.go f: a == 0 → a != 0 #2",
		"reference/snip.go f: 0 → 1 #2",
		"reference/snip.go f: false → true",
	}
	if got := ids(ms1); !slices.Equal(got, want) {
		t.Errorf("ids:\n got %q\nwant %q", got, want)
	}
	if got := ids(ms2); !slices.Equal(got, want) {
		t.Errorf("ids after an edit above:\n got %q\nwant %q", got, want)
	}
	if ms1[0].Line == ms2[len(ms2)-5].Line {
		t.Errorf("lines should have moved: %d", ms1[0].Line)
	}
}

// TestSchemataRunsEachMutant builds the rewritten snippet as a program and
// runs it with no mutant and with each one: the clean run behaves as the
// original, and each mutant changes exactly what it says.
func TestSchemataRunsEachMutant(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	src := strings.Replace(opsSnippet, "package p", "package main", 1) +
		"\nfunc main() { println(cmp(1, 2, false), cmp(2, 2, false), sum(3, 4)) }\n"
	fm, ms := genSnippet(t, src)
	dir := t.TempDir()
	out := fm.render(nil)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), out, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, switchFile), switchSource("main", len(fm.points)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module snip\n\ngo 1.22\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "snip")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s\n%s", err, b, out)
	}
	run := func(num int) string {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), EnvMutant+"="+strconv.Itoa(num))
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("mutant %d: %v\n%s", num, err, b)
		}
		return strings.TrimSpace(string(b))
	}
	// Clean: cmp(1,2,false)=true, cmp(2,2,false)=false, sum(3,4)=(3+1)*4+2=18.
	want := map[string]string{
		"":                            "true false 18",
		"a < b && !ok → a < b || !ok": "true true 18",
		"a < b → a >= b":              "false true 18",
		"a < b → a <= b":              "true true 18",
		"!ok → ok":                    "false false 18",
		"a++ → a--":                   "true false 10",
		"work(a) → (removed)":         "true false 18",
		"a*b + 2 → a*b - 2":           "true false 14",
		"a*b → a / b":                 "true false 3",
		"2 → 3":                       "true false 19",
	}
	if got := run(0); got != want[""] {
		t.Errorf("clean run: got %q, want %q", got, want[""])
	}
	for _, m := range ms {
		if m.Func == "main" {
			continue
		}
		key := m.Original + " → " + m.Mutated
		if got := run(m.num); got != want[key] {
			t.Errorf("mutant %s: got %q, want %q", key, got, want[key])
		}
	}
}

// TestPointAtFindsInnermost: a compile error inside nested points is
// traced to the innermost one around it.
func TestPointAtFindsInnermost(t *testing.T) {
	s := []byte("x := " + openMarker(3) + "f(" + openMarker(7) + "a+b" + closeMarker(7) + ", c)" + closeMarker(3) + " + d")
	cases := []struct {
		at   string
		want int
	}{{"x :=", -1}, {"f(", 3}, {"a+b", 7}, {", c)", 3}, {" + d", -1}}
	for _, c := range cases {
		off := strings.Index(string(s), c.at)
		if got := pointAt(s, off); got != c.want {
			t.Errorf("pointAt(%q) = %d, want %d", c.at, got, c.want)
		}
	}
	if got := lineColOffset([]byte("ab\ncd\nef"), 2, 2); got != 4 {
		t.Errorf("lineColOffset = %d, want 4", got)
	}
}
