package reports

import "testing"

func TestCountsAndPassed(t *testing.T) {
	sc := func(st Status) Scenario { return Scenario{Feature: "f", Name: string(st), Status: st} }
	tests := []struct {
		name   string
		in     []Status
		want   Counts
		passed bool
	}{
		{"no scenarios ran", nil, Counts{}, false},
		{"all passed", []Status{StatusPassed, StatusPassed}, Counts{Total: 2, Passed: 2}, true},
		{"one failed", []Status{StatusPassed, StatusFailed}, Counts{Total: 2, Passed: 1, Failed: 1, Levels: LevelCounts{Error: 1}}, false},
		{"one skipped", []Status{StatusPassed, StatusSkipped}, Counts{Total: 2, Passed: 1, Skipped: 1}, false},
		{"one not supported", []Status{StatusPassed, StatusNotSupported}, Counts{Total: 2, Passed: 1, NotSupported: 1}, false},
		{"only skipped", []Status{StatusSkipped}, Counts{Total: 1, Skipped: 1}, false},
		{"unknown status counts as failed", []Status{StatusPassed, "bogus"}, Counts{Total: 2, Passed: 1, Failed: 1, Levels: LevelCounts{Error: 1}}, false},
		{"undefined status counts as failed", []Status{StatusUndefined}, Counts{Total: 1, Failed: 1, Levels: LevelCounts{Error: 1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Run
			for _, st := range tt.in {
				r.Scenarios = append(r.Scenarios, sc(st))
			}
			if got := r.Counts(); got != tt.want {
				t.Errorf("Counts() = %+v, want %+v", got, tt.want)
			}
			if got := r.Passed(); got != tt.passed {
				t.Errorf("Passed() = %v, want %v", got, tt.passed)
			}
		})
	}
}
