package reference

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// attrs is a decoded JSON object whose keys are looked up case-insensitively
// (RFC 7643 §2.1: attribute names are case-insensitive).
type attrs map[string]any

// lowerKeys returns m with lower-cased keys. Of two keys differing only in
// case, the later one in map order would win; such a body is ambiguous, so
// it is refused.
func lowerKeys(m map[string]any) (attrs, error) {
	out := make(attrs, len(m))
	for k, v := range m {
		lk := strings.ToLower(k)
		if _, dup := out[lk]; dup {
			return nil, badRequest(scimwire.ScimTypeInvalidSyntax, "attribute %q appears twice (attribute names are case-insensitive)", k)
		}
		out[lk] = v
	}
	return out, nil
}

// str returns attribute name as a string; present is false when it is absent
// or null. A value of another JSON type is an invalidValue error.
func (a attrs) str(name string) (v string, present bool, err error) {
	raw, ok := a[strings.ToLower(name)]
	if !ok || raw == nil {
		return "", false, nil
	}
	s, ok := raw.(string)
	if !ok {
		return "", false, badRequest(scimwire.ScimTypeInvalidValue, "attribute %q must be a string, got %s", name, jsonType(raw))
	}
	return s, true, nil
}

// boolean returns attribute name as a JSON boolean (RFC 7643 §2.3.2).
func (a attrs) boolean(name string) (v, present bool, err error) {
	raw, ok := a[strings.ToLower(name)]
	if !ok || raw == nil {
		return false, false, nil
	}
	b, ok := raw.(bool)
	if !ok {
		return false, false, badRequest(scimwire.ScimTypeInvalidValue, "attribute %q must be a JSON boolean, got %s", name, jsonType(raw))
	}
	return b, true, nil
}

// object returns attribute name as a JSON object with case-insensitive keys.
func (a attrs) object(name string) (attrs, bool, error) {
	raw, ok := a[strings.ToLower(name)]
	if !ok || raw == nil {
		return nil, false, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, false, badRequest(scimwire.ScimTypeInvalidValue, "attribute %q must be a JSON object, got %s", name, jsonType(raw))
	}
	o, err := lowerKeys(m)
	return o, err == nil, err
}

// jsonType names the JSON type of a decoded value for error details.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// validEmail reports whether s is a bare email address (no display name, no
// angle brackets), as the article requires for Okta's username format.
func validEmail(s string) bool {
	if s == "" || strings.ContainsAny(s, " <>\t\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// primaryEmail returns the value of the primary email in an emails array
// (or of the only one, or of the first when none is marked primary).
func primaryEmail(a attrs) (string, bool, error) {
	raw, ok := a["emails"]
	if !ok || raw == nil {
		return "", false, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return "", false, badRequest(scimwire.ScimTypeInvalidValue, "attribute \"emails\" must be an array, got %s", jsonType(raw))
	}
	first := ""
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return "", false, badRequest(scimwire.ScimTypeInvalidValue, "emails[%d] must be an object, got %s", i, jsonType(e))
		}
		em, err := lowerKeys(m)
		if err != nil {
			return "", false, err
		}
		v, has, err := em.str("value")
		if err != nil {
			return "", false, err
		}
		if !has {
			continue
		}
		p, _, err := em.boolean("primary")
		if err != nil {
			return "", false, err
		}
		if p {
			return v, true, nil
		}
		if first == "" {
			first = v
		}
	}
	return first, first != "", nil
}

// hasSchema reports whether the body's schemas list contains urn.
func hasSchema(a attrs, urn string) (bool, error) {
	raw, ok := a["schemas"]
	if !ok {
		return false, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return false, badRequest(scimwire.ScimTypeInvalidValue, "attribute \"schemas\" must be an array of URIs, got %s", jsonType(raw))
	}
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, urn) {
			return true, nil
		}
	}
	return false, nil
}
