package selftest

// Mutant generation for `scimulator selftest --mutants` (issue 9): the
// standard mutation operators applied to the reference server's source, and
// the "mutant schemata" rewrite that puts every mutant of a file behind a
// runtime switch so one build holds them all.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"unicode/utf8"
)

// MutantOp names a mutation operator.
type MutantOp string

// The mutation operators. Each is the classic one of the mutation-testing
// literature (and of gremlins' default set), applied to a syntactic point.
const (
	// OpNegate negates a comparison: == ↔ !=, < ↔ >=, > ↔ <=.
	OpNegate MutantOp = "negate"
	// OpBoundary moves a comparison's boundary: < ↔ <=, > ↔ >=.
	OpBoundary MutantOp = "boundary"
	// OpLogical swaps && and ||.
	OpLogical MutantOp = "logical"
	// OpArith swaps arithmetic on numbers: + ↔ -, * ↔ /, % → *.
	OpArith MutantOp = "arith"
	// OpIncDec swaps ++ and -- statements.
	OpIncDec MutantOp = "incdec"
	// OpNot drops a boolean negation: !x → x.
	OpNot MutantOp = "drop-not"
	// OpRemove removes a call statement (its result was unused anyway).
	OpRemove MutantOp = "remove-call"
	// OpConst changes a constant: an integer literal n → n+1, true ↔ false.
	OpConst MutantOp = "const"
)

// Mutant is one small change to the reference server's source.
type Mutant struct {
	// ID names the mutant stably: the file, the enclosing function, the
	// original and mutated text, and "#n" for the n-th identical change in
	// the same function. It does not contain a line number, so an edit
	// elsewhere in the file does not rename it (mutants.json refers to it).
	ID string `json:"id"`
	// File is the module-relative, slash-separated source path.
	File string `json:"file"`
	// Line and Col are where the mutated code starts (1-based).
	Line int `json:"line"`
	Col  int `json:"col"`
	// Func is the enclosing function ("(*Server).wrap", "parseFilter") or
	// "var" for a package-level variable's initializer.
	Func string `json:"func"`
	// Op is the operator.
	Op MutantOp `json:"op"`
	// Original and Mutated are the code before and after, on one line.
	Original string `json:"original"`
	Mutated  string `json:"mutated"`

	// num is the mutant's runtime switch value in the schemata build
	// (1-based); point is the index of its mutation point.
	num   int
	point int
}

// String is the mutant as the report lists it: file:line: original → mutant.
func (m Mutant) String() string {
	return fmt.Sprintf("%s:%d: %s → %s", m.File, m.Line, m.Original, m.Mutated)
}

// maxMutantText trims a mutant's shown code (a removed call can be long).
const maxMutantText = 100

// piece is a part of a point's rendering: verbatim text, or a source range
// [start, end) rendered with the mutation points inside it.
type piece struct {
	text       string
	start, end int
	src        bool
}

func lit(s string) piece            { return piece{text: s} }
func srcRange(start, end int) piece { return piece{start: start, end: end, src: true} }

// mpoint is a mutation point: a source range that the schemata rewrite
// replaces by a switch over its mutants.
type mpoint struct {
	start, end int
	// stmt: the point is a statement (rendered as a block); otherwise an
	// expression of type typ (rendered as an immediately called closure).
	stmt bool
	typ  string
	alts [][]piece
	muts []*Mutant
	// index is the point's global number (coverage reports it).
	index int
}

// fileMutants holds one source file's mutation points.
type fileMutants struct {
	rel    string // module-relative slash path
	abs    string // absolute path on disk (the overlay replaces it)
	src    []byte
	points []*mpoint
}

// mutator walks one type-checked file and collects its mutation points.
type mutator struct {
	fset   *token.FileSet
	info   *types.Info
	pkg    *types.Package
	file   *ast.File
	fm     *fileMutants
	fn     string
	skip   map[ast.Node]bool
	names  map[string]string // import path → local name in this file
	noFunc map[string]bool   // functions left out (logging code)
}

