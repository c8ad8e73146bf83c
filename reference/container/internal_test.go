package container

import (
	"fmt"
	"testing"
)

func TestPortNotation(t *testing.T) {
	if want := fmt.Sprintf("%d/tcp", Port); port != want {
		t.Fatalf("port = %q, want %q", port, want)
	}
}
