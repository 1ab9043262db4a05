/**
 * Sending one request of the suite: its attempts, each within the
 * per-request time limit and holding a slot of the rate limit, replayed by
 * ONE `Effect.retry` with THE retry policy of the API as is
 * (`RetryPolicy.schedule` of `@postpress/schema`, classified status-first
 * like the client's), made with the suite's budget. The request's result is
 * every attempt in order (the engine judges each one); the last is its answer.
 *
 * @since 0.1.0
 */
import { BodyLimit, RetryPolicy } from "@postpress/schema"
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import { parseJson } from "../../judge/validate.js"
import { ExchangeError } from "./errors.js"
import type { RateLimit } from "./rateLimit.js"
import type { TransportRequest, TransportResponse } from "./transportService.js"

/**
 * An attempt that got an answer, with its latency.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer extends TransportResponse {
  readonly _tag: "Response"
  readonly durationMs: number
}

/**
 * An attempt that got no whole answer, with how long it took to find out.
 *
 * @since 0.1.0
 * @category models
 */
export interface NoAnswer {
  readonly _tag: "NoAnswer"
  readonly error: ExchangeError
  readonly durationMs: number
}

/**
 * One attempt's result: the answer with its latency, or no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = Answer | NoAnswer

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

/**
 * The suite's retry policy: THE `RetryPolicy` with the suite's budget.
 * Short waits (a contract run must finish: a `Retry-After` over 2 s is
 * waited for 2 s, then the retry goes ahead and its answer is judged); no
 * overall deadline (the per-request limit bounds each attempt, `maxAttempts`
 * their number); a 503 `errors/no_client_session` is retried too, so a
 * persistent one is reported as not judged rather than judged.
 *
 * @since 0.1.0
 * @category models
 */
export const policyOf = (options: Pick<SenderOptions, "maxAttempts" | "timeout">) =>
  RetryPolicy.make({
    maxRetries: options.maxAttempts - 1,
    timeout: options.timeout,
    deadline: Duration.infinity,
    initialDelay: "50 millis",
    maxDelay: "1 second",
    maxRetryAfter: "2 seconds",
    retryAfterOverMax: "cap",
    retryNoClientSession: true,
    retryRateLimited: true
  })

/** The envelope's `type`, when the body has one (a 503 `errors/no_client_session` is classified by it). */
const typeOf = (json: unknown): string | undefined =>
  typeof json === "object" && json !== null && typeof (json as { type?: unknown }).type === "string"
    ? (json as { type: string }).type
    : undefined

/** How the ONE retry policy sees an attempt: status first, no answer as `Transport`. */
const classify = ({ outcome, json }: Attempted, nowMs: number): RetryPolicy.Failure =>
  outcome._tag === "NoAnswer"
    ? { _tag: "Transport" }
    : RetryPolicy.classify({ status: outcome.status, type: typeOf(json), headers: outcome.headers, nowMs })

/** An attempt as the policy classifies it now. */
const classifiedNow = (attempted: Attempted) =>
  Effect.map(Clock.currentTimeMillis, (nowMs) => classify(attempted, nowMs))

/** What an attempt's result is before any rule looks at it: no answer, a body over the limit, or the parsed body. */
const attemptedOf = (
  result: Either.Either<TransportResponse, ExchangeError>,
  durationMs: number,
  maxBodyBytes: number
): Attempted => {
  if (Either.isLeft(result)) {
    return { outcome: { _tag: "NoAnswer", error: result.left, durationMs }, json: undefined, overLimit: undefined }
  }
  const response = result.right
  const overLimit =
    response.bodyBytes !== undefined && response.bodyBytes > maxBodyBytes
      ? BodyLimit.describe(maxBodyBytes, response.bodyBytes)
      : undefined
  return {
    outcome: { _tag: "Response", ...response, durationMs },
    json: overLimit === undefined ? parseJson(response.body) : undefined,
    overLimit
  }
}

/**
 * A sender: `send(request)` makes the attempts of one request and succeeds
 * with all of them in order (it never fails: no answer is a `NoAnswer`
 * outcome); the last is the request's answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: SenderOptions,
  policy: RetryPolicy.RetryPolicy
): ((request: TransportRequest) => Effect.Effect<Arr.NonEmptyReadonlyArray<Attempted>>) => {
  const timeoutError = () =>
    new ExchangeError({ message: `no response within ${Duration.format(options.timeout)}`, code: "ETIMEDOUT" })

  // One attempt, never failing; it holds a slot of the rate limit (retries count too), and its latency excludes the wait for the slot.
  const attempt = (request: TransportRequest): Effect.Effect<Attempted> =>
    options.send(request).pipe(
      Effect.timeoutFail({ duration: options.timeout, onTimeout: timeoutError }),
      Effect.either,
      Effect.timed,
      options.limiter.withPermit,
      Effect.map(([duration, result]) => attemptedOf(result, Duration.toMillis(duration), options.maxBodyBytes))
    )

  // An attempt worth repeating is the "error" the schedule sees; the others are the answer.
  const retrySchedule = RetryPolicy.schedule(policy).pipe(Schedule.mapInputEffect(classifiedNow))
  const settled = (attempted: Attempted): Effect.Effect<Attempted, Attempted> =>
    Effect.flatMap(classifiedNow(attempted), (failure) =>
      RetryPolicy.isRetryableFailure(policy, failure) ? Effect.fail(attempted) : Effect.succeed(attempted)
    )

  return (request) =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make<ReadonlyArray<Attempted>>([])
      const last = yield* attempt({ ...request, maxBodyBytes: options.maxBodyBytes }).pipe(
        Effect.tap((attempted) => Ref.update(attempts, (earlier) => [...earlier, attempted])),
        Effect.flatMap(settled),
        Effect.retry(retrySchedule),
        // Retries spent: the last attempt is the answer.
        Effect.merge
      )
      // Every attempt was recorded as it came; the last one is `last`.
      return Arr.append((yield* Ref.get(attempts)).slice(0, -1), last)
    })
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
