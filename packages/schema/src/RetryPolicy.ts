/**
 * The retry policy of the postpress accounts API, written in ONE place for
 * every caller (the client, the contract suite, anyone composing their own
 * loop): which answers are transient, how long to wait between attempts, the
 * time limits, and the one `Retry-After` parser. The semantics belong to the
 * API (which statuses and error types mean "try again"), so they live in the
 * schema package.
 *
 * - {@link classify} turns an HTTP answer into a {@link Failure}, status first;
 * - {@link decideFailure} is the whole policy as one pure function;
 * - {@link schedule} is that decision as an Effect `Schedule`, for
 *   `Effect.retry` (and for composing with a caller's own schedules).
 *
 * (Over 400 lines on purpose: one policy read in one place, and more than
 * half of the file is its documentation; the `Retry-After` grammar is apart,
 * in `internal/retryAfter.ts`.)
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleInterval from "effect/ScheduleInterval"
import * as Schema from "effect/Schema"
import * as ConfigRules from "./ConfigRules.js"
import { parseHttpDate, parseRetryAfter, parseRetryAfterMillis } from "./internal/retryAfter.js"
import { gatewayStatuses } from "./ResponseRules.js"

/**
 * Tunable knobs. Every field is optional where it is accepted; missing fields
 * take the value in {@link defaults}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  readonly maxRetries: number
  /** Per-attempt limit, body included. */
  readonly timeout: Duration.DurationInput
  /**
   * Overall limit for the whole call; no retry sleep is allowed to overrun
   * it. `Duration.infinity`: none (each attempt is still bounded by `timeout`
   * and their number by `maxRetries`).
   */
  readonly deadline: Duration.DurationInput
  /** First backoff delay, doubled on every retry. */
  readonly initialDelay: Duration.DurationInput
  /** Cap of the exponential backoff (before jitter). */
  readonly maxDelay: Duration.DurationInput
  /** The longest `Retry-After` waited for; what a longer one does is {@link Options.retryAfterOverMax}. */
  readonly maxRetryAfter: Duration.DurationInput
  /**
   * A `Retry-After` longer than `maxRetryAfter`: `stop` retrying at once (the
   * default: a caller is not kept waiting), or `cap` it, waiting
   * `maxRetryAfter` and then retrying (the contract suite: a run must finish,
   * and the answer after the wait is still judged).
   */
  readonly retryAfterOverMax: "stop" | "cap"
  /** Retry 503 `errors/no_client_session` too (off: it usually means a wrong base URL). */
  readonly retryNoClientSession: boolean
  /** Retry 429 Too Many Requests, honouring `Retry-After` (on). */
  readonly retryRateLimited: boolean
}

/**
 * The defaults: 2 retries, delay `min(0.5 s · 2^n, 8 s)` × jitter in
 * [0.75, 1], a longer `Retry-After` honoured up to 60 s (longer: stop), 10 s per attempt,
 * 30 s overall, 429 retried, `errors/no_client_session` not retried.
 *
 * @since 0.1.0
 * @category defaults
 */
export const defaults: Options = {
  maxRetries: 2,
  timeout: "10 seconds",
  deadline: "30 seconds",
  initialDelay: "500 millis",
  maxDelay: "8 seconds",
  maxRetryAfter: "60 seconds",
  retryAfterOverMax: "stop",
  retryNoClientSession: false,
  retryRateLimited: true
}

/**
 * The lowest jitter factor; the highest is 1 (jitter only ever shortens).
 *
 * @since 0.1.0
 * @category defaults
 */
export const minJitter = 0.75

/**
 * A validated policy, durations in milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  readonly maxRetries: number
  readonly timeoutMs: number
  readonly deadlineMs: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly maxRetryAfterMs: number
  readonly retryAfterOverMax: "stop" | "cap"
  readonly retryNoClientSession: boolean
  readonly retryRateLimited: boolean
}

/**
 * An option of {@link make} that cannot be used; `option` names it as the
 * caller spelled it, `reason` says what was expected.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRetryOptions extends Schema.TaggedError<InvalidRetryOptions>(
  "@postpress/schema/InvalidRetryOptions"
)("InvalidRetryOptions", { option: Schema.String, reason: Schema.String }) {
  override get message(): string {
    return `invalid retry option ${this.option}: ${this.reason}`
  }
}

/** One knob judged by its `ConfigRules` rule: its value, or the rule's message naming the knob. */
const knob =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (option: string, input: unknown): Either.Either<A, InvalidRetryOptions> =>
    Either.mapLeft(
      Schema.decodeUnknownEither(schema)(input),
      (error) => new InvalidRetryOptions({ option, reason: ConfigRules.issues(error)[0].message })
    )

