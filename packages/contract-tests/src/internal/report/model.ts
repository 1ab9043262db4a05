/**
 * The report model: what every source (the suite, the proxy, the HAR
 * reader) produces and every renderer (human, JSON, JUnit, HTML) reads. The
 * `ContractReport` face exports it with its renderings.
 *
 * @since 0.1.0
 */
import type { CheckName } from "../judge/checks.js"
import type { CheckUnit, ReasonCount } from "./reasons.js"

/**
 * The check catalogue as the report names it (the renderers read check
 * names through the report model, never from the judge).
 *
 * @internal
 */
export { type CheckName, isCheckName } from "../judge/checks.js"

/**
 * What a check's numbers count: `requests` (a scenario check: each request
 * it sent, judged on its final answer; retries are not requests), `answers`
 * (a response check: every answer received, retries included), `account
 * types` (`variant_coverage`).
 *
 * @since 0.1.0
 * @category models
 */
export type Unit = CheckUnit

/**
 * How many of a check's requests or answers were not judged for one reason
 * (`gateway page: 503 text/html`, `no answer (ECONNREFUSED)`).
 *
 * @since 0.1.0
 * @category models
 */
export type NotJudged = ReasonCount

/**
 * One request as reported.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportedRequest {
  readonly method: "GET"
  /** The full URL with the id percent-encoded as one segment. */
  readonly url: string
  /** The id as given, before encoding. */
  readonly accountId: string
  readonly credentials: "valid" | "missing" | "invalid"
}

/**
 * One violation, with everything needed to reproduce it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly check: CheckName
  readonly message: string
  /** `null` for a finding about the run as a whole (e.g. missing variants). */
  readonly request: ReportedRequest | null
  /** `null` when no response arrived (transport error) or there was no request. */
  readonly status: number | null
  /** The start of the body, redacted. */
  readonly body: string
  readonly bodyTruncated: boolean
  /** Decode problems, one `path: expected X, got Y` line each. */
  readonly issues: ReadonlyArray<string>
  readonly seed: number
  /** A `curl` line reproducing the request, with `X-API-KEY: ***`. */
  readonly curl: string | null
}

/**
 * The status of one check:
 *
 * - `pass`: it judged at least one answer and found no violation;
 * - `fail`: it found at least one violation;
 * - `inconclusive`: it was selected and had its input, but judged nothing
 *   (every answer was 503/504/429 after retries, a gateway page or another
 *   answer that was not the API's, no answer, over the body limit, or there
 *   was nothing it could judge); its `note` says why;
 * - `not_run`: it was not selected, or lacked its input; its `note` names
 *   the missing flag (`needs --foreign-account-id`). Never makes a run
 *   inconclusive.
 *
 * @since 0.1.0
 * @category models
 */
export type CheckStatus = "pass" | "fail" | "inconclusive" | "not_run"

/**
 * The verdict of a run: `fail` when any violation was found (even if other
 * things could not be judged), else `inconclusive` when anything the run
 * claims to check could not be judged (see
 * {@link ContractReport.inconclusiveReasons}), else `pass`.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict = "pass" | "fail" | "inconclusive"

/**
 * Where a report's answers came from: the suite's own requests, the
 * validating proxy's traffic, or a HAR file. Renderers show only what applies.
 *
 * @since 0.1.0
 * @category models
 */
export type ReportSource = "suite" | "proxy" | "har"

/**
 * How the run was started, for reproducing it. `argv` never holds the API
 * key (the key travels in an environment variable, which is not argv).
 *
 * @since 0.1.0
 * @category models
 */
export interface Invocation {
  readonly tool: string
  readonly version: string
  readonly argv: ReadonlyArray<string>
  readonly accountIds: ReadonlyArray<string>
}

/**
 * The verdict of one check.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckResult {
  readonly name: CheckName
  readonly description: string
  readonly status: CheckStatus
  /** Why a check was not run or is inconclusive, or what an informational check found. */
  readonly note?: string
  /** What `evaluated` and `inconclusive` count (see {@link Unit}); absent in reports of older versions. */
  readonly unit?: Unit
  /** How many requests (or answers, see `unit`) the check judged. */
  readonly evaluated: number
  /**
   * How many it could not judge: no answer, an answer that was not the API's
   * (a gateway page, a cache answer), 503/504/429 after the retries, a body
   * over the limit. `notJudged` says why, grouped.
   */
  readonly inconclusive: number
  /** Why `inconclusive` requests or answers were not judged, most frequent first. */
  readonly notJudged?: ReadonlyArray<NotJudged>
  readonly failureCount: number
  /** The first failures (at most {@link maxFailuresPerCheck}). */
  readonly failures: ReadonlyArray<Failure>
  readonly durationMs: number
  /** Latency of the exchanges this check judged. */
  readonly latency?: LatencySummary
}

