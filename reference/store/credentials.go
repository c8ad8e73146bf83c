package store

import "iter"

// Credentials are kept in two maps each: by id, and by the SHA-256 hash of
// the secret, so authentication is a map lookup rather than a scan over
// every key and session. The hash index maps to an id; the caller confirms
// the stored hash in constant time.

// APIKey returns the API key with id.
func (d *Data) APIKey(id string) (APIKey, bool) {
	k, ok := d.apiKeys[id]
	return k, ok
}

// APIKeyBySecretHash returns the API key whose secret hashes to h.
func (d *Data) APIKeyBySecretHash(h []byte) (APIKey, bool) {
	id, ok := d.keyByHash[string(h)]
	if !ok {
		return APIKey{}, false
	}
	return d.APIKey(id)
}

// APIKeys yields every API key, in no particular order. The loop body may
// delete the key it is given.
func (d *Data) APIKeys() iter.Seq[APIKey] {
	return func(yield func(APIKey) bool) {
		for _, k := range d.apiKeys {
			if !yield(k) {
				return
			}
		}
	}
}

// APIKeyCount returns the number of API keys.
func (d *Data) APIKeyCount() int { return len(d.apiKeys) }

// PutAPIKey inserts k or replaces the key with k.ID.
func (d *Data) PutAPIKey(k APIKey) { d.putAPIKey(k.ID, k) }

// putAPIKey stores k under id (a loaded file's map key).
func (d *Data) putAPIKey(id string, k APIKey) {
	d.DeleteAPIKey(id)
	d.apiKeys[id] = k
	d.keyByHash[string(k.Hash)] = id
}

// DeleteAPIKey removes the key with id; it reports whether one existed.
func (d *Data) DeleteAPIKey(id string) bool {
	k, ok := d.apiKeys[id]
	if !ok {
		return false
	}
	delete(d.apiKeys, id)
	unindexHash(d.keyByHash, k.Hash, id)
	return true
}

// Session returns the session with id.
func (d *Data) Session(id string) (Session, bool) {
	s, ok := d.sessions[id]
	return s, ok
}

// SessionBySecretHash returns the session whose token hashes to h.
func (d *Data) SessionBySecretHash(h []byte) (Session, bool) {
	id, ok := d.sessionByHash[string(h)]
	if !ok {
		return Session{}, false
	}
	return d.Session(id)
}

// Sessions yields every session, in no particular order. The loop body may
// delete the session it is given.
func (d *Data) Sessions() iter.Seq[Session] {
	return func(yield func(Session) bool) {
		for _, s := range d.sessions {
			if !yield(s) {
				return
			}
		}
	}
}

// PutSession inserts s or replaces the session with s.ID.
func (d *Data) PutSession(s Session) { d.putSession(s.ID, s) }

// putSession stores s under id (a loaded file's map key).
func (d *Data) putSession(id string, s Session) {
	d.DeleteSession(id)
	d.sessions[id] = s
	d.sessionByHash[string(s.Hash)] = id
}

// DeleteSession removes the session with id; it reports whether one existed.
func (d *Data) DeleteSession(id string) bool {
	s, ok := d.sessions[id]
	if !ok {
		return false
	}
	delete(d.sessions, id)
	unindexHash(d.sessionByHash, s.Hash, id)
	return true
}

// unindexHash drops hash from index if it still points at id. Secrets are
// 32 random bytes, so two credentials never share a hash; the check only
// keeps a hand-made workspace file from unindexing the wrong credential.
func unindexHash(index map[string]string, hash []byte, id string) {
	if index[string(hash)] == id {
		delete(index, string(hash))
	}
}
