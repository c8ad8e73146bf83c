package simulator

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Redacted replaces every secret in transcripts, logs, errors and messages.
const Redacted = "[REDACTED]"

// redactor knows the org's secrets: the app credential (and its encodings)
// and every password the engine generated.
type redactor struct {
	mu      sync.Mutex
	secrets map[string]bool
	// longestFirst holds the secrets sorted by length, longest first, so
	// that a secret containing another is removed whole. It is kept sorted
	// on add: string runs several times per exchange, add once per secret.
	longestFirst []string
}

func newRedactor() *redactor { return &redactor{secrets: map[string]bool{}} }

// minSecretLen keeps very short strings from being "redacted" everywhere.
const minSecretLen = 4

func (r *redactor) add(s string) {
	if len(s) < minSecretLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.secrets[s] {
		return
	}
	r.secrets[s] = true
	i := sort.Search(len(r.longestFirst), func(i int) bool { return len(r.longestFirst[i]) < len(s) })
	// Copy on write: string reads the slice outside the lock.
	next := make([]string, 0, len(r.longestFirst)+1)
	next = append(next, r.longestFirst[:i]...)
	next = append(next, s)
	r.longestFirst = append(next, r.longestFirst[i:]...)
}

// addAuth registers an app credential, its bare token (the part after the
// scheme in Header mode) and its Basic encoding.
func (r *redactor) addAuth(a Auth) {
	r.add(a.Secret)
	if i := strings.LastIndexByte(a.Secret, ' '); i >= 0 {
		r.add(a.Secret[i+1:])
	}
	if a.Mode == AuthBasic {
		r.add(a.Password)
		r.add(base64.StdEncoding.EncodeToString([]byte(a.Username + ":" + a.Password)))
	}
}

// string replaces every known secret in s, longest first so a secret that
// contains another is removed whole.
func (r *redactor) string(s string) string {
	r.mu.Lock()
	list := r.longestFirst // never modified in place: add replaces it
	r.mu.Unlock()
	for _, sec := range list {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

// header returns a redacted copy: Authorization (and Proxy-Authorization,
// Cookie, Set-Cookie) replaced whole, every other value scrubbed.
func (r *redactor) header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie":
			out[k] = []string{Redacted}
			continue
		}
		c := make([]string, len(vs))
		for i, v := range vs {
			c[i] = r.string(v)
		}
		out[k] = c
	}
	return out
}
