// Package launch starts a SCIM target that ships as a container image, with
// testcontainers-go, on a machine that has a Docker engine but no registry.
//
// It is deliberately generic: any image or build context, any port, health
// path and SCIM base path. Images may be FROM scratch, so readiness is an
// HTTP wait on the health path, never a command run inside the container.
package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"
)

// DefaultStartupTimeout bounds how long Start waits for the health path.
const DefaultStartupTimeout = 60 * time.Second

// ContainerSpec describes a target container.
type ContainerSpec struct {
	Image        string            // an existing local image, or
	BuildContext string            // a folder with a Dockerfile to build (no registry pulls)
	Env          map[string]string // environment of the container
	Port         int               // container port, e.g. 8080
	HealthPath   string            // e.g. "/healthz"; must answer 2xx once ready
	BasePath     string            // appended to the endpoint for the SCIM base URL, e.g. "/scim/v2"

	// StartupTimeout bounds the wait for HealthPath; 0 means DefaultStartupTimeout.
	StartupTimeout time.Duration
	// Log receives testcontainers-go's lifecycle messages; nil discards them.
	Log io.Writer
}

// Validate reports the first problem with the spec, or nil.
func (s ContainerSpec) Validate() error {
	switch {
	case s.Image == "" && s.BuildContext == "":
		return errors.New("container spec: set image or buildContext")
	case s.Image != "" && s.BuildContext != "":
		return errors.New("container spec: set image or buildContext, not both")
	case s.Port <= 0 || s.Port > 65535:
		return fmt.Errorf("container spec: port %d is not a TCP port", s.Port)
	case !strings.HasPrefix(s.HealthPath, "/"):
		return fmt.Errorf("container spec: healthPath %q must start with /", s.HealthPath)
	case s.BasePath != "" && !strings.HasPrefix(s.BasePath, "/"):
		return fmt.Errorf("container spec: basePath %q must start with /", s.BasePath)
	case s.StartupTimeout < 0:
		return fmt.Errorf("container spec: startupTimeout %s is negative", s.StartupTimeout)
	}
	return nil
}

// Running is a started target container.
type Running struct {
	mu         sync.Mutex
	terminated bool

	ctr      *testcontainers.DockerContainer
	image    string
	endpoint string
	basePath string
}

// Start builds the image when the spec names a build context (reusing a
// previous build of identical content), starts the container with the
// org.scimulator.managed label, and waits until HealthPath answers 2xx.
//
// When the container was created but did not become healthy, Start returns
// the *Running together with the error, so the caller can read its logs and
// must Terminate it.
func Start(ctx context.Context, spec ContainerSpec) (*Running, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	PrepareEnvironment()
	image := spec.Image
	if spec.BuildContext != "" {
		var err error
		if image, err = BuildImage(ctx, spec.BuildContext, ""); err != nil {
			return nil, fmt.Errorf("start container: %w", err)
		}
	} else {
		// testcontainers-go would try to pull a missing image and fail with
		// a DNS or registry error; there is no registry here, so say what
		// to do instead.
		exists, err := ImageExists(ctx, image)
		if err != nil {
			return nil, fmt.Errorf("start container: %w", err)
		}
		if !exists {
			return nil, fmt.Errorf("start container: image %q not found locally: build it with 'make image' (no registry is reachable)", image)
		}
	}
	port := fmt.Sprintf("%d/tcp", spec.Port)
	timeout := spec.StartupTimeout
	if timeout == 0 {
		timeout = DefaultStartupTimeout
	}
	logger := tclog.NewNoopLogger()
	if spec.Log != nil {
		logger = writerLogger{spec.Log}
	}
	ctr, err := testcontainers.Run(ctx, image,
		testcontainers.WithLogger(logger),
		testcontainers.WithExposedPorts(port),
		testcontainers.WithEnv(spec.Env),
		testcontainers.WithLabels(managedLabels()),
		// FROM scratch has no shell: wait over HTTP, never with an exec'd command.
		testcontainers.WithWaitStrategy(wait.ForHTTP(spec.HealthPath).
			WithPort(port).
			WithStartupTimeout(timeout).
			WithPollInterval(100*time.Millisecond)),
	)
	var r *Running
	if ctr != nil {
		r = &Running{ctr: ctr, image: image, basePath: spec.BasePath}
	}
	if err != nil {
		return r, fmt.Errorf("start container from %s: %w", image, err)
	}
	host, err := ctr.Host(ctx)
	if err != nil {
		return r, fmt.Errorf("start container from %s: host: %w", image, err)
	}
	mapped, err := ctr.MappedPort(ctx, port)
	if err != nil {
		return r, fmt.Errorf("start container from %s: mapped port: %w", image, err)
	}
	r.endpoint = "http://" + net.JoinHostPort(host, mapped.Port())
	return r, nil
}

// Endpoint is the container's published address, http://host:port.
func (r *Running) Endpoint() string { return r.endpoint }

// BaseURL is the SCIM base URL: Endpoint followed by the spec's BasePath.
func (r *Running) BaseURL() string { return r.endpoint + r.basePath }

// Image is the image reference the container runs (the built tag for a
// build context).
func (r *Running) Image() string { return r.image }

// ID is the Docker container id.
func (r *Running) ID() string { return r.ctr.GetContainerID() }

// ShortID is the container id as docker ps shows it (12 characters).
func (r *Running) ShortID() string { return shortID(r.ID()) }

// Logs returns everything the container wrote to stdout and stderr so far.
func (r *Running) Logs(ctx context.Context) (string, error) {
	rc, err := r.ctr.Logs(ctx)
	if err != nil {
		return "", fmt.Errorf("container logs: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return string(b), fmt.Errorf("container logs: %w", err)
	}
	return string(b), nil
}

// Terminate stops and removes the container (the image is kept as a cache).
// It is safe on a nil *Running, so callers can defer it right after Start,
// and calling it again after a success does nothing.
func (r *Running) Terminate(ctx context.Context) error {
	if r == nil || r.ctr == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.terminated {
		return nil
	}
	if err := r.ctr.Terminate(ctx); err != nil {
		return fmt.Errorf("terminate container %s: %w", shortID(r.ID()), err)
	}
	r.terminated = true
	return nil
}

// terminateTimeout bounds a removal that runs after the caller's context
// has ended.
const terminateTimeout = 30 * time.Second

// TerminateReporting terminates r like Terminate, within 30 s even when ctx
// has already ended, and when the removal fails writes a line to w naming
// the container and `make clean`: without the reaper nothing else removes it
// (STYLE.md, "Known traps"). It is safe on a nil *Running; the error is
// returned as well.
func (r *Running) TerminateReporting(ctx context.Context, w io.Writer) error {
	if r == nil {
		return nil
	}
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), terminateTimeout)
	defer cancel()
	err := r.Terminate(tctx)
	if err != nil && w != nil {
		fmt.Fprintf(w, "warning: container %s (%s) may be left running: %v; remove it with 'make clean' (or docker rm -f %s)\n",
			r.ShortID(), r.image, err, r.ShortID())
	}
	return err
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// writerLogger adapts an io.Writer to testcontainers-go's logger.
type writerLogger struct{ w io.Writer }

func (l writerLogger) Printf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	_, _ = io.WriteString(l.w, msg)
}
