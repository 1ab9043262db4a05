/**
 * The report as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub
 * test reporters) read: one `<testcase>` per check (its `time` is the
 * check's duration), a `<failure>` holding the human rendering of its
 * failures, an `<error>` for a check that could not judge anything (an
 * inconclusive run is never all green), `<skipped>` for checks not run
 * (with the flag they need); every other reason the run could not be judged
 * as a `<testcase name="inconclusive">` with an `<error>`; the verdict, the
 * run's settings, latency
 * percentiles (overall and per check) and drift as `<property>`s.
 *
 * Written by hand (it is small) with full escaping: hostile ids put NUL,
 * bidi overrides and lone surrogates into failure text, and characters XML
 * 1.0 forbids are rendered as `\u{…}` instead of corrupting the file.
 *
 * @since 0.1.0
 */
export * from "./internal/render/junit.js"
