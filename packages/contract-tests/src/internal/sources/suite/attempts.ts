/**
 * Sending one request of the suite: its attempts, each within the
 * per-request time limit and holding a slot of the rate limit, retried by
 * THE retry policy of the API (`RetryPolicy.schedule` from
 * `@postpress/schema`, classified status-first like the client's) with the
 * suite's budget. Every attempt is handed to the caller as it comes (the
 * engine judges each one); the last one is the request's answer.
 *
 * @since 0.1.0
 */
import { BodyLimit, RetryPolicy } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schedule from "effect/Schedule"
import { parseJson } from "../../judge/validate.js"
import { ExchangeError } from "./errors.js"
import type { RateLimit } from "./rateLimit.js"
import type { TransportRequest, TransportResponse } from "./transportService.js"

/**
 * One attempt's result: the answer with its latency, or no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | (TransportResponse & { readonly _tag: "Response"; readonly durationMs: number })
  | (ExchangeError & { readonly durationMs: number })

/**
 * One attempt and what is known of it before any rule looks at it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Attempted {
  readonly outcome: Outcome
  /** The body parsed (`NotJson` when it is not JSON); `undefined` without an answer or over the limit. */
  readonly json: unknown
  /** Why the body was not judged (`body over the 16 MiB limit (N bytes)`), when it was over the limit. */
  readonly overLimit: string | undefined
}

/**
 * How to send: the transport, the run's rate limiter and budgets.
 *
 * @since 0.1.0
 * @category models
 */
export interface SenderOptions {
  readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, ExchangeError>
  readonly limiter: RateLimit
  readonly timeout: Duration.Duration
  readonly maxAttempts: number
  readonly maxBodyBytes: number
}

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

const capped = (retryAfterMs: number | undefined): number | undefined =>
  retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, maxRetryAfterWaitMs)

/** The envelope's `type`, when the body has one (a 503 `errors/no_client_session` is classified by it). */
const typeOf = (json: unknown): string | undefined =>
  typeof json === "object" && json !== null && typeof (json as { type?: unknown }).type === "string"
    ? (json as { type: string }).type
    : undefined

/** How the ONE retry policy sees an attempt: status first, `Retry-After` capped (a contract run must finish). */
const classify = (attempted: Attempted, nowMs: number): RetryPolicy.Failure => {
  const { outcome } = attempted
  if (outcome._tag === "ExchangeError") return { _tag: "Transport" }
  const failure = RetryPolicy.classify({
    status: outcome.status,
    type: typeOf(attempted.json),
    headers: outcome.headers,
    nowMs
  })
  return failure._tag === "Status" ? { ...failure, retryAfterMs: capped(failure.retryAfterMs) } : failure
}

/**
 * A sender: `send(request, onAttempt)` makes the attempts of one request and
 * succeeds with the last one and what `onAttempt` made of it (it never
 * fails: no answer is an `ExchangeError` outcome). `onAttempt` runs once per
 * attempt, `retry` telling whether it repeats an earlier one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: SenderOptions) => {
  const policy = suitePolicy(options.maxAttempts)
  const timeoutError = () =>
    new ExchangeError({ message: `no response within ${Duration.format(options.timeout)}`, code: "ETIMEDOUT" })

  // One attempt, never failing; it holds a slot of the rate limit (retries count too), and its latency excludes the wait for the slot.
  const attempt = (request: TransportRequest): Effect.Effect<Attempted> =>
    options.send(request).pipe(
      Effect.timeoutFail({ duration: options.timeout, onTimeout: timeoutError }),
      Effect.either,
      Effect.timed,
      options.limiter.withPermit,
      Effect.map(([duration, result]): Attempted => {
        const durationMs = Duration.toMillis(duration)
        if (Either.isLeft(result)) {
          return { outcome: Object.assign(result.left, { durationMs }), json: undefined, overLimit: undefined }
        }
        const response = result.right
        const overLimit =
          response.bodyBytes !== undefined && response.bodyBytes > options.maxBodyBytes
            ? BodyLimit.describe(options.maxBodyBytes, response.bodyBytes)
            : undefined
        return {
          outcome: { _tag: "Response", ...response, durationMs },
          json: overLimit === undefined ? parseJson(response.body) : undefined,
          overLimit
        }
      })
    )

  const retrySchedule = RetryPolicy.schedule(policy).pipe(
    Schedule.mapInputEffect((attempted: Attempted) =>
      Effect.map(Clock.currentTimeMillis, (now) => classify(attempted, now))
    )
  )

  return <R>(
    request: TransportRequest,
    onAttempt: (attempted: Attempted, retry: boolean) => R
  ): Effect.Effect<Attempted & { readonly seen: R; readonly attempts: number }> => {
    const sized = { ...request, maxBodyBytes: options.maxBodyBytes }
    let attempts = 0
    const once = Effect.map(attempt(sized), (attempted) => {
      attempts++
      return { ...attempted, seen: onAttempt(attempted, attempts > 1), attempts }
    })
    return once.pipe(
      // An attempt worth repeating is the "error" the schedule sees; the others are the answer.
      Effect.flatMap((attempted) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          RetryPolicy.isRetryableFailure(policy, classify(attempted, now))
            ? Effect.fail(attempted)
            : Effect.succeed(attempted)
        )
      ),
      Effect.retry(retrySchedule),
      // Retries spent: the last attempt is the answer.
      Effect.merge
    )
  }
}

/**
 * Why an attempt that got no whole answer is not judged: `no answer
 * (ECONNREFUSED)`, or `cut short (200, ECONNRESET)` when the status line
 * arrived and the body did not.
 *
 * @since 0.1.0
 * @category models
 */
export const noAnswerReason = (error: ExchangeError): string =>
  error.status === undefined
    ? `no answer (${error.code ?? error.message})`
    : `cut short (${error.status}, ${error.code ?? error.message})`
