/**
 * The run as a `Stream` of events: the first request alone, then each
 * scenario's requests (concurrently within a scenario), every attempt judged
 * by the response checks and every final answer by its scenario's judge;
 * each violation is an event as it is found, with progress per scenario,
 * and the last event is `Finished` with the report. An answer that is not
 * the API's (a gateway page, a cache answer: `ResponseRules.notTheApi`), no
 * answer, or a body over the limit is judged by no check: it is counted as
 * not judged, with its reason, by every check it would have reached. A
 * first request that gets no whole answer stops the run: its report is
 * inconclusive and says why (`cannot reach …`).
 *
 * The run is effects over values (a scenario is an `Effect.forEach` of its
 * requests; what a request tells is returned, not stored aside) that push
 * their events into a bounded `Mailbox` the stream reads: a `Stream` stage
 * per request cost ~300 µs of CPU each (measured: 560 vs 240 µs per
 * request in memory), the mailbox about nothing.
 *
 * Everything effectful comes from services: requests from
 * `ContractTransport`, time from `Clock` (report timestamps, durations, the
 * per-request time limit, retry waits), jitter from a `Random` seeded by the
 * run's seed, so `TestClock` can drive a whole run. Retries go through THE
 * retry policy of the API (`attempts.ts`), and bodies over the limit are
 * counted, never judged (`BodyLimit`).
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Mailbox from "effect/Mailbox"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import type { CheckName } from "../../judge/checks.js"
import { throttledStatus } from "../../judge/judge.js"
import { redact, transientStatuses } from "../../judge/validate.js"
import * as ReportBuilder from "../../report/builder.js"
import { ContractEvent, type Finished, type SuiteEvent, type Violation } from "../../report/events.js"
import type { RunSettings } from "../../report/model.js"
import * as Answers from "./answers.js"
import * as Attempts from "./attempts.js"
import { sample, wrongKey } from "./generators.js"
import * as Plan from "./plan.js"
import * as RateLimit from "./rateLimit.js"
import * as Request from "./request.js"
import type { Resolved } from "./resolved.js"
import type { Probe, Scenario } from "./scenarios.js"
import { ContractTransport } from "./transportService.js"

/** A progress event every this many answers within a scenario. */
const TICK = 50

/** Answers that give no verdict on a request: the server asked to come back later. */
const noVerdict = (status: number): boolean => status === throttledStatus || transientStatuses.has(status)

/**
 * One request, every attempt judged: its answer (the last attempt), why no
 * check could judge that answer (if so), and the violations of its attempts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answered {
  readonly last: Attempts.Attempted
  readonly unjudged: string | undefined
  readonly violations: ReadonlyArray<Violation>
}

/** The run's first request, sent alone: its answer counts as its check's, and so does the time it took. */
interface First {
  readonly probe: Probe
  readonly answered: Answered
  readonly elapsedMs: number
}

/** What a run holds while it goes: the report it builds, how it sends, and its plan. */
interface Run {
  readonly config: Resolved
  readonly report: ReportBuilder.ReportBuilder
  readonly judging: Answers.Context
  readonly exchange: (probe: Probe, check: CheckName) => Effect.Effect<Answered>
  readonly scenarios: ReadonlyArray<Scenario>
  readonly startedMs: number
}

const maxResponseTimeMs = (config: Resolved): number | undefined =>
  config.maxResponseTime === undefined ? undefined : Duration.toMillis(config.maxResponseTime)

const settingsOf = (config: Resolved): RunSettings => {
  const maxMs = maxResponseTimeMs(config)
  return {
    concurrency: config.concurrency,
    failOnDrift: config.failOnDrift,
    maxBodyBytes: config.maxBodyBytes,
    ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
    ...(maxMs === undefined ? {} : { maxResponseTimeMs: maxMs })
  }
}

const wrongKeyFor = (config: Resolved): string => {
  // Random per seed (so a seed reproduces it), and never the real key.
  const real = Redacted.value(config.apiKey)
  const key = sample(wrongKey, config.seed, 3, 1)[0] ?? "pp_live_wrong"
  return key === real ? `${key}x` : key
}

