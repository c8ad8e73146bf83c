package reference

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// Credential kinds, as whoami reports them.
const (
	kindAPIKey  = "apiKey"
	kindSession = "session"
)

// principal is who a request is authenticated as.
type principal struct {
	kind   string // kindAPIKey or kindSession
	id     string // API key id or session id (never the secret)
	userID string // the user the credential belongs to; "" for a workspace key
	role   string // the API key's role; "" for sessions
	hash   []byte // hash of the presented secret, to re-check validity
}

// hashSecret returns the stored form of an API key secret or session token.
// The secrets are 32 random bytes, so a plain SHA-256 is enough: there is
// nothing to brute-force that a slow hash would protect.
func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header
// (scheme case-insensitive, RFC 6750 §2.1) or "" when there is none.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// identify finds the credential a token stands for with one map lookup by
// the SHA-256 hash of the token, then confirms the stored hash in constant
// time (SPEC §1.2). Indexing by the hash leaks nothing useful: the map's
// timing depends on the hash of what the caller sent, and since SHA-256 is
// preimage-resistant a caller cannot choose a token whose hash lands near a
// stored hash, so probing learns nothing about any stored secret. The cost
// is the same with ten keys or ten thousand (BenchmarkAuthKeys).
//
// Where sessions are allowed, a session whose token hash equals an API key's
// wins; with random 32-byte secrets the two never collide.
func identify(d *store.Data, token string, allowSessions bool) (principal, bool) {
	h := hashSecret(token)
	var p principal
	found := false
	if k, ok := d.APIKeyBySecretHash(h); ok && subtle.ConstantTimeCompare(k.Hash, h) == 1 {
		p = principal{kind: kindAPIKey, id: k.ID, userID: k.OwnerID, role: k.Role, hash: h}
		found = true
	}
	if allowSessions {
		if sess, ok := d.SessionBySecretHash(h); ok && subtle.ConstantTimeCompare(sess.Hash, h) == 1 {
			p = principal{kind: kindSession, id: sess.ID, userID: sess.UserID, hash: h}
			found = true
		}
	}
	if !found {
		return principal{}, false
	}
	return p, stillValid(d, p)
}

// stillValid reports whether p's credential still exists. Deprovisioning
// revokes by deleting a user's sessions and personal keys, so existence is
// the whole test (the deprovision-keeps-* faults skip a deletion). It runs inside every transaction of an authenticated
// request and once more before the response is written, so a request racing
// a deprovision cannot succeed after the deprovision committed (SPEC §1.4).
func stillValid(d *store.Data, p principal) bool {
	switch p.kind {
	case kindAPIKey:
		k, ok := d.APIKey(p.id)
		if !ok || subtle.ConstantTimeCompare(k.Hash, p.hash) != 1 {
			return false
		}
	case kindSession:
		sess, ok := d.Session(p.id)
		if !ok || subtle.ConstantTimeCompare(sess.Hash, p.hash) != 1 {
			return false
		}
	default:
		return false
	}
	return true
}

// clientIP is the caller's address: the socket address, or the first address
// in the header the settings name (settings.clientIpHeader). ok is false when no address
// can be read, which fails closed against a non-empty allowlist.
func clientIP(r *http.Request, header string) (netip.Addr, bool) {
	if header != "" {
		v := r.Header.Get(header)
		first, _, _ := strings.Cut(v, ",")
		a, err := netip.ParseAddr(strings.TrimSpace(first))
		if err != nil {
			return netip.Addr{}, false
		}
		return a.Unmap(), true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// parseAllowEntry parses one allowlist entry: a single IPv4/IPv6 address or a
// CIDR range.
func parseAllowEntry(e string) (netip.Prefix, error) {
	if strings.Contains(e, "/") {
		p, err := netip.ParsePrefix(e)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(e)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ipAllowed applies the IP allowlist: empty allows everyone (source article:
// "If there are no IP addresses listed here, access is allowed from any IP
// address").
func ipAllowed(set store.Settings, r *http.Request) (netip.Addr, bool) {
	ip, ok := clientIP(r, set.ClientIPHeader)
	if len(set.IPAllowlist) == 0 {
		return ip, true
	}
	if !ok {
		return ip, false
	}
	for _, e := range set.IPAllowlist {
		p, err := parseAllowEntry(e)
		if err == nil && p.Contains(ip) {
			return ip, true
		}
	}
	return ip, false
}
