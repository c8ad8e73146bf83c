package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteJSON writes the report as indented JSON (the --json output).
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
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
	for _, e := range r.Exchanges {
		fmt.Fprintf(&b, "  %s %s %s\n", sent, e.Method, e.URL)
		if e.Status != 0 {
			ct := ""
			if e.ContentType != "" {
				ct = " (" + e.ContentType + ")"
			}
			fmt.Fprintf(&b, "  answer      %d %s%s in %s\n", e.Status, strings.TrimPrefix(e.StatusText, fmt.Sprint(e.Status)+" "), ct, e.Duration.Round(time.Millisecond))
			if e.Body != "" {
				fmt.Fprintf(&b, "  body        %s\n", oneLine(e.Body, 160))
			}
		} else {
			fmt.Fprintf(&b, "  no answer   %s after %s\n", oneLine(e.Error, 200), e.Duration.Round(time.Millisecond))
		}
	}
	fmt.Fprintf(&b, "\nOkta shows: %s%s\n", r.Okta.Message, provenanceNote(r.Okta.Provenance))
	if o := r.Okta.OverHTTP; o != nil {
		fmt.Fprintf(&b, "  (doctor's run over HTTP anyway got: %s%s — Okta itself never gets this far)\n", o.Message, provenanceNote(o.Provenance))
	}

	if len(r.Findings) > 0 {
		b.WriteString("\nDiagnosis\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n  [%s] %s\n", label(f.Severity), f.Title)
		if f.Evidence != "" {
			fmt.Fprintf(&b, "    evidence: %s\n", f.Evidence)
		}
		if f.Why != "" {
			fmt.Fprintf(&b, "    why:      %s\n", f.Why)
		}
		for i, fix := range f.Fix {
			head := "    fix:      "
			if i > 0 {
				head = "              "
			}
			fmt.Fprintf(&b, "%s%s\n", head, fix)
		}
	}
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
				fmt.Fprintf(&b, ": %s", s.Request)
				if s.Status != 0 {
					fmt.Fprintf(&b, " → %d", s.Status)
				}
			}
			fmt.Fprintf(&b, "\n         %s\n", s.Detail)
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

// oneLine flattens s and cuts it to n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
