package simulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Mapping maps an Okta profile expression to an extension attribute of the
// app profile, sent under its namespace, e.g.
// {Namespace: scimwire.EnterpriseUserSchema, Attribute: "department", From: "department"}.
// From is an expression as in CoreMappings. When From is a plain custom
// attribute the user does not have, the extension attribute is left out.
type Mapping struct {
	Namespace string
	Attribute string
	From      string
}

// CoreMappings are the mappings of the core app attributes, as in Okta's
// Profile Editor ("Okta User to <App>"). Each is an expression:
//
//   - an Okta profile attribute: login, email, firstName, lastName,
//     nickName, displayName, or a custom attribute listed in
//     AppConfig.OktaAttributes (a key of Profile.Attributes);
//   - or a template of literal text and {attribute} placeholders, such as
//     "{firstName} {lastName}"; its result is trimmed of surrounding
//     spaces, so a missing first or last name leaves no stray space.
//
// An empty field means the default (DefaultCoreMappings). Constants and
// Okta Expression Language functions are not modelled.
type CoreMappings struct {
	UserName    string // userName
	GivenName   string // name.givenName
	FamilyName  string // name.familyName
	Email       string // emails[primary].value
	DisplayName string // displayName
}

// DefaultCoreMappings returns the mappings of Okta's SCIM app template:
// userName ← login (username format Email: documented, Cortex article
// "Prerequisites"), givenName ← firstName, familyName ← lastName, email ←
// email (observed: the values of the Okta SCIM guide's create example and
// of real captures), displayName ← "{firstName} {lastName}" (inferred from
// the same example, "displayName": "Test User" for Test / User).
func DefaultCoreMappings() CoreMappings {
	return CoreMappings{UserName: "login", GivenName: "firstName", FamilyName: "lastName",
		Email: "email", DisplayName: "{firstName} {lastName}"}
}

// baseAttributes are the Okta user profile attributes every org has (the
// ones this simulator models), in the order error messages list them.
var baseAttributes = []string{"login", "email", "firstName", "lastName", "nickName", "displayName"}

// expr is a parsed mapping expression: a plain attribute (one part, no
// literal) or a template of literal and attribute parts.
type expr struct {
	parts    []exprPart
	template bool
}

type exprPart struct {
	literal string
	attr    string // "" for a literal part
}

// parseExpr parses a mapping expression and checks every attribute it
// reads against the base attributes and custom, the declared custom ones.
func parseExpr(s string, custom []string) (expr, error) {
	if strings.TrimSpace(s) == "" {
		return expr{}, errors.New("empty expression (give an Okta attribute such as firstName, or a template such as \"{firstName} {lastName}\")")
	}
	if !strings.ContainsAny(s, "{}") {
		if err := knownAttribute(s, custom); err != nil {
			return expr{}, err
		}
		return expr{parts: []exprPart{{attr: s}}}, nil
	}
	e := expr{template: true}
	rest := s
	for rest != "" {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			e.parts = append(e.parts, exprPart{literal: rest})
			break
		}
		if rest[open] == '}' {
			return expr{}, fmt.Errorf("template %q: '}' without '{'", s)
		}
		if open > 0 {
			e.parts = append(e.parts, exprPart{literal: rest[:open]})
		}
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] == '{' {
			return expr{}, fmt.Errorf("template %q: '{' without '}'", s)
		}
		name := rest[open+1 : open+1+end]
		if strings.TrimSpace(name) == "" {
			return expr{}, fmt.Errorf("template %q: empty placeholder {}", s)
		}
		if err := knownAttribute(name, custom); err != nil {
			return expr{}, fmt.Errorf("template %q: %w", s, err)
		}
		e.parts = append(e.parts, exprPart{attr: name})
		rest = rest[open+1+end+1:]
	}
	return e, nil
}

func knownAttribute(name string, custom []string) error {
	if slices.Contains(baseAttributes, name) || slices.Contains(custom, name) {
		return nil
	}
	return fmt.Errorf("unknown Okta attribute %q (base attributes: %s; list custom ones in OktaAttributes)",
		name, strings.Join(baseAttributes, ", "))
}

// attribute returns an Okta profile attribute's value and whether the
// profile has it (base attributes always do).
func (p Profile) attribute(name string) (string, bool) {
	switch name {
	case "login":
		return p.Login, true
	case "email":
		return p.Email, true
	case "firstName":
		return p.FirstName, true
	case "lastName":
		return p.LastName, true
	case "nickName":
		return p.NickName, true
	case "displayName":
		return p.DisplayName, true
	}
	v, ok := p.Attributes[name]
	return v, ok
}

