package reference

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/scimulator/scimulator/reference/store"
)

// benchSizes are the user counts the benchmarks compare: lookups and
// writes must cost the same at both (indexes, no scans).
var benchSizes = []int{1_000, 100_000}

// seeded returns a server holding n users, written straight into the store
// (the benchmarks measure requests, not seeding).
func seeded(b *testing.B, n int) (*Server, []string) {
	b.Helper()
	s := newTestServer(b)
	ids := make([]string, n)
	now := time.Now().UTC()
	_ = s.st.Write(func(d *store.Data) error {
		for i := range n {
			ids[i] = newID()
			d.PutUser(store.User{
				ID: ids[i], UserName: fmt.Sprintf("user%06d@example.com", i), ExternalID: fmt.Sprintf("00u%06d", i),
				GivenName: "Given", FamilyName: "Family", Active: true, Roles: []string{RoleUser},
				Version: 1, Created: now, LastModified: now,
			})
		}
		return nil
	})
	return s, ids
}

func BenchmarkCreate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s, _ := seeded(b, n)
			i := 0
			for b.Loop() {
				r := scim(b, s, "POST", "/Users", oktaUser(fmt.Sprintf("new%09d@example.com", i), "N", "U"))
				if r.status != http.StatusCreated {
					b.Fatalf("create: %d", r.status)
				}
				i++
			}
		})
	}
}

func BenchmarkFilterByUserName(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s, _ := seeded(b, n)
			i := 0
			for b.Loop() {
				q := url.QueryEscape(fmt.Sprintf(`userName eq "USER%06d@example.com"`, (i*7919)%n))
				r := scim(b, s, "GET", "/Users?filter="+q+"&startIndex=1&count=100", nil)
				if r.status != http.StatusOK || r.json()["totalResults"] != float64(1) {
					b.Fatalf("filter: %d %s", r.status, r.body)
				}
				i++
			}
		})
	}
}

func BenchmarkPatch(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s, ids := seeded(b, n)
			i := 0
			for b.Loop() {
				body := patchBody(map[string]any{"op": "replace", "path": "name.givenName", "value": fmt.Sprint("G", i)})
				if r := scim(b, s, "PATCH", "/Users/"+ids[(i*7919)%n], body); r.status != http.StatusOK {
					b.Fatalf("patch: %d", r.status)
				}
				i++
			}
		})
	}
}

// BenchmarkFilterScan is the contrast: a filter no index answers
// (`name.familyName eq …`) scans every user, so its cost grows with the
// user count. Okta's lookups are all indexed (userName, externalId, id).
func BenchmarkFilterScan(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s, _ := seeded(b, n)
			q := url.QueryEscape(`name.familyName eq "Nobody"`)
			for b.Loop() {
				if r := scim(b, s, "GET", "/Users?filter="+q, nil); r.status != http.StatusOK {
					b.Fatalf("filter: %d", r.status)
				}
			}
		})
	}
}

// BenchmarkAuthKeys measures finding the credential for a presented secret
// (identify, as every authenticated request runs it) with 10 and 10,000 API
// keys and sessions stored. The lookup is by hash, so the two cost the same.
func BenchmarkAuthKeys(b *testing.B) {
	for _, n := range []int{10, 10_000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			s := newTestServer(b)
			secrets := make([]string, n)
			_ = s.st.Write(func(d *store.Data) error {
				for i := range n {
					secrets[i] = fmt.Sprintf("scim_bench_%06d", i)
					d.PutAPIKey(store.APIKey{ID: newID(), Name: "bench", Role: RoleUser, Hash: hashSecret(secrets[i])})
					d.PutSession(store.Session{ID: newID(), UserID: "u", Hash: hashSecret("sess_" + secrets[i])})
				}
				return nil
			})
			i := 0
			for b.Loop() {
				secret := secrets[(i*7919)%n]
				_ = s.st.Read(func(d *store.Data) error {
					if _, ok := identify(d, secret, true); !ok {
						b.Fatalf("key %q not found", secret)
					}
					return nil
				})
				i++
			}
		})
	}
}
