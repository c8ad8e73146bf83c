package selftest

import (
	"strings"
	"testing"
)

func TestMarkdownTable(t *testing.T) {
	fs := faults("caught", "missed")
	fs[0].Description = "a | pipe"
	got := MarkdownTable(fs, Expectations{"caught": {"Z scenario", "A | scenario"}})
	want := "| fault | the bug it imitates | scenarios that catch it |\n" +
		"|---|---|---|\n" +
		"| `caught` | a \\| pipe | A \\| scenario<br>Z scenario |\n" +
		"| `missed` | the missed bug | **not caught** |\n"
	if got != want {
		t.Errorf("MarkdownTable =\n%s\nwant\n%s", got, want)
	}
}

func TestReplaceTable(t *testing.T) {
	readme := "intro\n" + tableBegin + "\nold table\n" + tableEnd + "\noutro\n"
	got, err := ReplaceTable(readme, "new table\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "intro\n" + tableBegin + "\nnew table\n" + tableEnd + "\noutro\n"
	if got != want {
		t.Errorf("ReplaceTable =\n%s\nwant\n%s", got, want)
	}
	again, _ := ReplaceTable(got, "new table\n")
	if again != got {
		t.Error("ReplaceTable is not idempotent")
	}
	for _, bad := range []string{"no markers", tableBegin + " only", tableEnd + "\n" + tableBegin} {
		if _, err := ReplaceTable(bad, "x"); err == nil || !strings.Contains(err.Error(), "markers") {
			t.Errorf("ReplaceTable(%q) error = %v, want a markers error", bad, err)
		}
	}
}