const retryCount = knob(ConfigRules.Integer({ minimum: 0 }))
const overMax = knob(
  ConfigRules.rule({
    identifier: "RetryAfterOverMax",
    is: (input): input is "stop" | "cap" => input === "stop" || input === "cap",
    expected: '"stop" or "cap"'
  })
)
const finiteDuration = knob(ConfigRules.Duration())
const unboundedDuration = knob(ConfigRules.Duration({ infinity: true }))

/** A duration knob in milliseconds (whole ones are what a `Clock` sleeps: see {@link decideFailure}). */
const millis = (judged: Either.Either<Duration.Duration, InvalidRetryOptions>) => Either.map(judged, Duration.toMillis)

/**
 * Validates options over {@link defaults}, each knob with its rule of
 * `ConfigRules` (the words every config uses: `expected an integer ≥ 0,
 * got 1.5`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Partial<Options> = {}): Either.Either<RetryPolicy, InvalidRetryOptions> => {
  const o = { ...defaults, ...dropUndefined(options) }
  return Either.all({
    maxRetries: retryCount("maxRetries", o.maxRetries),
    retryAfterOverMax: overMax("retryAfterOverMax", o.retryAfterOverMax),
    timeoutMs: millis(finiteDuration("timeout", o.timeout)),
    deadlineMs: millis(unboundedDuration("deadline", o.deadline)),
    initialDelayMs: millis(finiteDuration("initialDelay", o.initialDelay)),
    maxDelayMs: millis(finiteDuration("maxDelay", o.maxDelay)),
    maxRetryAfterMs: millis(finiteDuration("maxRetryAfter", o.maxRetryAfter))
  }).pipe(
    Either.map((judged) => ({
      ...judged,
      retryNoClientSession: o.retryNoClientSession,
      retryRateLimited: o.retryRateLimited
    }))
  )
}

// Callers may spread objects whose optional fields are present but undefined
// (e.g. CLI flags that were not given); those must not override the defaults.
const dropUndefined = <A extends object>(a: A): Partial<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Partial<A>

/**
 * How an attempt failed, as far as the policy cares:
 *
 * - `Status`: the server answered `status` (with the envelope's `type` when
 *   there is one, and the parsed `Retry-After` in ms when it sent one);
 * - `Transport`: no response (refused, reset, DNS, ...);
 * - `Timeout`: the per-attempt limit (`attempt`) or the overall deadline fired;
 * - `Final`: nothing another attempt could change (a contract violation, an
 *   invalid argument).
 *
 * @since 0.1.0
 * @category models
 */
export type Failure =
  | {
      readonly _tag: "Status"
      readonly status: number
      readonly type?: string | undefined
      readonly retryAfterMs?: number | undefined
    }
  | { readonly _tag: "Transport" }
  | { readonly _tag: "Timeout"; readonly scope: "attempt" | "deadline" }
  | { readonly _tag: "Final" }

/**
 * Whether a failure is worth another attempt at all, regardless of budget:
 * the gateway statuses 502, 503 and 504 (`ResponseRules.gatewayStatuses`; a
 * 503 `errors/no_client_session` only when asked), 429 (unless turned off),
 * network failures and per-attempt timeouts (GET is idempotent).
 *
 * 502 is retried like 503 and 504: a load balancer answers it while the API
 * behind it restarts or drops a connection, which is as transient as its 503
 * (proxies and meshes retry the same three: Envoy's and App Mesh's
 * `gateway-error`; gRPC maps all three to `UNAVAILABLE`).
 *
 * @since 0.1.0
 * @category policy
 */
export const isRetryableFailure = (policy: RetryPolicy, failure: Failure): boolean => {
  switch (failure._tag) {
    case "Status":
      if (failure.status === 429) return policy.retryRateLimited
      if (failure.status === 503 && failure.type === "errors/no_client_session") return policy.retryNoClientSession
      return gatewayStatuses.has(failure.status)
    case "Transport":
      return true
    case "Timeout":
      return failure.scope === "attempt"
    case "Final":
      return false
  }
}

/**
 * The backoff before retry number `retry` (1-based), jitter factor `jitter`
 * in [{@link minJitter}, 1].
 *
 * @since 0.1.0
 * @category policy
 */
