/**
 * The one way to build a {@link ContractReport}: the suite engine, the
 * validating proxy and the HAR reader all feed what they see into a
 * builder (exchanges with their latency, per-check verdicts, failures,
 * account types seen, unknown fields) and `finish` turns it into the report
 * every renderer (human, JSON, JUnit, HTML) reads.
 *
 * The builder is a plain accumulator with no effects: callers measure time
 * with `Clock` and call it from `Effect.sync` (or any code).
 *
 * @since 0.1.0
 */
import { Account } from "@postpress/schema"
import { type CheckName, checkNames, descriptions, responseChecks } from "../../ContractCheck.js"
import type {
  CheckResult,
  ContractReport,
  Failure,
  LatencySamples,
  ReportedRequest,
  RunSettings
} from "../../ContractReport.js"
import { maxFailuresPerCheck, maxLatencySamples } from "../../ContractReport.js"
import { DriftTally } from "./drift.js"
import { Reservoir } from "./latency.js"

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
  /** Checks that were asked for (default: all); the others are reported as skipped. */
  readonly selected?: ReadonlySet<CheckName> | undefined
  /** `variant_coverage` fails unless every account type was seen. */
  readonly requireVariants?: boolean | undefined
  readonly settings?: RunSettings | undefined
  /**
   * Masks secrets in every text that goes into a failure (message, body,
   * decode issues, URL, curl line). Applied BEFORE the body is cut, so a key
   * straddling the cut cannot leak in part.
   */
  readonly redact?: ((text: string) => string) | undefined
}

/**
 * One request/answer exchange (one attempt).
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
  /** `true` when this attempt repeats an earlier one (503/504/429 or no answer). */
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
  /** Checks to report as skipped, with the reason (e.g. "no --foreign-account-id"). */
  readonly skipped?: Partial<Record<CheckName, string>> | undefined
  /** Notes on checks that ran (informational findings). */
  readonly notes?: Partial<Record<CheckName, string>> | undefined
}

/**
 * The accumulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportBuilder {
  /** Counts one request (retries included) and its latency. */
  readonly exchange: (record: ExchangeRecord) => void
  /** The check judged `count` more responses or inputs. */
  readonly evaluated: (check: CheckName, count?: number) => void
  /** The check got no verdict on `count` requests (503/504/429 after the retries). */
  readonly inconclusive: (check: CheckName, count?: number) => void
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

interface Tally {
  evaluated: number
  inconclusive: number
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
  let requests = 0
  let retries = 0
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
    const checks = checkNames.map((name): CheckResult => {
      const t = tally(name)
      const base = {
        name,
        description: descriptions[name],
        evaluated: t.evaluated,
        inconclusive: t.inconclusive,
        failureCount: t.failureCount,
        failures: t.failures,
        durationMs: t.durationMs ?? (responseChecks.includes(name) ? options.durationMs : 0),
        latency: t.latency.summary()
      }
      const note = options.notes?.[name]
      const withNote = note === undefined ? base : { ...base, note }
      if (!selected.has(name)) return { ...base, status: "skip", note: "not selected" }
      const skipped = options.skipped?.[name]
      if (skipped !== undefined) return { ...base, status: "skip", note: skipped }
      if (name === "variant_coverage") return variantResult(base, seen.size, missing, info)
      if (t.failureCount > 0) return { ...withNote, status: "fail" }
      if (t.evaluated === 0) {
        return {
          ...base,
          status: "skip",
          note: note ?? (t.inconclusive > 0 ? "every answer was 503/504/429 after retries" : "nothing to judge")
        }
      }
      return { ...withNote, status: "pass" }
    })
    return {
      passed: checks.every((c) => c.status !== "fail"),
      baseUrl: info.baseUrl,
      seed: info.seed,
      runs: info.runs,
      strict: info.strict,
      startedAt: info.startedAt,
      durationMs: options.durationMs,
      requests,
      retries,
      variants: { seen: Account.accountTypes.filter((type) => seen.has(type)), missing },
      checks,
      latency: overall.summary(),
      latencySamples: [...statuses]
        .map(([status, r]) => ({ status, count: r.count, samplesMs: [...r.values] }))
        .sort(byStatus),
      throttled,
      drift: { unknownFields: drift.map(({ path, count }) => ({ path, count })), failOnDrift },
      settings: info.settings ?? {}
    }
  }

  return {
    exchange: (record) => {
      requests++
      if (record.retry === true) retries++
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
    inconclusive: (check, count = 1) => {
      tally(check).inconclusive += count
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

const variantResult = (
  base: Omit<CheckResult, "status" | "note">,
  seenCount: number,
  missing: ReadonlyArray<string>,
  info: RunInfo
): CheckResult => {
  const note = `seen ${seenCount}/${Account.accountTypes.length}${missing.length > 0 ? `; missing ${missing.join(", ")}` : ""}`
  const evaluated = { ...base, evaluated: seenCount }
  if (info.requireVariants !== true || missing.length === 0) return { ...evaluated, status: "pass", note }
  const failure: Failure = {
    check: "variant_coverage",
    message: `--require-variants: no account of type ${missing.join(", ")} was seen`,
    request: null,
    status: null,
    body: "",
    bodyTruncated: false,
    issues: [],
    seed: info.seed,
    curl: null
  }
  return { ...evaluated, status: "fail", note, failureCount: 1, failures: [failure] }
}
