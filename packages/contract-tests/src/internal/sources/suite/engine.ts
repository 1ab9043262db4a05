/**
 * The run: preflight, then each scenario's requests (concurrently within a
 * scenario), every answer judged by the response checks, every final
 * answer by its scenario's judge, then the report. An answer that is not
 * the API's (a gateway page, a cache answer: `ResponseRules.notTheApi`),
 * no answer, or a body over the limit is judged by no check: it is counted
 * as not judged, with its reason, by every check it would have reached.
 * A first request that gets no whole answer stops the run: its report is
 * inconclusive and says why (`cannot reach …`).
 *
 * Everything effectful comes from services: requests from
 * `ContractTransport`, time from `Clock` (report timestamps, durations, the
 * per-request time limit, retry waits), jitter from `Random` (seeded by the
 * run's seed), so `TestClock` and a fixed `Random` can drive a whole run.
 * Retries go through THE retry policy of the API (`attempts.ts`), and
 * bodies over the limit are counted, never judged (`BodyLimit`).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import { type CheckName, responseChecks } from "../../judge/checks.js"
import { MIN_KEY_LENGTH, throttledStatus } from "../../judge/judge.js"
import { redact, transientStatuses } from "../../judge/validate.js"
import * as ReportBuilder from "../../report/builder.js"
import type { ContractReport, RunSettings } from "../../report/model.js"
import * as Answers from "./answers.js"
import * as Attempts from "./attempts.js"
import { sample, wrongKey } from "./generators.js"
import * as RateLimit from "./rateLimit.js"
import * as Request from "./request.js"
import type { Resolved } from "./resolved.js"
import { type Probe, type Scenario, scenarios } from "./scenarios.js"
import { ContractTransport } from "./transportService.js"

export type { Progress, Resolved } from "./resolved.js"

/** A progress tick every this many answers within a scenario. */
const TICK = 50

/** Answers that give no verdict on a request: the server asked to come back later. */
const noVerdict = (status: number): boolean => status === throttledStatus || transientStatuses.has(status)

/**
 * One attempt's result: the answer with its latency, or no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = Attempts.Outcome

/**
 * Runs the suite. Never fails: violations, and what could not be judged
 * (a server that cannot be reached included), are the report's content.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (config: Resolved): Effect.Effect<ContractReport, never, ContractTransport> =>
  Effect.gen(function* () {
    const transport = yield* ContractTransport
    const limiter = yield* RateLimit.make(config.rateLimit)
    const started = yield* Clock.currentTimeMillis
    // The clear key is needed by the rules that look for it; it is read where they run, never stored unwrapped.
    const keyChecked = Redacted.value(config.apiKey).length >= MIN_KEY_LENGTH ? config.apiKey : undefined
    const keys: Request.Keys = { apiKey: config.apiKey, invalidKey: wrongKeyFor(config) }
    const hide = (text: string) => redact(text, Redacted.value(config.apiKey))
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
    const { record, judgeAttempt } = Answers.make({ config, report, keys, keyChecked, maxResponseTimeMs })

    const send = Attempts.make({
      send: transport.send,
      limiter,
      timeout: config.timeout,
      maxAttempts: config.maxAttempts,
      maxBodyBytes: config.maxBodyBytes
    })
    const exchange = (probe: Probe, scenarioCheck: CheckName | undefined) =>
      send(Request.build(config.target, probe, keys), judgeAttempt(probe, scenarioCheck))

    type Answered = Effect.Effect.Success<ReturnType<typeof exchange>>
    // The run's first request, sent before the others: without a whole answer to it the run stops.
    let first: { readonly probe: Probe; readonly answered: Answered; readonly elapsedMs: number } | undefined

    /** What one request's final answer tells its check (and, for known_accounts, whether its account was judged). */
    const settle = (scenario: Scenario, probe: Probe, { outcome, json, seen }: Answered): void => {
      // No answer, not the API's answer, or "come back later" after the retries: no verdict on this request.
      const unjudged =
        seen ??
        (outcome._tag === "Response" && noVerdict(outcome.status) ? `${outcome.status} after retries` : undefined)
      // Each --account-id is asked for once, by known_accounts: its answer says whether the account was judged.
      const account = scenario.check === "known_accounts"
      if (unjudged !== undefined || outcome._tag !== "Response") {
        const reason = unjudged ?? "no answer"
        report.inconclusive(scenario.check, 1, reason)
        if (account) report.accountNotJudged(probe.id, reason)
        return
      }
      if (account) report.accountJudged(probe.id)
      report.evaluated(scenario.check)
      const verdict = scenario.judge(probe, outcome.status, json)
      if (verdict !== undefined) record(scenario.check, probe, outcome, verdict.message, verdict.issues ?? [])
    }

    const runScenario = (scenario: Scenario) =>
      Effect.gen(function* () {
        const requests = scenario.probes.length
        config.onProgress({ _tag: "Start", check: scenario.check, requests })
        let done = 0
        const answer = (probe: Probe) =>
          probe === first?.probe ? Effect.succeed(first.answered) : exchange(probe, scenario.check)
        const [elapsed] = yield* Effect.timed(
          Effect.forEach(
            scenario.probes,
            (probe) =>
              Effect.map(answer(probe), (answered) => {
                done++
                if (done % TICK === 0 && done < requests) {
                  config.onProgress({ _tag: "Tick", check: scenario.check, done, requests })
                }
                settle(scenario, probe, answered)
              }),
            { concurrency: config.concurrency, discard: true }
          )
        )
        // The run's first request belongs to its check: so does the time it took.
        const before = first !== undefined && scenario.probes.includes(first.probe) ? first.elapsedMs : 0
        report.checkDuration(scenario.check, before + Duration.toMillis(elapsed))
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

    const finish = (stopped?: string) =>
      Effect.map(Clock.currentTimeMillis, (finished) => {
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
        return report.finish({ durationMs: finished - started, notRun, notes, stopped })
      })

    const anyResponseCheck = responseChecks.some((c) => config.selected.has(c))
    const wanted = all.filter(
      (scenario) =>
        scenario.probes.length > 0 &&
        (config.selected.has(scenario.check) ||
          (scenario.check === "known_accounts" && config.selected.has("variant_coverage")) ||
          (anyResponseCheck && !config.excluded.has(scenario.check)))
    )
    // The first request goes alone: without a whole answer to it the run stops here, inconclusive, its
    // report saying why (rather than every check saying "no answer"). Its answer counts as its check's.
    const firstScenario = wanted[0]
    const firstProbe = firstScenario?.probes[0]
    if (firstScenario !== undefined && firstProbe !== undefined) {
      const [elapsed, answered] = yield* Effect.timed(exchange(firstProbe, firstScenario.check))
      if (answered.outcome._tag === "ExchangeError") return yield* finish(stoppedBy(config.baseUrl, answered.outcome))
      first = { probe: firstProbe, answered, elapsedMs: Duration.toMillis(elapsed) }
    }
    yield* Effect.forEach(wanted, runScenario, { discard: true })
    return yield* finish()
  }).pipe(
    // The run's jitter reproduces from its seed.
    Effect.withRandom(Random.make(config.seed))
  )

/** Why a run stopped at its first request: nothing answered, or an answer was cut mid-body. */
const stoppedBy = (baseUrl: string, error: Extract<Outcome, { readonly _tag: "ExchangeError" }>): string => {
  const code = error.code === undefined || error.message.includes(error.code) ? "" : ` (${error.code})`
  return error.status === undefined
    ? `cannot reach ${baseUrl}: ${error.message}${code}`
    : `${baseUrl} answered ${error.status} but the body was cut short: ${error.message}${code}`
}

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