export const backoffMillis = (policy: RetryPolicy, retry: number, jitter: number): number =>
  Math.min(policy.initialDelayMs * 2 ** (retry - 1), policy.maxDelayMs) * jitter

/**
 * Maps a uniform random number in [0, 1) to a jitter factor.
 *
 * @since 0.1.0
 * @category policy
 */
export const jitterOf = (uniform: number): number => minJitter + (1 - minJitter) * uniform

/**
 * What to do after a failed attempt.
 *
 * @since 0.1.0
 * @category models
 */
export type Decision =
  | { readonly _tag: "Retry"; readonly delayMs: number }
  | { readonly _tag: "Stop"; readonly why: "not-retryable" | "no-retries-left" | "retry-after-too-long" | "deadline" }

/**
 * Where a call stands when an attempt failed: the attempt's number
 * (1-based), the time, the call's deadline (absent: none) and a uniform
 * random number in [0, 1) for the jitter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  readonly attempt: number
  readonly nowMs?: number | undefined
  readonly deadlineAtMs?: number | undefined
  readonly uniform: number
}

/**
 * THE policy, as one pure function: after a failed attempt, retry (after
 * `delayMs`) or stop, and why. The wait is the jittered backoff, or the
 * server's `Retry-After` when it asks for longer: `Retry-After` is a lower
 * bound, never a reason to come back sooner, so `Retry-After: 0` (or a date
 * in the past) waits the normal backoff rather than hammering the server.
 * A `Retry-After` over `maxRetryAfter` stops, or with `retryAfterOverMax:
 * "cap"` is waited for `maxRetryAfter` only.
 *
 * @since 0.1.0
 * @category policy
 */
export const decideFailure = (policy: RetryPolicy, failure: Failure, progress: Progress): Decision => {
  if (!isRetryableFailure(policy, failure)) return { _tag: "Stop", why: "not-retryable" }
  if (progress.attempt > policy.maxRetries) return { _tag: "Stop", why: "no-retries-left" }
  const askedMs = failure._tag === "Status" ? failure.retryAfterMs : undefined
  if (askedMs !== undefined && askedMs > policy.maxRetryAfterMs && policy.retryAfterOverMax === "stop") {
    return { _tag: "Stop", why: "retry-after-too-long" }
  }
  const retryAfterMs = askedMs === undefined ? undefined : Math.min(askedMs, policy.maxRetryAfterMs)
  const backoffMs = backoffMillis(policy, progress.attempt, jitterOf(progress.uniform))
  // Whole milliseconds, rounded up: what a Clock sleeps (and a TestClock driving a run keeps whole times).
  const delayMs = Math.ceil(Math.max(retryAfterMs ?? 0, backoffMs))
  // Waiting until the deadline itself would leave no time for the attempt.
  if (progress.deadlineAtMs !== undefined && (progress.nowMs ?? 0) + delayMs >= progress.deadlineAtMs) {
    return { _tag: "Stop", why: "deadline" }
  }
  return { _tag: "Retry", delayMs }
}

/**
 * The policy for a caller that only has a response: its `status`, the
 * envelope's `type` if any, and `retryAfterMs` as {@link parseRetryAfterMillis}
 * read it. The contract suite retries 503/504/429 through this.
 *
 * ```ts
 * import { RetryPolicy } from "@postpress/schema"
 *
 * declare const headers: Record<string, string> // the 429 response headers, names in lower case
 * declare const policy: RetryPolicy.RetryPolicy
 * const retryAfterMs = RetryPolicy.parseRetryAfterMillis(headers, Date.now())
 * RetryPolicy.decideStatus(policy, { status: 429, retryAfterMs, attempt: 1, uniform: Math.random() })
 * // { _tag: "Retry", delayMs: 2000 } or { _tag: "Stop", why: ... }
 * ```
 *
 * @since 0.1.0
 * @category policy
 */
export const decideStatus = (
  policy: RetryPolicy,
  input: Progress & {
    readonly status: number
    readonly type?: string | undefined
    readonly retryAfterMs?: number | undefined
  }
): Decision =>
  decideFailure(
    policy,
    { _tag: "Status", status: input.status, type: input.type, retryAfterMs: input.retryAfterMs },
    input
  )

// THE Retry-After parser lives in its own file (HTTP dates are their own small grammar); it is part of this policy.
export { parseHttpDate, parseRetryAfter, parseRetryAfterMillis }

