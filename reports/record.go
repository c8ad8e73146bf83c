package reports

import (
	"net/http"
	"time"
)

// Status is the outcome of a scenario or of one of its steps.
type Status string

// The outcomes a scenario can have. A scenario whose capability or probe the
// target lacks is StatusNotSupported or StatusSkipped with a reason, never
// passed (issue 4, "Targets").
const (
	StatusPassed       Status = "passed"
	StatusFailed       Status = "failed"
	StatusSkipped      Status = "skipped"
	StatusNotSupported Status = "not-supported"
	// StatusWaived is a failure a waiver (scimulator run --waivers) names:
	// reported with the waiver's reason and owner, it does not fail the
	// run. The Failure is kept.
	StatusWaived Status = "waived"
	// StatusUndefined is for steps only: a step with no definition. The suite
	// runs godog in strict mode, so its scenario is StatusFailed.
	StatusUndefined Status = "undefined"
)

// Basis says where an Okta behaviour the suite relies on comes from.
type Basis string

// The two bases. Documented behaviour is in Okta's published material;
// inferred behaviour was observed or deduced and may change without notice.
const (
	BasisDocumented Basis = "documented"
	BasisInferred   Basis = "inferred"
)

// Run is the result record of one conformance run: what was tested, how, and
// the outcome of every selected scenario.
type Run struct {
	// Target names the system under test. It never holds a secret.
	Target Target `json:"target"`
	// Profile is the suite profile, "okta" or "cortex".
	Profile string `json:"profile"`
	// Tags is the tag expression that selected the scenarios, as godog got it.
	Tags string `json:"tags,omitempty"`
	// Started is when the run began.
	Started time.Time `json:"started"`
	// Duration is the run's wall time.
	Duration time.Duration `json:"duration"`
	// Scenarios holds every selected scenario in the order to report them.
	Scenarios []Scenario `json:"scenarios"`
	// Capabilities lists the capability tags the target supports (inferred
	// from /ServiceProviderConfig or overridden), for example "@patch".
	Capabilities []string `json:"capabilities,omitempty"`
	// Version is scimulator's version, written into the artefacts' headers.
	Version string `json:"version,omitempty"`
	// TargetLogs is the target container's output, attached when a
	// scenario failed against a target the run started (issue 5); empty
	// otherwise. Known secrets are redacted from it.
	TargetLogs string `json:"targetLogs,omitempty"`
	// CleanupWarnings are what the harness's clean-up (scimulator run
	// --cleanup) could not remove from a shared target: a failed DELETE, a
	// target without DELETE /Users, objects no probe can remove. They never
	// change a scenario's outcome.
	CleanupWarnings []string `json:"cleanupWarnings,omitempty"`
	// FailOn is the gate the run was judged by (--fail-on): a failure at
	// this level or worse fails the run; "" means LevelMust.
	FailOn Level `json:"failOn,omitempty"`
	// Diff compares the run with a baseline (scimulator run --baseline);
	// nil without one.
	Diff *Diff `json:"diff,omitempty"`
	// NewOnly is --fail-on-new-only: with a Diff, only failures the
	// baseline did not have fail the run (Blocks).
	NewOnly bool `json:"newOnly,omitempty"`
}

// Target names the system under test. It holds no credentials: the secret
// lives in an environment variable the report never sees.
type Target struct {
	// Name is a human label, such as "embedded reference" or a profile name.
	Name string `json:"name"`
	// BaseURL is the SCIM base URL. Userinfo in it is removed before writing.
	BaseURL string `json:"baseURL"`
	// TrafficProfile is the Okta traffic profile, "OIN" or "AIW".
	TrafficProfile string `json:"trafficProfile,omitempty"`
	// AuthMode is how the credential was sent: "header", "bearer" or "basic".
	AuthMode string `json:"authMode,omitempty"`
}

// Scenario is the outcome of one Gherkin scenario (one row of an outline).
type Scenario struct {
	// Feature is the feature's name, used to group scenarios.
	Feature string `json:"feature"`
	// URI is the feature file's path relative to the features folder.
	URI string `json:"uri,omitempty"`
	// Name is the scenario's name.
	Name string `json:"name"`
	// Line is the scenario's line in its feature file, 0 when unknown.
	Line int `json:"line,omitempty"`
	// Tags are the scenario's tags, with or without the leading "@".
	Tags []string `json:"tags,omitempty"`
	// Status is the scenario's outcome.
	Status Status `json:"status"`
	// SkipReason says why a skipped or not-supported scenario did not run.
	SkipReason string `json:"skipReason,omitempty"`
	// Failure explains a failed scenario: its worst failed check (the
	// first one at that level); nil otherwise.
	Failure *Failure `json:"failure,omitempty"`
	// Failures are all the checks that failed, in order, when there were
	// more than one: a should-level check does not stop its scenario, so
	// advice never hides a worse failure after it.
	Failures []Failure `json:"failures,omitempty"`
	// Level is the level of Failure, the scenario's outcome for a vendor
	// (okta, must or should; error when nothing could be checked); "" when
	// the scenario did not fail.
	Level Level `json:"level,omitempty"`
	// Citation is Failure's citation: the rule that was broken.
	Citation string `json:"citation,omitempty"`
	// Waiver is the waiver that named this scenario, when one did: it
	// waived the failure (StatusWaived), or its Problem says why it could
	// not (expired, or the scenario passes now) and the scenario failed.
	Waiver *AppliedWaiver `json:"waiver,omitempty"`
	// Steps are the scenario's steps in order.
	Steps []Step `json:"steps,omitempty"`
	// Duration is the scenario's wall time.
	Duration time.Duration `json:"duration"`
	// Exchanges are the HTTP exchanges made during the scenario, in order.
	Exchanges []Exchange `json:"exchanges,omitempty"`
	// Basis says whether the Okta behaviour this scenario checks is
	// documented or inferred; empty when the scenario is not Okta-specific.
	Basis Basis `json:"basis,omitempty"`
	// Source cites where the checked rule comes from, such as "SPEC §1.4" or
	// Okta's published SPEC test step.
	Source string `json:"source,omitempty"`
}

