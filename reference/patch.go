package reference

import (
	"errors"
	"net/http"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/filter"
	"github.com/scimulator/scimulator/reference/store"
)

// patchOp is one decoded PATCH operation (RFC 7644 §3.5.2).
type patchOp struct {
	op    string // lower-cased: add, replace or remove
	path  string
	value any
	has   bool // value present
	index int  // position in Operations, for error details
	// inValue marks an attribute taken from a path-less value object, where
	// derived attributes are tolerated and ignored as in PUT; with an
	// explicit path they are read-only (400 mutability).
	inValue bool
}

// parsePatch reads a PatchOp body: schemas must name the PatchOp message
// and Operations must be a non-empty array of objects whose op is add,
// replace or remove in any case (SPEC §1.3).
func parsePatch(body map[string]any) ([]patchOp, error) {
	a, err := lowerKeys(body)
	if err != nil {
		return nil, err
	}
	ok, err := hasSchema(a, scimwire.PatchOpSchema)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, badRequest(scimwire.ScimTypeInvalidSyntax, "\"schemas\" must list %s", scimwire.PatchOpSchema)
	}
	raw, ok := a["operations"].([]any)
	if !ok || len(raw) == 0 {
		return nil, badRequest(scimwire.ScimTypeInvalidSyntax, "\"Operations\" must be a non-empty array")
	}
	ops := make([]patchOp, 0, len(raw))
	for i, e := range raw {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, badRequest(scimwire.ScimTypeInvalidSyntax, "Operations[%d] must be an object, got %s", i, jsonType(e))
		}
		o, err := lowerKeys(m)
		if err != nil {
			return nil, err
		}
		opName, _, err := o.str("op")
		if err != nil {
			return nil, err
		}
		op := patchOp{op: strings.ToLower(opName), index: i}
		switch op.op {
		case "add", "replace", "remove":
		default:
			return nil, badRequest(scimwire.ScimTypeInvalidSyntax,
				"Operations[%d]: unknown op %q (want add, replace or remove)", i, opName)
		}
		if op.path, _, err = o.str("path"); err != nil {
			return nil, err
		}
		op.value, op.has = o["value"]
		ops = append(ops, op)
	}
	return ops, nil
}

// patchUser is PATCH /Users/{id}. All operations are applied to a copy of
// the user and committed together, or none is (RFC 7644 §3.5.2: "the
// operations are applied ... as a single atomic unit").
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var body map[string]any
	if err := s.decodeBody(r, &body); err != nil {
		return err
	}
	ops, err := parsePatch(body)
	if err != nil {
		return err
	}
	return s.updateUser(w, r, rc, func(old store.User, nu *store.User) error {
		for _, op := range ops {
			if err := s.applyOp(nu, op); err != nil {
				return err
			}
		}
		if !old.Active && nu.Active && !s.faults.has(FaultPatchReactivation) {
			// Source article: "Users can only be reactivated via a PUT
			// operation"; the user stays inactive.
			return errf(http.StatusBadRequest, scimwire.ScimTypeMutability,
				"user %q is inactive and cannot be reactivated with PATCH: reactivation needs PUT with \"active\": true", old.UserName)
		}
		return nil
	})
}

// applyOp applies one operation to u (a copy; nothing is stored here).
func (s *Server) applyOp(u *store.User, op patchOp) error {
	if op.op != "remove" && !op.has {
		return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: %s needs a value", op.index, op.op)
	}
	if op.path == "" {
		return s.applyPathless(u, op)
	}
	p, err := filter.ParsePath(op.path)
	if err != nil {
		var fe *filter.Error
		if errors.As(err, &fe) {
			return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: %s", op.index, fe.Error())
		}
		return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: invalid path %q: %v", op.index, op.path, err)
	}
	if strings.EqualFold(p.URN, scimwire.EnterpriseUserSchema) {
		// The enterprise extension is not kept: accepted and ignored, as
		// on create and in a path-less value object. Entra's default
		// mappings write its attributes by path in legacy mode
		// (known-issues page, "requests to replace multiple attributes").
		return nil
	}
	if p.URN != "" && !strings.EqualFold(p.URN, scimwire.UserSchema) {
		return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: path %q: schema %s is not supported", op.index, op.path, p.URN)
	}
	return s.applyAttr(u, op, p)
}

