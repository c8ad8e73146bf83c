package launch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestContainerSpecValidate(t *testing.T) {
	ok := ContainerSpec{Image: "x:1", Port: 8080, HealthPath: "/healthz", BasePath: "/scim/v2"}
	tests := []struct {
		name string
		edit func(*ContainerSpec)
		want string // substring of the error; "" = valid
	}{
		{"valid", func(*ContainerSpec) {}, ""},
		{"no image nor context", func(s *ContainerSpec) { s.Image = "" }, "set image or buildContext"},
		{"both image and context", func(s *ContainerSpec) { s.BuildContext = "dir" }, "not both"},
		{"zero port", func(s *ContainerSpec) { s.Port = 0 }, "port 0"},
		{"port too big", func(s *ContainerSpec) { s.Port = 70000 }, "port 70000"},
		{"relative health path", func(s *ContainerSpec) { s.HealthPath = "healthz" }, "healthPath"},
		{"empty health path", func(s *ContainerSpec) { s.HealthPath = "" }, "healthPath"},
		{"relative base path", func(s *ContainerSpec) { s.BasePath = "scim/v2" }, "basePath"},
		{"empty base path is fine", func(s *ContainerSpec) { s.BasePath = "" }, ""},
		{"negative timeout", func(s *ContainerSpec) { s.StartupTimeout = -time.Second }, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := ok
			tt.edit(&spec)
			err := spec.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			// Start refuses an invalid spec before touching Docker.
			if r, err := Start(context.Background(), spec); err == nil || r != nil {
				t.Fatalf("Start() = %v, %v; want nil and an error", r, err)
			}
		})
	}
}

func TestHashDir(t *testing.T) {
	write := func(dir, name, content string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	base := func() string {
		dir := t.TempDir()
		write(dir, "Dockerfile", "FROM scratch\n", 0o644)
		write(dir, "sub/app", "binary", 0o755)
		return dir
	}
	hash := func(dir string) string {
		t.Helper()
		h, err := HashDir(dir)
		if err != nil {
			t.Fatalf("HashDir: %v", err)
		}
		return h
	}
	want := hash(base())
	if got := hash(base()); got != want {
		t.Fatalf("identical folders hash differently: %s vs %s", got, want)
	}
	changes := map[string]func(dir string){
		"content":  func(dir string) { write(dir, "sub/app", "binarY", 0o755) },
		"mode":     func(dir string) { write(dir, "sub/app", "binary", 0o644) },
		"new file": func(dir string) { write(dir, "extra", "", 0o644) },
		"rename": func(dir string) {
			if err := os.Rename(filepath.Join(dir, "sub/app"), filepath.Join(dir, "sub/app2")); err != nil {
				t.Fatal(err)
			}
		},
		// Moving bytes between a name and a content must not collide.
		"boundary": func(dir string) {
			if err := os.Remove(filepath.Join(dir, "Dockerfile")); err != nil {
				t.Fatal(err)
			}
			write(dir, "Dockerfil", "eFROM scratch\n", 0o644)
		},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			dir := base()
			change(dir)
			if got := hash(dir); got == want {
				t.Fatalf("a %s change kept the hash %s", name, got)
			}
		})
	}
	t.Run("empty folder", func(t *testing.T) {
		if _, err := HashDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "empty") {
			t.Fatalf("HashDir(empty) = %v, want an error saying empty", err)
		}
	})
	t.Run("symlink refused", func(t *testing.T) {
		dir := base()
		if err := os.Symlink("Dockerfile", filepath.Join(dir, "link")); err != nil {
			t.Skip("no symlinks here:", err)
		}
		if _, err := HashDir(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("HashDir(with symlink) = %v, want a not-a-regular-file error", err)
		}
	})
	t.Run("missing folder", func(t *testing.T) {
		if _, err := HashDir(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Fatal("HashDir(missing) = nil error")
		}
	})
}

func TestScratchDockerfile(t *testing.T) {
	got := ScratchDockerfile(8080, []string{"serve", "--addr", "0.0.0.0:8080"})
	want := "FROM scratch\nCOPY app /app\nUSER 65534:65534\nEXPOSE 8080\n" +
		`ENTRYPOINT ["/app","serve","--addr","0.0.0.0:8080"]` + "\n"
	if got != want {
		t.Fatalf("ScratchDockerfile =\n%s\nwant\n%s", got, want)
	}
}

func TestPrepareEnvironmentKeepsUserValues(t *testing.T) {
	t.Setenv(envRyukDisabled, "false")
	PrepareEnvironment()
	if got := os.Getenv(envRyukDisabled); got != "false" {
		t.Fatalf("%s = %q after PrepareEnvironment, want the user's %q", envRyukDisabled, got, "false")
	}
}

// echoImage builds the testdata/echo server as a FROM scratch image.
func echoImage(t *testing.T) string {
	t.Helper()
	needDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	ref, err := BuildGoImage(ctx, GoImage{
		Package: "./testdata/echo",
		Repo:    "scimulator-launch-test",
		Args:    []string{"0.0.0.0:9000"},
		Port:    9000,
	})
	if err != nil {
		t.Fatalf("BuildGoImage: %v", err)
	}
	t.Logf("echo image %s ready in %s", ref, time.Since(start).Round(time.Millisecond))
	return ref
}

