package simulator

import (
	"crypto/rand"
	"io"
	"sync"
)

// randSource draws Okta ids and passwords from one reader, serialised so a
// seeded reader gives the same sequence under concurrency-free use.
type randSource struct {
	mu sync.Mutex
	r  io.Reader
}

func newRandSource(r io.Reader) *randSource {
	if r == nil {
		r = rand.Reader
	}
	return &randSource{r: r}
}

const (
	idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowers     = "abcdefghijklmnopqrstuvwxyz"
	uppers     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits     = "0123456789"
)

// pick returns n characters drawn uniformly from alphabet (rejection
// sampling, so no modulo bias).
func (s *randSource) pick(n int, alphabet string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]byte, 0, n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(alphabet)
	for len(out) < n {
		if _, err := io.ReadFull(s.r, buf); err != nil {
			// A caller's reader that runs dry or fails is replaced by
			// crypto/rand: ids stay unique, only determinism is lost.
			s.r = rand.Reader
			continue
		}
		if int(buf[0]) >= limit {
			continue
		}
		out = append(out, alphabet[int(buf[0])%len(alphabet)])
	}
	return string(out)
}

// oktaID returns an Okta-style id: a three-character prefix ("00u" users,
// "00g" groups) and 17 base62 characters, 20 in all (observed format).
func (s *randSource) oktaID(prefix string) string {
	return prefix + s.pick(17, idAlphabet)
}

// password returns the 8-character random password Okta sends on every
// create, even with Sync password off (observed, SPEC §2.2). It holds a
// lower-case letter, an upper-case letter and a digit so that targets with
// a password policy accept it (inferred).
func (s *randSource) password() string {
	p := []byte(s.pick(1, lowers) + s.pick(1, uppers) + s.pick(1, digits) + s.pick(5, idAlphabet))
	// Shuffle so the classes are not always in the same positions.
	order := s.pick(len(p), "01234567")
	for i := len(p) - 1; i > 0; i-- {
		j := int(order[i]-'0') % (i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return string(p)
}
