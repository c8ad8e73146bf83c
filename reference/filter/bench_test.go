package filter_test

import (
	"testing"

	"github.com/scimulator/scimulator/reference/filter"
)

// BenchmarkParse measures parsing a typical Okta-style filter.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := filter.Parse(`userName eq "bjensen@example.com" and emails[type eq "work"].value co "@example.com"`); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch measures evaluating filters against one decoded user, the
// per-resource cost of a filtered scan.
func BenchmarkMatch(b *testing.B) {
	r := decode(b, false)
	for _, s := range []string{
		`userName eq "BJENSEN@example.com"`,
		`emails[type eq "work" and primary eq true]`,
		`meta.lastModified gt "2011-08-01T21:00:00Z"`,
	} {
		e, err := filter.Parse(s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				if !e.Match(r) {
					b.Fatal("no match")
				}
			}
		})
	}
}
