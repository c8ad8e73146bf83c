package doctor

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMETranscriptsMatchTheirCommands keeps the README's transcripts
// honest: a transcript's "verified successfully" message names the app its
// command gave with --app (Okta names the app's label; doctor's default is
// "SCIM app"), and prose that announces `--app X` right before a transcript
// is matched by that transcript's command.
func TestREADMETranscriptsMatchTheirCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md") // the transcripts live in the top README
	if err != nil {
		t.Fatal(err)
	}
	appFlag := regexp.MustCompile(`--app (\S+)`)
	verified := regexp.MustCompile(`(?m)^Okta shows: (.+) was verified successfully!`)
	parts := strings.Split(string(b), "```text\n")
	checked := 0
	for i, part := range parts[1:] {
		block, _, _ := strings.Cut(part, "```")
		cmd, _, _ := strings.Cut(block, "\n")
		if !strings.HasPrefix(cmd, "$ scimulator doctor ") {
			continue
		}
		app := "SCIM app"
		if m := appFlag.FindStringSubmatch(cmd); m != nil {
			app = m[1]
		}
		if m := verified.FindStringSubmatch(block); m != nil {
			checked++
			if m[1] != app {
				t.Errorf("transcript %q shows %q verified, but its command names the app %q", cmd, m[1], app)
			}
		}
		// The paragraph just before this block (the tail of the previous part).
		prose := strings.TrimRight(parts[i], "\n")
		if j := strings.LastIndex(prose, "\n\n"); j >= 0 {
			prose = prose[j:]
		}
		if m := regexp.MustCompile("`--app ([^`]+)`").FindStringSubmatch(prose); m != nil && m[1] != app {
			t.Errorf("the text before transcript %q mentions --app %s, but the command does not use it", cmd, m[1])
		}
	}
	if checked == 0 {
		t.Fatal("no transcript with a verified message found: the test checks nothing")
	}
}
