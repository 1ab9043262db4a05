/**
 * The run: preflight, then each scenario's requests (concurrently within a
 * scenario), every response judged by the response checks, every final
 * answer by its scenario's judge, then the report.
 *
 * Everything effectful comes from services: requests from
 * `ContractTransport`, time from `Clock` (report timestamps, durations, the
 * per-request time limit, retry waits), jitter from `Random` (seeded by the
 * run's seed), so `TestClock` and a fixed `Random` can drive a whole run.
 *
 * @since 0.1.0
 */
import { RetryPolicy } from "@postpress/client"
import { Account } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import { type CheckName, checkNames, descriptions, responseChecks } from "../../ContractCheck.js"
import { ContractError, TransportError } from "../../ContractError.js"
import type { CheckResult, ContractReport, Failure } from "../../ContractReport.js"
import { maxFailuresPerCheck } from "../../ContractReport.js"
import { ContractTransport, type TransportResponse } from "../../ContractTransport.js"
import { sample, wrongKey } from "./generators.js"
import * as Request from "./request.js"
import { type Probe, type Scenario, scenarios } from "./scenarios.js"
import { parseJson, redact, successStatus, transientStatuses, validateResponse } from "./validate.js"

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
  readonly selected: ReadonlySet<CheckName>
  readonly excluded: ReadonlySet<CheckName>
  readonly onProgress: (progress: Progress) => void
}

const BODY_EXCERPT = 300
/** A progress tick every this many answers within a scenario. */
const TICK = 50
/** Keys shorter than this could appear in any body by chance. */
const MIN_KEY_LENGTH = 8

interface Tally {
  evaluated: number
  inconclusive: number
  failureCount: number
  readonly failures: Array<Failure>
  durationMs: number
}

/**
 * One attempt's result: the answer with its latency, or no answer.
 *
 * @since 0.2.0
 * @category models
 */
export type Outcome = (TransportResponse & { readonly _tag: "Response"; readonly durationMs: number }) | TransportError

/**
 * The suite's retry policy: the client's `RetryPolicy` with the suite's
 * budget (short waits: a contract run must finish; no overall deadline, the
 * per-request limit bounds each attempt).
 */
const suitePolicy = (maxAttempts: number): RetryPolicy.RetryPolicy => ({
  maxRetries: maxAttempts - 1,
  timeoutMs: Number.POSITIVE_INFINITY,
  deadlineMs: Number.POSITIVE_INFINITY,
  initialDelayMs: 50,
  maxDelayMs: 1000,
  maxRetryAfterMs: 2000,
  retryNoClientSession: true
})

