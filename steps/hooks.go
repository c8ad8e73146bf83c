package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/scimulator/scimulator/reports"
	"github.com/scimulator/scimulator/simulator"
)

// initScenario registers the hooks and step definitions for one scenario.
func (s *suiteState) initScenario(sc *godog.ScenarioContext) {
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		w := &World{suite: s, suffix: newSuffix(), users: map[string]*user{}, results: map[string]simulator.Result{},
			extraHeaders: http.Header{}, started: time.Now()}
		ctx = context.WithValue(ctx, worldKey{}, w)
		tags := pickleTags(p)
		c := s.shared
		if c == nil {
			var err error
			if c, err = newInProcess(s.profile.InProcess); err != nil {
				return ctx, err
			}
		}
		w.conn = c
		w.scenarioRule, w.tags = s.rules[firstID(p.AstNodeIds)], tags
		w.filtersDeclinable = s.filtersDeclinable && slices.Contains(tags, string(TagRFC))
		w.traffic = s.profile.Traffic
		w.addSecret(c.secret)
		if c.admin != nil {
			w.addSecret(c.admin.Auth.Secret)
		}
		if status, reason := s.unmet(tags, c.admin != nil); status != "" {
			return ctx, w.skip(status, reason)
		}
		return ctx, nil
	})
	sc.StepContext().Before(func(ctx context.Context, st *godog.Step) (context.Context, error) {
		if w := worldFrom(ctx); w != nil {
			w.stepText, w.stepStart = st.Text, time.Now()
			w.rule, w.stepFailed, w.advice = Rule{}, false, nil
		}
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		w := worldFrom(ctx)
		if w == nil {
			return ctx, err
		}
		rs := reports.Step{Keyword: s.keywords[firstID(st.AstNodeIds)], Text: st.Text, Line: s.lines[firstID(st.AstNodeIds)],
			Status: stepStatus(status), Duration: time.Since(w.stepStart)}
		if w.stepStart.IsZero() {
			rs.Duration = 0
		}
		if err != nil && !errors.Is(err, godog.ErrSkip) {
			rs.Error = err.Error()
		}
		if err != nil && !errors.Is(err, godog.ErrSkip) && !w.stepFailed {
			// Not a check's failure (those go through World.failAs): a
			// scenario error, an undefined step, a failed operation. No
			// rule was checked, so it is an error whatever --fail-on says.
			f := reports.Failure{Step: st.Text, Level: reports.LevelError, Citation: harnessRule.Cite, Actual: err.Error()}
			if rs.Status == reports.StatusUndefined {
				f.Expected, f.Actual = "a step definition", "undefined step"
			}
			w.failures = append(w.failures, f)
		}
		if w.stepFailed && rs.Status == reports.StatusPassed {
			// Advice only: the step's check failed at should level and the
			// scenario went on (World.failAs).
			rs.Status, rs.Error = reports.StatusFailed, strings.Join(w.advice, "; ")
		}
		w.steps = append(w.steps, rs)
		w.stepStart = time.Time{}
		return ctx, err
	})
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		w := worldFrom(ctx)
		if w == nil {
			// Before failed before a World existed: still record it.
			s.add(reports.Scenario{Feature: s.features[p.Uri], URI: p.Uri, Name: p.Name, Tags: pickleTags(p),
				Status: reports.StatusFailed, Level: reports.LevelError, Citation: harnessRule.Cite,
				Failure: &reports.Failure{Step: "(set-up)", Level: reports.LevelError, Citation: harnessRule.Cite, Actual: fmt.Sprint(err)}})
			return ctx, err
		}
		w.finish(ctx, p, err)
		return ctx, err
	})
	registerStepDefs(stepDefs{sc: sc, patterns: &s.patterns})
}

