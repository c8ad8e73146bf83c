package entra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// Wire constants.
const (
	userSchema       = scimwire.UserSchema
	groupSchema      = scimwire.GroupSchema
	enterpriseSchema = scimwire.EnterpriseUserSchema
	patchSchema      = scimwire.PatchOpSchema
	// adscimGroupSchema is the second URI of the documented group create
	// body (tutorial, "Create Group").
	adscimGroupSchema = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
	workEmailPath     = `emails[type eq "work"].value`
)

// Mapping maps an Entra source attribute (or the Join expression Entra's
// default mappings use for name.formatted) to a SCIM target path.
type Mapping struct {
	Source string
	Target string
}

// Sources a mapping may read.
const (
	SrcUserPrincipalName = "userPrincipalName"
	SrcMail              = "mail"
	SrcMailNickname      = "mailNickname"
	SrcGivenName         = "givenName"
	SrcSurname           = "surname"
	SrcDisplayName       = "displayName"
	SrcJobTitle          = "jobTitle"
	SrcDepartment        = "department"
	SrcEmployeeID        = "employeeId"
	// SrcAccountEnabled: active is accountEnabled and not soft-deleted.
	SrcAccountEnabled = "accountEnabled"
	// SrcJoinNames is the default expression for name.formatted.
	SrcJoinNames = `Join(" ", [givenName], [surname])`
)

// Targets a mapping may write.
var knownTargets = []string{"userName", "active", "displayName", "title", workEmailPath,
	"name.givenName", "name.familyName", "name.formatted", "externalId",
	enterpriseSchema + ":employeeNumber", enterpriseSchema + ":department"}

var knownSources = []string{SrcUserPrincipalName, SrcMail, SrcMailNickname, SrcGivenName, SrcSurname,
	SrcDisplayName, SrcJobTitle, SrcDepartment, SrcEmployeeID, SrcAccountEnabled, SrcJoinNames}

// DefaultMappings is the subset of Entra's default user mappings for a
// non-gallery SCIM app that the simulator models (documented: tutorial,
// "Table 1: Default user attribute mapping"; addresses, phone numbers,
// preferredLanguage and manager are not modelled). active is read from
// accountEnabled and the soft-delete state together.
func DefaultMappings() []Mapping {
	return []Mapping{
		{SrcUserPrincipalName, "userName"},
		{SrcAccountEnabled, "active"},
		{SrcDisplayName, "displayName"},
		{SrcJobTitle, "title"},
		{SrcMail, workEmailPath},
		{SrcGivenName, "name.givenName"},
		{SrcSurname, "name.familyName"},
		{SrcJoinNames, "name.formatted"},
		{SrcMailNickname, "externalId"},
		{SrcEmployeeID, enterpriseSchema + ":employeeNumber"},
		{SrcDepartment, enterpriseSchema + ":department"},
	}
}