/** `Retry-After` beyond the suite's budget is waited for only this long. */
const maxRetryAfterWaitMs = 2000

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
    const started = yield* Clock.currentTimeMillis
    const tallies = new Map<CheckName, Tally>(
      checkNames.map((name) => [name, { evaluated: 0, inconclusive: 0, failureCount: 0, failures: [], durationMs: 0 }])
    )
    const tally = (name: CheckName) => tallies.get(name)!
    // The clear key is needed by the rules that look for it; it is read where they run, never stored unwrapped.
    const keyChecked = Redacted.value(config.apiKey).length >= MIN_KEY_LENGTH ? config.apiKey : undefined
    const keys: Request.Keys = { apiKey: config.apiKey, invalidKey: wrongKeyFor(config) }
    const hide = (text: string) => redact(text, Redacted.value(config.apiKey))
    const policy = suitePolicy(config.maxAttempts)
    const seenTypes = new Set<string>()
    const knownTypes: ReadonlySet<string> = new Set(Account.accountTypes)
    let requests = 0
    let retries = 0

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
      if (!config.selected.has(check)) return
      const t = tally(check)
      t.failureCount++
      if (t.failures.length >= maxFailuresPerCheck) return
      const request = infoOf(probe)
      // Redact before cutting, so a key straddling the cut cannot leak in part.
      const shown = hide(body)
      t.failures.push({
        check,
        message: hide(message),
        request,
        status,
        body: shown.slice(0, BODY_EXCERPT),
        bodyTruncated: shown.length > BODY_EXCERPT,
        issues: issues.map(hide),
        seed: config.seed,
        curl: Request.curlFor(request, keys.invalidKey, probe)
      })
    }

    const observe = (probe: Probe, received: TransportResponse, json: unknown) => {
      const isError = received.status < 200 || received.status > 299
      for (const check of responseChecks) {
        if (check === "response_schema" && received.status !== successStatus) continue
        if (check === "error_envelope" && !isError) continue
        if (check === "key_not_reflected" && keyChecked === undefined) continue
        tally(check).evaluated++
      }
      const violations = validateResponse(received, json, {
        strict: config.strict,
        apiKey: keyChecked === undefined ? undefined : Redacted.value(keyChecked)
      })
      for (const violation of violations) {
        record(violation.check, probe, received.status, received.body, violation.message, violation.issues)
      }
      if (received.status === successStatus && probe.credentials === "valid") {
        const type = typeof json === "object" && json !== null ? (json as { type?: unknown }).type : undefined
        if (typeof type === "string" && knownTypes.has(type)) seenTypes.add(type)
      }
    }

    const timeoutError = () =>
      new TransportError({ message: `no response within ${Duration.format(config.timeout)}`, code: "ETIMEDOUT" })

    /** One attempt, never failing: no answer within the time limit is a `TransportError` outcome. */
    const attempt = (request: ReturnType<typeof Request.build>): Effect.Effect<Outcome> =>
      transport.send(request).pipe(
        Effect.timeoutFail({ duration: config.timeout, onTimeout: timeoutError }),
        Effect.timed,
        Effect.map(
          ([duration, response]): Outcome => ({
            _tag: "Response",
            ...response,
            durationMs: Duration.toMillis(duration)
          })
        ),
        Effect.catchAll((error) => Effect.succeed<Outcome>(error)),
        Effect.tap(() =>
          Effect.sync(() => {
            requests++
          })
        )
      )

    /** The wait before the next attempt, or none: asked of the ONE retry policy. */
    const nextDelay = (outcome: Outcome, attempted: number) =>
      Effect.gen(function* () {
        const transient = outcome._tag === "TransportError" || transientStatuses.has(outcome.status)
        if (!transient || attempted > policy.maxRetries) return Option.none<Duration.Duration>()
        const now = yield* Clock.currentTimeMillis
        const retryAfter = outcome._tag === "Response" ? RetryPolicy.parseRetryAfter(outcome.headers, now) : undefined
        if (retryAfter !== undefined) {
          // Honour Retry-After but cap it: a contract run must finish.
          return Option.some(Duration.min(retryAfter, Duration.millis(maxRetryAfterWaitMs)))
        }
        const uniform = yield* Random.next
        return Option.some(Duration.millis(RetryPolicy.backoffMillis(policy, attempted, RetryPolicy.jitterOf(uniform))))
      })

    // 503/504 and transport errors are retried a bounded number of times so
    // that a flaky server still gets a verdict; every attempt is judged.
    const exchange = (probe: Probe, judge: boolean) => {
      const request = Request.build(config.target, probe, keys)
      const from = (n: number): Effect.Effect<{ readonly outcome: Outcome; readonly json: unknown }> =>
        Effect.gen(function* () {
          const outcome = yield* attempt(request)
          const json = outcome._tag === "Response" ? parseJson(outcome.body) : undefined
          if (judge && outcome._tag === "Response") observe(probe, outcome, json)
          const delay = yield* nextDelay(outcome, n)
          if (Option.isNone(delay)) return { outcome, json }
          retries++
          yield* Effect.sleep(delay.value)
          return yield* from(n + 1)
        })
      return from(1)
    }

    const runScenario = (scenario: Scenario) =>
      Effect.gen(function* () {
        const t = tally(scenario.check)
        config.onProgress({ _tag: "Start", check: scenario.check, requests: scenario.probes.length })
        let done = 0
        const [elapsed] = yield* Effect.timed(
          Effect.forEach(
            scenario.probes,
            (probe) =>
              Effect.map(exchange(probe, true), ({ outcome, json }) => {
                done++
                if (done % TICK === 0 && done < scenario.probes.length) {
                  config.onProgress({ _tag: "Tick", check: scenario.check, done, requests: scenario.probes.length })
                }
                if (outcome._tag === "TransportError") {
                  t.evaluated++
                  record(scenario.check, probe, null, "", `no response: ${outcome.message}`, [])
                } else if (transientStatuses.has(outcome.status)) {
                  t.inconclusive++
                } else {
                  t.evaluated++
                  const verdict = scenario.judge(probe, outcome.status, json)
                  if (verdict !== undefined) {
                    record(scenario.check, probe, outcome.status, outcome.body, verdict.message, verdict.issues ?? [])
                  }
                }
              }),
            { concurrency: config.concurrency, discard: true }
          )
        )
        t.durationMs = Duration.toMillis(elapsed)
        config.onProgress({
          _tag: "Done",
          check: scenario.check,
          requests: scenario.probes.length,
          failures: t.failureCount
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
    const preflight = yield* exchange({ id: probeId, credentials: "valid" }, false)
    if (preflight.outcome._tag === "TransportError") {
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
    const durationMs = finished - started
    const missing = Account.accountTypes.filter((type) => !seenTypes.has(type))
    const checks = checkNames.map((name): CheckResult => {
      const t = tally(name)
      const base = {
        name,
        description: descriptions[name],
        evaluated: t.evaluated,
        inconclusive: t.inconclusive,
        failureCount: t.failureCount,
        failures: t.failures,
        durationMs: responseChecks.includes(name) ? durationMs : t.durationMs
      }
      if (!config.selected.has(name)) return { ...base, status: "skip", note: "not selected" }
      if (name === "variant_coverage") return variantResult(config, base, seenTypes, missing)
      if (name === "key_not_reflected" && keyChecked === undefined) {
        return { ...base, status: "skip", note: `the API key is shorter than ${MIN_KEY_LENGTH} characters` }
      }
      const scenario = all.find((s) => s.check === name)
      if (scenario !== undefined && scenario.probes.length === 0)
        return { ...base, status: "skip", note: scenario.skipNote }
      // A scenario that ran only in part says so (e.g. near-miss case variants left out).
      const partial = scenario?.note === undefined ? {} : { note: scenario.note }
      if (t.failureCount > 0) return { ...base, ...partial, status: "fail" }
      if (t.evaluated === 0) {
        return { ...base, status: "skip", note: t.inconclusive > 0 ? "every answer was 503/504" : "nothing to judge" }
      }
      return { ...base, ...partial, status: "pass" }
    })
    return {
      passed: checks.every((c) => c.status !== "fail"),
      baseUrl: config.baseUrl,
      seed: config.seed,
      runs: config.runs,
      strict: config.strict,
      startedAt: new Date(started).toISOString(),
      durationMs,
      requests,
      retries,
      variants: { seen: Account.accountTypes.filter((type) => seenTypes.has(type)), missing },
      checks
    }
  }).pipe(
    // The run's jitter reproduces from its seed.
    Effect.withRandom(Random.make(config.seed))
  )

const variantResult = (
  config: Resolved,
  base: Omit<CheckResult, "status" | "note">,
  seen: ReadonlySet<string>,
  missing: ReadonlyArray<string>
): CheckResult => {
  const note = `seen ${seen.size}/${Account.accountTypes.length}${missing.length > 0 ? `; missing ${missing.join(", ")}` : ""}`
  const evaluated = { ...base, evaluated: seen.size }
  if (!config.requireVariants || missing.length === 0) return { ...evaluated, status: "pass", note }
  const failure: Failure = {
    check: "variant_coverage",
    message: `--require-variants: no account of type ${missing.join(", ")} was seen`,
    request: null,
    status: null,
    body: "",
    bodyTruncated: false,
    issues: [],
    seed: config.seed,
    curl: null
  }
  return { ...evaluated, status: "fail", note, failureCount: 1, failures: [failure] }
}

const wrongKeyFor = (config: Resolved): string => {
  // Random per seed (so a seed reproduces it), and never the real key.
  const real = Redacted.value(config.apiKey)
  const key = sample(wrongKey, config.seed, 3, 1)[0] ?? "pp_live_wrong"
  return key === real ? `${key}x` : key
}
