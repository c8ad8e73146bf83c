package store

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func ids(us []User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func TestIndexes(t *testing.T) {
	d := NewData()
	d.PutUser(User{ID: "a", UserName: "Ana@Example.com", ExternalID: "00uA"})
	d.PutUser(User{ID: "b", UserName: "bo@example.com"})
	d.PutUser(User{ID: "c", UserName: "cy@example.com", ExternalID: "00uC"})
	if got := ids(d.UsersByUserName("ANA@example.COM")); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("by userName: %v", got)
	}
	if got := ids(d.UsersByExternalID("00uC")); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("by externalId: %v", got)
	}
	// Changing indexed fields moves the index entries.
	d.PutUser(User{ID: "a", UserName: "ana.new@example.com", ExternalID: "00uZ"})
	if len(d.UsersByUserName("ana@example.com")) != 0 || len(d.UsersByExternalID("00uA")) != 0 {
		t.Fatal("stale index entries after update")
	}
	if got := ids(d.UsersByUserName("ana.new@example.com")); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("new name not indexed: %v", got)
	}
	// Creation order survives updates and deletes.
	d.DeleteUser("b")
	var order []string
	d.EachUser(func(u *User) bool { order = append(order, u.ID); return true })
	if !slices.Equal(order, []string{"a", "c"}) || d.UserCount() != 2 {
		t.Fatalf("order %v", order)
	}
	if d.DeleteUser("b") {
		t.Fatal("deleted twice")
	}
	// Returned users are copies.
	u, _ := d.UserByID("c")
	u.Roles = append(u.Roles, "Admin")
	if again, _ := d.UserByID("c"); len(again.Roles) != 0 {
		t.Fatal("UserByID returned shared state")
	}
}

func TestFileStoreRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.json")
	f, err := OpenFile(path)
	if err != nil {
		t.Fatalf("open new: %v", err)
	}
	_ = f.Read(func(d *Data) error {
		if d.UserCount() != 0 || len(d.Roles) != 0 || d.Settings.DefaultRole != "" {
			t.Fatalf("a new file does not start an empty workspace: %+v", d.Settings)
		}
		return nil
	})
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	err = f.Write(func(d *Data) error {
		d.Settings = Settings{ScimEnabled: true, DefaultRole: "Viewer"}
		d.PutUser(User{ID: "u1", UserName: "a@example.com", Active: true, Created: now})
		d.PutUser(User{ID: "u2", UserName: "b@example.com", Created: now})
		d.PutAPIKey(APIKey{ID: "k", Role: "Admin", Hash: []byte{1, 2, 3}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f2, err := OpenFile(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	_ = f2.Read(func(d *Data) error {
		if !d.Settings.ScimEnabled || d.Settings.DefaultRole != "Viewer" || d.UserCount() != 2 || d.APIKeyCount() != 1 {
			t.Fatalf("state lost: %+v users=%d", d.Settings, d.UserCount())
		}
		if got := ids(d.UsersByUserName("B@EXAMPLE.COM")); !slices.Equal(got, []string{"u2"}) {
			t.Fatalf("index not rebuilt: %v", got)
		}
		if k, ok := d.APIKeyBySecretHash([]byte{1, 2, 3}); !ok || k.ID != "k" {
			t.Fatalf("credential index not rebuilt: %+v %v", k, ok)
		}
		return nil
	})
	// A new user after reload gets a later creation sequence.
	_ = f2.Write(func(d *Data) error { d.PutUser(User{ID: "u3", UserName: "c@example.com"}); return nil })
	var order []string
	_ = f2.Read(func(d *Data) error {
		d.EachUser(func(u *User) bool { order = append(order, u.ID); return true })
		return nil
	})
	if !slices.Equal(order, []string{"u1", "u2", "u3"}) {
		t.Fatalf("order after reload: %v", order)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(path); err == nil || !strings.Contains(err.Error(), "open store file") {
		t.Fatalf("corrupt file: %v", err)
	}
}
