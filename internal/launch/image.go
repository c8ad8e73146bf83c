package launch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// ManagedLabel marks every container (and image) scimulator creates, so that
// `make clean` can remove leaked ones with a label filter: without the reaper,
// a test process killed mid-run leaves its containers behind.
const ManagedLabel = "org.scimulator.managed"

// managedLabels is the label set put on every container and built image.
func managedLabels() map[string]string {
	return map[string]string{ManagedLabel: "true"}
}

// DefaultBuildRepo is the image repository BuildImage tags images with when
// the caller names none.
const DefaultBuildRepo = "scimulator-build"

// hashTagLen is how many hex digits of the context hash form the image tag:
// 64 bits is plenty to tell builds of one context apart.
const hashTagLen = 16

// BuildImage builds the Docker image in contextDir (a folder holding a
// Dockerfile) without any registry, tagged repo:<content hash>. When an image
// with that tag already exists locally it is reused and nothing is built, so
// repeated runs over an unchanged context cost one hash of the folder. repo
// defaults to DefaultBuildRepo. It returns the image reference.
func BuildImage(ctx context.Context, contextDir, repo string) (string, error) {
	if repo == "" {
		repo = DefaultBuildRepo
	}
	sum, err := HashDir(contextDir)
	if err != nil {
		return "", fmt.Errorf("build image from %s: %w", contextDir, err)
	}
	ref := repo + ":" + sum[:hashTagLen]
	exists, err := ImageExists(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("build image %s: %w", ref, err)
	}
	if exists {
		return ref, nil
	}

	provider, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(tclog.NewNoopLogger()))
	if err != nil {
		return "", fmt.Errorf("build image %s: %w", ref, err)
	}
	defer provider.Close()
	var buildLog bytes.Buffer
	req := &testcontainers.ContainerRequest{
		FromDockerfile: testcontainers.FromDockerfile{
			Context:        contextDir,
			Repo:           repo,
			Tag:            sum[:hashTagLen],
			KeepImage:      true, // the cache: later runs find the tag and skip the build
			BuildLogWriter: &buildLog,
		},
		Labels: managedLabels(),
	}
	if _, err := provider.BuildImage(ctx, req); err != nil {
		return "", fmt.Errorf("build image %s: %w\n%s", ref, err, tail(buildLog.String(), 2000))
	}
	return ref, nil
}

// ImageExists reports whether ref names an image in the local engine.
func ImageExists(ctx context.Context, ref string) (bool, error) {
	PrepareEnvironment()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	defer cli.Close()
	if _, err := cli.ImageInspect(ctx, ref); err != nil {
		if errdefs.IsNotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	return true, nil
}

// HashDir returns the hex SHA-256 over every regular file under dir: its
// slash-separated relative path, permission bits and content, in sorted path
// order. Identical folders hash identically on any machine; symlinks and other
// special files are refused because the build context would not carry them
// faithfully.
func HashDir(dir string) (string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type().IsRegular():
			files = append(files, path)
			return nil
		default:
			return fmt.Errorf("hash %s: not a regular file", path)
		}
	})
	if err != nil {
		return "", fmt.Errorf("hash build context: %w", err)
	}
	if len(files) == 0 {
		return "", errors.New("hash build context: folder is empty")
	}
	sort.Strings(files)
	h := sha256.New()
	for _, path := range files {
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return "", fmt.Errorf("hash build context: %w", err)
		}
		info, err := os.Stat(path)
		if err != nil {
			return "", fmt.Errorf("hash build context: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%o\x00%d\x00", filepath.ToSlash(rel), info.Mode().Perm(), info.Size())
		if err := hashFile(h, path); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("hash build context: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("hash build context: read %s: %w", path, err)
	}
	return nil
}

// tail returns at most the last n bytes of s, marking a cut.
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
