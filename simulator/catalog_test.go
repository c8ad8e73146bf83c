package simulator

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// catalogIDs returns the Msg* constants declared in messages.go.
func catalogIDs(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "messages.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for _, name := range vs.Names {
				if strings.HasPrefix(name.Name, "Msg") {
					ids[name.Name] = true
				}
			}
		}
		return true
	})
	return ids
}

// TestCatalog: one entry per constant, each with a template, a kind and
// provenance with a source; and each is the expected message of some test.
func TestCatalog(t *testing.T) {
	msgs := Messages()
	consts := catalogIDs(t)
	if len(msgs) != len(consts) {
		t.Errorf("catalog has %d entries, messages.go declares %d ids", len(msgs), len(consts))
	}
	seen := map[MessageID]bool{}
	for _, m := range msgs {
		if seen[m.ID] {
			t.Errorf("duplicate catalog id %s", m.ID)
		}
		seen[m.ID] = true
		if m.Template == "" || m.Source == "" {
			t.Errorf("%s: empty template or source", m.ID)
		}
		switch m.Provenance {
		case Documented, Observed, Inferred:
		default:
			t.Errorf("%s: provenance %q", m.ID, m.Provenance)
		}
		switch m.Kind {
		case KindTask, KindDialog, KindReason:
		default:
			t.Errorf("%s: kind %q", m.ID, m.Kind)
		}
		if got, ok := LookupMessage(m.ID); !ok || got != m {
			t.Errorf("LookupMessage(%s) = %+v, %v", m.ID, got, ok)
		}
	}
	// Every catalog id is asserted by some test: it must appear where a
	// test states an expectation (see assertedIDs), not merely anywhere in
	// a test file. The envelopes are checked through their rendered text,
	// required below.
	tests, _ := filepath.Glob("*_test.go")
	var src bytes.Buffer
	used := map[string]bool{"MsgTaskUser": true, "MsgTaskGroup": true, "MsgTaskImport": true, "MsgCredentialsError": true}
	for _, f := range tests {
		if f == "catalog_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
		for id := range assertedIDs(t, f, b) {
			used[id] = true
		}
	}
	for id := range consts {
		if !used[id] {
			t.Errorf("catalog entry %s is not asserted by any test (no want… field or variable, or ==/!= comparison, names it)", id)
		}
	}
	if !strings.Contains(src.String(), `"Automatic provisioning of user Ana Lopez to app Cortex failed: "`) ||
		!strings.Contains(src.String(), `"Failed to push group Engineering`) ||
		!strings.Contains(src.String(), `"Import of users from app Cortex failed:`) ||
		!strings.Contains(src.String(), `want: "Error authenticating: `) {
		t.Error("the task and dialog envelopes should be asserted by exact text")
	}
}

// assertedIDs returns the Msg… identifiers that the Go source src states
// as an expectation: the value of a keyed field or a variable whose name
// starts with "want" (table tests compare those with what they got), or
// an operand of == or !=. A Msg… that only appears in a comment, a string,
// a call such as LookupMessage(MsgX) or an unrelated field does not count.
func assertedIDs(t *testing.T, name string, src []byte) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	add := func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); ok && strings.HasPrefix(id.Name, "Msg") {
			ids[id.Name] = true
		}
	}
	isWant := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && strings.HasPrefix(strings.ToLower(id.Name), "want")
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if isWant(n.Key) {
				add(n.Value)
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				add(n.X)
				add(n.Y)
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if isWant(lhs) && i < len(n.Rhs) {
					add(n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if isWant(name) && i < len(n.Values) {
					add(n.Values[i])
				}
			}
		}
		return true
	})
	return ids
}

// TestAssertedIDs: the catalog check counts expectations, not mentions.
func TestAssertedIDs(t *testing.T) {
	src := `package p
// MsgInComment is only mentioned.
var _ = LookupMessage(MsgInCall)
var x = struct{ id, wantID string }{id: MsgOtherField, wantID: MsgKeyedWant}
func f() {
	wantID := MsgWantVar
	if got != MsgCompared || "MsgInString" == s { }
	use(MsgArgument)
}`
	got := assertedIDs(t, "p.go", []byte(src))
	want := map[string]bool{"MsgKeyedWant": true, "MsgWantVar": true, "MsgCompared": true}
	if len(got) != len(want) {
		t.Errorf("assertedIDs = %v, want %v", got, want)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("assertedIDs misses %s (got %v)", id, got)
		}
	}
}

func TestRender(t *testing.T) {
	got := Render("Connect to {hostport} [{host}/{ip}]", "hostport", "a:1", "host", "a", "ip", "1.2.3.4")
	if got != "Connect to a:1 [a/1.2.3.4]" {
		t.Errorf("Render = %q", got)
	}
	if Render("{unknown} stays", "x", "y") != "{unknown} stays" {
		t.Error("unknown placeholders must stay")
	}
}

// TestHAR writes a transcript and checks HAR 1.2 structure, redaction and
// the provenance of each entry.
func TestHAR(t *testing.T) {
	ft := newFakeTarget(t)
	org, _ := newTestOrg(t, ft, ProfileOIN)
	u := org.AddUser(ana())
	must(t, "assign")(org.Assign(bg, u.ID))
	mark := org.Transcript().LastSeq()
	must(t, "unassign")(org.Unassign(bg, u.ID))
	tr := org.Transcript()
	if since := tr.Since(mark); len(since) != 1 || since[0].Operation != OpUnassign || since[0].Step != "deactivate user" {
		t.Errorf("Since(%d) = %+v", mark, since)
	}
	var buf bytes.Buffer
	if err := tr.WriteHAR(&buf); err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Entries []struct {
				StartedDateTime string
				Time            float64
				Request         struct {
					Method, URL, HTTPVersion string
					Headers                  []struct{ Name, Value string }
					QueryString              []struct{ Name, Value string }
					PostData                 *struct{ MimeType, Text string }
				}
				Response struct {
					Status  int
					Content struct {
						Text, MimeType string
					}
				}
				Timings    map[string]float64
				Comment    string
				Provenance string `json:"_provenance"`
				Operation  string `json:"_oktaOperation"`
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	if har.Log.Version != "1.2" || har.Log.Creator.Name == "" || len(har.Log.Entries) != 3 {
		t.Fatalf("HAR log = %+v", har.Log)
	}
	wantProv := []string{"documented", "documented", "documented"}
	for i, e := range har.Log.Entries {
		if e.StartedDateTime != "2026-01-02T03:04:05.000Z" || e.Request.HTTPVersion != "HTTP/1.1" || e.Timings == nil {
			t.Errorf("entry %d: %+v", i, e)
		}
		if e.Provenance != wantProv[i] || !strings.Contains(e.Comment, "wire shape "+wantProv[i]) || e.Operation == "" {
			t.Errorf("entry %d provenance %q comment %q", i, e.Provenance, e.Comment)
		}
		for _, h := range e.Request.Headers {
			if h.Name == "Authorization" && h.Value != Redacted {
				t.Errorf("entry %d Authorization = %q", i, h.Value)
			}
		}
	}
	first := har.Log.Entries[0]
	if len(first.Request.QueryString) != 3 || first.Request.QueryString[0].Value != `userName eq "ana@example.com"` {
		t.Errorf("query string = %+v", first.Request.QueryString)
	}
	post := har.Log.Entries[1]
	if post.Request.PostData == nil || !strings.Contains(post.Request.PostData.Text, `"password":"[REDACTED]"`) ||
		post.Response.Status != 201 || !strings.Contains(post.Response.Content.Text, `"id"`) {
		t.Errorf("create entry = %+v", post)
	}
}