/** The run's report builder, sender and judging, over the transport in context. */
const prepare = (config: Resolved): Effect.Effect<Run, never, ContractTransport> =>
  Effect.gen(function* () {
    const transport = yield* ContractTransport
    const limiter = yield* RateLimit.make(config.rateLimit)
    const startedMs = yield* Clock.currentTimeMillis
    // The clear key is read where the rules that look for it run, never stored unwrapped.
    const hide = (text: string) => redact(text, Redacted.value(config.apiKey))
    const keys: Request.Keys = { apiKey: config.apiKey, invalidKey: wrongKeyFor(config) }
    const report = ReportBuilder.make({
      baseUrl: config.baseUrl,
      seed: config.seed,
      runs: config.runs,
      strict: config.strict,
      startedAt: new Date(startedMs).toISOString(),
      selected: config.selected,
      requireVariants: config.requireVariants,
      settings: settingsOf(config),
      redact: hide,
      source: "suite",
      invocation: config.invocation,
      accountIds: config.accountIds
    })
    const judging = Answers.make({
      config,
      report,
      keys,
      keyChecked: Plan.keyChecked(config),
      maxResponseTimeMs: maxResponseTimeMs(config),
      hide
    })
    // The config's rules (maxAttempts ≥ 1, a positive finite timeout) are the policy's: it cannot be refused.
    const policy = yield* Effect.orDie(Attempts.policyOf(config))
    const send = Attempts.make({ ...config, send: transport.send, limiter }, policy)
    // The run's jitter reproduces from its seed.
    const random = Random.make(config.seed)
    const exchange = (probe: Probe, check: CheckName): Effect.Effect<Answered> =>
      send(Request.build(config.target, probe, keys)).pipe(
        Effect.withRandom(random),
        Effect.map((attempts) => {
          const judged = Arr.map(attempts, (attempted, i) =>
            Answers.judgeAttempt(judging, probe, check, attempted, i > 0)
          )
          return {
            last: Arr.lastNonEmpty(attempts),
            unjudged: Arr.lastNonEmpty(judged).unjudged,
            violations: judged.flatMap((j) => j.violations)
          }
        })
      )
    return { config, report, judging, exchange, scenarios: Plan.scenariosOf(config), startedMs }
  })

/** What one request's final answer tells its check (and, for known_accounts, whether its account was judged). */
const settle = (run: Run, scenario: Scenario, probe: Probe, answered: Answered): ReadonlyArray<Violation> => {
  const { report } = run
  const { outcome, json } = answered.last
  // No answer, not the API's answer, or "come back later" after the retries: no verdict on this request.
  const unjudged =
    answered.unjudged ??
    (outcome._tag === "Response" && noVerdict(outcome.status) ? `${outcome.status} after retries` : undefined)
  // Each --account-id is asked for once, by known_accounts: its answer says whether the account was judged.
  const account = scenario.check === "known_accounts"
  if (unjudged !== undefined || outcome._tag !== "Response") {
    const reason = unjudged ?? "no answer"
    report.inconclusive(scenario.check, 1, reason)
    if (account) report.accountNotJudged(probe.id, reason)
    return []
  }
  if (account) report.accountJudged(probe.id)
  report.evaluated(scenario.check)
  const verdict = scenario.judge(probe, outcome.status, json)
  if (verdict === undefined) return []
  const { message, issues = [] } = verdict
  return Answers.record(run.judging, { check: scenario.check, probe, received: outcome, message, issues })
}

/** The progress event after `done` answers, every {@link TICK} (none once all are in: `CheckDone` says it). */
const progress = (check: CheckName, done: number, requests: number): ReadonlyArray<SuiteEvent> =>
  done % TICK === 0 && done < requests ? [ContractEvent.CheckProgress({ check, done, requests })] : []

/** Where a run's events go as they happen (the stream's mailbox). */
type Emit = (events: ReadonlyArray<SuiteEvent | Finished>) => Effect.Effect<unknown>

