/**
 * What the report builder is fed and how it counts: the run's own facts
 * (`RunInfo`), each exchange, failure and drift context, the options `finish`
 * settles with, and the per-check tally. `builder.ts` accumulates them and
 * `settle.ts` turns them into verdicts; both read the shapes from here.
 *
 * @since 0.1.0
 */
import type { CheckName } from "../judge/checks.js"
import type { Reservoir } from "./latency.js"
import type { ContractReport, Failure, Invocation, ReportedRequest, ReportSource, RunSettings } from "./model.js"

/**
 * What the report says about the run itself.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunInfo {
  readonly baseUrl: string
  readonly seed: number
  readonly runs: number
  readonly strict: boolean
  /** ISO timestamp of the start. */
  readonly startedAt: string
  /** Checks that were asked for (default: all); the others are reported as not run. */
  readonly selected?: ReadonlySet<CheckName> | undefined
  /** `variant_coverage` fails unless every account type was seen. */
  readonly requireVariants?: boolean | undefined
  readonly settings?: RunSettings | undefined
  /** Who produced the answers (default `suite`). */
  readonly source?: ReportSource | undefined
  readonly invocation?: Invocation | undefined
  /**
   * The suite's `--account-id`s: each must be judged at least once (see
   * {@link ReportBuilder.accountJudged}) while an account check is selected,
   * and none at all is not a pass. Leave it out outside the suite.
   */
  readonly accountIds?: ReadonlyArray<string> | undefined
  /**
   * Masks secrets in every text that goes into a failure (message, body,
   * decode issues, URL, curl line). Applied BEFORE the body is cut, so a key
   * straddling the cut cannot leak in part.
   */
  readonly redact?: ((text: string) => string) | undefined
}

/**
 * One request/answer exchange (one attempt): a new request, or with `retry`
 * another attempt of the request before it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExchangeRecord {
  /** The answer's status; `null` when none came (transport error, timeout). */
  readonly status: number | null
  readonly latencyMs: number
  /** The checks that judged this exchange: their latency summaries include it. */
  readonly checks?: ReadonlyArray<CheckName> | undefined
  /** `true` when this attempt repeats an earlier one (503/504/429 or no answer): an attempt, not a new request. */
  readonly retry?: boolean | undefined
}

/**
 * A violation as a caller sees it; the builder redacts, cuts the body and
 * adds the seed.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailureInput {
  readonly check: CheckName
  readonly message: string
  readonly request: ReportedRequest | null
  readonly status: number | null
  /** The whole body as received (the builder keeps its redacted start). */
  readonly body?: string | undefined
  readonly issues?: ReadonlyArray<string> | undefined
  readonly curl?: string | null | undefined
}

/**
 * The response that first carried an unknown field.
 *
 * @since 0.1.0
 * @category models
 */
export type DriftContext = Omit<FailureInput, "message" | "issues">

/**
 * How `finish` settles what only the caller knows.
 *
 * @since 0.1.0
 * @category models
 */
export interface FinishOptions {
  readonly durationMs: number
  /** Checks that lacked their input, with the flag they need (`needs --foreign-account-id`). */
  readonly notRun?: Partial<Record<CheckName, string>> | undefined
  /** Notes on checks that ran (informational findings). */
  readonly notes?: Partial<Record<CheckName, string>> | undefined
  /**
   * What a selected check that judged nothing becomes: `inconclusive` (the
   * default for the suite, which sends requests for every check) or
   * `not_run` (the default for proxy and HAR, whose traffic need not
   * exercise every check; they judge the session as a whole instead).
   */
  readonly unjudged?: "inconclusive" | "not_run" | undefined
  /** More reasons the run could not be judged (e.g. a proxy session that judged no exchange). */
  readonly inconclusiveReasons?: ReadonlyArray<string> | undefined
  /**
   * The run stopped before its checks sent anything, and why (`cannot reach
   * …`): every check that would have run is inconclusive and this is the
   * run's one reason.
   */
  readonly stopped?: string | undefined
}

/**
 * The accumulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportBuilder {
  /** Counts one attempt (a request, or with `retry` another attempt of it) and its latency. */
  readonly exchange: (record: ExchangeRecord) => void
  /** The check judged `count` more of what it counts (requests, answers: see `CheckUnit`). */
  readonly evaluated: (check: CheckName, count?: number) => void
  /**
   * The check could not judge `count` more of what it counts, and why: a
   * phrase such as `503 after retries`, `gateway page: 503 text/html`,
   * `no answer (ECONNREFUSED)` or `body over the 16 MiB limit (N bytes)`.
   */
  readonly inconclusive: (check: CheckName, count?: number, reason?: string) => void
  /** An answer that no check could judge (the reasons of a check that judged nothing and has none of its own). */
  readonly unjudged: (reason: string) => void
  /** The request for this `--account-id` got an answer from the API, and the checks judged it (pass or fail). */
  readonly accountJudged: (id: string) => void
  /** The request for this `--account-id` got no verdict, and why. */
  readonly accountNotJudged: (id: string, reason: string) => void
  /** A violation (ignored for checks that were not selected). */
  readonly failure: (failure: FailureInput) => void
  /** An account type seen in a 200 answer to a valid key. */
  readonly variantSeen: (type: string) => void
  /** The unknown fields of ONE response (paths from its root). */
  readonly drift: (paths: ReadonlyArray<string | ReadonlyArray<PropertyKey>>, context: DriftContext) => void
  /** ONE response's account type that is none of the 14, kept (`unknownTypes: "keep"`): drift too. */
  readonly unknownType: (type: string, context: DriftContext) => void
  /** Wall time a check took (scenario checks); response checks default to the run's. */
  readonly checkDuration: (check: CheckName, ms: number) => void
  readonly failureCount: (check: CheckName) => number
  readonly finish: (options: FinishOptions) => ContractReport
}

/**
 * What the builder counts for one check.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tally {
  evaluated: number
  inconclusive: number
  readonly reasons: Map<string, number>
  failureCount: number
  readonly failures: Array<Failure>
  durationMs: number | undefined
  readonly latency: Reservoir
}
