package reference

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
	"github.com/scimulator/scimulator/reference/filter"
	"github.com/scimulator/scimulator/reference/store"
)

// MaxPageSize is the most resources one list response holds
// (ServiceProviderConfig filter.maxResults). A larger count is capped, as
// RFC 7644 §3.4.2.4 allows.
const MaxPageSize = 1000

// page is the pagination a list request asks for.
type page struct {
	startIndex int // 1-based, as the client sent it (after RFC defaulting)
	count      int
	hasCount   bool
}

// parsePage reads startIndex and count (RFC 7644 §3.4.2.4): startIndex is
// 1-based and a value below 1 means 1; a negative count means 0; count is
// capped at MaxPageSize. An empty or blank value means the parameter is
// absent. An integer beyond the int64 range is clamped (a huge count is
// capped at MaxPageSize, a huge startIndex gives an empty page). A value
// that is not an integer is a 400 invalidValue: the RFC says nothing, and
// guessing would hide a client bug.
func parsePage(q map[string][]string) (page, error) {
	p := page{startIndex: 1, count: MaxPageSize}
	get := func(name string) (string, bool) {
		for k, v := range q {
			if strings.EqualFold(k, name) && len(v) > 0 && strings.TrimSpace(v[0]) != "" {
				return strings.TrimSpace(v[0]), true
			}
		}
		return "", false
	}
	if v, ok := get("startIndex"); ok {
		n, err := pageInt("startIndex", v)
		if err != nil {
			return p, err
		}
		p.startIndex = max(n, 1)
	}
	if v, ok := get("count"); ok {
		n, err := pageInt("count", v)
		if err != nil {
			return p, err
		}
		p.count, p.hasCount = min(max(n, 0), MaxPageSize), true
	}
	return p, nil
}

// pageInt parses a pagination integer; out of the int range it is clamped
// to the nearest end (strconv reports ErrRange with that value).
func pageInt(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, badRequest(scimwire.ScimTypeInvalidValue, "%s must be an integer, got %q", name, v)
	}
	return n, nil
}

// filterOptions: RFC 7643 §4.1 makes id and externalId caseExact; userName
// and emails.value are not, so Okta's lookups match whatever the case.
func (s *Server) filterOptions() filter.Options {
	ce := map[string]bool{"id": true, "externalid": true, "meta.version": true}
	if s.faults.has(FaultCaseSensitiveUserName) {
		// Fault: filters compare userName byte for byte.
		ce["username"] = true
		ce["emails.value"] = true
	}
	// RFC 7643 §3.1: meta.created and meta.lastModified are dateTime, so a
	// comparison with a value that is not one is invalidFilter.
	dt := map[string]bool{"meta.created": true, "meta.lastmodified": true}
	// RFC 7643 §4.1: active and emails.primary are Boolean, so gt/ge/lt/le
	// on them is invalidFilter (RFC 7644 §3.4.2.2).
	b := map[string]bool{"active": true, "emails.primary": true}
	return filter.Options{CaseExact: ce, DateTime: dt, Boolean: b}
}

// listUsers is GET /Users (RFC 7644 §3.4.2).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	pg, err := parsePage(q)
	if err != nil {
		return err
	}
	var expr filter.Expr
	// An empty or blank filter parameter means no filter, as an empty count
	// or startIndex means absent (decided; RFC 7644 §3.4.2.2 is silent).
	if f := q.Get("filter"); strings.TrimSpace(f) != "" {
		if expr, err = filter.ParseWithOptions(f, s.filterOptions()); err != nil {
			var fe *filter.Error
			if errors.As(err, &fe) {
				return badRequest(scimwire.ScimTypeInvalidFilter, "%s", fe.Error())
			}
			return badRequest(scimwire.ScimTypeInvalidFilter, "invalid filter: %v", err)
		}
	}
	// offset is the number of matching users skipped before the page.
	offset := pg.startIndex - 1
	if s.faults.has(FaultZeroBasedStartIndex) {
		// Fault: startIndex read as a 0-based offset.
		offset = pg.startIndex
	}
	var (
		total int
		users []store.User
	)
	err = s.read(rc, func(d *store.Data) error {
		take := func(u store.User) {
			if total >= offset && len(users) < pg.count {
				users = append(users, u)
			}
			total++
		}
		if expr == nil {
			total = d.UserCount()
			i := 0
			d.EachUser(func(u *store.User) bool {
				if i >= offset {
					if len(users) >= pg.count {
						return false
					}
					users = append(users, u.Clone())
				}
				i++
				return true
			})
			return nil
		}
		if attr, value, ok := filter.Indexable(expr); ok {
			// The indexes answer the filters Okta sends, so a lookup does
			// not grow with the number of users.
			var hits []store.User
			switch attr {
			case "username":
				hits = s.usersNamed(d, value)
			case "externalid":
				hits = d.UsersByExternalID(value)
			case "id":
				if u, ok := d.UserByID(value); ok {
					hits = []store.User{u}
				}
			}
			for _, u := range hits {
				take(u)
			}
			return nil
		}
		d.EachUser(func(u *store.User) bool {
			if expr.Match(s.filterResource(u)) {
				take(u.Clone())
			}
			return true
		})
		return nil
	})
	if err != nil {
		return err
	}
	base := baseURL(r)
	resources := make([]userJSON, 0, len(users))
	for _, u := range users {
		resources = append(resources, s.userView(u, base))
	}
	s.writeList(w, total, len(resources), pg, resources)
	return nil
}

// writeList sends a ListResponse (RFC 7644 §3.4.2): counts are JSON
// integers and itemsPerPage is the number of resources returned.
func (s *Server) writeList(w http.ResponseWriter, total, returned int, pg page, resources any) {
	items := returned
	if s.faults.has(FaultItemsPerPageRequested) && pg.hasCount {
		// Fault: echoes the requested count.
		items = pg.count
	}
	var totalV, itemsV, startV any = total, items, pg.startIndex
	if s.faults.has(FaultStringCounts) {
		// Fault: numbers as strings, which fail Okta's sync.
		totalV, itemsV, startV = strconv.Itoa(total), strconv.Itoa(items), strconv.Itoa(pg.startIndex)
	}
	writeJSON(w, http.StatusOK, scimwire.MediaType, listResponse{
		Schemas:      []string{scimwire.ListResponseSchema},
		TotalResults: totalV,
		ItemsPerPage: itemsV,
		StartIndex:   startV,
		Resources:    resources,
	})
}

// listResponse is RFC 7644 §3.4.2's ListResponse, fields in the RFC's order.
// The counts are any so the string-counts fault can replace them.
type listResponse struct {
	Schemas      []string `json:"schemas"`
	TotalResults any      `json:"totalResults"`
	ItemsPerPage any      `json:"itemsPerPage"`
	StartIndex   any      `json:"startIndex"`
	Resources    any      `json:"Resources"`
}
