package reference

import (
	"net/http"
	"sort"
	"strings"
)

// routes lists every endpoint of the server in one place (Go 1.22 ServeMux
// patterns). Each path also gets a method-less pattern so an unsupported
// method answers 405 in the surface's own error format, and each surface
// has a catch-all so unknown paths answer 404 the same way.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	r := router{s: s, mux: mux}

	mux.HandleFunc("GET /healthz", s.healthz)

	// SCIM 2.0, RFC 7644 §3.2.
	r.scim("/scim/v2/Users", map[string]handler{
		http.MethodGet:  s.listUsers,
		http.MethodPost: s.createUser,
	})
	r.scim("/scim/v2/Users/{id}", map[string]handler{
		http.MethodGet:    s.getUser,
		http.MethodPut:    s.replaceUser,
		http.MethodPatch:  s.patchUser,
		http.MethodDelete: s.deleteUser,
	})
	r.scim("/scim/v2/Groups", map[string]handler{http.MethodGet: s.listGroups})
	r.scim("/scim/v2/Groups/{id}", map[string]handler{http.MethodGet: s.getGroup})
	r.scim("/scim/v2/ServiceProviderConfig", map[string]handler{http.MethodGet: s.serviceProviderConfig})
	r.scim("/scim/v2/Schemas", map[string]handler{http.MethodGet: s.listSchemas})
	r.scim("/scim/v2/Schemas/{id}", map[string]handler{http.MethodGet: s.getSchema})
	r.scim("/scim/v2/ResourceTypes", map[string]handler{http.MethodGet: s.listResourceTypes})
	r.scim("/scim/v2/ResourceTypes/{id}", map[string]handler{http.MethodGet: s.getResourceType})
	mux.Handle("/scim/v2/", s.wrap(surfaceSCIM, authSCIM, unknownPath))

	// Admin API (README.md, "Admin API").
	r.admin("/api/v1/settings", map[string]handler{
		http.MethodGet:   s.getSettings,
		http.MethodPatch: s.patchSettings,
	})
	r.admin("/api/v1/roles", map[string]handler{
		http.MethodGet:  s.listRoles,
		http.MethodPost: s.createRole,
	})
	r.admin("/api/v1/roles/{name}", map[string]handler{http.MethodDelete: s.deleteRole})
	r.admin("/api/v1/users", map[string]handler{http.MethodGet: s.adminListUsers})
	r.admin("/api/v1/users/{user}", map[string]handler{http.MethodGet: s.adminGetUser})
	r.admin("/api/v1/users/{user}/roles", map[string]handler{http.MethodPost: s.adminGrantRole})
	r.admin("/api/v1/users/{user}/roles/{role}", map[string]handler{http.MethodDelete: s.adminRevokeRole})
	r.admin("/api/v1/teams", map[string]handler{
		http.MethodGet:  s.listTeams,
		http.MethodPost: s.createTeam,
	})
	r.admin("/api/v1/teams/{team}", map[string]handler{http.MethodGet: s.getTeam})
	r.admin("/api/v1/teams/{team}/members", map[string]handler{http.MethodPost: s.addTeamMember})
	r.admin("/api/v1/teams/{team}/members/{email}", map[string]handler{http.MethodDelete: s.removeTeamMember})
	r.admin("/api/v1/entities", map[string]handler{
		http.MethodGet:  s.listEntities,
		http.MethodPost: s.createEntity,
	})
	r.admin("/api/v1/entities/{id}", map[string]handler{http.MethodGet: s.getEntity})
	r.admin("/api/v1/api-keys", map[string]handler{
		http.MethodGet:  s.listAPIKeys,
		http.MethodPost: s.createAPIKey,
	})
	r.admin("/api/v1/api-keys/{id}", map[string]handler{http.MethodDelete: s.deleteAPIKey})
	r.admin("/api/v1/sessions", map[string]handler{http.MethodPost: s.createSession})
	// whoami answers for any live credential, not only admin keys.
	r.add(surfaceAdmin, authAny, "/api/v1/whoami", map[string]handler{http.MethodGet: s.whoami})
	mux.Handle("/api/v1/", s.wrap(surfaceAdmin, authAdmin, unknownPath))
	// Anything else: a JSON 404 rather than the mux's plain text.
	mux.Handle("/", s.wrap(surfaceAdmin, authNone, unknownPath))

	return mux
}

// router registers handlers with their surface and auth mode.
type router struct {
	s   *Server
	mux *http.ServeMux
}

func (rt router) scim(path string, methods map[string]handler) {
	rt.add(surfaceSCIM, authSCIM, path, methods)
}

func (rt router) admin(path string, methods map[string]handler) {
	rt.add(surfaceAdmin, authAdmin, path, methods)
}

func (rt router) add(surf surface, mode authMode, path string, methods map[string]handler) {
	allowed := make([]string, 0, len(methods))
	for m, h := range methods {
		rt.mux.Handle(m+" "+path, rt.s.wrap(surf, mode, h))
		allowed = append(allowed, m)
	}
	sort.Strings(allowed)
	allow := strings.Join(allowed, ", ")
	rt.mux.Handle(path, rt.s.wrap(surf, mode, func(_ http.ResponseWriter, r *http.Request, _ *reqCtx) error {
		e := errf(http.StatusMethodNotAllowed, "", "method %s is not supported on %s (allowed: %s)", r.Method, r.URL.Path, allow)
		e.header = http.Header{"Allow": {allow}}
		return e
	}))
}

// unknownPath answers 404 for paths no route serves.
func unknownPath(_ http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	return notFound("no endpoint at %s", r.URL.Path)
}

// healthz answers 200 without authentication, for container health checks.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}
