package launch

import (
	"context"
	"strings"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// pruneMinAge is the age below which an old build is kept: another process
// (test packages run in parallel) may have just built or found that image
// and be about to start a container from it.
const pruneMinAge = 10 * time.Minute

// isHashTag reports whether tag has the shape BuildImage gives: hashTagLen
// lowercase hex digits.
func isHashTag(tag string) bool {
	if len(tag) != hashTagLen {
		return false
	}
	for _, c := range tag {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// pruneOldBuilds removes, best-effort, the builds of repo other than keep:
// images tagged repo:<content hash> (labelled managed, or built before the
// label was set: the hash tag shows BuildImage made them), older than keepYounger,
// and used by no container, running or stopped. Each content change of a
// context leaves a ~20 MB image behind otherwise. Errors are ignored: a
// failed clean-up must never fail a build. It returns the removed tags.
func pruneOldBuilds(ctx context.Context, repo, keep string, keepYounger time.Duration) []string {
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil
	}
	defer cli.Close()
	imgs, err := cli.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", repo)})
	if err != nil {
		return nil
	}
	var removed []string
	for _, img := range imgs.Items {
		if time.Since(time.Unix(img.Created, 0)) < keepYounger {
			continue
		}
		used, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("ancestor", img.ID)})
		if err != nil || len(used.Items) > 0 {
			continue
		}
		for _, tag := range img.RepoTags {
			name, t, ok := strings.Cut(tag, ":")
			if !ok || name != repo || tag == keep || !isHashTag(t) {
				continue
			}
			// Not forced: the engine still refuses if a container appeared
			// since the list above.
			if _, err := cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{PruneChildren: true}); err == nil {
				removed = append(removed, tag)
			}
		}
	}
	return removed
}

// removeUnused removes the untagged image id unless a container uses it (the
// engine refuses that without force); errors are ignored.
func removeUnused(ctx context.Context, id string) {
	if id == "" {
		return
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return
	}
	defer cli.Close()
	// Removing by id deletes an image that still has one tag: only touch it
	// when no tag is left.
	if res, err := cli.ImageInspect(ctx, id); err != nil || len(res.RepoTags) > 0 {
		return
	}
	_, _ = cli.ImageRemove(ctx, id, client.ImageRemoveOptions{PruneChildren: true})
}
