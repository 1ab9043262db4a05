/**
 * The retry policy, read in ONE place: which failures are retried, how long to
 * wait between attempts, and the time limits. `AccountsClient` only asks
 * {@link decide} what to do after a failed attempt; everything tunable lives in
 * {@link Options} with the defaults in {@link defaults}.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as ClientError from "./ClientError.js"

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
  /** Overall limit for the whole call; no retry sleep is allowed to overrun it. */
  readonly deadline: Duration.DurationInput
  /** First backoff delay, doubled on every retry. */
  readonly initialDelay: Duration.DurationInput
  /** Cap of the exponential backoff (before jitter). */
  readonly maxDelay: Duration.DurationInput
  /** A longer `Retry-After` fails at once instead of waiting. */
  readonly maxRetryAfter: Duration.DurationInput
  /** Retry 503 `errors/no_client_session` too (off: it usually means a wrong base URL). */
  readonly retryNoClientSession: boolean
}

/**
 * The defaults: 2 retries, delay `min(0.5 s · 2^n, 8 s)` × jitter in
 * [0.75, 1], `Retry-After` honoured up to 60 s, 10 s per attempt, 30 s overall,
 * `errors/no_client_session` not retried.
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
  retryNoClientSession: false
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
  readonly retryNoClientSession: boolean
}

const positiveMillis = (
  name: string,
  input: Duration.DurationInput
): Either.Either<number, ClientError.InvalidArgument> => {
  const decoded = Duration.decodeUnknown(input)
  const ms = decoded._tag === "Some" ? Duration.toMillis(decoded.value) : Number.NaN
  return Number.isFinite(ms) && ms > 0
    ? Either.right(ms)
    : Either.left(new ClientError.InvalidArgument({ argument: name, reason: "expected a finite duration > 0" }))
}

/**
 * Validates options over {@link defaults}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Partial<Options> = {}): Either.Either<RetryPolicy, ClientError.InvalidArgument> => {
  const o = { ...defaults, ...dropUndefined(options) }
  if (!Number.isSafeInteger(o.maxRetries) || o.maxRetries < 0) {
    return Either.left(new ClientError.InvalidArgument({ argument: "maxRetries", reason: "expected an integer ≥ 0" }))
  }
  return Either.all({
    timeoutMs: positiveMillis("timeout", o.timeout),
    deadlineMs: positiveMillis("deadline", o.deadline),
    initialDelayMs: positiveMillis("initialDelay", o.initialDelay),
    maxDelayMs: positiveMillis("maxDelay", o.maxDelay),
    maxRetryAfterMs: positiveMillis("maxRetryAfter", o.maxRetryAfter)
  }).pipe(Either.map((ms) => ({ ...ms, maxRetries: o.maxRetries, retryNoClientSession: o.retryNoClientSession })))
}

// Callers may spread objects whose optional fields are present but undefined
// (e.g. CLI flags that were not given); those must not override the defaults.
const dropUndefined = <A extends object>(a: A): Partial<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Partial<A>

/**
 * Whether a failure is worth another attempt at all, regardless of budget.
 * GET is idempotent, so network failures and per-attempt timeouts qualify.
 *
 * @since 0.1.0
 * @category policy
 */
export const isRetryable = (policy: RetryPolicy, error: ClientError.RetrieveError): boolean => {
  switch (error._tag) {
    case "ServiceUnavailable":
      return error.type !== "errors/no_client_session" || policy.retryNoClientSession
    case "GatewayTimeout":
    case "TransportError":
      return true
    case "TimeoutError":
      return error.scope === "attempt"
    default:
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
 * The whole policy as one pure function: after failed attempt number
 * `attempt` (1-based) at time `nowMs`, with the call's deadline at
 * `deadlineAtMs` and a uniform random number for the jitter.
 *
 * @since 0.1.0
 * @category policy
 */
export const decide = (
  policy: RetryPolicy,
  error: ClientError.RetrieveError,
  attempt: number,
  nowMs: number,
  deadlineAtMs: number,
  uniform: number
): Decision => {
  if (!isRetryable(policy, error)) return { _tag: "Stop", why: "not-retryable" }
  if (attempt > policy.maxRetries) return { _tag: "Stop", why: "no-retries-left" }
  const retryAfter = "retryAfter" in error && error.retryAfter !== undefined ? error.retryAfter : undefined
  let delayMs: number
  if (retryAfter === undefined) {
    delayMs = backoffMillis(policy, attempt, jitterOf(uniform))
  } else {
    delayMs = Duration.toMillis(retryAfter)
    if (delayMs > policy.maxRetryAfterMs) return { _tag: "Stop", why: "retry-after-too-long" }
  }
  // Waiting until the deadline itself would leave no time for the attempt.
  if (nowMs + delayMs >= deadlineAtMs) return { _tag: "Stop", why: "deadline" }
  return { _tag: "Retry", delayMs }
}

const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/

/**
 * Reads `retry-after-ms` (milliseconds, fractional allowed) or `Retry-After`
 * (delta-seconds or an HTTP-date, relative to `nowMs`). Unparseable values
 * are ignored (`undefined`) so the normal backoff applies; dates in the past
 * mean "now".
 *
 * @since 0.1.0
 * @category policy
 */
export const parseRetryAfter = (
  headers: { readonly [name: string]: string | undefined },
  nowMs: number
): Duration.Duration | undefined => {
  const ms = headers["retry-after-ms"]?.trim()
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Duration.millis(Number(ms))
  const value = headers["retry-after"]?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+$/.test(value)) return Duration.seconds(Number(value))
  if (HTTP_DATE.test(value)) {
    const at = Date.parse(value)
    if (Number.isFinite(at)) return Duration.millis(Math.max(0, at - nowMs))
  }
  return undefined
}
