package target

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/scimulator/scimulator/internal/launch"
)

// containerFile is the "container" section of a profile file; it becomes a
// launch.ContainerSpec.
type containerFile struct {
	Image          string            `yaml:"image,omitempty" json:"image,omitempty"`
	BuildContext   string            `yaml:"buildContext,omitempty" json:"buildContext,omitempty"`
	Env            map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
	Port           int               `yaml:"port,omitempty" json:"port,omitempty"`
	HealthPath     string            `yaml:"healthPath,omitempty" json:"healthPath,omitempty"`
	BasePath       string            `yaml:"basePath,omitempty" json:"basePath,omitempty"`
	StartupTimeout string            `yaml:"startupTimeout,omitempty" json:"startupTimeout,omitempty"`
}

// file is a profile file: the Profile plus its container section.
type file struct {
	Profile   `yaml:",inline"`
	Container *containerFile `yaml:"container,omitempty" json:"container,omitempty"`
}

// Load reads a target profile from a YAML (.yaml, .yml) or JSON (.json)
// file, rejecting unknown fields, and validates it. Relative paths in it
// (tls.caFile, container.buildContext) are relative to the file.
func Load(path string) (Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, fmt.Errorf("load target profile: %w", err)
	}
	p, err := Parse(b, filepath.Ext(path))
	if err != nil {
		return Profile{}, fmt.Errorf("load target profile %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if p.TLS.CAFile != "" && !filepath.IsAbs(p.TLS.CAFile) {
		p.TLS.CAFile = filepath.Join(dir, p.TLS.CAFile)
	}
	if p.Container != nil && p.Container.BuildContext != "" && !filepath.IsAbs(p.Container.BuildContext) {
		p.Container.BuildContext = filepath.Join(dir, p.Container.BuildContext)
	}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return p.Validate()
}

// Parse decodes a profile; ext (".json", ".yaml", ".yml") picks the format.
// It does not validate.
func Parse(b []byte, ext string) (Profile, error) {
	var f file
	switch strings.ToLower(ext) {
	case ".json":
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return Profile{}, fmt.Errorf("parse JSON: %w%s", decodeError{err, explainUnknownFields(err.Error(), "json")}, secretHint(err))
		}
	case ".yaml", ".yml":
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
			return Profile{}, fmt.Errorf("parse YAML: %w%s", decodeError{err, explainUnknownFields(err.Error(), "yaml")}, secretHint(err))
		}
	default:
		return Profile{}, fmt.Errorf("unknown profile format %q: name the file .yaml, .yml or .json", ext)
	}
	p := f.Profile
	if f.Container != nil {
		spec := launch.ContainerSpec{Image: f.Container.Image, BuildContext: f.Container.BuildContext,
			Env: f.Container.Env, Port: f.Container.Port, HealthPath: f.Container.HealthPath, BasePath: f.Container.BasePath}
		if f.Container.StartupTimeout != "" {
			d, err := time.ParseDuration(f.Container.StartupTimeout)
			if err != nil {
				return Profile{}, fmt.Errorf("container.startupTimeout: %w", err)
			}
			spec.StartupTimeout = d
		}
		p.Container = &spec
	}
	return p, nil
}

// decodeError is a decoder's error with its text rewritten for people
// (explainUnknownFields); the original stays reachable with errors.As.
type decodeError struct {
	err error
	msg string
}

func (e decodeError) Error() string { return e.msg }
func (e decodeError) Unwrap() error { return e.err }

// secretHint explains an unknown "secret" field: the likeliest mistake is
// writing the token into the file, which the profile never reads.
func secretHint(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "field secret not found") || strings.Contains(msg, `unknown field "secret"`) {
		return " (secrets are never read from the file: use secretEnv: NAME and export the token in the variable NAME)"
	}
	return ""
}

// Flags are the command-line equivalents of a profile, for a quick run
// against a URL without writing a file.
type Flags struct {
	URL       string // --url
	TokenEnv  string // --token-env
	Auth      string // --auth bearer|header|basic
	Username  string // --username (basic)
	Traffic   string // --traffic oin|aiw
	AllowHTTP bool   // --allow-http
	Insecure  bool   // --insecure (skip TLS verification)
	CAFile    string // --ca-file
}

// FromFlags builds and validates a profile from flags. A profile made this
// way has no admin API, so scenarios needing probes are skipped with the
// reason.
func FromFlags(f Flags) (Profile, error) {
	mode, err := ParseAuthMode(f.Auth)
	if err != nil {
		return Profile{}, fmt.Errorf("--auth: %w", err)
	}
	tr, err := ParseTraffic(f.Traffic)
	if err != nil {
		return Profile{}, fmt.Errorf("--traffic: %w", err)
	}
	if f.URL == "" {
		return Profile{}, errors.New("--url: the SCIM base URL is required (e.g. https://app.example.com/scim/v2)")
	}
	if f.TokenEnv == "" {
		return Profile{}, errors.New("--token-env: name the environment variable that holds the API token (e.g. --token-env SCIM_TOKEN)")
	}
	// Checked here, before Validate, so the errors name the flags rather
	// than the profile fields (auth.username, baseURL) the flags fill in.
	if mode == AuthBasic && f.Username == "" {
		return Profile{}, errors.New("--auth basic needs --username")
	}
	if err := checkURL("--url", f.URL, f.AllowHTTP); err != nil {
		return Profile{}, err
	}
	p := Profile{
		Name:      f.URL,
		BaseURL:   f.URL,
		Auth:      Auth{Mode: mode, SecretEnv: f.TokenEnv, Username: f.Username},
		Traffic:   tr,
		AllowHTTP: f.AllowHTTP,
		TLS:       TLS{CAFile: f.CAFile, InsecureSkipVerify: f.Insecure},
	}
	return p.Validate()
}
