package reference

import (
	"net/http"
	"slices"
	"strings"

	"github.com/scimulator/scimulator/reference/store"
)

// settingsJSON is the settings object of the admin API (README.md, "Admin API").
type settingsJSON struct {
	ScimEnabled              bool     `json:"scimEnabled"`
	DefaultRole              string   `json:"defaultRole"`
	IPAllowlist              []string `json:"ipAllowlist"`
	ClientIPHeader           string   `json:"clientIpHeader"`
	KeepDeprovisionedInTeams bool     `json:"keepDeprovisionedInTeams"`
}

func toSettingsJSON(s store.Settings) settingsJSON {
	list := slices.Clone(s.IPAllowlist)
	if list == nil {
		list = []string{}
	}
	return settingsJSON{
		ScimEnabled: s.ScimEnabled, DefaultRole: s.DefaultRole, IPAllowlist: list,
		ClientIPHeader: s.ClientIPHeader, KeepDeprovisionedInTeams: s.KeepDeprovisionedInTeams,
	}
}

// getSettings is GET /api/v1/settings.
func (s *Server) getSettings(w http.ResponseWriter, _ *http.Request, rc *reqCtx) error {
	var out settingsJSON
	err := s.read(rc, func(d *store.Data) error {
		out = toSettingsJSON(d.Settings)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusOK, out)
	return nil
}

// settingsPatch holds the fields a PATCH may set; nil means unchanged.
type settingsPatch struct {
	ScimEnabled              *bool     `json:"scimEnabled"`
	DefaultRole              *string   `json:"defaultRole"`
	IPAllowlist              *[]string `json:"ipAllowlist"`
	ClientIPHeader           *string   `json:"clientIpHeader"`
	KeepDeprovisionedInTeams *bool     `json:"keepDeprovisionedInTeams"`
}

// patchSettings is PATCH /api/v1/settings: any subset of the fields; a bad
// CIDR or an unknown role is a 400 and changes nothing.
func (s *Server) patchSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var p settingsPatch
	if err := s.decodeAdmin(r, &p); err != nil {
		return err
	}
	var list []string
	if p.IPAllowlist != nil {
		list = make([]string, 0, len(*p.IPAllowlist))
		for _, e := range *p.IPAllowlist {
			e = strings.TrimSpace(e)
			if _, err := parseAllowEntry(e); err != nil {
				return errf(http.StatusBadRequest, "", "ipAllowlist entry %q is not an IP address or CIDR range", e)
			}
			list = append(list, e)
		}
	}
	if p.ClientIPHeader != nil && !validHeaderName(*p.ClientIPHeader) {
		return errf(http.StatusBadRequest, "", "clientIpHeader %q is not a valid header name", *p.ClientIPHeader)
	}
	var out settingsJSON
	err := s.write(rc, func(d *store.Data) error {
		set := d.Settings
		if p.DefaultRole != nil {
			if _, ok := d.Roles[*p.DefaultRole]; !ok {
				return errf(http.StatusBadRequest, "", "defaultRole %q is not a role", *p.DefaultRole)
			}
			set.DefaultRole = *p.DefaultRole
		}
		if p.ScimEnabled != nil {
			set.ScimEnabled = *p.ScimEnabled
		}
		if p.IPAllowlist != nil {
			set.IPAllowlist = list
		}
		if p.ClientIPHeader != nil {
			set.ClientIPHeader = *p.ClientIPHeader
		}
		if p.KeepDeprovisionedInTeams != nil {
			set.KeepDeprovisionedInTeams = *p.KeepDeprovisionedInTeams
		}
		if err := checkNoLockout(set, r); err != nil {
			return err
		}
		d.Settings = set
		out = toSettingsJSON(set)
		return nil
	})
	if err != nil {
		return err
	}
	writeAdmin(w, http.StatusOK, out)
	return nil
}

// checkNoLockout refuses new settings under which the caller itself would
// be outside the allowlist: the request's own client address, resolved with
// the NEW clientIpHeader from this request's headers, must be admitted.
// Otherwise the admin would lose the admin API with no way back (decided;
// Cortex's UI has the same guard). 409: the request is valid but conflicts
// with the caller's own access.
func checkNoLockout(set store.Settings, r *http.Request) error {
	ip, ok := ipAllowed(set, r)
	if ok {
		return nil
	}
	const fix = "add it to ipAllowlist, or send the request from an address on the list"
	switch {
	case set.ClientIPHeader == "":
		return errf(http.StatusConflict, "",
			"this allowlist would lock out the address you are calling from, %s (the connection's address): %s", ip, fix)
	case ip.IsValid():
		return errf(http.StatusConflict, "",
			"this allowlist would lock out the address you are calling from, %s (the first address in the %s header): %s",
			ip, set.ClientIPHeader, fix)
	}
	// Fail closed (SPEC §1.1): with a client IP header, a request without a
	// usable one has no address, so no list admits it.
	return errf(http.StatusConflict, "",
		"this allowlist would lock out the address you are calling from, because this request's %s header is missing or not an IP address: send %s with an address on ipAllowlist",
		set.ClientIPHeader, set.ClientIPHeader)
}

// validHeaderName accepts "" (socket address) or an RFC 9110 token.
func validHeaderName(h string) bool {
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", c)) {
			return false
		}
	}
	return true
}