// generateFile collects the mutation points of one parsed, type-checked
// file. skipFuncs names functions whose bodies are not mutated.
func generateFile(fset *token.FileSet, info *types.Info, pkg *types.Package, f *ast.File, fm *fileMutants, skipFuncs []string) {
	m := &mutator{fset: fset, info: info, pkg: pkg, file: f, fm: fm, skip: map[ast.Node]bool{},
		names: map[string]string{}, noFunc: map[string]bool{}}
	for _, s := range skipFuncs {
		m.noFunc[s] = true
	}
	for _, imp := range f.Imports {
		if pn := info.PkgNameOf(imp); pn != nil && pn.Name() != "_" && pn.Name() != "." {
			m.names[pn.Imported().Path()] = pn.Name()
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body == nil || m.noFunc[d.Name.Name] {
				continue
			}
			m.fn = funcName(d)
			ast.Inspect(d.Body, m.visit)
		case *ast.GenDecl:
			// Constant declarations need constant expressions, which a
			// runtime switch is not; types and imports hold no code.
			if d.Tok != token.VAR {
				continue
			}
			m.fn = "var"
			ast.Inspect(d, m.visit)
		}
	}
	assignIDs(fm)
}

// funcName is "Name", "T.Name" or "(*T).Name".
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	name := "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	if star {
		return "(*" + name + ")." + d.Name.Name
	}
	return name + "." + d.Name.Name
}

func (m *mutator) off(p token.Pos) int { return m.fset.Position(p).Offset }

// text is the node's source on one line, whitespace runs collapsed.
func (m *mutator) text(n ast.Node) string {
	return oneLineCode(string(m.fm.src[m.off(n.Pos()):m.off(n.End())]))
}

func oneLineCode(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxMutantText {
		r := []rune(s)
		s = string(r[:maxMutantText-1]) + "…"
	}
	return s
}

func (m *mutator) visit(n ast.Node) bool {
	if n == nil || m.skip[n] {
		return false
	}
	switch n := n.(type) {
	case *ast.GenDecl:
		// A local constant declaration needs constant expressions.
		return n.Tok != token.CONST
	case *ast.ArrayType:
		// An array length must be constant.
		return false
	case *ast.CompositeLit:
		// Keys of array and slice literals must be constant; map and struct
		// keys are left alone too (a changed key is a different field).
		for _, e := range n.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				ast.Inspect(kv.Value, m.visit)
			} else {
				ast.Inspect(e, m.visit)
			}
		}
		return false
	case *ast.CallExpr:
		if m.isLogging(n) {
			return false
		}
		// make's capacity hint only changes allocation, never behaviour.
		if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "make" && m.isBuiltin(id) {
			capArg := 2
			if len(n.Args) > 0 {
				if _, isMap := m.info.TypeOf(n.Args[0]).Underlying().(*types.Map); isMap {
					capArg = 1
				}
			}
			if len(n.Args) > capArg {
				m.skip[n.Args[capArg]] = true
			}
		}
	case *ast.IfStmt:
		if m.faultOnly(n.Cond) {
			// The body is an injected bug (a fault switch of the
			// reference server): the fault self-test measures it. The
			// condition is mutated, which turns the fault on.
			for _, x := range []ast.Node{n.Init, n.Cond, n.Else} {
				if x != nil {
					ast.Inspect(x, m.visit)
				}
			}
			return false
		}
	case *ast.BlockStmt:
		m.stmtList(n.List)
	case *ast.CaseClause:
		for _, e := range n.List {
			if m.faultOnly(e) {
				for _, e := range n.List {
					ast.Inspect(e, m.visit)
				}
				return false
			}
		}
		m.stmtList(n.Body)
	case *ast.CommClause:
		m.stmtList(n.Body)
	case *ast.BinaryExpr:
		m.binary(n)
	case *ast.UnaryExpr:
		if n.Op == token.NOT && !m.isConst(n) {
			if typ, ok := m.typeName(n); ok {
				m.addExpr(n, typ, OpNot, []piece{srcRange(m.off(n.X.Pos()), m.off(n.X.End()))}, m.text(n.X))
			}
		}
	case *ast.BasicLit:
		if n.Kind == token.INT {
			m.intLit(n)
		}
	case *ast.Ident:
		if (n.Name == "true" || n.Name == "false") && m.isUniverse(n) {
			other := "false"
			if n.Name == "false" {
				other = "true"
			}
			if typ, ok := m.typeName(n); ok {
				m.addExpr(n, typ, OpConst, []piece{lit(other)}, other)
			}
		}
	}
	return true
}

