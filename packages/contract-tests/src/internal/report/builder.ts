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
import { type CheckName, checkNames } from "../judge/checks.js"
import { DriftTally } from "./drift.js"
import type { DriftContext, FailureInput, FinishOptions, ReportBuilder, RunInfo, Tally } from "./inputs.js"
import { Reservoir } from "./latency.js"
import type { ContractReport, Failure, LatencySamples } from "./model.js"
import { maxFailuresPerCheck, maxLatencySamples } from "./model.js"
import { bump } from "./reasons.js"
import * as Settle from "./settle.js"

/** Characters of a body kept in a failure. */
const BODY_EXCERPT = 300

export type {
  DriftContext,
  ExchangeRecord,
  FailureInput,
  FinishOptions,
  ReportBuilder,
  RunInfo,
  Tally
} from "./inputs.js"

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
