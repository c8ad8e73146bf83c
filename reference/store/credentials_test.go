package store

import (
	"crypto/sha256"
	"testing"
)

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// TestCredentialHashIndex checks that the hash index follows every put,
// replace and delete, for keys and sessions alike.
func TestCredentialHashIndex(t *testing.T) {
	d := NewData()
	d.PutAPIKey(APIKey{ID: "k1", Role: "Admin", Hash: hashOf("one")})
	d.PutSession(Session{ID: "s1", UserID: "u1", Hash: hashOf("sess")})

	if k, ok := d.APIKeyBySecretHash(hashOf("one")); !ok || k.ID != "k1" {
		t.Fatalf("key by hash = %+v %v", k, ok)
	}
	if s, ok := d.SessionBySecretHash(hashOf("sess")); !ok || s.ID != "s1" {
		t.Fatalf("session by hash = %+v %v", s, ok)
	}
	// Keys and sessions are separate namespaces.
	if _, ok := d.APIKeyBySecretHash(hashOf("sess")); ok {
		t.Error("a session token found an API key")
	}
	if _, ok := d.SessionBySecretHash(hashOf("one")); ok {
		t.Error("an API key secret found a session")
	}

	// Replacing a key's secret drops the old hash.
	d.PutAPIKey(APIKey{ID: "k1", Role: "Admin", Hash: hashOf("two")})
	if _, ok := d.APIKeyBySecretHash(hashOf("one")); ok {
		t.Error("old secret still finds the replaced key")
	}
	if k, ok := d.APIKeyBySecretHash(hashOf("two")); !ok || k.ID != "k1" || d.APIKeyCount() != 1 {
		t.Errorf("new secret = %+v %v (count %d)", k, ok, d.APIKeyCount())
	}

	if !d.DeleteAPIKey("k1") || d.DeleteAPIKey("k1") {
		t.Error("DeleteAPIKey should report true once, then false")
	}
	if !d.DeleteSession("s1") || d.DeleteSession("s1") {
		t.Error("DeleteSession should report true once, then false")
	}
	if _, ok := d.APIKeyBySecretHash(hashOf("two")); ok {
		t.Error("deleted key still found by hash")
	}
	if _, ok := d.SessionBySecretHash(hashOf("sess")); ok {
		t.Error("deleted session still found by hash")
	}
	if len(d.keyByHash) != 0 || len(d.sessionByHash) != 0 {
		t.Errorf("index left entries: %v %v", d.keyByHash, d.sessionByHash)
	}
}

// TestCredentialsDeleteWhileIterating checks the deprovision pattern:
// deleting the yielded credential inside the loop.
func TestCredentialsDeleteWhileIterating(t *testing.T) {
	d := NewData()
	for _, id := range []string{"a", "b", "c"} {
		d.PutAPIKey(APIKey{ID: id, OwnerID: "u1", Hash: hashOf(id)})
		d.PutSession(Session{ID: id, UserID: "u1", Hash: hashOf("s" + id)})
	}
	d.PutAPIKey(APIKey{ID: "other", OwnerID: "u2", Hash: hashOf("other")})
	for k := range d.APIKeys() {
		if k.OwnerID == "u1" {
			d.DeleteAPIKey(k.ID)
		}
	}
	for s := range d.Sessions() {
		d.DeleteSession(s.ID)
	}
	if d.APIKeyCount() != 1 || len(d.sessions) != 0 || len(d.sessionByHash) != 0 {
		t.Fatalf("left %d keys, %d sessions", d.APIKeyCount(), len(d.sessions))
	}
	if _, ok := d.APIKeyBySecretHash(hashOf("other")); !ok {
		t.Error("the other user's key lost its index entry")
	}
}
