package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/tidwall/gjson"

	"github.com/scimulator/scimulator/internal/version"
)

// Capability is something a target may or may not support. Scenarios that
// need a capability the target lacks are reported not supported.
type Capability string

// The capabilities. Those with a ServiceProviderConfig field are inferred
// from it (RFC 7643 §5); the others default to supported, because every
// Okta-connected app meets them, and a profile can turn them off.
const (
	CapPatch        Capability = "patch"        // ServiceProviderConfig patch.supported
	CapFilter       Capability = "filter"       // ServiceProviderConfig filter.supported
	CapETag         Capability = "etag"         // ServiceProviderConfig etag.supported
	CapGroups       Capability = "groups"       // /ResourceTypes lists Group
	CapGroupWrites  Capability = "group-writes" // the target keeps groups Okta and Entra push
	CapDiscovery    Capability = "discovery"    // /ServiceProviderConfig answers 200
	CapPagination   Capability = "pagination"   // startIndex/count paging (default on)
	CapImport       Capability = "import"       // Okta's Import (default on)
	CapForceSync    Capability = "forcesync"    // Okta's Force sync (default on)
	CapReactivation Capability = "reactivation" // reassignment reactivates (default on)
	CapDeactivation Capability = "deactivation" // unassignment deactivates (default on)
	CapAuth         Capability = "auth"         // 401 without valid credentials (default on)
)

var capabilityDocs = map[Capability]string{
	CapPatch:        "PATCH (inferred from ServiceProviderConfig patch.supported)",
	CapFilter:       "filters (inferred from ServiceProviderConfig filter.supported)",
	CapETag:         "ETag and If-Match (inferred from ServiceProviderConfig etag.supported)",
	CapGroups:       "/Groups (inferred from a Group entry in /ResourceTypes, or /Groups answering a ListResponse)",
	CapGroupWrites:  "groups the identity provider creates and changes (inferred from a Group entry in /ResourceTypes)",
	CapDiscovery:    "discovery endpoints (inferred from /ServiceProviderConfig answering 200)",
	CapPagination:   "startIndex/count paging (assumed)",
	CapImport:       "Okta Import (assumed)",
	CapForceSync:    "Okta Force sync (assumed)",
	CapReactivation: "reactivation on reassignment (assumed)",
	CapDeactivation: "deactivation on unassignment (assumed)",
	CapAuth:         "401 for missing or unknown credentials (assumed)",
}

func capabilityNames() []string {
	out := make([]string, 0, len(capabilityDocs))
	for c := range capabilityDocs {
		out = append(out, string(c))
	}
	sort.Strings(out)
	return out
}

