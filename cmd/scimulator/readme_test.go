package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeSection returns the README's "## title" section, up to the next
// "## " heading.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md")) // the user manual is the top README
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README has no section %q", title)
	}
	section, _, _ := strings.Cut(rest, "\n## ")
	return section
}

// fencedBlocks returns the bodies of the section's ``` blocks of one
// language, in order.
func fencedBlocks(section, lang string) []string {
	var out []string
	for _, part := range strings.Split(section, "```"+lang+"\n")[1:] {
		body, _, _ := strings.Cut(part, "```")
		// Blocks inside list items are indented: remove the indent of
		// the closing fence's line from every line.
		lines := strings.Split(body, "\n")
		indent := lines[len(lines)-1]
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, indent)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}

var exitComment = regexp.MustCompile(`#\s*exit (\d)\s*$`)

// TestREADMECommands runs the commands of the README's "Running in CI"
// section in a temporary folder, in order, and checks each exit status
// written after it ("# exit 1"); the files the section shows ("# name" on
// a YAML block's first line) are written there first. Every other
// scimulator command in the section has its command and flags checked
// against the real flag sets.
func TestREADMECommands(t *testing.T) {
	section := readmeSection(t, "Running in CI")
	dir := t.TempDir()
	t.Chdir(dir)
	files := 0
	for _, block := range fencedBlocks(section, "yaml") {
		first, _, _ := strings.Cut(block, "\n")
		if name, ok := strings.CutPrefix(first, "# "); ok && !strings.ContainsAny(name, " /") {
			if err := os.WriteFile(name, []byte(block), 0o644); err != nil {
				t.Fatal(err)
			}
			files++
		}
	}
	if files == 0 {
		t.Fatal("the section shows no file (a YAML block starting with \"# name\")")
	}
	ran := runSectionCommands(t, section)
	if ran < 6 {
		t.Errorf("ran %d README commands, want at least 6 (waivers, baselines, diffs, version)", ran)
	}
}

// TestREADMEEntraCommands runs the commands of the README's "Microsoft
// Entra ID" section (issue 10) and checks their exit status and flags.
func TestREADMEEntraCommands(t *testing.T) {
	section := readmeSection(t, "Microsoft Entra ID")
	t.Chdir(t.TempDir())
	ran := runSectionCommands(t, section)
	if ran < 2 {
		t.Errorf("ran %d README commands, want the section's 2 run commands", ran)
	}
}

// runSectionCommands checks the flags of every scimulator command in the
// section's sh blocks and runs those followed by "# exit N", checking the
// status; it returns how many it ran.
func runSectionCommands(t *testing.T, section string) int {
	t.Helper()
	ran := 0
	for _, block := range fencedBlocks(section, "sh") {
		for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
			words, err := shellWords(line)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			if len(words) == 0 || words[0] != "scimulator" {
				continue
			}
			checkFlags(t, "README", words)
			m := exitComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			want, _ := strconv.Atoi(m[1])
			code, stdout, stderr := runCLI(mapEnv(nil), words[1:]...)
			if code != want {
				t.Errorf("README: `%s` exited %d, the README says %d\nstdout:\n%s\nstderr:\n%s", strings.Join(words, " "), code, want, stdout, stderr)
			}
			ran++
		}
	}
	return ran
}
