package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// shellWords splits one shell command line into words the way sh would
// for the commands the templates and the README use: blanks separate
// words, quotes group them (and are removed), a backslash escapes the next
// character outside single quotes, and a word starting with # ends the
// line. Variables are left as written.
func shellWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words, nil
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unbalanced quotes")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// scimulatorCommands returns the scimulator command lines in a shell
// script (continuation lines joined), each as its words.
func scimulatorCommands(t *testing.T, script string) [][]string {
	t.Helper()
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		words, err := shellWords(strings.TrimSpace(line))
		if err != nil {
			t.Fatalf("unbalanced quotes in %q", line)
		}
		if len(words) > 0 && words[0] == "scimulator" {
			out = append(out, words)
		}
	}
	return out
}

// checkFlags fails the test unless the scimulator command exists and
// accepts every flag it is given, checked against the command's real flag
// set: the command's arguments followed by -h parse to the help (exit 0),
// while an unknown command or flag is a usage error (exit 2).
func checkFlags(t *testing.T, where string, words []string) {
	t.Helper()
	args := append(slices.Clone(words[1:]), "-h")
	if code := run(context.Background(), args, mapEnv(nil), io.Discard, io.Discard); code != 0 {
		var stderr strings.Builder
		run(context.Background(), args, mapEnv(nil), io.Discard, &stderr)
		t.Errorf("%s: `%s` is not a valid scimulator command line:\n%s", where, strings.Join(words, " "), firstLine(stderr.String()))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestCheckFlagsCatchesMistakes proves the check can fail: an unknown
// flag, an unknown command and a flag of another command are refused.
func TestCheckFlagsCatchesMistakes(t *testing.T) {
	for _, bad := range [][]string{
		{"scimulator", "run", "--no-such-flag"},
		{"scimulator", "runn", "--url", "x"},
		{"scimulator", "run", "--app", "x"}, // a doctor flag
		{"scimulator", "report", "diff", "--fail-on-new-only", "a", "b"},
	} {
		args := append(slices.Clone(bad[1:]), "-h")
		if code := run(context.Background(), args, mapEnv(nil), io.Discard, io.Discard); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	words, err := shellWords(`scimulator run --url "$SCIM_URL" --tags '~@groups' # a comment`)
	if err != nil || !slices.Equal(words, []string{"scimulator", "run", "--url", "$SCIM_URL", "--tags", "~@groups"}) {
		t.Errorf("shellWords = %q, %v", words, err)
	}
}

// loadTemplate reads and parses one CI template.
func loadTemplate(t *testing.T, name string) (map[string]any, string) {
	t.Helper()
	path := filepath.Join("..", "..", "examples", "ci", name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s is not valid YAML: %v", name, err)
	}
	return doc, string(b)
}

// checkTemplateCommands checks what every template must do with its
// scimulator commands: install with go install …@VERSION, print the
// version, run against a URL and token from the environment, and write
// the reports where the rest of the job reads them.
func checkTemplateCommands(t *testing.T, name string, scripts []string) (runArgs []string) {
	t.Helper()
	all := strings.Join(scripts, "\n")
	if !strings.Contains(all, "go install github.com/scimulator/scimulator/cmd/scimulator@${SCIMULATOR_VERSION}") {
		t.Errorf("%s does not install with go install github.com/scimulator/scimulator/cmd/scimulator@VERSION", name)
	}
	var sawVersion bool
	for _, words := range scimulatorCommands(t, all) {
		checkFlags(t, name, words)
		switch words[1] {
		case "version":
			sawVersion = true
		case "run":
			runArgs = words
		}
	}
	if !sawVersion || runArgs == nil {
		t.Fatalf("%s: scimulator version %t, scimulator run %v", name, sawVersion, runArgs)
	}
	flagValue := func(flag string) string {
		if i := slices.Index(runArgs, flag); i >= 0 && i+1 < len(runArgs) {
			return runArgs[i+1]
		}
		return ""
	}
	if flagValue("--url") != "$SCIM_URL" || flagValue("--token-env") != "SCIM_TOKEN" || flagValue("--report-dir") != "scimulator-report" {
		t.Errorf("%s: run %v: want --url \"$SCIM_URL\" --token-env SCIM_TOKEN --report-dir scimulator-report", name, runArgs)
	}
	return runArgs
}

// TestGitHubActionsTemplate validates examples/ci/github-actions.yml.
func TestGitHubActionsTemplate(t *testing.T) {
	doc, _ := loadTemplate(t, "github-actions.yml")
	jobs, _ := doc["jobs"].(map[string]any)
	job, _ := jobs["scimulator"].(map[string]any)
	if _, ok := doc["on"]; !ok || job == nil || job["runs-on"] == nil {
		t.Fatalf("not a workflow with a scimulator job: %v", doc)
	}
	steps, _ := job["steps"].([]any)
	var scripts []string
	uses := map[string]map[string]any{}
	var runStepEnv map[string]any
	for _, s := range steps {
		step, _ := s.(map[string]any)
		if script, ok := step["run"].(string); ok {
			scripts = append(scripts, script)
			if strings.Contains(script, "scimulator run") {
				runStepEnv, _ = step["env"].(map[string]any)
			}
		}
		if u, ok := step["uses"].(string); ok {
			with, _ := step["with"].(map[string]any)
			uses[strings.Split(u, "@")[0]] = with
			if step["if"] != "always()" && !strings.HasPrefix(u, "actions/checkout") && !strings.HasPrefix(u, "actions/setup-go") {
				t.Errorf("step %s does not run when the suite fails (if: always())", u)
			}
		}
	}
	checkTemplateCommands(t, "github-actions.yml", scripts)
	if runStepEnv["SCIM_URL"] != "${{ secrets.SCIM_URL }}" || runStepEnv["SCIM_TOKEN"] != "${{ secrets.SCIM_TOKEN }}" {
		t.Errorf("the run step's env does not come from secrets: %v", runStepEnv)
	}
	if up := uses["actions/upload-artifact"]; up == nil || up["path"] != "scimulator-report/" {
		t.Errorf("scimulator-report/ is not uploaded as an artifact: %v", up)
	}
	if j := uses["mikepenz/action-junit-report"]; j == nil || j["report_paths"] != "scimulator-report/junit.xml" {
		t.Errorf("the JUnit report is not published: %v", j)
	}
	if !strings.Contains(strings.Join(scripts, "\n"), `cat scimulator-report/summary.md >> "$GITHUB_STEP_SUMMARY"`) {
		t.Error("summary.md does not go into the job summary")
	}
}

// TestGitLabTemplate validates examples/ci/gitlab-ci.yml.
func TestGitLabTemplate(t *testing.T) {
	doc, _ := loadTemplate(t, "gitlab-ci.yml")
	job, _ := doc["scim-conformance"].(map[string]any)
	if job == nil || job["image"] == nil {
		t.Fatalf("no scim-conformance job with an image: %v", doc)
	}
	var scripts []string
	for _, key := range []string{"script", "after_script"} {
		lines, _ := job[key].([]any)
		if len(lines) == 0 {
			t.Errorf("job has no %s", key)
		}
		for _, l := range lines {
			s, _ := l.(string)
			scripts = append(scripts, s)
		}
	}
	checkTemplateCommands(t, "gitlab-ci.yml", scripts)
	art, _ := job["artifacts"].(map[string]any)
	paths, _ := art["paths"].([]any)
	reps, _ := art["reports"].(map[string]any)
	if art["when"] != "always" || !slices.Contains(paths, any("scimulator-report/")) || reps["junit"] != "scimulator-report/junit.xml" {
		t.Errorf("artifacts do not keep scimulator-report/ and publish JUnit: %v", art)
	}
	if !strings.Contains(strings.Join(scripts, "\n"), "cat scimulator-report/summary.md") {
		t.Error("summary.md is not shown in the job")
	}
}
