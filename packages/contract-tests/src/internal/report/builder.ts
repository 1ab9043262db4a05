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
  Invocation,
  LatencySamples,
  ReportedRequest,
  ReportSource,
  RunSettings,
  Verdict
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
  /**
   * The check got no verdict on `count` requests, and why: a phrase such as
   * `503 after retries`, `no answer (ECONNREFUSED)` or
   * `body over the 16 MiB limit (N bytes)`.
   */
  readonly inconclusive: (check: CheckName, count?: number, reason?: string) => void
  /** A final answer that no check could judge (counted for the reasons of checks that judged nothing). */
  readonly unjudged: (reason: string) => void
  /** The 200 body of this `--account-id` was decoded (judged) at least once. */
  readonly accountJudged: (id: string) => void
  /** A request for this `--account-id` got no verdict, and why. */
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

interface Tally {
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
    const notRun = { ...options.skipped, ...options.notRun }
    const unjudged = options.unjudged ?? (source === "suite" ? "inconclusive" : "not_run")
    // No --account-id at all: the account checks cannot judge anything; one line says how to fix it.
    const accountIds = info.accountIds
    const noAccounts = accountIds !== undefined && accountIds.length === 0
    const accountChecksSelected = accountChecks.filter((name) => selected.has(name) && notRun[name] === undefined)
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
      if (!selected.has(name)) return { ...base, status: "not_run", note: "not selected" }
      const lacking = notRun[name]
      if (lacking !== undefined) return { ...base, status: "not_run", note: lacking }
      if (noAccounts && accountChecks.includes(name) && t.failureCount === 0) {
        return { ...base, status: "inconclusive", note: "needs --account-id" }
      }
      if (name === "variant_coverage") return variantResult(base, seen.size, missing, info)
      if (t.failureCount > 0) return { ...withNote, status: "fail" }
      if (t.evaluated === 0) {
        const why = `0 judged: ${describeReasons(t.reasons.size > 0 ? t.reasons : unjudgedAnswers) ?? nothingToJudge[name] ?? "nothing to judge"}`
        return unjudged === "inconclusive"
          ? { ...base, status: "inconclusive", note: why }
          : { ...base, status: "not_run", note: note ?? "no exchange it could judge" }
      }
      return { ...withNote, status: "pass" }
    })
    const reasons: Array<string> = []
    for (const check of checks) {
      if (check.status !== "inconclusive") continue
      if (noAccounts && accountChecks.includes(check.name)) continue
      reasons.push(`${check.name}: ${check.note ?? "nothing judged"}`)
    }
    const noAccountsBlocked = accountChecksSelected.filter(
      (name) => checks.find((c) => c.name === name)?.status === "inconclusive"
    )
    if (noAccounts && noAccountsBlocked.length > 0) {
      reasons.push(
        `no --account-id, so ${noAccountsBlocked.join(", ")} judged no account: give --account-id, or exclude them explicitly (--exclude-checks ${accountChecks.join(",")}) to check error behaviour only`
      )
    }
    if (accountIds !== undefined && accountChecksSelected.length > 0) {
      for (const id of new Set(accountIds)) {
        if (judgedAccounts.has(id)) continue
        const why = describeReasons(accountReasons.get(id) ?? new Map())
        reasons.push(`account ${JSON.stringify(redact(id))} never judged${why === undefined ? "" : `: ${why}`}`)
      }
    }
    reasons.push(...(options.inconclusiveReasons ?? []))
    const judgedSomething = checks.some((c) => c.status === "pass" || c.status === "fail")
    if (!judgedSomething && reasons.length === 0) reasons.push("no check judged anything")
    const verdict: Verdict = checks.some((c) => c.status === "fail")
      ? "fail"
      : reasons.length > 0
        ? "inconclusive"
        : "pass"
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
      retries,
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

/** The checks that judge accounts: without any `--account-id` they cannot. */
const accountChecks: ReadonlyArray<CheckName> = ["response_schema", "known_accounts", "variant_coverage"]

const bump = (counts: Map<string, number>, key: string, by: number): void => {
  counts.set(key, (counts.get(key) ?? 0) + by)
}

/** What a response check that judged nothing lacked, when every answer was judged (by the others). */
const nothingToJudge: Partial<Record<CheckName, string>> = {
  response_schema: "no 200 answer came",
  error_envelope: "no error answer came"
}

/** At most this many distinct reasons in one line. */
const MAX_REASONS = 3

/**
 * `48 answers were 503 after retries, 2 requests got no answer (ECONNREFUSED)`;
 * `undefined` when there is no reason.
 */
const describeReasons = (counts: ReadonlyMap<string, number>): string | undefined => {
  if (counts.size === 0) return undefined
  const sorted = [...counts].sort((a, b) => b[1] - a[1])
  const shown = sorted.slice(0, MAX_REASONS).map(([reason, n]) => describeCount(n, reason))
  if (sorted.length > MAX_REASONS) shown.push(`${sorted.length - MAX_REASONS} more kinds`)
  return shown.join(", ")
}

const describeCount = (n: number, reason: string): string =>
  reason.startsWith("no answer")
    ? `${n} ${n === 1 ? "request" : "requests"} got ${reason}`
    : reason.startsWith("body ")
      ? `${n} ${n === 1 ? "answer" : "answers"} with a ${reason}`
      : `${n} ${n === 1 ? "answer was" : "answers were"} ${reason}`

const variantResult = (
  base: Omit<CheckResult, "status" | "note">,
  seenCount: number,
  missing: ReadonlyArray<string>,
  info: RunInfo
): CheckResult => {
  const note = `seen ${seenCount}/${Account.accountTypes.length}${missing.length > 0 ? `; missing ${missing.join(", ")}` : ""}`
  const evaluated = { ...base, evaluated: seenCount }
  if (info.requireVariants !== true && seenCount === 0) {
    return { ...evaluated, status: "inconclusive", note: "0 judged: no account body was decoded" }
  }
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
