package steps

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/internal/scimwire"
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
