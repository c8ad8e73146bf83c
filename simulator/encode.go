package simulator

import (
	"net/url"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// Where the wire shapes come from. Okta's SCIM 2.0 guide is
// https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20/
// ("Okta SCIM 2.0 protocol reference"); the OIN test suites are Okta's
// published Runscope/Postman SPEC and CRUD tests.
const (
	srcOktaSCIMGuide = "Okta developer docs, SCIM 2.0 protocol reference (developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20/)"
	srcCaptures      = "real Okta captures published by SCIM server projects; SPEC §2.1-2.2, Appendix B"
	srcInferred      = "inferred: not documented by Okta"
)

// createBody is POST /Users as Okta sends it, field order included
// (documented, Okta SCIM 2.0 guide "Create the user"): schemas, userName,
// name{givenName,familyName}, emails[{primary,value,type}], displayName,
// locale, externalId (the Okta user id), groups [], password (always, 8
// random characters), active. Extension namespaces follow (inferred).
func createBody(m mapped, oktaID, password string) *jobj {
	schemas := []any{scimwire.UserSchema}
	for _, ns := range m.namespaces() {
		schemas = append(schemas, ns)
	}
	o := newObj().
		set("schemas", schemas).
		set("userName", m.userName).
		set("name", newObj().set("givenName", m.givenName).set("familyName", m.familyName)).
		set("emails", []any{newObj().set("primary", true).set("value", m.email).set("type", "work")}).
		set("displayName", m.displayName).
		set("locale", "en-US").
		set("externalId", oktaID).
		set("groups", []any{}).
		set("password", password).
		set("active", true)
	setExtensions(o, m)
	return o
}

func setExtensions(o *jobj, m mapped) {
	for _, e := range m.ext {
		ns, _ := o.get(e.ns)
		nso, ok := ns.(*jobj)
		if !ok {
			nso = newObj()
			o.set(e.ns, nso)
		}
		nso.set(e.attr, e.value)
	}
}

// mergeForPut returns the target's own object with Okta's mapped values
// merged in, for PUT /Users/{id} (documented: Okta sends the full user;
// observed: it echoes what the target returned, meta and all, Appendix B).
// Unmapped fields keep their place and value, except "password": PUT never
// carries it (inferred, see doc.go), even when the target echoes one back.
func mergeForPut(target *jobj, m mapped, scimID string, active bool) []byte {
	o := target
	o.del("password")
	if _, ok := o.get("id"); !ok {
		o.set("id", scimID)
	}
	schemas, _ := o.get("schemas")
	list, _ := schemas.([]any)
	if list == nil {
		list = []any{scimwire.UserSchema}
	}
	for _, ns := range m.namespaces() {
		if !containsString(list, ns) {
			list = append(list, ns)
		}
	}
	o.set("schemas", list)
	o.set("userName", m.userName)
	name, _ := o.get("name")
	no, ok := name.(*jobj)
	if !ok {
		no = newObj()
	}
	no.set("givenName", m.givenName).set("familyName", m.familyName)
	o.set("name", no)
	o.set("emails", mergeEmails(o, m.email))
	o.set("displayName", m.displayName)
	o.set("active", active)
	setExtensions(o, m)
	return marshalOrdered(o)
}

// mergeEmails sets the primary email's value (else the first work email,
// else the first), keeping the target's other fields such as display.
func mergeEmails(o *jobj, email string) []any {
	raw, _ := o.get("emails")
	arr, _ := raw.([]any)
	pick := -1
	for i, e := range arr {
		if eo, ok := e.(*jobj); ok {
			if p, _ := eo.get("primary"); p == true {
				pick = i
				break
			}
			if t, _ := eo.get("type"); t == "work" && pick < 0 {
				pick = i
			}
		}
	}
	if pick < 0 {
		for i, e := range arr {
			if _, ok := e.(*jobj); ok {
				pick = i
				break
			}
		}
	}
	if pick < 0 {
		return []any{newObj().set("primary", true).set("value", email).set("type", "work")}
	}
	arr[pick].(*jobj).set("value", email)
	return arr
}

// patchActive is the path-less PATCH Okta's OIN engine sends to change a
// user's status. Deactivation is documented (Okta SCIM 2.0 guide, "Update a
// specific user (PATCH)"): op lowercase, no path, active a JSON boolean;
// the reactivation body is inferred to be its mirror image.
func patchActive(active bool) []byte {
	op := newObj().set("op", "replace").set("value", newObj().set("active", active))
	return marshalOrdered(newObj().set("schemas", []any{scimwire.PatchOpSchema}).set("Operations", []any{op}))
}

// groupMember is one member as Okta sends it: value and display only, no
// type (observed, Appendix B).
type groupMember struct {
	value, display string
}

func membersValue(ms []groupMember) []any {
	out := []any{}
	for _, m := range ms {
		out = append(out, newObj().set("value", m.value).set("display", m.display))
	}
	return out
}

// groupCreateBody is POST /Groups (documented, Okta SCIM 2.0 guide "Create
// Groups"): members are sent afterwards with PATCH.
func groupCreateBody(name string) []byte {
	return marshalOrdered(newObj().set("schemas", []any{scimwire.GroupSchema}).
		set("displayName", name).set("members", []any{}))
}

// groupMembersPatch is the membership PATCH (documented, Okta SCIM 2.0
// guide "Update Group membership"): one remove per member, path
// members[value eq "<id>"], then one add of [{value, display}].
func groupMembersPatch(removeIDs []string, add []groupMember) []byte {
	ops := []any{}
	for _, id := range removeIDs {
		ops = append(ops, newObj().set("op", "remove").set("path", `members[value eq "`+id+`"]`))
	}
	if len(add) > 0 {
		ops = append(ops, newObj().set("op", "add").set("path", "members").set("value", membersValue(add)))
	}
	return marshalOrdered(newObj().set("schemas", []any{scimwire.PatchOpSchema}).set("Operations", ops))
}

// groupRenamePatch is the rename PATCH (documented, Okta SCIM 2.0 guide
// "Update Group name"): path-less replace of {id, displayName}.
func groupRenamePatch(scimID, name string) []byte {
	op := newObj().set("op", "replace").set("value", newObj().set("id", scimID).set("displayName", name))
	return marshalOrdered(newObj().set("schemas", []any{scimwire.PatchOpSchema}).set("Operations", []any{op}))
}

// groupReplaceMembersPatch is "Push Now" (observed, Appendix B): replace
// members with the full list, [] for an empty group.
func groupReplaceMembersPatch(ms []groupMember) []byte {
	op := newObj().set("op", "replace").set("path", "members").set("value", membersValue(ms))
	return marshalOrdered(newObj().set("schemas", []any{scimwire.PatchOpSchema}).set("Operations", []any{op}))
}

// groupPutBody is the AIW engine's group update (SPEC §2.2): the whole
// group with its full member list (body shape inferred).
func groupPutBody(scimID, name string, ms []groupMember) []byte {
	return marshalOrdered(newObj().set("schemas", []any{scimwire.GroupSchema}).set("id", scimID).
		set("displayName", name).set("members", membersValue(ms)))
}

// oktaEscape percent-encodes everything but RFC 3986 unreserved
// characters, as Okta does: space %20, '"' %22, '@' %40 (documented:
// Okta SCIM 2.0 guide, filter=userName%20eq%20%22test.user%40okta.local%22).
func oktaEscape(s string) string {
	var b strings.Builder
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// filterQuery is the existence check query: attr eq "value", first page of 100.
func filterQuery(attr, value string) string {
	// RFC 7644 §3.4.2.2: a '"' or '\' inside a filter string is escaped.
	v := strings.ReplaceAll(strings.ReplaceAll(value, `\`, `\\`), `"`, `\"`)
	return "filter=" + oktaEscape(attr+` eq "`+v+`"`) + "&startIndex=1&count=100"
}

// resourcePath is /Users/{id} or /Groups/{id} with the id path-escaped.
func resourcePath(endpoint, id string) string {
	return endpoint + "/" + url.PathEscape(id)
}
