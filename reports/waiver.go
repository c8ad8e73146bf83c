package reports

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Waiver excuses a known failure (scimulator run --waivers): a team with
// known gaps can still gate on everything else. A waiver that no longer
// has a failure to excuse, or whose date has passed, fails the run, so
// stale waivers never linger.
type Waiver struct {
	// Scenario is a scenario's name, or a tag ("@groups") naming every
	// scenario that carries it.
	Scenario string `json:"scenario"`
	// Reason says why the failure is accepted for now.
	Reason string `json:"reason"`
	// Owner is who answers for it (a person or a team).
	Owner string `json:"owner"`
	// Expires is the last day (YYYY-MM-DD, UTC) the waiver holds; "" means
	// it does not expire.
	Expires string `json:"expires,omitempty"`
	// Source is where the waiver is written: "file:line".
	Source string `json:"source,omitempty"`
}

// AppliedWaiver is a waiver as it met one scenario.
type AppliedWaiver struct {
	Waiver
	// Problem says why the waiver did not excuse the scenario, which then
	// failed: the waiver expired, or the scenario passes now. "" when the
	// waiver excused the failure.
	Problem string `json:"problem,omitempty"`
}

// Waivers are the entries of one waivers file, in file order.
type Waivers []Waiver

// waiverFields are the fields of a waivers-file entry.
var waiverFields = []string{"scenario", "reason", "owner", "expires"}