/**
 * An HTTP answer as {@link classify} reads it: the status, the envelope's
 * `type` when (and only when) the body is that tier's error envelope, and the
 * response headers (lowercase names) for `Retry-After`, read at `nowMs`; or
 * `retryAfterMs` when the caller parsed it already (it wins over `headers`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status: number
  readonly type?: string | undefined
  readonly headers?: { readonly [name: string]: string | undefined } | undefined
  readonly nowMs?: number | undefined
  readonly retryAfterMs?: number | undefined
}

/**
 * THE classification of an HTTP answer, status first: the body never decides
 * whether a 502, 503 or 504 is transient (a load balancer's HTML page is as
 * transient as the API's own envelope). The one exception the body can make
 * is a 503 envelope of type `errors/no_client_session`, which
 * {@link isRetryableFailure} leaves unretried unless `retryNoClientSession`.
 *
 * ```ts
 * import { RetryPolicy } from "@postpress/schema"
 *
 * RetryPolicy.classify({ status: 503, headers: { "content-type": "text/html" } })
 * // { _tag: "Status", status: 503, type: undefined, retryAfterMs: undefined }: retried
 * ```
 *
 * @since 0.1.0
 * @category policy
 */
export const classify = (answer: Answer): Failure => ({
  _tag: "Status",
  status: answer.status,
  type: answer.type,
  retryAfterMs:
    answer.retryAfterMs ??
    (answer.headers === undefined ? undefined : parseRetryAfterMillis(answer.headers, answer.nowMs ?? 0))
})

/**
 * Whether an answer's status makes it transient for this policy (see
 * {@link classify}); budgets and deadlines are not considered.
 *
 * @since 0.1.0
 * @category policy
 */
export const isTransient = (policy: RetryPolicy, answer: Answer): boolean =>
  isRetryableFailure(policy, classify(answer))

/**
 * Options of {@link schedule}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScheduleOptions {
  /**
   * When the call's first attempt started (epoch ms on the `Clock`): the
   * policy's `deadline` counts from here. Without it, from the first failure.
   */
  readonly startedAtMs?: number | undefined
}

interface ScheduleState {
  readonly failed: number
  readonly deadlineAtMs: number | undefined
}

/**
 * The policy as an Effect `Schedule` over failed attempts, built from the
 * pure {@link decideFailure}: each input is the {@link Failure} of the attempt
 * that just failed, each output the decision taken. It recurs while the
 * decision is `Retry`, waiting `delayMs` (`min(initialDelay · 2^n, maxDelay)`
 * × jitter drawn from the `Random` service, or the server's longer
 * `Retry-After`), and stops on `Stop`, so no wait ever runs past the
 * deadline. Time comes from the `Clock` (TestClock drives it).
 *
 * Callers with their own error type adapt the input with
 * `Schedule.mapInput`, and may compose it with their own schedules:
 *
 * ```ts
 * import { RetryPolicy } from "@postpress/schema"
 * import { Effect, Schedule } from "effect"
 *
 * class MyError {
 *   constructor(readonly status: number) {}
 * }
 * declare const call: Effect.Effect<string, MyError>
 * declare const policy: RetryPolicy.RetryPolicy
 * declare const toFailure: (e: MyError) => RetryPolicy.Failure
 *
 * const retried = Effect.retry(
 *   call,
 *   RetryPolicy.schedule(policy).pipe(Schedule.mapInput((e: MyError) => toFailure(e)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category schedules
 */
export const schedule = (policy: RetryPolicy, options: ScheduleOptions = {}): Schedule.Schedule<Decision, Failure> =>
  Schedule.makeWithState<ScheduleState, Failure, Decision>(
    { failed: 0, deadlineAtMs: undefined },
    (now, failure, state) =>
      Effect.map(Random.next, (uniform) => {
        const failed = state.failed + 1
        const deadlineAtMs = state.deadlineAtMs ?? (options.startedAtMs ?? now) + policy.deadlineMs
        const decision = decideFailure(policy, failure, { attempt: failed, nowMs: now, deadlineAtMs, uniform })
        const next: ScheduleState = { failed, deadlineAtMs }
        return decision._tag === "Stop"
          ? ([next, decision, ScheduleDecision.done] as const)
          : ([next, decision, ScheduleDecision.continueWith(ScheduleInterval.after(now + decision.delayMs))] as const)
      })
  )