/**
 * Latency percentiles in milliseconds (nearest rank). `count` is the number
 * of exchanges measured; all zero when there were none.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencySummary {
  readonly count: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

/**
 * The measured latencies of the exchanges that got one answer status
 * (`null`: no answer, a transport error or a timeout), for histograms.
 * Beyond {@link maxLatencySamples} exchanges a uniform sample is kept.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencySamples {
  readonly status: number | null
  /** Exchanges with this status (exact, even when `samplesMs` is a sample). */
  readonly count: number
  readonly samplesMs: ReadonlyArray<number>
}

/**
 * An unknown field seen in answers (a field the spec does not know yet):
 * its path from the body's root (`connection_params.im.new_flag`, array
 * items as `[]`) and how many responses carried it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DriftField {
  readonly path: string
  readonly count: number
}

/**
 * What the server sends beyond the spec.
 *
 * @since 0.1.0
 * @category models
 */
export interface Drift {
  readonly unknownFields: ReadonlyArray<DriftField>
  /** `true` when the run treated drift as a failure (`--fail-on-drift`). */
  readonly failOnDrift: boolean
  /** Occurrences of unknown fields beyond the first 1,000 paths: counted, not listed (memory stays bounded). */
  readonly more?: number
}

/**
 * How gently and strictly the run was configured (shown by the reports).
 *
 * @since 0.1.0
 * @category models
 */
export interface RunSettings {
  /** Requests in flight at most. */
  readonly concurrency?: number
  /** Requests per second over the whole run, retries included; absent: no limit. */
  readonly rateLimit?: number
  /** Answers slower than this are `response_time` violations. */
  readonly maxResponseTimeMs?: number
  readonly failOnDrift?: boolean
  /** Bodies larger than this are not judged (default `BodyLimit.defaultMaxBytes`, 16 MiB). */
  readonly maxBodyBytes?: number
}

/**
 * The whole run.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractReport {
  /** See {@link Verdict}. */
  readonly verdict: Verdict
  /** `verdict === "pass"`. */
  readonly passed: boolean
  /**
   * One human line per reason the run could not be judged
   * (`response_schema: 0 judged: 48 answers were 503 after retries`,
   * `account "acc_1" never judged: ...`); empty when everything was judged.
   */
  readonly inconclusiveReasons: ReadonlyArray<string>
  readonly source: ReportSource
  readonly invocation?: Invocation
  readonly baseUrl: string
  readonly seed: number
  readonly runs: number
  readonly strict: boolean
  readonly startedAt: string
  readonly durationMs: number
  /**
   * Requests sent, each counted once however many attempts it took (the
   * suite's first, unjudged-by-scenario request included); the proxy and the
   * HAR reader count each exchange.
   */
  readonly requests: number
  /** Attempts: every request plus every retry (absent in reports of older versions: equal to `requests`). */
  readonly attempts?: number
  /** Attempts that repeated a request: `attempts - requests`. */
  readonly retries: number
  readonly variants: { readonly seen: ReadonlyArray<string>; readonly missing: ReadonlyArray<string> }
  readonly checks: ReadonlyArray<CheckResult>
  /** Latency of every exchange (every attempt). */
  readonly latency?: LatencySummary
  /** Latency samples grouped by answer status, ordered by status (no answer last). */
  readonly latencySamples?: ReadonlyArray<LatencySamples>
  /** Answers that were 429 (throttled), retried ones included. */
  readonly throttled?: number
  readonly drift?: Drift
  readonly settings?: RunSettings
}

/**
 * Failures kept per check; the count is always exact.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxFailuresPerCheck = 50

/**
 * Latency samples kept per answer status; the percentiles of a longer run
 * (a proxy judging traffic for hours) come from a uniform sample of this size.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLatencySamples = 10_000

/**
 * The checks that failed.
 *
 * @since 0.1.0
 * @category accessors
 */
export const failedChecks = (report: ContractReport): ReadonlyArray<CheckName> =>
  report.checks.filter((c) => c.status === "fail").map((c) => c.name)
