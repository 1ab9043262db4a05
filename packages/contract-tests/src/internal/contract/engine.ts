/**
 * The run: preflight, then each scenario's requests (concurrently within a
 * scenario), every response judged by the response checks, every final
 * answer by its scenario's judge, then the report.
 *
 * Everything effectful comes from services: requests from
 * `ContractTransport`, time from `Clock` (report timestamps, durations, the
 * per-request time limit, retry waits), jitter from `Random` (seeded by the
 * run's seed), so `TestClock` and a fixed `Random` can drive a whole run.
 * Retries go through THE retry policy of the API (`RetryPolicy.schedule`
 * from `@postpress/schema`, classified status-first like the client's), and
 * bodies over the limit are counted, never judged (`BodyLimit`).
 *
 * @since 0.1.0
 */
import { BodyLimit, RetryPolicy } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { type CheckName, responseChecks } from "../../ContractCheck.js"
import { ContractError, ExchangeError } from "../../ContractError.js"
import type { ContractReport, Invocation, RunSettings } from "../../ContractReport.js"
import { ContractTransport, type TransportRequest, type TransportResponse } from "../../ContractTransport.js"
import * as ReportBuilder from "../report/builder.js"
import { judgeReceived, MIN_KEY_LENGTH } from "../rules/judge.js"
import { parseJson, redact, successStatus, transientStatuses } from "../rules/validate.js"
import { sample, wrongKey } from "./generators.js"
import * as RateLimit from "./rateLimit.js"
import * as Request from "./request.js"
import { type Probe, type Scenario, scenarios } from "./scenarios.js"

/**
 * Progress as the run goes, for a CLI or a test reporter.
 *
 * @since 0.1.0
 * @category models
 */
export type Progress =
  | { readonly _tag: "Start"; readonly check: CheckName; readonly requests: number }
  | { readonly _tag: "Tick"; readonly check: CheckName; readonly done: number; readonly requests: number }
  | { readonly _tag: "Done"; readonly check: CheckName; readonly requests: number; readonly failures: number }

/**
 * A validated configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly baseUrl: string
  readonly target: Request.Target
  readonly apiKey: Redacted.Redacted<string>
  readonly accountIds: ReadonlyArray<string>
  readonly foreignAccountIds: ReadonlyArray<string>
  readonly seed: number
  readonly runs: number
  readonly strict: boolean
  readonly requireVariants: boolean
  readonly timeout: Duration.Duration
  readonly concurrency: number
  readonly maxAttempts: number
  /** Requests per second in any one-second window; `undefined`: no limit. */
  readonly rateLimit: number | undefined
  /** Answers slower than this are `response_time` violations. */
  readonly maxResponseTime: Duration.Duration | undefined
  readonly failOnDrift: boolean
  /** Bodies over this many bytes are not judged (`body over the 16 MiB limit (N bytes)`). */
  readonly maxBodyBytes: number
  readonly invocation: Invocation | undefined
  readonly selected: ReadonlySet<CheckName>
  readonly excluded: ReadonlySet<CheckName>
  readonly onProgress: (progress: Progress) => void
}

/** A progress tick every this many answers within a scenario. */
const TICK = 50

/** Too Many Requests: throttling, never a violation; retried like 503/504, then inconclusive. */
const throttledStatus = 429

/** Answers that give no verdict on a request: the server asked to come back later. */
const noVerdict = (status: number): boolean => status === throttledStatus || transientStatuses.has(status)

/**
 * One attempt's result: the answer with its latency, or no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | (TransportResponse & { readonly _tag: "Response"; readonly durationMs: number })
  | (ExchangeError & { readonly durationMs: number })

/** One attempt and what the run made of it. */
interface Attempted {
  readonly outcome: Outcome
  readonly json: unknown
  /** Why the body was not judged (`body over the 16 MiB limit (N bytes)`), when it was over the limit. */
  readonly overLimit: string | undefined
}

/** The envelope's `type`, when the body has one (a 503 `errors/no_client_session` is classified by it). */
const typeOf = (json: unknown): string | undefined =>
  typeof json === "object" && json !== null && typeof (json as { type?: unknown }).type === "string"
    ? (json as { type: string }).type
    : undefined

/** `Retry-After` beyond the suite's budget is waited for only this long (then the retry goes ahead). */
const maxRetryAfterWaitMs = 2000

/**
 * The suite's retry policy: THE `RetryPolicy` with the suite's budget (short
 * waits: a contract run must finish; no overall deadline, the per-request
 * limit bounds each attempt; a 503 `errors/no_client_session` is retried
 * too, so a persistent one is reported as not judged rather than judged).
 */
