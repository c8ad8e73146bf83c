package launch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

func TestIsHashTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"49d0f66452c3edbf":  true,
		"49D0F66452C3EDBF":  false, // BuildImage writes lowercase hex
		"49d0f66452c3edb":   false,
		"49d0f66452c3edbf0": false,
		"dev":               false,
		"latest":            false,
		"49d0f66452c3edbg":  false,
	} {
		if got := isHashTag(tag); got != want {
			t.Errorf("isHashTag(%q) = %t, want %t", tag, got, want)
		}
	}
}

// tinyContext writes a build context whose image holds one file with
// content: FROM scratch, so no registry is needed.
func tinyContext(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\nCOPY f /f\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// testRepo returns a repository name of its own for one test and removes
// every image of it at the end.
func testRepo(t *testing.T, cli *testcontainers.DockerClient) string {
	t.Helper()
	repo := "scimulator-launch-prune-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	t.Cleanup(func() {
		ctx := context.Background()
		imgs, err := cli.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", repo)})
		if err != nil {
			return
		}
		for _, img := range imgs.Items {
			_, _ = cli.ImageRemove(ctx, img.ID, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		}
	})
	return repo
}

func dockerClient(t *testing.T) *testcontainers.DockerClient {
	t.Helper()
	needDocker(t)
	cli, err := testcontainers.NewDockerClientWithOpts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

func TestBuildImageLabelsImage(t *testing.T) {
	cli := dockerClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ref, err := BuildImage(ctx, tinyContext(t, "label me"), testRepo(t, cli))
	if err != nil {
		t.Fatalf("BuildImage: %v", err)
	}
	_, labels, exists, err := inspectImage(ctx, ref)
	if err != nil || !exists {
		t.Fatalf("image %s: exists %t, %v", ref, exists, err)
	}
	if labels[ManagedLabel] != "true" {
		t.Fatalf("image %s labels %v lack %s=true (make clean could not find it)", ref, labels, ManagedLabel)
	}
}

func TestBuildGoImageIsLabelled(t *testing.T) {
	ref := echoImage(t)
	_, labels, _, err := inspectImage(context.Background(), ref)
	if err != nil || labels[ManagedLabel] != "true" {
		t.Fatalf("BuildGoImage's image %s labels %v (%v); want %s=true", ref, labels, err, ManagedLabel)
	}
}

func TestBuildImagePrunesOldUnusedBuilds(t *testing.T) {
	cli := dockerClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	repo := testRepo(t, cli)
	build := func(content string, keepYounger time.Duration) string {
		t.Helper()
		ref, err := buildImage(ctx, tinyContext(t, content), repo, keepYounger)
		if err != nil {
			t.Fatalf("build %s: %v", content, err)
		}
		return ref
	}
	exists := func(ref string) bool {
		t.Helper()
		ok, err := ImageExists(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	v1 := build("v1", 0)
	v2 := build("v2", 0)
	if exists(v1) || !exists(v2) {
		t.Fatalf("after building %s: old %s exists %t, new exists %t; want the old one removed", v2, v1, exists(v1), exists(v2))
	}

	// A container (even a stopped one) keeps its image.
	ctr, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: v2, Cmd: []string{"/f"}, Labels: managedLabels()},
	})
	if err != nil {
		t.Fatalf("create container from %s: %v", v2, err)
	}
	t.Cleanup(func() {
		_, _ = cli.ContainerRemove(context.Background(), ctr.ID, client.ContainerRemoveOptions{Force: true})
	})
	v3 := build("v3", 0)
	if !exists(v2) {
		t.Fatalf("building %s removed %s, which a container uses", v3, v2)
	}

	// A recent build is kept: another process may be about to start it.
	v4 := build("v4", time.Hour)
	if !exists(v3) {
		t.Fatalf("building %s removed %s, built moments ago", v4, v3)
	}

	// Nothing else was touched: only this repo's images were candidates.
	imgs, err := cli.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", repo)})
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, img := range imgs.Items {
		tags = append(tags, img.RepoTags...)
	}
	slices.Sort(tags)
	want := []string{v2, v3, v4}
	slices.Sort(want)
	if !slices.Equal(tags, want) {
		t.Fatalf("repo %s holds %v, want %v", repo, tags, want)
	}
}
