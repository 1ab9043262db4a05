/**
 * The retry policy, re-exported from `@postpress/schema`'s `RetryPolicy`
 * (the API's retry semantics live with the API's schemas, shared by the
 * client and the contract suite), plus the client's view of it: its typed
 * errors as policy {@link Failure}s, and {@link make} failing with the
 * client's `InvalidArgument`.
 *
 * @since 0.1.0
 */
import { RetryPolicy as Policy } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as ClientError from "./ClientError.js"

export {
  /** @since 0.1.0 */
  type Answer,
  /** @since 0.1.0 */
  backoffMillis,
  /** @since 0.1.0 */
  classify,
  /** @since 0.1.0 */
  type Decision,
  /** @since 0.1.0 */
  decideFailure,
  /** @since 0.1.0 */
  decideStatus,
  /** @since 0.1.0 */
  defaults,
  /** @since 0.1.0 */
  type Failure,
  /** @since 0.1.0 */
  isRetryableFailure,
  /** @since 0.1.0 */
  isTransient,
  /** @since 0.1.0 */
  jitterOf,
  /** @since 0.1.0 */
  minJitter,
  /** @since 0.1.0 */
  type Options,
  /** @since 0.1.0 */
  type Progress,
  /** @since 0.1.0 */
  parseHttpDate,
  /** @since 0.1.0 */
  parseRetryAfter,
  /** @since 0.1.0 */
  parseRetryAfterMillis,
  /** @since 0.1.0 */
  type RetryPolicy,
  /** @since 0.1.0 */
  type ScheduleOptions,
  /** @since 0.1.0 */
  schedule
} from "@postpress/schema/RetryPolicy"

/**
 * Validates options over `defaults`; a bad option is the client's
 * `InvalidArgument` naming it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Partial<Policy.Options> = {}
): Either.Either<Policy.RetryPolicy, ClientError.InvalidArgument> =>
  Either.mapLeft(Policy.make(options), (e) => new ClientError.InvalidArgument({ argument: e.option, reason: e.reason }))

const millisOf = (duration: Duration.Duration | undefined): number | undefined =>
  duration === undefined ? undefined : Duration.toMillis(duration)

/**
 * The policy's view of a client error. A status the client answered with a
 * typed error goes through `classify` (status first), so a load balancer's
 * 503 page (an `Outage`), or a 503 whose JSON is no envelope (a
 * `ContractViolation`), is as transient as the API's own 503.
 *
 * @since 0.1.0
 * @category policy
 */
export const failureOf = (error: ClientError.RetrieveError): Policy.Failure => {
  switch (error._tag) {
    case "TransportError":
      return { _tag: "Transport" }
    case "TimeoutError":
      return { _tag: "Timeout", scope: error.scope }
    case "InvalidArgument":
    case "ResponseTooLarge":
      return { _tag: "Final" }
    case "ContractViolation":
      // A 2xx that broke the contract is final; an error status keeps its status-first meaning.
      return error.status >= 200 && error.status < 300
        ? { _tag: "Final" }
        : Policy.classify({ status: error.status, retryAfterMs: millisOf(error.retryAfter) })
    case "Outage":
      return Policy.classify({ status: error.status, retryAfterMs: millisOf(error.retryAfter) })
    default:
      return Policy.classify({ status: error.status, type: error.type, retryAfterMs: millisOf(error.retryAfter) })
  }
}

/**
 * `isRetryableFailure` for a client error.
 *
 * @since 0.1.0
 * @category policy
 */
export const isRetryable = (policy: Policy.RetryPolicy, error: ClientError.RetrieveError): boolean =>
  Policy.isRetryableFailure(policy, failureOf(error))

/**
 * `decideFailure` for a client error, after failed attempt number `attempt`
 * (1-based) at time `nowMs`, with the call's deadline at `deadlineAtMs` and a
 * uniform random number for the jitter.
 *
 * @since 0.1.0
 * @category policy
 */
export const decide = (
  policy: Policy.RetryPolicy,
  error: ClientError.RetrieveError,
  attempt: number,
  nowMs: number,
  deadlineAtMs: number,
  uniform: number
): Policy.Decision => Policy.decideFailure(policy, failureOf(error), { attempt, nowMs, deadlineAtMs, uniform })
