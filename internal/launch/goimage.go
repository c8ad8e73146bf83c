package launch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// GoImage describes a FROM scratch image holding one statically linked Go
// program and nothing else: no shell, no libc, no CA bundle.
type GoImage struct {
	Package string   // package to build: an import path, or ./relative to Dir
	Dir     string   // working directory of `go build`; "" = the current one
	Repo    string   // image repository, e.g. "scimulator-reference"
	Args    []string // arguments after the binary in the ENTRYPOINT
	Port    int      // the port the program listens on (EXPOSE)
}

// binaryName is the program's file name inside the image.
const binaryName = "app"

// nobody is the numeric user the program runs as: FROM scratch has no
// /etc/passwd, and nothing here needs root.
const nobody = "65534:65534"

// BuildGoImage cross-compiles the package with CGO_ENABLED=0 for linux and
// the engine's architecture (assumed to be this machine's), writes it with a
// FROM scratch Dockerfile into a temporary context folder and builds that
// with BuildImage. Go builds with -trimpath are reproducible, so unchanged
// sources yield the same content hash and the cached image is reused; the
// cost of a repeat is a cached `go build` and a hash.
func BuildGoImage(ctx context.Context, gi GoImage) (string, error) {
	if gi.Package == "" || gi.Repo == "" {
		return "", errors.New("build go image: package and repo are required")
	}
	if gi.Port <= 0 || gi.Port > 65535 {
		return "", fmt.Errorf("build go image: port %d is not a TCP port", gi.Port)
	}
	dir, err := os.MkdirTemp("", "scimulator-image-")
	if err != nil {
		return "", fmt.Errorf("build go image: %w", err)
	}
	defer os.RemoveAll(dir)

	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("build go image: the go command is needed to compile %s: %w", gi.Package, err)
	}
	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-ldflags=-s -w",
		"-o", filepath.Join(dir, binaryName), gi.Package)
	cmd.Dir = gi.Dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build go image: go build %s: %w\n%s", gi.Package, err, tail(out.String(), 2000))
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(ScratchDockerfile(gi.Port, gi.Args)), 0o644); err != nil {
		return "", fmt.Errorf("build go image: %w", err)
	}
	return BuildImage(ctx, dir, gi.Repo)
}

// ScratchDockerfile is the Dockerfile of a GoImage: the binary "app" copied
// into an empty image, run as nobody with args.
func ScratchDockerfile(port int, args []string) string {
	entry, _ := json.Marshal(append([]string{"/" + binaryName}, args...)) // strings always marshal
	var b strings.Builder
	b.WriteString("FROM scratch\n")
	fmt.Fprintf(&b, "COPY %s /%s\n", binaryName, binaryName)
	fmt.Fprintf(&b, "USER %s\n", nobody)
	fmt.Fprintf(&b, "EXPOSE %d\n", port)
	fmt.Fprintf(&b, "ENTRYPOINT %s\n", entry)
	return b.String()
}

// goCommand runs the go command with args in the current directory and
// returns its combined output.
func goCommand(ctx context.Context, args ...string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the go command is needed: %w", err)
	}
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
