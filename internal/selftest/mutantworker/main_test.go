package main

import "testing"

// TestFailedLine: the progress line of a failed scenario is recognised in
// the current "[n/total]" form and the older "n" form, and no other line is.
func TestFailedLine(t *testing.T) {
	for line, want := range map[string]string{
		"[12/79] FAILED        Users are found":       "Users are found",
		"[ 3/120] FAILED should Users are found":      "should Users are found",
		"[7] FAILED        Users are found":           "Users are found",
		" 12 FAILED        Users are found":           "Users are found",
		"[12/79] PASSED        Users are found":       "",
		"      expected 200 — got FAILED 500":         "",
		"[12/79] scenarios done, 1 failed so far, 3s": "",
	} {
		m := failedLine.FindStringSubmatch(line)
		got := ""
		if m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("failedLine(%q) = %q, want %q", line, got, want)
		}
	}
}
