package steps

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/scimulator/scimulator/reports"
)

// Progress timing: a live line redraws its elapsed time every second; a
// plain log gets a "still running" line after a quiet spell, so a run
// against a slow target never looks hung in a CI log.
const (
	liveRedraw     = time.Second
	plainHeartbeat = 30 * time.Second
)

// progress writes a run's progress: one line per finished scenario
// ("[12/79] FAILED  name" and the reason), and either a live counter line
// kept at the bottom of a terminal (done/total, failures so far, elapsed)
// or, when the output is not a terminal, plain lines only, with a
// "still running" line after each quiet spell. Everything the run writes
// to its progress output goes through Write, so a container's logs or a
// clean-up warning never collide with the live line. It is safe for
// concurrent use.
type progress struct {
	mu      sync.Mutex
	out     io.Writer
	live    bool
	total   int
	done    int
	failed  int
	started time.Time
	now     func() time.Time
	// shown is whether the live line is on the screen.
	shown bool
	// last is when the last line was written (plain heartbeats).
	last      time.Time
	heartbeat time.Duration
	// waived says whether a waiver excuses a failed scenario; nil: none.
	waived  func(reports.Scenario) bool
	stop    chan struct{}
	stopped sync.WaitGroup
}

// newProgress returns the progress of a run writing to out; nil when out
// is nil. live keeps a counter line at the bottom (out is a terminal).
func newProgress(out io.Writer, live bool) *progress {
	if out == nil {
		return nil
	}
	return &progress{out: out, live: live, started: time.Now(), now: time.Now, heartbeat: plainHeartbeat}
}

// Write writes b above the live line: the line is cleared first and drawn
// again after b, when b ends a line.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.writeLocked(b)
}

func (p *progress) writeLocked(b []byte) (int, error) {
	p.clearLocked()
	n, err := p.out.Write(b)
	p.last = p.now()
	if err == nil && p.live && len(b) > 0 && b[len(b)-1] == '\n' {
		p.drawLocked()
	}
	return n, err
}

// begin starts the counter for total scenarios and its ticker.
func (p *progress) begin(total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.total, p.started, p.last = total, p.now(), p.now()
	if p.live {
		p.drawLocked()
	}
	p.stop = make(chan struct{})
	p.mu.Unlock()
	every := liveRedraw
	if !p.live {
		every = min(p.heartbeat, time.Second)
	}
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.tick()
			}
		}
	}()
}

// tick redraws the live line, or writes a heartbeat after a quiet spell.
func (p *progress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.live:
		p.clearLocked()
		p.drawLocked()
	case p.now().Sub(p.last) >= p.heartbeat:
		_, _ = fmt.Fprintf(p.out, "%s still running: %s\n", p.counterLocked(), p.tallyLocked())
		p.last = p.now()
	}
}

// end stops the ticker and clears the live line.
func (p *progress) end() {
	if p == nil || p.stop == nil {
		return
	}
	close(p.stop)
	p.stopped.Wait()
	p.mu.Lock()
	p.clearLocked()
	p.stop = nil
	p.mu.Unlock()
}

// finished counts a scenario and writes its line. Names, reasons and
// failures can quote the target: trim escapes them.
func (p *progress) finished(sc reports.Scenario) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	status := sc.Status
	if status != reports.StatusPassed && status != reports.StatusSkipped && status != reports.StatusNotSupported {
		if p.waived != nil && p.waived(sc) {
			status = reports.StatusWaived
		} else {
			p.failed++
		}
	}
	label := strings.ToUpper(string(status))
	if status != reports.StatusWaived && sc.Failure != nil && sc.Failure.Level != "" {
		// Issue 12: "FAILED should" reads differently from "FAILED okta".
		label += " " + string(sc.Failure.Level)
	}
	line := fmt.Sprintf("%s %-13s %s", p.counterLocked(), label, trim(sc.Name, 200))
	switch {
	case sc.Failure != nil:
		line += "\n      " + trim(sc.Failure.Expected+" — got "+sc.Failure.Actual, 200)
	case sc.SkipReason != "":
		line += "\n      " + trim(sc.SkipReason, 500)
	}
	_, _ = p.writeLocked([]byte(line + "\n"))
}

// counterLocked is "[12/79]", or "[12]" when the total is unknown.
func (p *progress) counterLocked() string {
	if p.total > 0 {
		w := len(fmt.Sprint(p.total))
		return fmt.Sprintf("[%*d/%d]", w, p.done, p.total)
	}
	return fmt.Sprintf("[%d]", p.done)
}

// tallyLocked is "3 failed so far, 1m20s elapsed".
func (p *progress) tallyLocked() string {
	return fmt.Sprintf("%d failed so far, %s elapsed", p.failed, p.now().Sub(p.started).Round(time.Second))
}

// drawLocked writes the live line (no newline: the next clear erases it).
func (p *progress) drawLocked() {
	_, _ = fmt.Fprintf(p.out, "%s scenarios done, %s", p.counterLocked(), p.tallyLocked())
	p.shown = true
}

// clearLocked erases the live line: carriage return, then ANSI "erase in
// line" (ECMA-48 EL, CSI 2 K).
func (p *progress) clearLocked() {
	if p.shown {
		_, _ = io.WriteString(p.out, "\r\x1b[2K")
		p.shown = false
	}
}
