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
import { Account, Printable } from "@postpress/schema"
import { type CheckName, checkNames } from "../judge/checks.js"
import { DriftTally } from "./drift.js"
import type {
  DriftContext,
  ExchangeRecord,
  FailureInput,
  FinishOptions,
  ReportBuilder,
  RunInfo,
  Tally
} from "./inputs.js"
import { Reservoir } from "./latency.js"
import type { ContractReport, Failure, LatencySamples } from "./model.js"
import { maxFailuresPerCheck, maxLatencySamples } from "./model.js"
import { bump } from "./reasons.js"
import * as Settle from "./settle.js"

const { plural } = Printable

/** Characters of a body kept in a failure. */
const BODY_EXCERPT = 300

/** What {@link make} takes and gives; the other inputs are `inputs.ts`'s, imported from there. */
export type { ReportBuilder, RunInfo } from "./inputs.js"

const byStatus = (a: LatencySamples, b: LatencySamples): number =>
  a.status === null ? 1 : b.status === null ? -1 : a.status - b.status

/** Everything one run counted so far: `make`'s methods add to it, {@link finish} reads it. */
interface Counts extends Omit<Settle.Counted, "options" | "missing" | "tally"> {
  readonly selected: ReadonlySet<CheckName>
  readonly tallies: ReadonlyMap<CheckName, Tally>
  /** Latency of every attempt, and of the attempts per answer status. */
  readonly overall: Reservoir
  readonly statuses: Map<number | null, Reservoir>
  readonly seen: Set<string>
  readonly drift: DriftTally<DriftContext>
  /** Account types none of the 14, kept: counted like fields (a one-key path is the type as sent). */
  readonly unknownTypes: DriftTally<DriftContext>
  readonly unjudgedAnswers: Map<string, number>
  readonly judgedAccounts: Set<string>
  readonly accountReasons: Map<string, Map<string, number>>
  readonly attempts: { requests: number; attempts: number; throttled: number }
}

const emptyTally = (): Tally => ({
  evaluated: 0,
  inconclusive: 0,
  reasons: new Map<string, number>(),
  failureCount: 0,
  failures: [],
  durationMs: undefined,
  latency: new Reservoir(maxLatencySamples)
})

const start = (info: RunInfo): Counts => ({
  info,
  source: info.source ?? "suite",
  redact: info.redact ?? ((text: string) => text),
  selected: info.selected ?? new Set(checkNames),
  tallies: new Map(checkNames.map((name) => [name, emptyTally()])),
  overall: new Reservoir(maxLatencySamples),
  statuses: new Map(),
  seen: new Set(),
  drift: new DriftTally<DriftContext>(),
  unknownTypes: new DriftTally<DriftContext>(),
  unjudgedAnswers: new Map(),
  judgedAccounts: new Set(),
  accountReasons: new Map(),
  attempts: { requests: 0, attempts: 0, throttled: 0 }
})

const tallyOf = (counts: Counts, check: CheckName): Tally => counts.tallies.get(check)!

const knownTypes: ReadonlySet<string> = new Set(Account.accountTypes)

/** One attempt: counted, and its latency kept overall, per status and per check that judged it. */
const recordExchange = (counts: Counts, record: ExchangeRecord): void => {
  counts.attempts.attempts++
  if (record.retry !== true) counts.attempts.requests++
  if (record.status === 429) counts.attempts.throttled++
  counts.overall.add(record.latencyMs)
  let byStatus = counts.statuses.get(record.status)
  if (byStatus === undefined) {
    byStatus = new Reservoir(maxLatencySamples)
    counts.statuses.set(record.status, byStatus)
  }
  byStatus.add(record.latencyMs)
  for (const check of record.checks ?? []) tallyOf(counts, check).latency.add(record.latencyMs)
}

/**
 * A failure's request with every secret masked: its URL and the account id
 * as given (a key can be asked for as an id). THE request masking, used when
 * a failure is stored and again when a traffic session masks what it learnt
 * later.
 */
export const maskRequest = (mask: (text: string) => string, request: Failure["request"]): Failure["request"] =>
  request === null ? null : { ...request, url: mask(request.url), accountId: mask(request.accountId) }

/** A failure as stored: every text redacted BEFORE the body is cut, the seed added. */
const toFailure = (counts: Counts, input: FailureInput): Failure => {
  const redact = counts.redact
  const shown = redact(input.body ?? "")
  const request = maskRequest(redact, input.request)
  return {
    check: input.check,
    message: redact(input.message),
    request,
    status: input.status,
    body: shown.slice(0, BODY_EXCERPT),
    bodyTruncated: shown.length > BODY_EXCERPT,
    issues: (input.issues ?? []).map(redact),
    seed: counts.info.seed,
    curl: input.curl === undefined || input.curl === null ? null : redact(input.curl)
  }
}