/** One scenario: started, its requests (concurrently), each answer's violations and progress as they come, then done. */
const runScenario = Effect.fn("postpress.contract.scenario")(function* (
  run: Run,
  scenario: Scenario,
  first: First | undefined,
  emit: Emit
) {
  const { check, probes } = scenario
  const requests = probes.length
  // A span per scenario check (its name and request count: never a key, an id or a body).
  yield* Effect.annotateCurrentSpan({ "postpress.check": check, "postpress.requests": requests })
  const answered = yield* Ref.make(0)
  const answer = (probe: Probe) =>
    probe === first?.probe ? Effect.succeed(first.answered) : run.exchange(probe, check)
  const settled = (probe: Probe) =>
    Effect.flatMap(answer(probe), (answer) =>
      Effect.flatMap(
        Ref.updateAndGet(answered, (n) => n + 1),
        (done) =>
          emit([...answer.violations, ...settle(run, scenario, probe, answer), ...progress(check, done, requests)])
      )
    )
  yield* emit([ContractEvent.CheckStarted({ check, requests })])
  const [elapsed] = yield* Effect.timed(
    Effect.forEach(probes, settled, { concurrency: run.config.concurrency, discard: true })
  )
  // The run's first request belongs to its check: so does the time it took.
  const before = first !== undefined && probes.includes(first.probe) ? first.elapsedMs : 0
  run.report.checkDuration(check, before + Duration.toMillis(elapsed))
  yield* emit([ContractEvent.CheckDone({ check, requests, failures: run.report.failureCount(check) })])
})

/** Why a run stopped at its first request: nothing answered, or an answer was cut mid-body. */
const stoppedBy = (baseUrl: string, { error }: Attempts.NoAnswer): string => {
  const code = error.code === undefined || error.message.includes(error.code) ? "" : ` (${error.code})`
  return error.status === undefined
    ? `cannot reach ${baseUrl}: ${error.message}${code}`
    : `${baseUrl} answered ${error.status} but the body was cut short: ${error.message}${code}`
}

/** The report, once every scenario is over (or the run stopped at its first request, and why). */
const finished = (run: Run, stopped?: string): Effect.Effect<Finished> =>
  Effect.map(Clock.currentTimeMillis, (finishedMs) => {
    const { notRun, notes } = Plan.notRunOf(run.config, run.scenarios)
    const report = run.report.finish({ durationMs: finishedMs - run.startedMs, notRun, notes, stopped })
    return ContractEvent.Finished({ report })
  })

/**
 * The first request goes alone: without a whole answer to it the run stops
 * there, inconclusive, its report saying why (rather than every check
 * saying "no answer"): `Left` with why, else the first request answered
 * (none when the plan sends nothing).
 */
const firstRequest = (
  run: Run,
  sent: ReadonlyArray<Scenario>
): Effect.Effect<Either.Either<First | undefined, string>> => {
  const [scenario] = sent
  const probe = scenario?.probes[0]
  if (scenario === undefined || probe === undefined) return Effect.succeed(Either.right(undefined))
  return Effect.map(Effect.timed(run.exchange(probe, scenario.check)), ([elapsed, answered]) => {
    const { outcome } = answered.last
    return outcome._tag === "NoAnswer"
      ? Either.left(stoppedBy(run.config.baseUrl, outcome))
      : Either.right({ probe, answered, elapsedMs: Duration.toMillis(elapsed) })
  })
}

/** The first request, then every scenario the plan sends, one after the other; the last event is the report. */
const runAll = (run: Run, emit: Emit): Effect.Effect<void> =>
  Effect.gen(function* () {
    const sent = Plan.sentScenarios(run.config, run.scenarios)
    const first = yield* firstRequest(run, sent)
    if (Either.isLeft(first)) return yield* emit([yield* finished(run, first.left)])
    yield* Effect.forEach(sent, (scenario) => runScenario(run, scenario, first.right, emit), { discard: true })
    yield* emit([yield* finished(run)])
  })

/** Events buffered between the run and its reader: past this, the run waits for the reader. */
const BUFFER = 4096

/**
 * The run's events: progress per scenario check, each violation as it is
 * found, then `Finished` with the report. Never fails: violations, and what
 * could not be judged (a server that cannot be reached included), are the
 * report's content. The run goes on in its own fiber while the stream is
 * read, up to {@link BUFFER} events ahead of its reader; it is interrupted
 * when the reader stops.
 *
 * @since 0.1.0
 * @category running
 */
export const events = (config: Resolved): Stream.Stream<SuiteEvent | Finished, never, ContractTransport> =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const mailbox = yield* Mailbox.make<SuiteEvent | Finished>(BUFFER)
      const run = yield* prepare(config)
      // The mailbox's methods read `this`: called through arrows, never detached.
      // Most answers carry no event: nothing is offered for them.
      const emit: Emit = (events) => (events.length === 0 ? Effect.void : mailbox.offerAll(events))
      yield* runAll(run, emit).pipe(
        Effect.exit,
        Effect.flatMap((exit) => mailbox.done(exit)),
        Effect.forkScoped
      )
      return Mailbox.toStream(mailbox)
    })
  )