func TestBuildGoImageReusesUnchangedImage(t *testing.T) {
	first := echoImage(t)
	second := echoImage(t)
	if first != second {
		t.Fatalf("two builds of unchanged sources gave %s and %s, want one cached tag", first, second)
	}
	if !strings.HasPrefix(first, "scimulator-launch-test:") {
		t.Fatalf("image %s is not tagged in the requested repo", first)
	}
	exists, err := ImageExists(context.Background(), first)
	if err != nil || !exists {
		t.Fatalf("ImageExists(%s) = %v, %v; want true", first, exists, err)
	}
}

func TestStartImageServesAndLogs(t *testing.T) {
	ref := echoImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	r, err := Start(ctx, ContainerSpec{
		Image:      ref,
		Env:        map[string]string{"GREETING": "hello from the container"},
		Port:       9000,
		HealthPath: "/healthz",
		BasePath:   "/base",
	})
	t.Cleanup(func() {
		if err := r.Terminate(context.Background()); err != nil {
			t.Errorf("Terminate: %v", err)
		}
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("container healthy in %s at %s", time.Since(start).Round(time.Millisecond), r.Endpoint())

	if !strings.HasPrefix(r.BaseURL(), r.Endpoint()) || !strings.HasSuffix(r.BaseURL(), "/base") {
		t.Fatalf("BaseURL %q is not Endpoint %q + /base", r.BaseURL(), r.Endpoint())
	}
	resp, err := http.Get(r.BaseURL() + "/greeting")
	if err != nil {
		t.Fatalf("GET greeting: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello from the container" {
		t.Fatalf("greeting = %q, want the env value passed in the spec", body)
	}

	// Docker stores a running container's output asynchronously: poll, for
	// up to 30 s on a loaded machine, until the request's line is there.
	var logs string
	for deadline := time.Now().Add(30 * time.Second); ; {
		if logs, err = r.Logs(ctx); err != nil {
			t.Fatalf("Logs: %v", err)
		}
		if strings.Contains(logs, "greeting requested") || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, want := range []string{"echo listening on 0.0.0.0:9000", "greeting requested"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("logs lack %q:\n%s", want, logs)
		}
	}

	inspect, err := r.ctr.Inspect(ctx)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if inspect.Config.Labels[ManagedLabel] != "true" {
		t.Fatalf("container labels %v lack %s=true", inspect.Config.Labels, ManagedLabel)
	}

	if err := r.Terminate(ctx); err != nil {
		t.Fatalf("Terminate: %v", err)
	}
	if _, err := r.ctr.Inspect(ctx); err == nil {
		t.Fatal("container still exists after Terminate")
	}
}

func TestStartBuildContext(t *testing.T) {
	needDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A build context as a vendor would ship it: a folder with a Dockerfile.
	dir := t.TempDir()
	cmd := []string{"build", "-trimpath", "-o", filepath.Join(dir, "app"), "./testdata/echo"}
	if out, err := goCommand(ctx, cmd...); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(ScratchDockerfile(9000, []string{"0.0.0.0:9000"})), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Start(ctx, ContainerSpec{BuildContext: dir, Port: 9000, HealthPath: "/healthz"})
	t.Cleanup(func() { _ = r.Terminate(context.Background()) })
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if !strings.HasPrefix(r.Image(), DefaultBuildRepo+":") {
		t.Fatalf("built image %q is not tagged in %s", r.Image(), DefaultBuildRepo)
	}
	resp, err := http.Get(r.Endpoint() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz = %d", resp.StatusCode)
	}
}

func TestStartUnhealthyReturnsContainerForLogs(t *testing.T) {
	ref := echoImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Start(ctx, ContainerSpec{
		Image:          ref,
		Port:           9000,
		HealthPath:     "/not-a-health-path", // answers 404 forever
		StartupTimeout: 2 * time.Second,
	})
	t.Cleanup(func() { _ = r.Terminate(context.Background()) })
	if err == nil {
		t.Fatal("Start succeeded although the health path never answers 2xx")
	}
	if r == nil {
		t.Fatalf("Start returned no container to clean up: %v", err)
	}
	logs, lerr := r.Logs(ctx)
	if lerr != nil || !strings.Contains(logs, "echo listening") {
		t.Fatalf("logs of the unhealthy container = %q, %v; want its start line", logs, lerr)
	}
	if err := r.Terminate(ctx); err != nil {
		t.Fatalf("Terminate: %v", err)
	}
}

func TestTerminateNil(t *testing.T) {
	var r *Running
	if err := r.Terminate(context.Background()); err != nil {
		t.Fatalf("nil Terminate = %v", err)
	}
}

func TestStartMissingLocalImageSaysBuildIt(t *testing.T) {
	needDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	image := "scimulator-launch-test:missing-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	r, err := Start(ctx, ContainerSpec{Image: image, Port: 9000, HealthPath: "/healthz"})
	t.Cleanup(func() { _ = r.Terminate(context.Background()) })
	want := fmt.Sprintf("image %q not found locally: build it with 'make image' (no registry is reachable)", image)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Start(missing image) = %v, want an error containing %q", err, want)
	}
	if r != nil {
		t.Fatalf("Start(missing image) returned a container %s", r.ID())
	}
}
