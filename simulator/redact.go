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
	r.secrets[s] = true
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
	list := make([]string, 0, len(r.secrets))
	for k := range r.secrets {
		list = append(list, k)
	}
	r.mu.Unlock()
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	for _, sec := range list {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	return s
}

func (r *redactor) bytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return []byte(r.string(string(b)))
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
