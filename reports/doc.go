// Package reports turns the result record of one conformance run into the
// artefacts people and CI read: JUnit XML, Cucumber JSON, a HAR transcript, a
// self-contained HTML conformance report, a Markdown summary for CI job pages
// and a one-screen terminal summary (SPEC §3.4).
//
// It knows results, not godog: the suite fills a Run (one Scenario per
// executed, skipped or unsupported scenario, with its steps and the HTTP
// exchanges the simulated Okta org made) and calls WriteAll and WriteSummary.
// Every writer redacts the record again before writing, so a secret that
// slipped past the producer still never reaches an artefact.
package reports