const suitePolicy = (maxAttempts: number): RetryPolicy.RetryPolicy => ({
  maxRetries: maxAttempts - 1,
  timeoutMs: Number.POSITIVE_INFINITY,
  deadlineMs: Number.POSITIVE_INFINITY,
  initialDelayMs: 50,
  maxDelayMs: 1000,
  maxRetryAfterMs: maxRetryAfterWaitMs,
  retryNoClientSession: true,
  retryRateLimited: true
})

/**
 * Runs the suite. Fails only when the server cannot be reached at all;
 * violations are the report's content.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (config: Resolved): Effect.Effect<ContractReport, ContractError, ContractTransport> =>
  Effect.gen(function* () {
    const transport = yield* ContractTransport
    const limiter = yield* RateLimit.make(config.rateLimit)
    const started = yield* Clock.currentTimeMillis
    // The clear key is needed by the rules that look for it; it is read where they run, never stored unwrapped.
    const keyChecked = Redacted.value(config.apiKey).length >= MIN_KEY_LENGTH ? config.apiKey : undefined
    const keys: Request.Keys = { apiKey: config.apiKey, invalidKey: wrongKeyFor(config) }
    const hide = (text: string) => redact(text, Redacted.value(config.apiKey))
    const policy = suitePolicy(config.maxAttempts)
    const maxResponseTimeMs =
      config.maxResponseTime === undefined ? undefined : Duration.toMillis(config.maxResponseTime)
    const report = ReportBuilder.make({
      baseUrl: config.baseUrl,
      seed: config.seed,
      runs: config.runs,
      strict: config.strict,
      startedAt: new Date(started).toISOString(),
      selected: config.selected,
      requireVariants: config.requireVariants,
      settings: settingsOf(config, maxResponseTimeMs),
      redact: hide,
      source: "suite",
      invocation: config.invocation,
      accountIds: config.accountIds
    })
    const knownIds = new Set(config.accountIds)

    const infoOf = (probe: Probe): Request.RequestInfo => ({
      method: "GET",
      url: Request.urlOf(config.target, probe),
      accountId: probe.id,
      credentials: probe.credentials
    })

    const record = (
      check: CheckName,
      probe: Probe,
      status: number | null,
      body: string,
      message: string,
      issues: ReadonlyArray<string>
    ) => {
      const request = infoOf(probe)
      report.failure({
        check,
        message,
        request,
        status,
        body,
        issues,
        curl: Request.curlFor(request, keys.invalidKey, probe)
      })
    }

    /**
     * Judges one answer by the response checks (the one rule engine, also
     * behind the proxy and the HAR reader); returns the checks that judged it.
     * The exchange rules about body.id and missing keys belong to the
     * scenarios here, which send those requests on purpose.
     */
    const observe = (probe: Probe, received: TransportResponse, json: unknown): ReadonlyArray<CheckName> => {
      const judgement = judgeReceived(
        probe.id,
        probe.credentials === "missing" ? undefined : Redacted.value(config.apiKey),
        received,
        json,
        { strict: config.strict, apiKey: keyChecked }
      )
      const judgedBy = judgement.evaluated.filter((check) => responseChecks.includes(check))
      for (const check of judgedBy) report.evaluated(check)
      for (const finding of judgement.findings) {
        if (!judgedBy.includes(finding.check)) continue
        record(finding.check, probe, received.status, received.body, finding.message, finding.issues)
      }
      if (judgement.accountType !== undefined && probe.credentials === "valid") {
        report.variantSeen(judgement.accountType)
      }
      // Drift: in a lenient run, the fields of a valid 200 the spec does not know.
      if (judgement.unknownFields.length > 0) {
        const request = infoOf(probe)
        report.drift(judgement.unknownFields, {
          check: "response_schema",
          request,
          status: received.status,
          body: received.body,
          curl: Request.curlFor(request, keys.invalidKey, probe)
        })
      }
      return judgedBy
    }

    /** `response_time`: an answer slower than `--max-response-time` is a violation. */
    const timed = (probe: Probe, received: TransportResponse, latencyMs: number): ReadonlyArray<CheckName> => {
      if (maxResponseTimeMs === undefined) return []
      report.evaluated("response_time")
      if (latencyMs > maxResponseTimeMs) {
        record(
          "response_time",
          probe,
          received.status,
          received.body,
          `answered in ${Math.round(latencyMs)} ms, over the maximum of ${maxResponseTimeMs} ms`,
          []
        )
      }
      return ["response_time"]
    }

    const bodyOverLimit = (received: TransportResponse): string | undefined =>
      received.bodyBytes !== undefined && received.bodyBytes > config.maxBodyBytes
        ? BodyLimit.describe(config.maxBodyBytes, received.bodyBytes)
        : undefined

    const timeoutError = () =>
      new ExchangeError({ message: `no response within ${Duration.format(config.timeout)}`, code: "ETIMEDOUT" })

    /**
     * One attempt, never failing: no answer within the time limit is a
     * `ExchangeError` outcome. Every attempt holds a slot of the rate limit
     * (retries count too); the latency excludes the wait for the slot.
     */
    const attempt = (request: TransportRequest): Effect.Effect<Outcome> =>
      transport.send(request).pipe(
        Effect.timeoutFail({ duration: config.timeout, onTimeout: timeoutError }),
        Effect.either,
        Effect.timed,
        limiter.withPermit,
        Effect.map(
          ([duration, result]): Outcome =>
            Either.isRight(result)
              ? { _tag: "Response", ...result.right, durationMs: Duration.toMillis(duration) }
              : Object.assign(result.left, { durationMs: Duration.toMillis(duration) })
        )
      )

    /** How the ONE retry policy sees an attempt: status first, `Retry-After` capped (a contract run must finish). */
    const classify = (outcome: Outcome, json: unknown, nowMs: number): RetryPolicy.Failure => {
      if (outcome._tag === "ExchangeError") return { _tag: "Transport" }
      const failure = RetryPolicy.classify({
        status: outcome.status,
        type: typeOf(json),
        headers: outcome.headers,
        nowMs
      })
      return failure._tag === "Status" ? { ...failure, retryAfterMs: capped(failure.retryAfterMs) } : failure
    }

    const retrySchedule = RetryPolicy.schedule(policy).pipe(
      Schedule.mapInputEffect((attempted: Attempted) =>
        Effect.map(Clock.currentTimeMillis, (now) => classify(attempted.outcome, attempted.json, now))
      )
    )

    // 503/504/429 and transport errors are retried a bounded number of times
    // so that a flaky or throttling server still gets a verdict; every
    // attempt is judged and timed. A body over the limit is judged by no check.
    const exchange = (probe: Probe, scenarioCheck: CheckName | undefined): Effect.Effect<Attempted> => {
      const request = { ...Request.build(config.target, probe, keys), maxBodyBytes: config.maxBodyBytes }
      let attempts = 0
      const once = Effect.gen(function* () {
        attempts++
        const outcome = yield* attempt(request)
        const overLimit = outcome._tag === "Response" ? bodyOverLimit(outcome) : undefined
        const json = outcome._tag === "Response" && overLimit === undefined ? parseJson(outcome.body) : undefined
        const judgedBy =
          scenarioCheck !== undefined && outcome._tag === "Response" && overLimit === undefined
            ? [...observe(probe, outcome, json), ...timed(probe, outcome, outcome.durationMs), scenarioCheck]
            : []
        report.exchange({
          status: outcome._tag === "Response" ? outcome.status : null,
          latencyMs: outcome.durationMs,
          checks: judgedBy,
          retry: attempts > 1
        })
        return { outcome, json, overLimit }
      })
      const retryable = (attempted: Attempted) =>
        Effect.map(Clock.currentTimeMillis, (now) =>
          RetryPolicy.isRetryableFailure(policy, classify(attempted.outcome, attempted.json, now))
        )
      return once.pipe(
        // An attempt worth repeating is the "error" the schedule sees; the others are the answer.
        Effect.flatMap((attempted) =>
          Effect.flatMap(retryable(attempted), (again) => (again ? Effect.fail(attempted) : Effect.succeed(attempted)))
        ),
        Effect.retry(retrySchedule),
        // Retries spent: the last attempt is the answer (judged as "not judged" by the scenario).
        Effect.merge
      )
    }

    const runScenario = (scenario: Scenario) =>
      Effect.gen(function* () {
        config.onProgress({ _tag: "Start", check: scenario.check, requests: scenario.probes.length })
        let done = 0
        const [elapsed] = yield* Effect.timed(
          Effect.forEach(
            scenario.probes,
            (probe) =>
              Effect.map(exchange(probe, scenario.check), ({ outcome, json, overLimit }) => {
                done++
                if (done % TICK === 0 && done < scenario.probes.length) {
                  config.onProgress({ _tag: "Tick", check: scenario.check, done, requests: scenario.probes.length })
                }
                // No answer, or "come back later" after the retries: no verdict on this request.
                const unjudged =
                  outcome._tag === "ExchangeError"
                    ? `no answer (${outcome.code ?? outcome.message})`
                    : overLimit !== undefined
                      ? overLimit
                      : noVerdict(outcome.status)
                        ? `${outcome.status} after retries`
                        : undefined
                const account = probe.credentials === "valid" && knownIds.has(probe.id)
                if (unjudged !== undefined) {
                  report.inconclusive(scenario.check, 1, unjudged)
                  report.unjudged(unjudged)
                  if (account) report.accountNotJudged(probe.id, unjudged)
                } else if (outcome._tag === "Response") {
                  if (account && outcome.status === successStatus) report.accountJudged(probe.id)
                  report.evaluated(scenario.check)
                  const verdict = scenario.judge(probe, outcome.status, json)
                  if (verdict !== undefined) {
                    record(scenario.check, probe, outcome.status, outcome.body, verdict.message, verdict.issues ?? [])
                  }
                }
              }),
            { concurrency: config.concurrency, discard: true }
          )
        )
        report.checkDuration(scenario.check, Duration.toMillis(elapsed))
        config.onProgress({
          _tag: "Done",
          check: scenario.check,
          requests: scenario.probes.length,
          failures: report.failureCount(scenario.check)
        })
      })

    const all = scenarios({
      accountIds: config.accountIds,
      foreignAccountIds: config.foreignAccountIds,
      seed: config.seed,
      runs: config.runs,
      isSendable: Request.isSendable,
      apiKey: config.apiKey
    })

    // Preflight: one request that is not judged, so an unreachable server is
    // a usage-level error (exit 2) rather than thirteen failed checks.
    const probeId = config.accountIds[0] ?? all.find((s) => s.check === "not_found")?.probes[0]?.id ?? "contract"
    const preflight = yield* exchange({ id: probeId, credentials: "valid" }, undefined)
    if (preflight.outcome._tag === "ExchangeError") {
      return yield* new ContractError({
        reason: "Unreachable",
        message: `cannot reach ${config.baseUrl}: ${preflight.outcome.message}${preflight.outcome.code === undefined ? "" : ` (${preflight.outcome.code})`}`
      })
    }

    const anyResponseCheck = responseChecks.some((c) => config.selected.has(c))
    const wanted = all.filter(
      (scenario) =>
        scenario.probes.length > 0 &&
        (config.selected.has(scenario.check) ||
          (scenario.check === "known_accounts" && config.selected.has("variant_coverage")) ||
          (anyResponseCheck && !config.excluded.has(scenario.check)))
    )
    yield* Effect.forEach(wanted, runScenario, { discard: true })

    const finished = yield* Clock.currentTimeMillis
    // Checks that lack their input are "not run", naming what they need; never inconclusive.
    const notRun: Partial<Record<CheckName, string>> = {}
    if (keyChecked === undefined) {
      notRun.key_not_reflected = `needs an API key of at least ${MIN_KEY_LENGTH} characters (the key is shorter)`
    }
    if (maxResponseTimeMs === undefined) notRun.response_time = "needs --max-response-time"
    const notes: Partial<Record<CheckName, string>> = {}
    for (const scenario of all) {
      // Without any --account-id the account checks are not a pass: the report builder says how to fix it.
      if (scenario.probes.length === 0 && scenario.check !== "known_accounts")
        notRun[scenario.check] = scenario.notRunNote
      else if (scenario.note !== undefined) notes[scenario.check] = scenario.note
    }
    return report.finish({ durationMs: finished - started, notRun, notes })
  }).pipe(
    // The run's jitter reproduces from its seed.
    Effect.withRandom(Random.make(config.seed))
  )

const capped = (retryAfterMs: number | undefined): number | undefined =>
  retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, maxRetryAfterWaitMs)

const settingsOf = (config: Resolved, maxResponseTimeMs: number | undefined): RunSettings => ({
  concurrency: config.concurrency,
  failOnDrift: config.failOnDrift,
  maxBodyBytes: config.maxBodyBytes,
  ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
  ...(maxResponseTimeMs === undefined ? {} : { maxResponseTimeMs })
})

const wrongKeyFor = (config: Resolved): string => {
  // Random per seed (so a seed reproduces it), and never the real key.
  const real = Redacted.value(config.apiKey)
  const key = sample(wrongKey, config.seed, 3, 1)[0] ?? "pp_live_wrong"
  return key === real ? `${key}x` : key
}