// stmtList adds the statement-level points of a statement list: removed
// call statements and swapped ++/--. Only statements directly in a list
// are rewritten: a for loop's post statement or an if's init must stay a
// simple statement, which a block is not.
func (m *mutator) stmtList(list []ast.Stmt) {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.ExprStmt:
			call, ok := s.X.(*ast.CallExpr)
			if !ok || m.isLogging(call) || m.neverReturns(call) {
				continue
			}
			m.addStmt(s, OpRemove, []piece{}, "(removed)")
		case *ast.IncDecStmt:
			op := "--"
			if s.Tok == token.DEC {
				op = "++"
			}
			x := srcRange(m.off(s.X.Pos()), m.off(s.X.End()))
			m.addStmt(s, OpIncDec, []piece{x, lit(op)}, m.text(s.X)+op)
		}
	}
}

// neverReturns reports calls whose removal would change which statements
// end a function (panic, os.Exit, log.Fatal…): the mutant would not build,
// and a panic that is not reached is not a behaviour change to look for.
func (m *mutator) neverReturns(call *ast.CallExpr) bool {
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		return fun.Name == "panic" && m.isBuiltin(fun)
	case *ast.SelectorExpr:
		if obj, ok := m.info.Uses[fun.Sel].(*types.Func); ok && obj.Pkg() != nil {
			p, n := obj.Pkg().Path(), obj.Name()
			return (p == "os" && n == "Exit") || (p == "log" && strings.HasPrefix(n, "Fatal")) ||
				(p == "log" && strings.HasPrefix(n, "Panic"))
		}
	}
	return false
}

// faultOnly reports a condition that holds only with a fault switch on:
// s.faults.has(X), alone or in a conjunction.
func (m *mutator) faultOnly(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return m.faultOnly(e.X)
	case *ast.BinaryExpr:
		return e.Op == token.LAND && (m.faultOnly(e.X) || m.faultOnly(e.Y))
	case *ast.CallExpr:
		sel, ok := e.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "has" {
			return false
		}
		named, ok := m.info.TypeOf(sel.X).(*types.Named)
		return ok && named.Obj().Name() == "faultSet"
	}
	return false
}

// isLogging reports a call into zerolog (a log line being built or
// written) or to a left-out logging function: log text is outside what the
// suite checks (issue 9).
func (m *mutator) isLogging(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	obj := m.info.Uses[sel.Sel]
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	// A call to one of the left-out (logging) functions is logging too.
	if fn, ok := obj.(*types.Func); ok && obj.Pkg() == m.pkg && m.noFunc[fn.Name()] {
		return true
	}
	return strings.HasPrefix(obj.Pkg().Path(), "github.com/rs/zerolog")
}

func (m *mutator) isBuiltin(id *ast.Ident) bool {
	_, ok := m.info.Uses[id].(*types.Builtin)
	return ok
}

func (m *mutator) isUniverse(id *ast.Ident) bool {
	obj := m.info.Uses[id]
	return obj != nil && obj == types.Universe.Lookup(id.Name)
}

func (m *mutator) isConst(e ast.Expr) bool {
	tv, ok := m.info.Types[e]
	return ok && tv.Value != nil
}

// typeName is the expression's type as this file can spell it; false when
// it cannot (a type of a package the file does not import).
func (m *mutator) typeName(e ast.Expr) (string, bool) {
	t := m.info.TypeOf(e)
	if t == nil {
		return "", false
	}
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		t = types.Default(t)
	}
	ok := true
	name := types.TypeString(t, func(p *types.Package) string {
		if p == m.pkg {
			return ""
		}
		if n, found := m.names[p.Path()]; found {
			return n
		}
		ok = false
		return p.Name()
	})
	return name, ok
}

var (
	negated  = map[token.Token]token.Token{token.EQL: token.NEQ, token.NEQ: token.EQL, token.LSS: token.GEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR}
	boundary = map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
	logical  = map[token.Token]token.Token{token.LAND: token.LOR, token.LOR: token.LAND}
	arith    = map[token.Token]token.Token{token.ADD: token.SUB, token.SUB: token.ADD, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL}
)

