package doctor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/termsafe"
)

// WriteJSON writes the report as indented JSON (the --json output).
func (r Report) WriteJSON(w io.Writer) error { return writeJSON(w, r) }

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write doctor report: %w", err)
	}
	// The target's DEL and C1 characters as \u escapes: the same JSON,
	// safe on the terminal it is printed to (issue 11).
	if _, err := w.Write(termsafe.JSON(buf.Bytes())); err != nil {
		return fmt.Errorf("write doctor report: %w", err)
	}
	return nil
}

// WriteText writes the report for a person: Okta's request and answer, the
// message Okta shows, then each finding with its evidence and fix.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Okta Test API Credentials against %s\n\n", r.URL)
	sent := "Okta sent  "
	if r.Okta.OverHTTP != nil {
		sent = "doctor sent" // Okta itself would not send it over HTTP
	}
	writeExchanges(&b, sent, r.Exchanges)
	fmt.Fprintf(&b, "\nOkta shows: %s%s\n", shown(r.Okta.Message, 0), provenanceNote(r.Okta.Provenance))
	if o := r.Okta.OverHTTP; o != nil {
		fmt.Fprintf(&b, "  (doctor's run over HTTP anyway got: %s%s — Okta itself never gets this far)\n", shown(o.Message, 0), provenanceNote(o.Provenance))
	}
	writeFindings(&b, r.Findings)
	if len(r.Deep) > 0 {
		b.WriteString("\nRound trip (--deep)\n")
		for _, s := range r.Deep {
			mark := "FAIL"
			switch {
			case s.Skipped:
				mark = "SKIP"
			case s.OK:
				mark = " ok "
			}
			fmt.Fprintf(&b, "  [%s] %s", mark, s.Step)
			if s.Request != "" {
				fmt.Fprintf(&b, ": %s", shown(s.Request, 200))
				if s.Status != 0 {
					fmt.Fprintf(&b, " → %d", s.Status)
				}
			}
			fmt.Fprintf(&b, "\n         %s\n", shown(s.Detail, maxShownEvidence))
		}
	}
	if r.OK {
		b.WriteString("\nResult: Okta would say the connection works.\n")
	} else {
		b.WriteString("\nResult: Okta would NOT accept this connection.\n")
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write doctor report: %w", err)
	}
	return nil
}

// provenanceNote marks a message whose wording is not documented Okta text.
func provenanceNote(p string) string {
	switch p {
	case "", "documented":
		return ""
	case ProvenanceDoctor:
		return " [doctor's explanation: Okta shows no message for this]"
	}
	return fmt.Sprintf(" [wording %s]", p)
}

func label(s Severity) string {
	switch s {
	case SeverityError:
		return "ERROR"
	case SeverityWarning:
		return "WARN"
	}
	return "info"
}

// maxShownEvidence bounds an evidence or detail line: it quotes the target.
const maxShownEvidence = 400

// shown is how every value in the text report is printed: on one line,
// with what a terminal would act on escaped and cut to n runes (0: no
// limit). Most values quote the target (bodies, headers, error details, the
// messages Okta builds from them), so all are treated alike (issue 11).
func shown(s string, n int) string { return termsafe.OneLine(s, n) }

// writeExchanges prints each request sent (prefixed by sent) and its answer.
func writeExchanges(b *strings.Builder, sent string, exs []Exchange) {
	for _, e := range exs {
		fmt.Fprintf(b, "  %s %s %s\n", sent, e.Method, shown(e.URL, 0))
		if e.Status != 0 {
			ct := ""
			if e.ContentType != "" {
				ct = " (" + shown(e.ContentType, 100) + ")"
			}
			fmt.Fprintf(b, "  answer      %d %s%s in %s\n", e.Status, shown(strings.TrimPrefix(e.StatusText, fmt.Sprint(e.Status)+" "), 100), ct, e.Duration.Round(time.Millisecond))
			if e.Body != "" {
				fmt.Fprintf(b, "  body        %s\n", shown(e.Body, 160))
			}
			if e.Error != "" { // the body was not read in full
				fmt.Fprintf(b, "  then        %s\n", shown(e.Error, 200))
			}
		} else {
			fmt.Fprintf(b, "  no answer   %s after %s\n", shown(e.Error, 200), e.Duration.Round(time.Millisecond))
		}
	}
}

// writeFindings prints the diagnosis: each finding with evidence and fix.
func writeFindings(b *strings.Builder, findings []Finding) {
	if len(findings) > 0 {
		b.WriteString("\nDiagnosis\n")
	}
	for _, f := range findings {
		fmt.Fprintf(b, "\n  [%s] %s\n", label(f.Severity), shown(f.Title, 0))
		if f.Evidence != "" {
			fmt.Fprintf(b, "    evidence: %s\n", shown(f.Evidence, maxShownEvidence))
		}
		if f.Why != "" {
			fmt.Fprintf(b, "    why:      %s\n", shown(f.Why, 0))
		}
		for i, fix := range f.Fix {
			head := "    fix:      "
			if i > 0 {
				head = "              "
			}
			fmt.Fprintf(b, "%s%s\n", head, shown(fix, 0))
		}
	}
}