const recordFailure = (counts: Counts, input: FailureInput): void => {
  if (!counts.selected.has(input.check)) return
  const tally = tallyOf(counts, input.check)
  tally.failureCount++
  if (tally.failures.length < maxFailuresPerCheck) tally.failures.push(toFailure(counts, input))
}

const bumpAccount = (counts: Counts, id: string, reason: string): void => {
  let reasons = counts.accountReasons.get(id)
  if (reasons === undefined) {
    reasons = new Map()
    counts.accountReasons.set(id, reasons)
  }
  bump(reasons, reason, 1)
}

/**
 * `--fail-on-drift`: each unknown field or kept unknown account type is a
 * `response_schema` failure on the response that first carried it.
 */
const driftFailures = (
  counts: Counts,
  drift: ReturnType<DriftTally<DriftContext>["fields"]>,
  what: string,
  issue: (name: string, count: number) => string
): void => {
  for (const { path, count, first } of drift) {
    recordFailure(counts, {
      ...first,
      message: `drift: the unknown ${what} ${path} was in ${plural(count, "response")} (--fail-on-drift)`,
      issues: [issue(path, count)]
    })
  }
}

/** The report of what was counted; `options` settle what only the caller knows. */
const finish = (counts: Counts, options: FinishOptions): ContractReport => {
  const { info, attempts } = counts
  const failOnDrift = info.settings?.failOnDrift === true
  const drift = counts.drift.fields()
  const unknownTypes = counts.unknownTypes.fields()
  if (failOnDrift) {
    driftFailures(counts, drift, "field", (path, count) => `${path}: not in the spec (seen ${count}×)`)
    driftFailures(
      counts,
      unknownTypes,
      "account type",
      (type, count) =>
        `type: ${type} is none of the spec's ${Account.accountTypes.length} account types (seen ${count}×)`
    )
  }
  const missing = Account.accountTypes.filter((type) => !counts.seen.has(type))
  const { checks, reasons, verdict } = Settle.settle({
    ...counts,
    options,
    missing,
    tally: (check) => tallyOf(counts, check)
  })
  return {
    verdict,
    passed: verdict === "pass",
    inconclusiveReasons: reasons,
    source: counts.source,
    ...(info.invocation === undefined ? {} : { invocation: info.invocation }),
    baseUrl: info.baseUrl,
    seed: info.seed,
    runs: info.runs,
    strict: info.strict,
    startedAt: info.startedAt,
    durationMs: options.durationMs,
    requests: attempts.requests,
    attempts: attempts.attempts,
    retries: attempts.attempts - attempts.requests,
    variants: { seen: Account.accountTypes.filter((type) => counts.seen.has(type)), missing },
    checks,
    latency: counts.overall.summary(),
    latencySamples: [...counts.statuses]
      .map(([status, r]) => ({ status, count: r.count, samplesMs: [...r.values] }))
      .sort(byStatus),
    throttled: attempts.throttled,
    drift: {
      unknownFields: drift.map(({ path, count }) => ({ path, count })),
      ...(unknownTypes.length > 0
        ? { unknownTypes: unknownTypes.map(({ path, count }) => ({ type: path, count })) }
        : {}),
      failOnDrift,
      ...(counts.drift.more > 0 ? { more: counts.drift.more } : {})
    },
    settings: info.settings ?? {}
  }
}

/**
 * A new builder for one run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (info: RunInfo): ReportBuilder => {
  const counts = start(info)
  return {
    exchange: (record) => recordExchange(counts, record),
    evaluated: (check, count = 1) => {
      tallyOf(counts, check).evaluated += count
    },
    inconclusive: (check, count = 1, reason) => {
      const tally = tallyOf(counts, check)
      tally.inconclusive += count
      if (reason !== undefined) bump(tally.reasons, reason, count)
    },
    unjudged: (reason) => bump(counts.unjudgedAnswers, reason, 1),
    accountJudged: (id) => {
      counts.judgedAccounts.add(id)
    },
    accountNotJudged: (id, reason) => bumpAccount(counts, id, reason),
    failure: (input) => recordFailure(counts, input),
    variantSeen: (type) => {
      if (knownTypes.has(type)) counts.seen.add(type)
    },
    drift: (paths, context) => counts.drift.add(paths, context),
    // A one-key path is rendered as the key itself: the type as sent, never re-normalised.
    unknownType: (type, context) => counts.unknownTypes.add([[type]], context),
    checkDuration: (check, ms) => {
      tallyOf(counts, check).durationMs = ms
    },
    failureCount: (check) => tallyOf(counts, check).failureCount,
    finish: (options) => finish(counts, options)
  }
}
