package reference

import "net/http"

// notYet marks endpoints still being built in this commit series; it
// answers 501 so nobody mistakes it for behaviour.
func notYet(_ http.ResponseWriter, r *http.Request, _ *reqCtx) error {
	return errf(http.StatusNotImplemented, "", "%s %s is not implemented yet", r.Method, r.URL.Path)
}

func (s *Server) replaceUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) getGroup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) serviceProviderConfig(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listSchemas(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) getSchema(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listResourceTypes(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) getResourceType(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) getSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) patchSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listRoles(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) createRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) adminListUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) adminGetUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) adminGrantRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) adminRevokeRole(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listTeams(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) createTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) getTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) addTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) removeTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listEntities(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) createEntity(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) getEntity(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) deleteAPIKey(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) createSession(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
func (s *Server) whoami(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return notYet(w, r, rc)
}
