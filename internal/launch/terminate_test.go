package launch

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestTerminateReportingNamesLeftContainer: a removal that fails is not
// silent: the warning names the container and `make clean`.
func TestTerminateReportingNamesLeftContainer(t *testing.T) {
	ref := echoImage(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Start(ctx, ContainerSpec{Image: ref, Port: 9000, HealthPath: "/healthz"})
	if err != nil {
		_ = r.Terminate(ctx)
		t.Fatal(err)
	}
	// Removed behind the Running's back, so its own removal fails.
	if err := r.ctr.Terminate(ctx); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = r.TerminateReporting(ctx, &out)
	if err == nil {
		t.Fatal("TerminateReporting of a container already gone reported success")
	}
	for _, want := range []string{r.ShortID(), "make clean", err.Error()} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("warning %q lacks %q", out.String(), want)
		}
	}

	var nilRunning *Running
	if err := nilRunning.TerminateReporting(ctx, &out); err != nil {
		t.Fatalf("nil Running: %v", err)
	}
}