// Step is the outcome of one Gherkin step.
type Step struct {
	// Keyword is the Gherkin keyword with its trailing space, like "Given ".
	Keyword string `json:"keyword,omitempty"`
	// Text is the step's text without the keyword.
	Text string `json:"text"`
	// Line is the step's line in its feature file, 0 when unknown.
	Line int `json:"line,omitempty"`
	// Status is the step's outcome.
	Status Status `json:"status"`
	// Duration is the step's wall time.
	Duration time.Duration `json:"duration"`
	// Error is the step's error message when it failed.
	Error string `json:"error,omitempty"`
}

// Failure explains why a scenario failed, in the words both a developer and
// an Okta admin understand.
type Failure struct {
	// Step is the text of the step that failed.
	Step string `json:"step"`
	// Level says how serious the failed check is; "" counts as LevelError.
	Level Level `json:"level,omitempty"`
	// Citation names the rule the check enforces, such as "RFC 7644
	// §3.12" or "Okta SCIM 2.0 spec test step 6".
	Citation string `json:"citation,omitempty"`
	// Expected is what the rule requires.
	Expected string `json:"expected,omitempty"`
	// Actual is what came back.
	Actual string `json:"actual,omitempty"`
	// AdminMessage is the message Okta's admin console would show for this
	// failure, such as "Forbidden from remote server".
	AdminMessage string `json:"adminMessage,omitempty"`
	// AdminMessageBasis says whether that wording is documented or inferred.
	AdminMessageBasis Basis `json:"adminMessageBasis,omitempty"`
	// IdP names the identity provider whose admin sees AdminMessage:
	// "Entra" for the Entra-driven scenarios, "" for Okta.
	IdP string `json:"idp,omitempty"`
	// Exchange is the HTTP exchange that caused the failure, when one did.
	Exchange *Exchange `json:"exchange,omitempty"`
}

// Exchange is one HTTP request and its response. Producers redact secrets;
// the writers redact again defensively.
type Exchange struct {
	// Operation names what Okta was doing, such as "Create user".
	Operation string `json:"operation,omitempty"`
	// Started is when the request was sent; zero means unknown.
	Started         time.Time     `json:"started,omitzero"`
	Method          string        `json:"method"`
	URL             string        `json:"url"`
	RequestHeaders  http.Header   `json:"requestHeaders,omitempty"`
	RequestBody     string        `json:"requestBody,omitempty"`
	Status          int           `json:"status"`
	ResponseHeaders http.Header   `json:"responseHeaders,omitempty"`
	ResponseBody    string        `json:"responseBody,omitempty"`
	Duration        time.Duration `json:"duration"`
	// Error is the transport error when no response came back.
	Error string `json:"error,omitempty"`
}

// Counts tallies scenarios by outcome.
type Counts struct {
	Total, Passed, Failed, Skipped, NotSupported int
	// Levels splits Failed by the level of each scenario's failure.
	Levels LevelCounts
	// Waived are failures a waiver excuses; they are not in Failed.
	Waived int
}

// Counts tallies the run's scenarios by outcome. A scenario with an unknown
// status counts as failed, so a producer bug can never look like a pass.
func (r Run) Counts() Counts {
	var c Counts
	for _, s := range r.Scenarios {
		c.add(s)
	}
	return c
}

// isFailed reports whether add counts a scenario with status st as failed.
func (Counts) isFailed(st Status) bool {
	switch st {
	case StatusPassed, StatusSkipped, StatusNotSupported, StatusWaived:
		return false
	}
	return true
}

// add counts one scenario by its status, and a failed one by its level;
// an unknown status counts as failed.
func (c *Counts) add(s Scenario) {
	c.Total++
	switch {
	case s.Status == StatusPassed:
		c.Passed++
	case s.Status == StatusSkipped:
		c.Skipped++
	case s.Status == StatusNotSupported:
		c.NotSupported++
	case s.Status == StatusWaived:
		c.Waived++
	default:
		c.Failed++
		c.Levels.add(s.FailureLevel())
	}
}

// Passed reports whether the run succeeded: at least one scenario was
// selected and none blocks (Blocks). SPEC §3.4: exit code 0 only when every
// selected scenario passed, except that issue 12 lets a failure below the
// --fail-on level through (listed, not hidden); issue 4: zero executed
// scenarios is a failure. Skipped and not-supported scenarios make it
// false.
func (r Run) Passed() bool {
	return len(r.Scenarios) > 0 && len(r.Blocking()) == 0
}

// AdminName is who sees AdminMessage: "Okta" unless IdP says otherwise.
func (f Failure) AdminName() string {
	if f.IdP != "" {
		return f.IdP
	}
	return "Okta"
}