func checkMappings(ms []Mapping) error {
	seen := map[string]bool{}
	hasUserName := false
	for _, m := range ms {
		if !contains(knownSources, m.Source) {
			return fmt.Errorf("mapping to %q: unknown source %q (known: %s)", m.Target, m.Source, strings.Join(knownSources, ", "))
		}
		if !contains(knownTargets, m.Target) {
			return fmt.Errorf("mapping from %q: unknown target %q (known: %s)", m.Source, m.Target, strings.Join(knownTargets, ", "))
		}
		if seen[m.Target] {
			return fmt.Errorf("target %q is mapped twice", m.Target)
		}
		if (m.Target == "active") != (m.Source == SrcAccountEnabled) {
			return fmt.Errorf("mapping %s → %s: active is the only boolean target and accountEnabled the only boolean source", m.Source, m.Target)
		}
		seen[m.Target] = true
		hasUserName = hasUserName || m.Target == "userName"
	}
	if !hasUserName {
		return fmt.Errorf("no mapping to userName: it is the matching attribute")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// value is a mapped value: a string, or a bool for active.
type value struct {
	str    string
	b      bool
	isBool bool
}

func (v value) json() any {
	if v.isBool {
		return v.b
	}
	return v.str
}

// evaluate returns the user's mapped values by target path; empty strings
// are left out (Entra sends no attribute for an empty source, inferred).
func evaluate(u *User, ms []Mapping) ([]string, map[string]value) {
	var order []string
	out := map[string]value{}
	for _, m := range ms {
		var v value
		switch m.Source {
		case SrcAccountEnabled:
			v = value{b: u.AccountEnabled && !u.SoftDeleted, isBool: true}
		case SrcJoinNames:
			v.str = strings.TrimSpace(u.GivenName + " " + u.Surname)
		default:
			v.str = sourceString(u, m.Source)
		}
		if !v.isBool && v.str == "" {
			continue
		}
		order = append(order, m.Target)
		out[m.Target] = v
	}
	return order, out
}

func sourceString(u *User, src string) string {
	switch src {
	case SrcUserPrincipalName:
		return u.UserPrincipalName
	case SrcMail:
		return u.Mail
	case SrcMailNickname:
		return u.MailNickname
	case SrcGivenName:
		return u.GivenName
	case SrcSurname:
		return u.Surname
	case SrcDisplayName:
		return u.DisplayName
	case SrcJobTitle:
		return u.JobTitle
	case SrcDepartment:
		return u.Department
	case SrcEmployeeID:
		return u.EmployeeID
	}
	return ""
}

// targetValue reads a target path from the target's resource; ok is false
// when the resource has no value there.
func targetValue(res gjson.Result, path string) (value, bool) {
	switch {
	case path == "active":
		a := res.Get("active")
		if !a.Exists() {
			return value{b: true, isBool: true}, true // absent means active (RFC 7643 §4.1.1 leaves it to the SP; inferred)
		}
		return value{b: a.Type == gjson.True, isBool: true}, true
	case path == workEmailPath:
		var found string
		res.Get("emails").ForEach(func(_, e gjson.Result) bool {
			if strings.EqualFold(e.Get("type").String(), "work") {
				found = e.Get("value").String()
				return false
			}
			return true
		})
		return value{str: found}, found != ""
	case strings.HasPrefix(path, enterpriseSchema+":"):
		r := res.Get(gjson.Escape(enterpriseSchema) + "." + strings.TrimPrefix(path, enterpriseSchema+":"))
		return value{str: r.String()}, r.Exists() && r.String() != ""
	}
	r := res.Get(path)
	return value{str: r.String()}, r.Exists() && r.String() != ""
}

// change is one attribute the target must change.
type change struct {
	path string
	val  value
	add  bool // the target had no value: "add" rather than "replace"
}

// diff compares the mapped values with the target's resource. userName and
// the email compare case-insensitively (inferred: Entra matches them that
// way); everything else exactly.
func diff(order []string, want map[string]value, res gjson.Result) []change {
	var out []change
	for _, p := range order {
		w := want[p]
		got, ok := targetValue(res, p)
		switch {
		case w.isBool:
			if got.b != w.b {
				out = append(out, change{path: p, val: w})
			}
		case !ok:
			out = append(out, change{path: p, val: w, add: true})
		case p == "userName" || p == workEmailPath:
			if !strings.EqualFold(got.str, w.str) {
				out = append(out, change{path: p, val: w})
			}
		case got.str != w.str:
			out = append(out, change{path: p, val: w})
		}
	}
	return out
}

// field is one member of an ordered JSON object.
type field struct {
	k string
	v any
}

// object marshals fields in order (Go maps would sort the keys).
type object []field

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("entra: marshal: " + err.Error()) // only our own ordered objects are marshalled
	}
	return b
}

// createUserBody is the POST /Users body. Shape and order follow the
// tutorial's "Create User" example (schemas with the enterprise extension,
// externalId, userName, active, emails, meta, name, roles); displayName,
// title and the extension object are placed after name (inferred).
func createUserBody(order []string, vals map[string]value) []byte {
	body := object{{"schemas", []string{userSchema, enterpriseSchema}}}
	if v, ok := vals["externalId"]; ok {
		body = append(body, field{"externalId", v.str})
	}
	body = append(body, field{"userName", vals["userName"].str})
	if v, ok := vals["active"]; ok {
		body = append(body, field{"active", v.b})
	}
	if v, ok := vals[workEmailPath]; ok {
		body = append(body, field{"emails", []object{{{"primary", true}, {"type", "work"}, {"value", v.str}}}})
	}
	body = append(body, field{"meta", object{{"resourceType", "User"}}})
	var name object
	for _, p := range []string{"name.formatted", "name.familyName", "name.givenName"} {
		if v, ok := vals[p]; ok {
			name = append(name, field{strings.TrimPrefix(p, "name."), v.str})
		}
	}
	if len(name) > 0 {
		body = append(body, field{"name", name})
	}
	for _, p := range []string{"displayName", "title"} {
		if v, ok := vals[p]; ok {
			body = append(body, field{p, v.str})
		}
	}
	var ext object
	for _, p := range order {
		if strings.HasPrefix(p, enterpriseSchema+":") {
			ext = append(ext, field{strings.TrimPrefix(p, enterpriseSchema+":"), vals[p].str})
		}
	}
	if len(ext) > 0 {
		body = append(body, field{enterpriseSchema, ext})
	}
	body = append(body, field{"roles", []any{}})
	return mustJSON(body)
}