func (m *mutator) binary(e *ast.BinaryExpr) {
	if m.isConst(e) {
		return
	}
	typ, ok := m.typeName(e)
	if !ok {
		return
	}
	x := srcRange(m.off(e.X.Pos()), m.off(e.X.End()))
	y := srcRange(m.off(e.Y.Pos()), m.off(e.Y.End()))
	alt := func(op token.Token) ([]piece, string) {
		return []piece{x, lit(" " + op.String() + " "), y}, m.text(e.X) + " " + op.String() + " " + m.text(e.Y)
	}
	var ops []MutantOp
	var toks []token.Token
	if t, ok := negated[e.Op]; ok {
		ops, toks = append(ops, OpNegate), append(toks, t)
	}
	if t, ok := boundary[e.Op]; ok {
		ops, toks = append(ops, OpBoundary), append(toks, t)
	}
	if t, ok := logical[e.Op]; ok {
		ops, toks = append(ops, OpLogical), append(toks, t)
	}
	if t, ok := arith[e.Op]; ok {
		// Numbers only: + on strings concatenates.
		if b, isBasic := m.info.TypeOf(e).Underlying().(*types.Basic); isBasic && b.Info()&types.IsNumeric != 0 {
			ops, toks = append(ops, OpArith), append(toks, t)
		}
	}
	if len(ops) == 0 {
		return
	}
	p := m.newPoint(e, false, typ)
	for i, op := range ops {
		pieces, shown := alt(toks[i])
		m.addMutant(p, e, op, pieces, shown)
	}
}

func (m *mutator) intLit(n *ast.BasicLit) {
	v := constant.MakeFromLiteral(n.Value, token.INT, 0)
	i, exact := constant.Int64Val(v)
	if !exact {
		return
	}
	typ, ok := m.typeName(n)
	if !ok {
		return
	}
	next := fmt.Sprint(i + 1)
	m.addExpr(n, typ, OpConst, []piece{lit(next)}, next)
}

func (m *mutator) newPoint(n ast.Node, stmt bool, typ string) *mpoint {
	p := &mpoint{start: m.off(n.Pos()), end: m.off(n.End()), stmt: stmt, typ: typ}
	m.fm.points = append(m.fm.points, p)
	return p
}

func (m *mutator) addExpr(n ast.Expr, typ string, op MutantOp, alt []piece, shown string) {
	m.addMutant(m.newPoint(n, false, typ), n, op, alt, shown)
}

func (m *mutator) addStmt(s ast.Stmt, op MutantOp, alt []piece, shown string) {
	m.addMutant(m.newPoint(s, true, ""), s, op, alt, shown)
}

func (m *mutator) addMutant(p *mpoint, n ast.Node, op MutantOp, alt []piece, shown string) {
	pos := m.fset.Position(n.Pos())
	p.alts = append(p.alts, alt)
	p.muts = append(p.muts, &Mutant{File: m.fm.rel, Line: pos.Line, Col: pos.Column, Func: m.fn, Op: op,
		Original: m.text(n), Mutated: oneLineCode(shown)})
}

// assignIDs names the file's mutants: the same change in the same function
// gets "#2", "#3"… in source order.
func assignIDs(fm *fileMutants) {
	sort.SliceStable(fm.points, func(i, j int) bool {
		a, b := fm.points[i], fm.points[j]
		if a.start != b.start {
			return a.start < b.start
		}
		return a.end > b.end
	})
	seen := map[string]int{}
	for _, p := range fm.points {
		for _, mu := range p.muts {
			base := fmt.Sprintf("%s %s: %s → %s", mu.File, mu.Func, mu.Original, mu.Mutated)
			seen[base]++
			mu.ID = base
			if n := seen[base]; n > 1 {
				mu.ID = fmt.Sprintf("%s #%d", base, n)
			}
		}
	}
}

// Schemata rendering. The active mutant is a package-level variable set
// from the environment in the switch file the overlay adds to each mutated
// package; scimutantHit records that a point was reached (coverage of the
// clean run).
const (
	switchVar  = "scimutantActive"
	hitFunc    = "scimutantHit"
	switchFile = "zz_scimutant_switch.go"
)

// markers wrap each rendered point in the generated source, so a compile
// error can be traced back to the innermost point that caused it.
func openMarker(i int) string  { return fmt.Sprintf("/*<m%d*/", i) }
func closeMarker(i int) string { return fmt.Sprintf("/*m%d>*/", i) }