// applyPathless applies an add/replace without path: RFC 7644 §3.5.2.1 and
// §3.5.2.3 say the value is an object whose attributes are merged into the
// resource. This is Okta's shape for deactivation. Attributes the server
// does not keep are ignored, as in PUT.
func (s *Server) applyPathless(u *store.User, op patchOp) error {
	if op.op == "remove" {
		// RFC 7644 §3.5.2.2: remove without path fails with noTarget.
		return badRequest(scimwire.ScimTypeNoTarget, "Operations[%d]: remove needs a path", op.index)
	}
	if s.faults.has(FaultNoPathlessPatch) {
		// Fault: the server insists on a path, so Okta's deactivation fails.
		return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: path is required", op.index)
	}
	m, ok := op.value.(map[string]any)
	if !ok {
		return badRequest(scimwire.ScimTypeInvalidValue,
			"Operations[%d]: a %s without path needs an object value, got %s", op.index, op.op, jsonType(op.value))
	}
	for k, v := range m {
		if strings.HasPrefix(strings.ToLower(k), "urn:") && !strings.HasPrefix(strings.ToLower(k), strings.ToLower(scimwire.UserSchema)+":") {
			continue // an extension namespace: not kept, ignored
		}
		p, err := filter.ParsePath(k)
		if err != nil {
			continue // not an attribute name this server knows: ignored
		}
		if p.URN != "" && !strings.EqualFold(p.URN, scimwire.UserSchema) {
			continue
		}
		sub := patchOp{op: op.op, path: k, value: v, has: true, index: op.index, inValue: true}
		if err := s.applyAttr(u, sub, p); err != nil {
			var ae *apiError
			if errors.As(err, &ae) && ae.scimType == scimwire.ScimTypeInvalidPath {
				continue // unknown attribute in a value object: ignored
			}
			return err
		}
	}
	return nil
}

// applyAttr applies op to the attribute p names.
func (s *Server) applyAttr(u *store.User, op patchOp, p filter.Path) error {
	attr := strings.ToLower(p.Attr)
	sub := strings.ToLower(p.Sub)
	if p.Filter != nil && attr != "emails" {
		return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: %q is not multi-valued; a value filter does not apply", op.index, p.Attr)
	}
	switch attr {
	case "active":
		if sub != "" {
			return unknownSub(op, p)
		}
		if op.op == "remove" {
			return badRequest(scimwire.ScimTypeMutability, "Operations[%d]: \"active\" cannot be removed", op.index)
		}
		b, ok := patchBool(op.value)
		if !ok {
			return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: \"active\" must be a JSON boolean (or Entra's legacy \"True\"/\"False\"), got %s", op.index, jsonType(op.value))
		}
		u.Active = b
	case "name":
		return s.applyName(u, op, p, sub)
	case "username":
		if sub != "" {
			return unknownSub(op, p)
		}
		if op.op == "remove" {
			return badRequest(scimwire.ScimTypeMutability, "Operations[%d]: \"userName\" cannot be removed", op.index)
		}
		v, ok := op.value.(string)
		if !ok {
			return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: \"userName\" must be a string, got %s", op.index, jsonType(op.value))
		}
		return s.changeUserName(u, v, op, "userName")
	case "emails":
		return s.applyEmails(u, op, p, sub)
	case "externalid":
		if sub != "" {
			return unknownSub(op, p)
		}
		if op.op == "remove" {
			u.ExternalID = ""
			return nil
		}
		v, ok := op.value.(string)
		if !ok {
			return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: \"externalId\" must be a string, got %s", op.index, jsonType(op.value))
		}
		u.ExternalID = v
	case "displayname":
		// Derived from the names (SPEC §1.3) and readOnly in /Schemas: an
		// explicit path to it is refused like id or meta (RFC 7644
		// §3.5.2: mutability); inside a path-less value object it is
		// tolerated and ignored, as in PUT.
		if sub != "" {
			return unknownSub(op, p)
		}
		if !op.inValue {
			return readOnlyDerived(op, "displayName")
		}
		if _, ok := op.value.(string); op.op != "remove" && !ok {
			return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: \"displayName\" must be a string, got %s", op.index, jsonType(op.value))
		}
	case "password":
		// Accepted and never stored, as on create (SPEC §1.3).
	case "id", "meta", "groups", "schemas":
		return badRequest(scimwire.ScimTypeMutability, "Operations[%d]: %q is read-only", op.index, p.Attr)
	default:
		return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: attribute %q is not supported (see /Schemas)", op.index, p.Attr)
	}
	return nil
}

// readOnlyDerived refuses an explicit path to a derived, read-only attribute.
func readOnlyDerived(op patchOp, attr string) error {
	return badRequest(scimwire.ScimTypeMutability,
		"Operations[%d]: %q is read-only: it is derived from name.givenName and name.familyName; change those instead", op.index, attr)
}