// ParseCapability checks a capability name.
func ParseCapability(s string) (Capability, error) {
	c := Capability(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := capabilityDocs[c]; !ok {
		return "", fmt.Errorf("unknown capability %q (known: %s)", s, strings.Join(capabilityNames(), ", "))
	}
	return c, nil
}

// Capabilities is the set the target supports, with where each came from.
type Capabilities struct {
	Supported map[Capability]bool
	// Source says, per capability, "inferred", "assumed" or "profile".
	Source map[Capability]string
}

// Has reports whether c is supported.
func (c Capabilities) Has(k Capability) bool { return c.Supported[k] }

// Reason says why c is unsupported, for a skipped scenario's record.
func (c Capabilities) Reason(k Capability) string {
	switch c.Source[k] {
	case "profile":
		return fmt.Sprintf("the target profile turns capability %q off", k)
	case "inferred":
		return fmt.Sprintf("the target does not advertise %s; a target profile can declare it (capabilities: {%s: true})", capabilityDocs[k], k)
	}
	return fmt.Sprintf("capability %q is not supported", k)
}

// List returns the supported capabilities, sorted.
func (c Capabilities) List() []Capability {
	var out []Capability
	for k, ok := range c.Supported {
		if ok {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ErrUnreachable marks an Infer error where the target gave no HTTP answer
// (connection refused, DNS, TLS, timeout).
var ErrUnreachable = errors.New("target unreachable")

// RejectedError is Infer's error when a discovery request was refused with
// 401 or 403: the credentials (or the caller) are wrong, so nothing about
// the target's capabilities can be learnt from the answer, and running the
// scenarios would only turn the bad token into fake verdicts.
type RejectedError struct {
	Path   string // e.g. "/ServiceProviderConfig"
	Status int    // 401 or 403
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("infer capabilities: the target rejected GET %s with HTTP %d", e.Path, e.Status)
}

// rejected returns a *RejectedError for 401 and 403 answers.
func rejected(path string, status int) error {
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return &RejectedError{Path: path, Status: status}
	}
	return nil
}

// Infer reads /ServiceProviderConfig and /ResourceTypes at baseURL with the
// given Authorization header value and returns the capabilities, with
// overrides applied last. A discovery endpoint that fails is not an error:
// its capabilities count as unsupported (RFC 7644 §4 makes discovery
// mandatory, and a target that omits it cannot claim PATCH or ETag) —
// except 401 and 403, which say nothing about the target's capabilities and
// return a *RejectedError, and no answer at all, which returns an error
// wrapping ErrUnreachable.
func Infer(ctx context.Context, client *http.Client, baseURL, authorization string, overrides map[Capability]bool) (Capabilities, error) {
	caps := Capabilities{Supported: map[Capability]bool{}, Source: map[Capability]string{}}
	for _, k := range []Capability{CapPagination, CapImport, CapForceSync, CapReactivation, CapDeactivation, CapAuth} {
		caps.Supported[k], caps.Source[k] = true, "assumed"
	}
	for _, k := range []Capability{CapPatch, CapFilter, CapETag, CapGroups, CapGroupWrites, CapDiscovery} {
		caps.Supported[k], caps.Source[k] = false, "inferred"
	}
	status, spc, err := get(ctx, client, baseURL+"/ServiceProviderConfig", authorization)
	if err != nil {
		return caps, fmt.Errorf("infer capabilities: %w: %w", ErrUnreachable, err)
	}
	if err := rejected("/ServiceProviderConfig", status); err != nil {
		return caps, err
	}
	if status == http.StatusOK && gjson.Valid(spc) {
		caps.Supported[CapDiscovery] = true
		caps.Supported[CapPatch] = gjson.Get(spc, "patch.supported").Bool()
		caps.Supported[CapFilter] = gjson.Get(spc, "filter.supported").Bool()
		caps.Supported[CapETag] = gjson.Get(spc, "etag.supported").Bool()
	}
	status, rt, err := get(ctx, client, baseURL+"/ResourceTypes", authorization)
	if err != nil {
		return caps, fmt.Errorf("infer capabilities: %w: %w", ErrUnreachable, err)
	}
	if err := rejected("/ResourceTypes", status); err != nil {
		return caps, err
	}
	if status == http.StatusOK && gjson.Valid(rt) {
		for _, r := range gjson.Get(rt, "Resources").Array() {
			if strings.EqualFold(r.Get("name").String(), "Group") || strings.EqualFold(r.Get("endpoint").String(), "/Groups") {
				// A server that declares the Group resource type keeps
				// groups (RFC 7643 §6); one whose /Groups only answers an
				// empty list, as Okta's SPEC test asks, does not.
				caps.Supported[CapGroups] = true
				caps.Supported[CapGroupWrites] = true
			}
		}
	}
	if !caps.Supported[CapGroups] {
		// A /Groups that answers a ListResponse serves Okta's group calls
		// (Test API Credentials with group push, the SPEC test's optional
		// step 10) even when /ResourceTypes leaves Group out.
		status, body, err := get(ctx, client, baseURL+"/Groups?startIndex=1&count=1", authorization)
		if err != nil {
			return caps, fmt.Errorf("infer capabilities: %w: %w", ErrUnreachable, err)
		}
		if status == http.StatusOK && gjson.Get(body, "schemas.#(==\"urn:ietf:params:scim:api:messages:2.0:ListResponse\")").Exists() {
			caps.Supported[CapGroups] = true
		}
	}
	for k, v := range overrides {
		caps.Supported[k], caps.Source[k] = v, "profile"
	}
	return caps, nil
}

func get(ctx context.Context, client *http.Client, url, authorization string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", authorization)
	req.Header.Set("Accept", "application/scim+json")
	// The harness says who it is (scimulator/VERSION (harness)).
	req.Header.Set("User-Agent", version.UserAgent())
	// Whether a connection was made tells "no answer in time" from "could
	// not connect" (both are timeouts).
	var connected atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	}))
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		if connected.Load() && errors.As(err, &ne) && ne.Timeout() {
			return 0, "", &AnswerError{Path: pathOf(url), Kind: AnswerNone, Timeout: client.Timeout, Err: err}
		}
		return 0, "", fmt.Errorf("GET %s: %w", redactURL(url), err)
	}
	defer resp.Body.Close()
	body, err := readAnswer(pathOf(url), resp, client.Timeout)
	if err != nil {
		return 0, "", err
	}
	return resp.StatusCode, string(body), nil
}
