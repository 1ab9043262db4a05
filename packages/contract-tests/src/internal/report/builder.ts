/**
 * The one way to build a {@link ContractReport}: the suite engine, the
 * validating proxy and the HAR reader all feed what they see into a
 * builder (exchanges with their latency, per-check verdicts, failures,
 * account types seen, unknown fields) and `finish` turns it into the report
 * every renderer (human, JSON, JUnit, HTML) reads.
 *
 * The builder is a plain accumulator with no effects: callers measure time
 * with `Clock` and call it from `Effect.sync` (or any code). What the counts
 * mean (each counts one thing, see `CheckUnit`) and how they become a
 * verdict is `settle.ts`'s business.
 *
 * @since 0.1.0
 */
import { Account } from "@postpress/schema"
import { type CheckName, checkNames } from "../../ContractCheck.js"
import type {
  ContractReport,
  Failure,
  Invocation,
  LatencySamples,
  ReportedRequest,
  ReportSource,
  RunSettings
} from "../../ContractReport.js"
import { maxFailuresPerCheck, maxLatencySamples } from "../../ContractReport.js"
import { DriftTally } from "./drift.js"
import { Reservoir } from "./latency.js"
import { bump } from "./reasons.js"
import * as Settle from "./settle.js"

/** Characters of a body kept in a failure. */
const BODY_EXCERPT = 300

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
  /** @deprecated the old name of {@link notRun}; merged into it. */
  readonly skipped?: Partial<Record<CheckName, string>> | undefined
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

const byStatus = (a: LatencySamples, b: LatencySamples): number =>
  a.status === null ? 1 : b.status === null ? -1 : a.status - b.status

/**
 * A new builder for one run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (info: RunInfo): ReportBuilder => {
  const selected = info.selected ?? new Set(checkNames)
  const redact = info.redact ?? ((text: string) => text)
  const tallies = new Map<CheckName, Tally>(
    checkNames.map((name) => [
      name,
      {
        evaluated: 0,
        inconclusive: 0,
        reasons: new Map<string, number>(),
        failureCount: 0,
        failures: [],
        durationMs: undefined,
        latency: new Reservoir(maxLatencySamples)
      }
    ])
  )
  const tally = (check: CheckName) => tallies.get(check)!
  const overall = new Reservoir(maxLatencySamples)
  const statuses = new Map<number | null, Reservoir>()
  const seen = new Set<string>()
  const knownTypes: ReadonlySet<string> = new Set(Account.accountTypes)
  const driftTally = new DriftTally<DriftContext>()
  const source = info.source ?? "suite"
  const unjudgedAnswers = new Map<string, number>()
  const judgedAccounts = new Set<string>()
  const accountReasons = new Map<string, Map<string, number>>()
  let requests = 0
  let attempts = 0
  let throttled = 0

  const toFailure = (input: FailureInput): Failure => {
    const shown = redact(input.body ?? "")
    const request =
      input.request === null
        ? null
        : { ...input.request, url: redact(input.request.url), accountId: redact(input.request.accountId) }
    return {
      check: input.check,
      message: redact(input.message),
      request,
      status: input.status,
      body: shown.slice(0, BODY_EXCERPT),
      bodyTruncated: shown.length > BODY_EXCERPT,
      issues: (input.issues ?? []).map(redact),
      seed: info.seed,
      curl: input.curl === undefined || input.curl === null ? null : redact(input.curl)
    }
  }

  const failure = (input: FailureInput): void => {
    if (!selected.has(input.check)) return
    const t = tally(input.check)
    t.failureCount++
    if (t.failures.length < maxFailuresPerCheck) t.failures.push(toFailure(input))
  }

  const finish = (options: FinishOptions): ContractReport => {
    const failOnDrift = info.settings?.failOnDrift === true
    const drift = driftTally.fields()
    if (failOnDrift) {
      for (const field of drift) {
        failure({
          ...field.first,
          message: `drift: the unknown field ${field.path} was in ${field.count} response${field.count === 1 ? "" : "s"} (--fail-on-drift)`,
          issues: [`${field.path}: not in the spec (seen ${field.count}×)`]
        })
      }
    }
    const missing = Account.accountTypes.filter((type) => !seen.has(type))
    const { checks, reasons, verdict } = Settle.settle({
      info,
      options,
      source,
      tally,
      seen,
      missing,
      unjudgedAnswers,
      judgedAccounts,
      accountReasons,
      redact
    })
    return {
      verdict,
      passed: verdict === "pass",
      inconclusiveReasons: reasons,
      source,
      ...(info.invocation === undefined ? {} : { invocation: info.invocation }),
      baseUrl: info.baseUrl,
      seed: info.seed,
      runs: info.runs,
      strict: info.strict,
      startedAt: info.startedAt,
      durationMs: options.durationMs,
      requests,
      attempts,
      retries: attempts - requests,
      variants: { seen: Account.accountTypes.filter((type) => seen.has(type)), missing },
      checks,
      latency: overall.summary(),
      latencySamples: [...statuses]
        .map(([status, r]) => ({ status, count: r.count, samplesMs: [...r.values] }))
        .sort(byStatus),
      throttled,
      drift: {
        unknownFields: drift.map(({ path, count }) => ({ path, count })),
        failOnDrift,
        ...(driftTally.more > 0 ? { more: driftTally.more } : {})
      },
      settings: info.settings ?? {}
    }
  }

  return {
    exchange: (record) => {
      attempts++
      if (record.retry !== true) requests++
      if (record.status === 429) throttled++
      overall.add(record.latencyMs)
      let r = statuses.get(record.status)
      if (r === undefined) {
        r = new Reservoir(maxLatencySamples)
        statuses.set(record.status, r)
      }
      r.add(record.latencyMs)
      for (const check of record.checks ?? []) tally(check).latency.add(record.latencyMs)
    },
    evaluated: (check, count = 1) => {
      tally(check).evaluated += count
    },
    inconclusive: (check, count = 1, reason) => {
      const t = tally(check)
      t.inconclusive += count
      if (reason !== undefined) bump(t.reasons, reason, count)
    },
    unjudged: (reason) => bump(unjudgedAnswers, reason, 1),
    accountJudged: (id) => {
      judgedAccounts.add(id)
    },
    accountNotJudged: (id, reason) => {
      let reasons = accountReasons.get(id)
      if (reasons === undefined) {
        reasons = new Map()
        accountReasons.set(id, reasons)
      }
      bump(reasons, reason, 1)
    },
    failure,
    variantSeen: (type) => {
      if (knownTypes.has(type)) seen.add(type)
    },
    drift: (paths, context) => driftTally.add(paths, context),
    checkDuration: (check, ms) => {
      tally(check).durationMs = ms
    },
    failureCount: (check) => tally(check).failureCount,
    finish
  }
}
