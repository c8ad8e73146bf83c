package reports

import (
	"fmt"
	"testing"
)

// largeRun is a suite-sized run: 60 scenarios with five exchanges each and a
// failure in every fifth.
func largeRun() Run {
	base := sampleRun()
	run := base
	run.Scenarios = nil
	for i := range 60 {
		s := base.Scenarios[i%2]
		s.Name = fmt.Sprintf("%s %d", s.Name, i)
		s.Exchanges = nil
		for range 5 {
			s.Exchanges = append(s.Exchanges, base.Scenarios[1].Exchanges[0])
		}
		run.Scenarios = append(run.Scenarios, s)
	}
	return run
}

func BenchmarkWriteAll(b *testing.B) {
	run := largeRun()
	dir := b.TempDir()
	for b.Loop() {
		if _, err := WriteAll(dir, run, nil); err != nil {
			b.Fatal(err)
		}
	}
}
