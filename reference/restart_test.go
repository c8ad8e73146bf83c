package reference

import (
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"github.com/scimulator/scimulator/reference/store"
)

// TestRestartWithFileStore restarts the server over the same store file and
// checks what seedWorkspace documents: a loaded workspace keeps its
// settings and custom roles, only an explicit EnableSCIM switches SCIM on,
// and the bootstrap key changes unless AdminKey fixes it.
func TestRestartWithFileStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.json")
	// start opens the file, builds a server over it and returns it with its
	// store, closed at the end of the test.
	start := func(cfg Config) (*Server, *store.File) {
		t.Helper()
		st, err := store.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Store = st
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s, st
	}
	closeStore := func(st *store.File) {
		t.Helper()
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	settings := func(st *store.File) (got store.Settings, roles []string) {
		_ = st.Read(func(d *store.Data) error {
			got = d.Settings
			for name := range d.Roles {
				roles = append(roles, name)
			}
			return nil
		})
		slices.Sort(roles)
		return got, roles
	}

	// First start: a fresh workspace with the defaults, SCIM off.
	s1, st := start(Config{})
	if got, roles := settings(st); got.ScimEnabled || got.DefaultRole != RoleUser || !slices.Equal(roles, []string{RoleAdmin, RoleUser, RoleViewer}) {
		t.Fatalf("fresh workspace: %+v roles %v", got, roles)
	}
	key1 := s1.AdminKey()
	if r := do(t, s1, key1, http.MethodPost, "/api/v1/roles", map[string]any{"name": "Auditor", "permissions": []string{"VIEW_CATALOG"}}); r.status != http.StatusCreated {
		t.Fatalf("create role: %d %s", r.status, r.body)
	}
	if r := do(t, s1, key1, http.MethodPatch, "/api/v1/settings", map[string]any{"scimEnabled": true, "defaultRole": "Viewer"}); r.status != http.StatusOK {
		t.Fatalf("patch settings: %d %s", r.status, r.body)
	}
	closeStore(st)

	// Second start without --enable-scim: the settings and the custom role
	// are kept; the generated bootstrap key is a new one.
	s2, st := start(Config{})
	got, roles := settings(st)
	if !got.ScimEnabled || got.DefaultRole != RoleViewer || !slices.Contains(roles, "Auditor") {
		t.Fatalf("after restart: %+v roles %v; want SCIM on, default role Viewer and Auditor kept", got, roles)
	}
	if s2.AdminKey() == key1 {
		t.Fatal("a restart without AdminKey kept the generated bootstrap key")
	}
	if r := do(t, s2, key1, http.MethodGet, "/api/v1/settings", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("previous bootstrap key after restart: %d, want 401 (rotated)", r.status)
	}
	if r := do(t, s2, s2.AdminKey(), http.MethodGet, "/api/v1/settings", nil); r.status != http.StatusOK {
		t.Fatalf("new bootstrap key: %d %s", r.status, r.body)
	}
	if r := do(t, s2, s2.AdminKey(), http.MethodPatch, "/api/v1/settings", map[string]any{"scimEnabled": false}); r.status != http.StatusOK {
		t.Fatalf("switch SCIM off: %d %s", r.status, r.body)
	}
	closeStore(st)

	// Third start, fixed key: SCIM stays off without EnableSCIM...
	_, st = start(Config{AdminKey: "fixed-key"})
	if got, _ := settings(st); got.ScimEnabled || got.DefaultRole != RoleViewer {
		t.Fatalf("SCIM off was not kept: %+v", got)
	}
	closeStore(st)

	// ...and an explicit EnableSCIM switches it on, keeping the rest; the
	// fixed key survives the restart.
	s4, st := start(Config{AdminKey: "fixed-key", EnableSCIM: true})
	defer closeStore(st)
	if got, _ := settings(st); !got.ScimEnabled || got.DefaultRole != RoleViewer {
		t.Fatalf("EnableSCIM on a loaded workspace: %+v; want SCIM on, default role kept", got)
	}
	if r := do(t, s4, "fixed-key", http.MethodGet, "/api/v1/settings", nil); r.status != http.StatusOK {
		t.Fatalf("fixed bootstrap key after restart: %d", r.status)
	}
}
