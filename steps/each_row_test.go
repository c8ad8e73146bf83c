package steps

import (
	"errors"
	"strings"
	"testing"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/scimulator/scimulator/reports"
)

func table(rows ...[]string) *messages.PickleTable {
	t := &messages.PickleTable{}
	for _, r := range rows {
		var cells []*messages.PickleTableCell
		for _, v := range r {
			cells = append(cells, &messages.PickleTableCell{Value: v})
		}
		t.Rows = append(t.Rows, &messages.PickleTableRow{Cells: cells})
	}
	return t
}

// TestEachRowReportsEveryFailingRow: a failing row does not hide the rows
// after it; later failures say they may follow from the first; the step's
// error counts them.
func TestEachRowReportsEveryFailingRow(t *testing.T) {
	w := &World{rule: must("test rule")}
	var ran []string
	err := w.eachRow(table([]string{"v"}, []string{"a"}, []string{"bad1"}, []string{"b"}, []string{"bad2"}), []string{"v"}, func(row []string) error {
		ran = append(ran, row[0])
		w.lastEx = &reports.Exchange{Status: 200}
		if strings.HasPrefix(row[0], "bad") {
			return w.fail("ok", row[0], nil, "", "")
		}
		return nil
	})
	if strings.Join(ran, ",") != "a,bad1,b,bad2" {
		t.Errorf("rows run: %v, want all four", ran)
	}
	if err == nil || !strings.Contains(err.Error(), "got bad1") || !strings.Contains(err.Error(), "1 more rows of the table failed") {
		t.Errorf("error %v, want the first failure and the count of the others", err)
	}
	if len(w.failures) != 2 || strings.Contains(w.failures[0].Actual, "earlier row") || !strings.Contains(w.failures[1].Actual, "earlier row") {
		t.Errorf("failures %+v, want two, the second marked as following an earlier row", w.failures)
	}
}

// TestEachRowStopsWithoutAnAnswer: a row that got no HTTP answer, or a
// scenario error, ends the table there.
func TestEachRowStopsWithoutAnAnswer(t *testing.T) {
	for name, fn := range map[string]func(w *World, row string) error{
		"no answer": func(w *World, row string) error {
			w.lastEx = &reports.Exchange{Status: 0, Error: "connection reset"}
			return w.fail("an answer", "none", w.lastEx, "", "")
		},
		"scenario error": func(w *World, row string) error { return errors.New("scenario error: bad row") },
	} {
		w := &World{rule: must("test rule")}
		n := 0
		err := w.eachRow(table([]string{"v"}, []string{"x"}, []string{"y"}), []string{"v"}, func(row []string) error {
			n++
			return fn(w, row[0])
		})
		if err == nil || n != 1 {
			t.Errorf("%s: ran %d rows (error %v), want to stop after the first", name, n, err)
		}
	}
}

// TestEachRowKeepsBothErrorsWhenItStops: a table that stops at a row
// without an answer after an earlier failing row says both.
func TestEachRowKeepsBothErrorsWhenItStops(t *testing.T) {
	w := &World{rule: must("test rule")}
	err := w.eachRow(table([]string{"v"}, []string{"bad"}, []string{"silent"}, []string{"never"}), []string{"v"}, func(row []string) error {
		switch row[0] {
		case "bad":
			w.lastEx = &reports.Exchange{Status: 400}
			return w.fail("ok", "bad", w.lastEx, "", "")
		case "silent":
			w.lastEx = &reports.Exchange{Error: "read: connection reset"}
			return w.fail("an answer", "silence", w.lastEx, "", "")
		}
		t.Errorf("row %q ran after a row without an answer", row[0])
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "got bad") || !strings.Contains(err.Error(), "got silence") {
		t.Errorf("error %v, want both the first failure and the one that stopped the table", err)
	}
}