func unknownSub(op patchOp, p filter.Path) error {
	return badRequest(scimwire.ScimTypeInvalidPath, "Operations[%d]: %q has no sub-attribute %q", op.index, p.Attr, p.Sub)
}

// applyName handles name, name.givenName and name.familyName. A complex
// value merges: sub-attributes not given are left unchanged (RFC 7644
// §3.5.2.3). name.formatted is derived and ignored.
func (s *Server) applyName(u *store.User, op patchOp, p filter.Path, sub string) error {
	set := func(field string, v any) error {
		str := ""
		if op.op != "remove" {
			var ok bool
			if str, ok = v.(string); !ok && v != nil {
				return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: name.%s must be a string, got %s", op.index, field, jsonType(v))
			}
		}
		if s.faults.has(FaultNameChangeIgnored) {
			return nil // fault: accepted, not stored
		}
		switch field {
		case "givenname":
			u.GivenName = str
		case "familyname":
			u.FamilyName = str
		}
		return nil
	}
	switch sub {
	case "givenname", "familyname":
		return set(sub, op.value)
	case "formatted":
		if !op.inValue {
			return readOnlyDerived(op, "name.formatted") // readOnly in /Schemas
		}
		return nil
	case "":
		if op.op == "remove" {
			if err := set("givenname", nil); err != nil {
				return err
			}
			return set("familyname", nil)
		}
		m, ok := op.value.(map[string]any)
		if !ok {
			return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: \"name\" must be an object, got %s", op.index, jsonType(op.value))
		}
		for k, v := range m {
			switch lk := strings.ToLower(k); lk {
			case "givenname", "familyname":
				if err := set(lk, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return unknownSub(op, p)
}

// applyEmails handles emails, emails.value and emails[filter].value. The
// single email equals userName and cannot change (SPEC §1.3): writing the
// same address is a no-op, anything else is 400 mutability. type, primary
// and display are accepted and ignored.
func (s *Server) applyEmails(u *store.User, op patchOp, p filter.Path, sub string) error {
	if p.Filter != nil {
		cur := map[string]any{"value": u.UserName, "type": "work", "primary": true}
		if !p.Filter.Match(cur) {
			// RFC 7644 §3.5.2.3: a value filter that matches nothing is noTarget.
			return badRequest(scimwire.ScimTypeNoTarget, "Operations[%d]: %q matches no email", op.index, op.path)
		}
	}
	if op.op == "remove" {
		if sub == "type" || sub == "display" || sub == "primary" {
			return nil
		}
		return badRequest(scimwire.ScimTypeMutability, "Operations[%d]: the email cannot be removed: a Cortex user's email is immutable", op.index)
	}
	switch sub {
	case "type", "primary", "display":
		return nil
	case "value":
		v, ok := op.value.(string)
		if !ok {
			return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: emails.value must be a string, got %s", op.index, jsonType(op.value))
		}
		return s.changeUserName(u, v, op, "email")
	case "":
	default:
		return unknownSub(op, p)
	}
	var list []any
	switch v := op.value.(type) {
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	default:
		return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: \"emails\" must be an array of objects, got %s", op.index, jsonType(op.value))
	}
	email, has, err := primaryEmail(attrs{"emails": list})
	if err != nil {
		return err
	}
	if !has {
		return nil
	}
	return s.changeUserName(u, email, op, "email")
}

// changeUserName applies a new userName/email: equal case-insensitively is
// a no-op (the stored case is kept); otherwise 400 mutability, unless the
// email-mutable fault accepts it.
func (s *Server) changeUserName(u *store.User, v string, op patchOp, what string) error {
	if strings.EqualFold(v, u.UserName) {
		return nil
	}
	if !s.faults.has(FaultEmailMutable) {
		return badRequest(scimwire.ScimTypeMutability,
			"Operations[%d]: %s cannot change (from %q to %q): a Cortex user's email is immutable", op.index, what, u.UserName, v)
	}
	if !validEmail(v) {
		return badRequest(scimwire.ScimTypeInvalidValue, "Operations[%d]: %s must be an email address, got %q", op.index, what, v)
	}
	u.UserName = v // fault: accepted
	return nil
}

// patchBool reads a PATCH boolean: a JSON boolean, or the strings "True" and
// "False" in any case, which Microsoft Entra ID's provisioning service sends
// for active in its legacy (pre-aadOptscim062020) behaviour (known-issues
// page, "requests made to disable users"). RFC 7643 §2.3.2 wants a JSON
// boolean; the two strings are unambiguous and refusing them would break
// every Entra app still on the legacy behaviour, so they are accepted here
// (PATCH only); any other string is refused.
func patchBool(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}
