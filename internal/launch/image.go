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
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/moby/moby/client"
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
// Dockerfile) without any registry, tagged repo:<content hash> and labelled
// org.scimulator.managed=true. When an image with that tag and the label
// already exists locally it is reused and nothing is built, so repeated runs
// over an unchanged context cost one hash of the folder. After building a new
// tag it removes, best-effort, older builds of the same repo that no
// container uses (see pruneOldBuilds). repo defaults to DefaultBuildRepo. It
// returns the image reference.
func BuildImage(ctx context.Context, contextDir, repo string) (string, error) {
	return buildImage(ctx, contextDir, repo, pruneMinAge)
}

// buildImage is BuildImage with the age below which old builds are kept.
func buildImage(ctx context.Context, contextDir, repo string, keepYounger time.Duration) (string, error) {
	if repo == "" {
		repo = DefaultBuildRepo
	}
	sum, err := HashDir(contextDir)
	if err != nil {
		return "", fmt.Errorf("build image from %s: %w", contextDir, err)
	}
	ref := repo + ":" + sum[:hashTagLen]
	oldID, labels, exists, err := inspectImage(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("build image %s: %w", ref, err)
	}
	// An image built before images were labelled is rebuilt (from the layer
	// cache, so quickly), or `make clean` would never find it.
	if exists && labels[ManagedLabel] == "true" {
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
			// testcontainers-go labels only images it will delete
			// (KeepImage false), and ContainerRequest.Labels are the
			// container's: the image label is set on the build itself.
			BuildOptionsModifier: func(o *client.ImageBuildOptions) {
				if o.Labels == nil {
					o.Labels = map[string]string{}
				}
				maps.Copy(o.Labels, managedLabels())
			},
		},
	}
	if _, err := provider.BuildImage(ctx, req); err != nil {
		return "", fmt.Errorf("build image %s: %w\n%s", ref, err, tail(buildLog.String(), 2000))
	}
	if exists {
		// The unlabelled image lost its tag to the new one: drop it if
		// nothing uses it (best-effort, like pruneOldBuilds).
		removeUnused(ctx, oldID)
	}
	pruneOldBuilds(ctx, repo, ref, keepYounger)
	return ref, nil
}

// inspectImage returns the id and labels of the local image ref and whether
// it exists.
func inspectImage(ctx context.Context, ref string) (id string, labels map[string]string, exists bool, err error) {
	PrepareEnvironment()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return "", nil, false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	defer cli.Close()
	res, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		if errdefs.IsNotFound(err) {
			return "", nil, false, nil
		}
		return "", nil, false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	if res.Config != nil {
		labels = res.Config.Labels
	}
	return res.ID, labels, true, nil
}

// ImageExists reports whether ref names an image in the local engine.
func ImageExists(ctx context.Context, ref string) (bool, error) {
	_, _, exists, err := inspectImage(ctx, ref)
	return exists, err
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
