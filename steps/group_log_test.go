package steps

import (
	"strings"
	"testing"

	"github.com/scimulator/scimulator/simulator/entra"
)

// TestGroupLogMatches: the Cortex group scenario expects the target to
// refuse Entra's group create. A create that succeeded (the failure came
// later) or a request that got no answer must not count as that refusal.
func TestGroupLogMatches(t *testing.T) {
	refused := &entra.LogEntry{ObjectType: "Group", Action: entra.ActionCreate, Status: entra.StatusFailure, HTTPStatus: 405}
	laterUpdate := &entra.LogEntry{ObjectType: "Group", Action: entra.ActionUpdate, Status: entra.StatusFailure, HTTPStatus: 400}
	hung := &entra.LogEntry{ObjectType: "Group", Action: entra.ActionCreate, Status: entra.StatusFailure, MessageID: entra.MsgLogTransport, Message: "timeout"}
	created := &entra.LogEntry{ObjectType: "Group", Action: entra.ActionCreate, Status: entra.StatusSuccess, HTTPStatus: 201}
	for _, tc := range []struct {
		name    string
		e       *entra.LogEntry
		status  entra.Status
		action  entra.Action
		ok      bool
		gotHint string
	}{
		{"create refused", refused, entra.StatusFailure, entra.ActionCreate, true, ""},
		{"any failure, refused", refused, entra.StatusFailure, "", true, ""},
		{"the failure was a later update", laterUpdate, entra.StatusFailure, entra.ActionCreate, false, "Failure for Update"},
		{"no answer is not a refusal", hung, entra.StatusFailure, entra.ActionCreate, false, "never answered"},
		{"no answer, any action", hung, entra.StatusFailure, "", false, "never answered"},
		{"success expected and seen", created, entra.StatusSuccess, entra.ActionCreate, true, ""},
		{"failure expected, success seen", created, entra.StatusFailure, "", false, "Success for Create"},
		{"no entry", nil, entra.StatusFailure, "", false, "no log entry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, got, ok := groupLogMatches(tc.e, tc.status, tc.action)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v (want %q, got %q)", ok, tc.ok, want, got)
			}
			if !ok && !strings.Contains(got, tc.gotHint) {
				t.Errorf("got = %q, want it to mention %q", got, tc.gotHint)
			}
			if tc.action != "" && !strings.Contains(want, string(tc.action)) {
				t.Errorf("want = %q does not name the action", want)
			}
		})
	}
}
