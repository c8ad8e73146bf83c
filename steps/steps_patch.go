package steps

import (
	"context"
	"encoding/json"
	"fmt"

	"strings"
	"unicode"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reports"
)

// The steps of features/patch_forms.feature: whole PATCH bodies sent row by
// row, so one scenario checks many forms of RFC 7644 §3.5.2 (path-less
// value objects, empty or missing Operations, wrong value types) with one
// read-back at the end.

// registerPatchSteps binds the PATCH form steps. The table step takes the
// scenario's Level: forms the RFC decides fail at must, forms the server
// may choose to tolerate at should.
func registerPatchSteps(sc stepDefs) {
	sc.Step(`^each PATCH of "([^"]*)" with these Operations answers as listed and changes nothing:$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, t *godog.Table) error {
		return w.eachPatchRowChangesNothing(ctx, u, t, []string{"Operations", "status", "scimType"}, func(row []string) error {
			return w.assertOperationsPatch(ctx, u, row)
		})
	}))
	sc.Step(`^a SCIM client reads "([^"]*)" and PUTs it back without "([^"]*)"$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, attr string) error {
		return w.putModified(ctx, u, nil, func(o map[string]any) { delete(o, attr) })
	}))
	sc.Step(`^a SCIM client filters users by "([^"]*)"'s userName and its id( in another case)?$`, ScenarioRule, onUserWith(func(ctx context.Context, w *World, u *user, casing string) error {
		id := u.scimID
		if casing != "" {
			id = swapCase(id)
			if id == u.scimID {
				return w.skip(reports.StatusSkipped, fmt.Sprintf("the SCIM id %q has no letters, so it has no other case", u.scimID))
			}
		}
		// The userName term makes the server compare the id itself rather
		// than answer from an id index, as a compound filter from any
		// client would.
		return w.filter(ctx, fmt.Sprintf("userName eq %q and id eq %q", u.userName, id))
	}))
}

// swapCase turns lower-case letters into upper case and upper into lower.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLower(r) {
			return unicode.ToUpper(r)
		}
		return unicode.ToLower(r)
	}, s)
}

// assertOperationsPatch sends one PatchOp (row: the Operations array as
// JSON, or "absent" for none; status; scimType or empty) and checks the
// answer.
func (w *World) assertOperationsPatch(ctx context.Context, u *user, row []string) error {
	body := map[string]any{"schemas": []string{scimwire.PatchOpSchema}}
	ops := row[0]
	if ops != "absent" {
		expanded, err := w.expandVars(ops)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal([]byte(expanded), &v); err != nil {
			return fmt.Errorf("scenario error: Operations %s is not JSON: %w", expanded, err)
		}
		body["Operations"] = v
		ops = expanded
	}
	b, _ := json.Marshal(body)
	return w.assertPatchAnswer(ctx, u, string(b), fmt.Sprintf("PATCH with Operations %s: ", quoteShort(ops)), row[1], row[2])
}