// LoadWaivers reads a waivers file (YAML):
//
//	waivers:
//	  - scenario: "Create answers 201 with the new user, Location, meta and ETag"   # or a tag: "@groups"
//	    reason: "ETag support ships in 2.4"
//	    owner: "scim-team"
//	    expires: 2027-03-31    # optional: the last day it holds
//
// Every entry needs scenario, reason and owner; unknown fields, a bad date
// or an empty file are errors naming the line.
func LoadWaivers(path string) (Waivers, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ws, err := ParseWaivers(b, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ws, nil
}

// ParseWaivers parses the YAML of a waivers file; name is used in each
// waiver's Source.
func ParseWaivers(data []byte, name string) (Waivers, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("empty: expected a top-level \"waivers:\" list")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: expected a mapping with a \"waivers:\" list", root.Line)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "waivers" {
			return nil, fmt.Errorf("line %d: unknown field %q (the file has one field, \"waivers\")", k.Line, k.Value)
		}
		list = v
	}
	if list == nil {
		return nil, fmt.Errorf("line %d: no \"waivers:\" list", root.Line)
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: \"waivers\" must be a list of entries", list.Line)
	}
	var out Waivers
	for _, n := range list.Content {
		w, err := parseWaiver(n, name)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// parseWaiver reads one entry of the waivers list.
func parseWaiver(n *yaml.Node, name string) (Waiver, error) {
	w := Waiver{Source: fmt.Sprintf("%s:%d", name, n.Line)}
	if n.Kind != yaml.MappingNode {
		return w, fmt.Errorf("line %d: a waiver is a mapping with %s", n.Line, strings.Join(waiverFields, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return w, fmt.Errorf("line %d: %q must be a single value", v.Line, k.Value)
		}
		val := strings.TrimSpace(v.Value)
		switch k.Value {
		case "scenario":
			w.Scenario = val
		case "reason":
			w.Reason = val
		case "owner":
			w.Owner = val
		case "expires":
			if _, err := time.Parse(time.DateOnly, val); err != nil {
				return w, fmt.Errorf("line %d: expires %q is not a date: write YYYY-MM-DD, such as 2027-03-31", v.Line, v.Value)
			}
			w.Expires = val
		default:
			return w, fmt.Errorf("line %d: unknown field %q (a waiver has %s)", k.Line, k.Value, strings.Join(waiverFields, ", "))
		}
	}
	for _, f := range []struct{ name, v string }{{"scenario", w.Scenario}, {"reason", w.Reason}, {"owner", w.Owner}} {
		if f.v == "" {
			return w, fmt.Errorf("line %d: the waiver has no %s (each needs scenario, reason and owner)", n.Line, f.name)
		}
	}
	return w, nil
}

// isTag reports whether the waiver names a tag rather than a scenario.
func (w Waiver) isTag() bool { return strings.HasPrefix(w.Scenario, "@") }

// matches reports whether the waiver names s, by its name or one of its
// tags.
func (w Waiver) matches(s Scenario) bool {
	if w.isTag() {
		return slices.ContainsFunc(s.Tags, func(t string) bool { return tagName(t) == w.Scenario })
	}
	return s.Name == w.Scenario
}

// expired reports whether the waiver's last day is before today's date
// (UTC).
func (w Waiver) expired(today time.Time) bool {
	return w.Expires != "" && today.UTC().Format(time.DateOnly) > w.Expires
}

// describe is "owner scim-team, until 2027-03-31: reason" for messages.
func (w Waiver) describe() string {
	s := "owner " + w.Owner
	if w.Expires != "" {
		s += ", until " + w.Expires
	}
	return s + ": " + w.Reason
}

// Check returns an error naming every waiver whose scenario name or tag is
// not in the suite (names and tags of all its scenarios, not only the
// selected ones): a typo must not silently waive nothing.
func (ws Waivers) Check(names, tags []string) error {
	knownName, knownTag := map[string]bool{}, map[string]bool{}
	for _, n := range names {
		knownName[n] = true
	}
	for _, t := range tags {
		knownTag[tagName(t)] = true
	}
	var bad []string
	for _, w := range ws {
		switch {
		case w.isTag() && !knownTag[w.Scenario]:
			bad = append(bad, fmt.Sprintf("%s: no scenario has the tag %s", w.Source, w.Scenario))
		case !w.isTag() && !knownName[w.Scenario]:
			bad = append(bad, fmt.Sprintf("%s: no scenario is named %q (names are matched exactly; a tag starts with @)", w.Source, w.Scenario))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("unknown scenarios in waivers:\n  %s", strings.Join(bad, "\n  "))
	}
	return nil
}

// Apply returns the run with the waivers applied on the date today:
//   - a failed scenario a waiver names is StatusWaived, unless every waiver
//     naming it has expired: then it stays failed and says the waiver
//     expired;
//   - a passed scenario named by a waiver that excused no failure in this
//     run (a tag waiver still excusing another scenario is in use) fails:
//     the waiver is stale and must be removed;
//   - skipped and not-supported scenarios are left as they are.
func (ws Waivers) Apply(run Run, today time.Time) Run {
	if len(ws) == 0 {
		return run
	}
	// A waiver is in use when a scenario it names failed in this run.
	inUse := make([]bool, len(ws))
	for _, s := range run.Scenarios {
		if !failing(s.Status) {
			continue
		}
		for i, w := range ws {
			if w.matches(s) {
				inUse[i] = true
			}
		}
	}
	out := run
	out.Scenarios = make([]Scenario, len(run.Scenarios))
	for i, s := range run.Scenarios {
		out.Scenarios[i] = ws.applyTo(s, inUse, today)
	}
	return out
}

// Excuses reports whether a waiver excuses s, a failed scenario, on the
// date today: what Apply will make StatusWaived. For live progress lines,
// before the run is complete.
func (ws Waivers) Excuses(s Scenario, today time.Time) bool {
	if !failing(s.Status) {
		return false
	}
	for _, w := range ws {
		if w.matches(s) && !w.expired(today) {
			return true
		}
	}
	return false
}

// applyTo applies the waivers to one scenario.
func (ws Waivers) applyTo(s Scenario, inUse []bool, today time.Time) Scenario {
	var active, expired, stale *Waiver
	for i := range ws {
		w := &ws[i]
		if !w.matches(s) {
			continue
		}
		switch {
		case w.expired(today):
			expired = cmpOr(expired, w)
		default:
			active = cmpOr(active, w)
		}
		if !inUse[i] {
			stale = cmpOr(stale, w)
		}
	}
	switch {
	case failing(s.Status) && active != nil:
		s.Status = StatusWaived
		s.Waiver = &AppliedWaiver{Waiver: *active}
	case failing(s.Status) && expired != nil:
		s.Waiver = &AppliedWaiver{Waiver: *expired, Problem: fmt.Sprintf(
			"the waiver at %s (owner %s: %s) expired on %s: the failure counts again; fix it, or renew the waiver with a later date",
			expired.Source, expired.Owner, expired.Reason, expired.Expires)}
	case s.Status == StatusPassed && stale != nil:
		problem := fmt.Sprintf("the scenario passes now, so the waiver at %s (%s) is stale: remove it", stale.Source, stale.describe())
		if stale.isTag() {
			problem = fmt.Sprintf("every scenario tagged %s passes now, so the waiver at %s (%s) is stale: remove it",
				stale.Scenario, stale.Source, stale.describe())
		}
		s.Status = StatusFailed
		s.Waiver = &AppliedWaiver{Waiver: *stale, Problem: problem}
		s.Failure = &Failure{Step: "(waiver " + stale.Source + ")", Expected: "a failure, as the waiver says", Actual: "passed: the waiver is stale"}
	}
	return s
}

// failing reports whether a status is a failure a waiver can excuse: failed,
// or any status the reports count as failed (undefined, unknown).
func failing(st Status) bool {
	switch st {
	case StatusPassed, StatusSkipped, StatusNotSupported, StatusWaived:
		return false
	}
	return true
}

// cmpOr returns a when it is set, else b: the first matching waiver in
// file order wins.
func cmpOr(a, b *Waiver) *Waiver {
	if a != nil {
		return a
	}
	return b
}

// waivedMessage is the one-line explanation of a waived scenario, for the
// JUnit <skipped> and Cucumber messages.
func waivedMessage(s Scenario) string {
	if s.Waiver == nil {
		return "waived"
	}
	return "waived (" + s.Waiver.describe() + ")"
}
