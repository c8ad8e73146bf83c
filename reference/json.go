package reference

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/scimulator/scimulator/internal/scimwire"
)

// DefaultMaxBodyBytes is the request body limit when Config.MaxBodyBytes is
// zero: 1 MiB, far above any single-user SCIM request.
const DefaultMaxBodyBytes int64 = 1 << 20

// decodeBody reads r's JSON body into v (the one place request JSON is
// decoded). Content types other than application/json and
// application/scim+json, and charsets other than UTF-8, are refused with
// 415; an absent Content-Type is tolerated. Bodies over the limit get 413;
// malformed JSON, a body that is not an object, and a member name repeated
// within one object get 400 invalidSyntax; strings that are not UTF-8 get
// 400 invalidValue (checkJSONMembers; RFC 7644 §3.12).
//
// decodeBody is for SCIM requests; the admin API decodes with decodeJSON
// (decodeAdmin), which the SCIM media-type fault leaves alone.
func (s *Server) decodeBody(r *http.Request, v any) error {
	return s.decodeJSON(r, v, true)
}

// decodeJSON is decodeBody; scim says whether r is a SCIM request, the only
// kind the json-content-type-rejected fault bends.
func (s *Server) decodeJSON(r *http.Request, v any, scim bool) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		// Fault json-content-type-rejected: the SCIM handlers accept only
		// the SCIM media type, though SPEC §1.3 (and RFC 7644 §8.1) accept
		// application/json as well. The bug lives in the SCIM media-type
		// check, so the admin API keeps accepting application/json.
		jsonOK := !scim || !s.faults.has(FaultJSONContentTypeRejected)
		if err != nil || ((mt != "application/json" || !jsonOK) && mt != scimwire.MediaType) {
			return errf(http.StatusUnsupportedMediaType, "",
				"unsupported Content-Type %q: send application/scim+json or application/json", ct)
		}
		// RFC 8259 §8.1: JSON between systems is UTF-8; a body declared in
		// another charset would be misread, so it is refused, not guessed.
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
			return errf(http.StatusUnsupportedMediaType, "",
				"unsupported charset %q in Content-Type %q: JSON must be sent as UTF-8 (charset=utf-8, or no charset)", cs, ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errf(http.StatusRequestEntityTooLarge, "",
				"request body exceeds the limit of %d bytes", s.maxBody)
		}
		return badRequest(scimwire.ScimTypeInvalidSyntax, "reading request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest(scimwire.ScimTypeInvalidSyntax, "request body is empty: a JSON object is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return badRequest(scimwire.ScimTypeInvalidSyntax, "request body is not valid JSON: %s", jsonErrorText(err))
	}
	if dec.More() {
		return badRequest(scimwire.ScimTypeInvalidSyntax, "request body has data after the JSON value")
	}
	return checkJSONMembers(body)
}

// jsonErrorText makes encoding/json errors readable without Go type names.
func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the body"
		}
		return "wrong JSON type for " + field + ": got " + te.Value
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Error() + " at byte " + itoa64(se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of JSON input"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// writeJSON writes v as JSON with status and content type (the one place
// responses are encoded).
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // details quote <API key> and the like verbatim
	err := enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		// Only our own response types reach here; a failure is a bug.
		http.Error(w, `{"error":"encoding response failed"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
