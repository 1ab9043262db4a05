/**
 * A call as attempts: each attempt is one exchange under the per-attempt
 * limit (or what is left of the call's deadline), and the attempts are
 * replayed by ONE `Effect.retry` with the policy's `Schedule`, which decides
 * whether and when to try again (`RetryPolicy.schedule` of
 * `@postpress/schema`, the contract suite's too).
 *
 * @internal
 */
import type { Account, RetryPolicy as Policy } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as ClientError from "../ClientError.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as Exchange from "./exchange.js"

/** The attempt number, 1-based: the schedule's recurrences so far, as `Effect.retry` provides them. */
const attemptNumber = Effect.map(Schedule.CurrentIterationMetadata, (iteration) => iteration.recurrence + 1)

/** The next attempt: the exchange under the per-attempt limit, or what is left of the deadline. */
const attempt = (
  policy: Policy.RetryPolicy,
  exchange: Exchange.Exchange,
  request: { readonly id: string; readonly url: string; readonly deadlineAtMs: number }
): Effect.Effect<Account.AccountOrUnknown, ClientError.RetrieveError> =>
  Effect.flatMap(Effect.zip(attemptNumber, Clock.currentTimeMillis), ([attempts, nowMs]) => {
    const remaining = request.deadlineAtMs - nowMs
    const scope = policy.timeoutMs < remaining ? "attempt" : "deadline"
    const limited = Effect.timeoutFail(Exchange.exchange(exchange, request.id, request.url, attempts), {
      duration: Duration.millis(Math.min(policy.timeoutMs, remaining)),
      onTimeout: () =>
        new ClientError.TimeoutError({
          scope,
          limit: Duration.millis(scope === "attempt" ? policy.timeoutMs : policy.deadlineMs),
          attempts
        })
    })
    // Recorded on the call's span: the last attempt's number is the call's.
    return Effect.zipRight(Effect.annotateCurrentSpan("postpress.attempts", attempts), limited)
  })

/** The attempts of a failed call so far, as its error tells them. */
const attemptsOf = (error: ClientError.RetrieveError): number | undefined =>
  "attempts" in error ? error.attempts : undefined

/**
 * The policy's schedule over the client's errors, the deadline counted from
 * `startedAtMs`; each retry is logged at debug level with the attempt that
 * failed, its error and the wait.
 */
const schedule = (policy: Policy.RetryPolicy, startedAtMs: number) =>
  RetryPolicy.schedule(policy, { startedAtMs }).pipe(
    Schedule.mapInput(RetryPolicy.failureOf),
    Schedule.intersect(Schedule.identity<ClientError.RetrieveError>()),
    Schedule.tapOutput(([decision, error]) =>
      decision._tag === "Retry"
        ? Effect.logDebug("postpress: retrying").pipe(
            Effect.annotateLogs({
              attempt: attemptsOf(error),
              error: error._tag,
              delay_ms: Math.round(decision.delayMs)
            })
          )
        : Effect.void
    )
  )

/**
 * Account `id` at `url`: attempts until one succeeds or the policy's
 * schedule stops; the call fails with the last attempt's error.
 *
 * @internal
 */
export const call = (
  policy: Policy.RetryPolicy,
  exchange: Exchange.Exchange,
  id: string,
  url: string
): Effect.Effect<Account.AccountOrUnknown, ClientError.RetrieveError> =>
  Effect.flatMap(Clock.currentTimeMillis, (startedAtMs) =>
    Effect.retry(
      attempt(policy, exchange, { id, url, deadlineAtMs: startedAtMs + policy.deadlineMs }),
      schedule(policy, startedAtMs)
    )
  )