// patchBody wraps operations in a PatchOp message, schemas first.
func patchBody(ops []object) []byte {
	return mustJSON(object{{"schemas", []string{patchSchema}}, {"Operations", ops}})
}

// userPatch builds the PATCH for changes in the mode's shape.
//
// Compliant (known-issues page, "with the feature flag"): lower-case ops,
// active a JSON boolean with a path, a single-valued attribute added as a
// plain value with its path, and several replaced attributes in one
// path-less replace whose value object is keyed by path.
//
// Legacy (known-issues page, "without the feature flag"; tutorial "Update
// User"): one "Replace" per attribute with its path, active as the string
// "True"/"False", a missing single value added as "Add" with
// [{"value": …}].
func userPatch(mode Mode, changes []change) []byte {
	var ops []object
	if mode == ModeLegacy {
		for _, c := range changes {
			switch {
			case c.val.isBool:
				s := "False"
				if c.val.b {
					s = "True"
				}
				ops = append(ops, object{{"op", "Replace"}, {"path", c.path}, {"value", s}})
			case c.add:
				ops = append(ops, object{{"op", "Add"}, {"path", c.path}, {"value", []object{{{"value", c.val.str}}}}})
			default:
				ops = append(ops, object{{"op", "Replace"}, {"path", c.path}, {"value", c.val.str}})
			}
		}
		return patchBody(ops)
	}
	var repl []change
	for _, c := range changes {
		switch {
		case c.val.isBool:
			ops = append(ops, object{{"op", "replace"}, {"path", c.path}, {"value", c.val.b}})
		case c.add:
			ops = append(ops, object{{"op", "add"}, {"path", c.path}, {"value", c.val.str}})
		default:
			repl = append(repl, c)
		}
	}
	switch len(repl) {
	case 0:
	case 1:
		// One attribute: the path form (inferred; the page shows the
		// path-less object for several attributes).
		ops = append(ops, object{{"op", "replace"}, {"path", repl[0].path}, {"value", repl[0].val.str}})
	default:
		v := object{}
		for _, c := range repl {
			v = append(v, field{c.path, c.val.str})
		}
		ops = append(ops, object{{"op", "replace"}, {"value", v}})
	}
	return patchBody(ops)
}

// activePatch is the disable / enable PATCH: tutorial "Disable User" and
// the known-issues page's "requests made to disable users".
func activePatch(mode Mode, active bool) []byte {
	return userPatch(mode, []change{{path: "active", val: value{b: active, isBool: true}}})
}

// createGroupBody is the tutorial's "Create Group" body: both schema URIs,
// externalId, displayName, meta.resourceType; no members (they follow in a
// PATCH).
func createGroupBody(g *Group) []byte {
	return mustJSON(object{{"schemas", []string{groupSchema, adscimGroupSchema}},
		{"externalId", g.ID}, {"displayName", g.DisplayName}, {"meta", object{{"resourceType", "Group"}}}})
}

// membersAddPatch adds members: legacy is the tutorial's "Update Group [Add
// Members]" ("Add", members with "$ref": null); compliant lower-cases the
// op and drops "$ref" (inferred: the known-issues page changes removal
// only).
func membersAddPatch(mode Mode, ids []string) []byte {
	var vals []object
	for _, id := range ids {
		if mode == ModeLegacy {
			vals = append(vals, object{{"$ref", nil}, {"value", id}})
		} else {
			vals = append(vals, object{{"value", id}})
		}
	}
	op := "add"
	if mode == ModeLegacy {
		op = "Add"
	}
	return patchBody([]object{{{"op", op}, {"path", "members"}, {"value", vals}}})
}

// membersRemovePatch removes members: legacy sends "Remove" with a value
// list, compliant one remove per member with a value filter in the path
// (known-issues page, "requests to remove a group member").
func membersRemovePatch(mode Mode, ids []string) []byte {
	if mode == ModeLegacy {
		var vals []object
		for _, id := range ids {
			vals = append(vals, object{{"value", id}})
		}
		return patchBody([]object{{{"op", "Remove"}, {"path", "members"}, {"value", vals}}})
	}
	var ops []object
	for _, id := range ids {
		ops = append(ops, object{{"op", "remove"}, {"path", `members[value eq "` + id + `"]`}})
	}
	return patchBody(ops)
}

// renamePatch is the tutorial's "Update Group [Non-member attributes]".
func renamePatch(mode Mode, name string) []byte {
	op := "replace"
	if mode == ModeLegacy {
		op = "Replace"
	}
	return patchBody([]object{{{"op", op}, {"path", "displayName"}, {"value", name}}})
}
