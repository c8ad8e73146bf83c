package steps

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"
)

// The steps in this file read the detail of a refusal, not only its status:
// Okta copies a SCIM error's detail into the task an admin reads ("Errors
// reported by remote server: <detail>", SPEC §2.3), so a detail that names
// what was wrong and where lets the admin fix the request without a trace.
// RFC 7644 §3.12 leaves the wording free, so these checks are advice.

// detailRule is the rule of the checks on a detail's content.
var detailRule = should("RFC 7644 §3.12 (detail: a human-readable message); SPEC §2.3 (Okta shows the remote detail in the admin's task)")

// detailPosition is a "position N" fragment of a detail-names cell.
var detailPosition = regexp.MustCompile(`^position (\d+)$`)

// positionWords finds where a detail says a problem is, in any of the
// common ways: "position 10", "pos. 10", "column: 10", "char 10", ….
var positionWords = regexp.MustCompile(`(?i)\b(?:position|pos\.?|column|col\.?|char(?:acter)?|offset|index)\s*:?\s*(\d+)\b`)

// detailNames checks that detail names each fragment of names, a list
// separated by "; ". A fragment is matched case-insensitively as text,
// except "position N", which any common way of saying where passes
// (position, pos, column, col, character, char, offset or index, then N as
// a whole number, counted in characters from 1).
func detailNames(detail, names string) (missing string) {
	lower := strings.ToLower(detail)
	for _, f := range strings.Split(names, "; ") {
		if m := detailPosition.FindStringSubmatch(f); m != nil {
			if !slices.ContainsFunc(positionWords.FindAllStringSubmatch(detail, -1), func(at []string) bool { return at[1] == m[1] }) {
				return f
			}
			continue
		}
		if !strings.Contains(lower, strings.ToLower(f)) {
			return f
		}
	}
	return ""
}

// assertDetailNames checks the last answer's detail against names.
func (w *World) assertDetailNames(what, names string) error {
	detail := gjson.Get(w.lastBody(), "detail").String()
	if missing := detailNames(detail, names); missing != "" {
		return w.failLast(fmt.Sprintf("%sa detail naming %s, so the admin reading Okta's task knows what to fix", what, missing),
			fmt.Sprintf("detail %q", detail))
	}
	return nil
}

func registerDetailSteps(sc stepDefs) {
	sc.Step(`^each filter is refused with 400 invalidFilter, its detail naming:$`, detailRule, func(ctx context.Context, t *godog.Table) error {
		w := worldFrom(ctx)
		return w.eachRow(t, []string{"filter", "detail names"}, func(row []string) error {
			if err := w.assertFilterRefused(ctx, row[0]); err != nil {
				return err
			}
			expanded, err := w.expandVars(row[0])
			if err != nil {
				return err
			}
			return w.assertDetailNames(fmt.Sprintf("filter %s: ", quoteShort(expanded)), row[1])
		})
	})
	sc.Step(`^each of these requests is refused as listed, leaves "([^"]*)" unchanged, and its detail names:$`, detailRule, onUserWith(func(ctx context.Context, w *World, u *user, t *godog.Table) error {
		state, err := w.snapshot(ctx, u)
		if err != nil {
			return err
		}
		return w.eachRow(t, []string{"request", "body", "status", "scimType", "detail names"}, func(row []string) error {
			names := row[4]
			state, err = w.requestRowThen(ctx, u, state, []string{row[0], "", row[1], row[2], row[3], "nothing"}, func(what string) error {
				return w.assertDetailNames(what, names)
			})
			return err
		})
	}))
}