// finish restores what the scenario changed, closes its server and adds
// its record.
func (w *World) finish(ctx context.Context, p *godog.Scenario, err error) {
	s := w.suite
	for i := len(w.restores) - 1; i >= 0; i-- {
		if rerr := w.restores[i](context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = fmt.Errorf("restore target settings: %w", rerr)
			w.failAs(harnessRule, "the settings the scenario changed to be restored", rerr.Error(), nil, "", "")
		}
	}
	rec := reports.Scenario{Feature: s.features[p.Uri], URI: p.Uri, Name: p.Name, Line: s.lines[firstID(p.AstNodeIds)],
		Tags: pickleTags(p), Duration: time.Since(w.started), Steps: w.steps}
	if len(p.AstNodeIds) > 1 {
		rec.Line = s.lines[p.AstNodeIds[len(p.AstNodeIds)-1]]
	}
	rec.Basis, rec.Source = scenarioBasis(rec.Tags)
	w.appendOktaExchanges()
	// After the restores (a target whose SCIM a scenario turned off takes
	// the DELETEs again) and after the Okta transcript is in, since the
	// users Okta created are found there.
	w.cleanUp(ctx)
	w.mu.Lock()
	rec.Exchanges = append(rec.Exchanges, w.exchanges...)
	w.mu.Unlock()
	failedStep := false
	for _, st := range w.steps {
		if st.Status == reports.StatusFailed || st.Status == reports.StatusUndefined {
			failedStep = true
		}
	}
	switch {
	case err != nil && !errors.Is(err, godog.ErrSkip), failedStep, len(w.failures) > 0:
		rec.Status = reports.StatusFailed
		rec.Failure = worstFailure(w.failures)
		if len(w.failures) > 1 {
			rec.Failures = w.failures
		}
		if rec.Failure == nil {
			// A hook's error, outside any step.
			rec.Failure = &reports.Failure{Step: w.stepText, Level: reports.LevelError, Citation: harnessRule.Cite, Actual: fmt.Sprint(err)}
		}
		rec.Level, rec.Citation = rec.Failure.Level, rec.Failure.Citation
	case w.skipReason != "":
		rec.Status, rec.SkipReason = w.skipStatus, w.skipReason
	case w.everyFilterDeclined() != "":
		rec.Status, rec.SkipReason = reports.StatusSkipped, w.everyFilterDeclined()
	default:
		rec.Status = reports.StatusPassed
	}
	if w.conn != nil && !w.conn.shared && w.conn.close != nil {
		w.conn.close()
	}
	s.add(rec)
}

// worstFailure is the first failure at the worst level among fs, the one
// that decides the scenario's outcome; nil when fs is empty.
func worstFailure(fs []reports.Failure) *reports.Failure {
	var worst *reports.Failure
	for i := range fs {
		if worst == nil || fs[i].Level.Worse(worst.Level) {
			worst = &fs[i]
		}
	}
	if worst == nil {
		return nil
	}
	f := *worst
	return &f
}

func stepStatus(s godog.StepResultStatus) reports.Status {
	switch s {
	case godog.StepPassed:
		return reports.StatusPassed
	case godog.StepSkipped:
		return reports.StatusSkipped
	case godog.StepUndefined, godog.StepPending, godog.StepAmbiguous:
		return reports.StatusUndefined
	}
	return reports.StatusFailed
}

func pickleTags(p *godog.Scenario) []string {
	out := make([]string, len(p.Tags))
	for i, t := range p.Tags {
		out[i] = t.Name
	}
	return out
}

func firstID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// scenarioBasis says where the rule a scenario checks comes from.
func scenarioBasis(tags []string) (reports.Basis, string) {
	for _, t := range tags {
		switch Tag(t) {
		case TagCortex:
			return reports.BasisDocumented, "Cortex article \"Configuring Okta SCIM for Cortex\"; SPEC §1"
		}
	}
	for _, t := range tags {
		if Tag(t) == TagEntra {
			return reports.BasisDocumented, "Microsoft Learn: SCIM endpoint tutorial and SCIM known issues (Entra ID provisioning); RFC 7644"
		}
	}
	return reports.BasisDocumented, "Okta SCIM documentation and OIN test suites; RFC 7644; SPEC §2"
}