// eval applies the expression to p. ok is false only for a plain custom
// attribute p does not have.
func (e expr) eval(p Profile) (string, bool) {
	if !e.template {
		return p.attribute(e.parts[0].attr)
	}
	var b strings.Builder
	for _, part := range e.parts {
		if part.attr == "" {
			b.WriteString(part.literal)
			continue
		}
		v, _ := p.attribute(part.attr)
		b.WriteString(v)
	}
	return strings.TrimSpace(b.String()), true
}

// compiledMappings are an app's mappings, parsed by AppConfig.validate.
type compiledMappings struct {
	userName, givenName, familyName, email, displayName expr
	ext                                                 []compiledExt
}

type compiledExt struct {
	ns, attr string
	from     expr
}

// compileMappings fills in the default core mappings and parses every
// mapping; errors name the app attribute whose mapping is wrong.
func (c *AppConfig) compileMappings() error {
	def := DefaultCoreMappings()
	cm := &c.CoreMappings
	var out compiledMappings
	for _, f := range []struct {
		attr string
		src  *string
		def  string
		dst  *expr
	}{
		{"userName", &cm.UserName, def.UserName, &out.userName},
		{"name.givenName", &cm.GivenName, def.GivenName, &out.givenName},
		{"name.familyName", &cm.FamilyName, def.FamilyName, &out.familyName},
		{"email", &cm.Email, def.Email, &out.email},
		{"displayName", &cm.DisplayName, def.DisplayName, &out.displayName},
	} {
		if *f.src == "" {
			*f.src = f.def
		}
		e, err := parseExpr(*f.src, c.OktaAttributes)
		if err != nil {
			return fmt.Errorf("configure app: mapping of %s: %w", f.attr, err)
		}
		*f.dst = e
	}
	for i, m := range c.Mappings {
		if m.Namespace == "" || m.Attribute == "" || m.From == "" {
			return fmt.Errorf("configure app: mapping %d needs namespace, attribute and from", i)
		}
		e, err := parseExpr(m.From, c.OktaAttributes)
		if err != nil {
			return fmt.Errorf("configure app: mapping %d (%s:%s): %w", i, m.Namespace, m.Attribute, err)
		}
		out.ext = append(out.ext, compiledExt{ns: m.Namespace, attr: m.Attribute, from: e})
	}
	c.OktaAttributes = slices.Clone(c.OktaAttributes)
	c.Mappings = slices.Clone(c.Mappings)
	c.compiled = &out
	return nil
}

// mapped is the app profile Okta derives from an Okta profile through the
// app's mappings.
type mapped struct {
	userName, givenName, familyName, email, displayName string
	ext                                                 []extValue
}

type extValue struct {
	ns, attr, value string
}

// mapProfile applies cfg's mappings (compiled by validate) to p.
func mapProfile(p Profile, cfg AppConfig) mapped {
	c := cfg.compiled
	if c == nil {
		// Only a configuration that skipped validate gets here; use the
		// defaults rather than fail.
		tmp := AppConfig{}
		_ = tmp.compileMappings()
		c = tmp.compiled
	}
	val := func(e expr) string { v, _ := e.eval(p); return v }
	m := mapped{userName: val(c.userName), givenName: val(c.givenName), familyName: val(c.familyName),
		email: val(c.email), displayName: val(c.displayName)}
	if m.email == "" {
		// Inferred: Okta's SCIM user needs an email; with username
		// format Email the login is one.
		m.email = p.Login
	}
	for _, e := range c.ext {
		if v, ok := e.from.eval(p); ok {
			m.ext = append(m.ext, extValue{ns: e.ns, attr: e.attr, value: v})
		}
	}
	return m
}

// canonical is a stable rendering of the mapped values, compared by Force
// sync and profile pushes to decide whether anything changed.
func (m mapped) canonical() string {
	parts := []string{m.userName, m.givenName, m.familyName, m.email, m.displayName}
	for _, e := range m.ext {
		parts = append(parts, e.ns+":"+e.attr+"="+e.value)
	}
	return strings.Join(parts, "\x00")
}

func (m mapped) namespaces() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range m.ext {
		if !seen[e.ns] {
			seen[e.ns] = true
			out = append(out, e.ns)
		}
	}
	return out
}
