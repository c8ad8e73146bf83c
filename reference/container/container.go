// Package container runs the reference SCIM server in a Docker container, in
// the style of a testcontainers-go module, so a Go team can start a real
// reference server inside its own tests:
//
//	ctr, err := container.Run(ctx, container.WithSCIMEnabled())
//	defer testcontainers.TerminateContainer(ctr)
//	base, _ := ctr.BaseURL(ctx) // http://localhost:32768/scim/v2
//	key := ctr.AdminKey()       // bootstrap admin key, also valid for SCIM
//
// The image is built on the spot from this module's cmd/scimulator as a
// FROM scratch image of the static binary, with no registry; its tag is a
// content hash, so later runs reuse it. Pass testcontainers.WithImage to use
// an image built elsewhere (for example `make image`, tag scimulator:dev).
package container

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/scimulator/scimulator/internal/launch"
)

// Where the server listens inside the container and where it serves what
// (SPEC §1.6; the admin API is documented in README.md).
const (
	Port       = 8080
	HealthPath = "/healthz"
	SCIMPath   = "/scim/v2"
	AdminPath  = "/api/v1"
	// ImageRepo is the repository of the images Run builds.
	ImageRepo = "scimulator-reference"
	// Package is the command the image holds.
	Package = "github.com/scimulator/scimulator/cmd/scimulator"
)

// Environment variables `scimulator serve` reads.
const (
	EnvAdminKey   = "SCIMULATOR_ADMIN_KEY"
	EnvEnableSCIM = "SCIMULATOR_ENABLE_SCIM"
	EnvFaults     = "SCIMULATOR_FAULTS"
)

// port is Port in testcontainers' notation.
const port = "8080/tcp"

// startupTimeout bounds the wait for /healthz; the static binary starts in
// milliseconds, the rest is Docker.
const startupTimeout = 60 * time.Second

// Container is a running reference server.
type Container struct {
	testcontainers.Container
	adminKey string
}

// Run starts the reference server. Defaults come first — a freshly built
// image, a random bootstrap admin key, port 8080 exposed, the
// org.scimulator.managed label, a wait on /healthz — then the caller's
// options, which may override any of them (testcontainers.WithImage skips the
// build). As in testcontainers-go's own modules, the container is returned
// even with an error whenever one was created, so the caller can terminate it.
func Run(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	launch.PrepareEnvironment()
	key, err := NewAdminKey()
	if err != nil {
		return nil, fmt.Errorf("run reference container: %w", err)
	}
	req := testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			ExposedPorts: []string{port},
			Env:          map[string]string{EnvAdminKey: key},
			Labels:       map[string]string{launch.ManagedLabel: "true"},
			// FROM scratch: no shell for the default port check to exec.
			WaitingFor: wait.ForHTTP(HealthPath).WithPort(port).
				WithStartupTimeout(startupTimeout).
				WithPollInterval(100 * time.Millisecond),
		},
		Started: true,
	}
	for _, opt := range opts {
		if err := opt.Customize(&req); err != nil {
			return nil, fmt.Errorf("run reference container: %w", err)
		}
	}
	if req.Image == "" && !req.ShouldBuildImage() {
		if req.Image, err = Image(ctx); err != nil {
			return nil, fmt.Errorf("run reference container: %w", err)
		}
	}
	ctr, err := testcontainers.GenericContainer(ctx, req)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, adminKey: req.Env[EnvAdminKey]}
	}
	if err != nil {
		return c, fmt.Errorf("run reference container: %w", err)
	}
	return c, nil
}

// Image builds (or finds, by content hash) the reference server image and
// returns its reference, e.g. scimulator-reference:3f2a…. The binary is
// compiled from this module with CGO_ENABLED=0.
func Image(ctx context.Context) (string, error) {
	return launch.BuildGoImage(ctx, launch.GoImage{
		Package: Package,
		Dir:     moduleDir(),
		Repo:    ImageRepo,
		Args:    []string{"serve", "--addr", fmt.Sprintf("0.0.0.0:%d", Port)},
		Port:    Port,
	})
}

// moduleDir is a folder inside this module, found from this source file, so
// `go build` resolves Package against this module's go.mod wherever the test
// runs from. Under -trimpath the file name is not a real path; the current
// directory is used then (a consumer module that requires this one resolves
// Package too).
func moduleDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(file)
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// NewAdminKey returns a random admin key secret (256 bits, URL-safe).
func NewAdminKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate admin key: %w", err)
	}
	return "scimulator_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// WithAdminKey sets the bootstrap admin key secret instead of a random one.
func WithAdminKey(key string) testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		if strings.TrimSpace(key) == "" {
			return fmt.Errorf("with admin key: key is empty")
		}
		return testcontainers.WithEnv(map[string]string{EnvAdminKey: key})(req)
	}
}

// WithSCIMEnabled starts the server with the SCIM setting on (it defaults to
// off, SPEC §1.1, which is the article's "Forbidden from remote server").
func WithSCIMEnabled() testcontainers.CustomizeRequestOption {
	return testcontainers.WithEnv(map[string]string{EnvEnableSCIM: "1"})
}

// WithFaults switches on fault names from reference.KnownFaults; an
// unknown name makes the server refuse to start.
func WithFaults(names ...string) testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		for _, n := range names {
			if n == "" || strings.ContainsAny(n, ", ") {
				return fmt.Errorf("with faults: bad fault name %q", n)
			}
		}
		return testcontainers.WithEnv(map[string]string{EnvFaults: strings.Join(names, ",")})(req)
	}
}

// AdminKey is the bootstrap admin key secret (role Admin; also valid for SCIM).
func (c *Container) AdminKey() string { return c.adminKey }

// Endpoint is the server's published address, http://host:port.
func (c *Container) Endpoint(ctx context.Context) (string, error) {
	host, err := c.Host(ctx)
	if err != nil {
		return "", fmt.Errorf("reference container endpoint: %w", err)
	}
	mapped, err := c.MappedPort(ctx, port)
	if err != nil {
		return "", fmt.Errorf("reference container endpoint: %w", err)
	}
	return "http://" + net.JoinHostPort(host, mapped.Port()), nil
}

// BaseURL is the SCIM base URL, http://host:port/scim/v2.
func (c *Container) BaseURL(ctx context.Context) (string, error) {
	e, err := c.Endpoint(ctx)
	if err != nil {
		return "", err
	}
	return e + SCIMPath, nil
}

// AdminURL is the admin API root, http://host:port/api/v1.
func (c *Container) AdminURL(ctx context.Context) (string, error) {
	e, err := c.Endpoint(ctx)
	if err != nil {
		return "", err
	}
	return e + AdminPath, nil
}