// render returns the file's source with every point (except those in
// drop) replaced by its switch.
func (fm *fileMutants) render(drop map[int]string) []byte {
	var pts []*mpoint
	for _, p := range fm.points {
		if drop[p.index] == "" {
			pts = append(pts, p)
		}
	}
	return []byte(fm.renderRange(pts, 0, len(fm.src), nil))
}

// renderRange renders src[start:end] with the outermost points inside it
// (other than self) replaced. pts is sorted by start, outer first.
func (fm *fileMutants) renderRange(pts []*mpoint, start, end int, self *mpoint) string {
	var b strings.Builder
	pos := start
	for _, p := range pts {
		if p == self || p.start < pos || p.end > end {
			continue
		}
		b.Write(fm.src[pos:p.start])
		b.WriteString(fm.renderPoint(pts, p))
		pos = p.end
	}
	b.Write(fm.src[pos:end])
	return b.String()
}

func (fm *fileMutants) renderPieces(pts []*mpoint, self *mpoint, ps []piece) string {
	var b strings.Builder
	for _, pc := range ps {
		if pc.src {
			b.WriteString(fm.renderRange(pts, pc.start, pc.end, self))
		} else {
			b.WriteString(pc.text)
		}
	}
	return b.String()
}

func (fm *fileMutants) renderPoint(pts []*mpoint, p *mpoint) string {
	orig := fm.renderRange(pts, p.start, p.end, p)
	var b strings.Builder
	b.WriteString(openMarker(p.index))
	if p.stmt {
		fmt.Fprintf(&b, "{ %s(%d); switch %s {", hitFunc, p.index, switchVar)
		for i, mu := range p.muts {
			fmt.Fprintf(&b, " case %d: %s;", mu.num, fm.renderPieces(pts, p, p.alts[i]))
		}
		fmt.Fprintf(&b, " default: %s\n} }", orig)
	} else {
		fmt.Fprintf(&b, "func() %s { %s(%d); switch %s {", p.typ, hitFunc, p.index, switchVar)
		for i, mu := range p.muts {
			fmt.Fprintf(&b, " case %d: return %s;", mu.num, fm.renderPieces(pts, p, p.alts[i]))
		}
		fmt.Fprintf(&b, " }; return %s\n}()", orig)
	}
	b.WriteString(closeMarker(p.index))
	return b.String()
}

// pointAt returns the innermost point whose rendering contains byte offset
// off of a rendered file, or -1.
func pointAt(rendered []byte, off int) int {
	s := string(rendered[:min(off, len(rendered))])
	var stack []int
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "/*")
		if j < 0 {
			break
		}
		i += j
		var n int
		switch {
		case strings.HasPrefix(s[i:], "/*<m"):
			if _, err := fmt.Sscanf(s[i+4:], "%d*/", &n); err == nil {
				stack = append(stack, n)
			}
		case strings.HasPrefix(s[i:], "/*m"):
			if _, err := fmt.Sscanf(s[i+3:], "%d>*/", &n); err == nil && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		i += 2
	}
	if len(stack) == 0 {
		return -1
	}
	return stack[len(stack)-1]
}

// switchSource is the file the overlay adds to each mutated package: the
// active mutant from SCIMULATOR_MUTANT, and the coverage writer that
// records each reached point once in the file SCIMULATOR_MUTANT_COVER
// names. It exists only in the mutation build.
func switchSource(pkgName string, points int) []byte {
	return []byte(fmt.Sprintf(`package %[1]s

import (
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

var %[2]s, _ = strconv.Atoi(os.Getenv(%[4]q))

var (
	scimutantSeen   [%[3]d]atomic.Bool
	scimutantMu     sync.Mutex
	scimutantCover  = os.Getenv(%[5]q)
)

func %[6]s(p int) {
	if scimutantCover == "" || scimutantSeen[p].Swap(true) {
		return
	}
	scimutantMu.Lock()
	defer scimutantMu.Unlock()
	if f, err := os.OpenFile(scimutantCover, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		f.WriteString(strconv.Itoa(p) + "\n")
		f.Close()
	}
}
`, pkgName, switchVar, max(points, 1), EnvMutant, EnvMutantCover, hitFunc))
}

// EnvMutant and EnvMutantCover are the environment variables the mutation
// build reads: the active mutant's number (0 or unset: none), and the file
// that collects the reached points.
const (
	EnvMutant      = "SCIMULATOR_MUTANT"
	EnvMutantCover = "SCIMULATOR_MUTANT_COVER"
)
