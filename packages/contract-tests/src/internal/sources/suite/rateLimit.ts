/**
 * The run's request rate limit: never more than `perSecond` requests in ANY
 * one-second window (a sliding window), over the whole run, every check and
 * every retry.
 *
 * Effect's own `RateLimiter` offers a token bucket and a fixed window; both
 * let up to twice the limit through some one-second window (a full bucket
 * plus its refill, or the end of one window plus the start of the next). A
 * limiter that only spaces the moments requests START cannot promise what
 * the server sees either: a request delayed on its way (a new connection, a
 * busy machine) arrives closer to the next one than it left.
 *
 * So this limiter holds `perSecond` slots; a request takes a slot, and the
 * slot is free again one window after that request's ANSWER came back. The
 * server received the request before it answered, so two requests that use
 * the same slot reach it at least a window apart, whatever the network did:
 * at most `perSecond` requests in any one-second window, as the server
 * counts. The price is the latency: each slot serves one request per
 * (window + latency). Time comes from `Clock`, so `TestClock` drives it.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"

/**
 * The window every limit is counted in.
 *
 * @since 0.1.0
 * @category constants
 */
export const windowMs = 1000

/**
 * Added to every wait: `Clock` reads whole milliseconds and timers may fire
 * up to a millisecond early, so a slot freed "exactly" a window after an
 * answer could let the next request reach the server 1–2 ms inside the same
 * window (seen on a loaded machine: 9 requests in one window at a limit of 8).
 *
 * @since 0.1.0
 * @category constants
 */
export const slackMs = 5

/**
 * Runs effects within the limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimit {
  readonly withPermit: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * No limit.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unlimited: RateLimit = { withPermit: (effect) => effect }

/**
 * A limiter of `perSecond` requests in any one-second window; `undefined`
 * means no limit.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (perSecond: number | undefined): Effect.Effect<RateLimit> =>
  perSecond === undefined
    ? Effect.succeed(unlimited)
    : Effect.gen(function* () {
        // Each slot is the time it is free again. Slots come back in the order their
        // requests finished, so the queue's times never decrease.
        const slots = yield* Queue.bounded<number>(perSecond)
        yield* Queue.offerAll(
          slots,
          Array.from({ length: perSecond }, () => 0)
        )
        const waitUntil = (freeAt: number) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => (now < freeAt ? Effect.sleep(freeAt - now) : Effect.void))
        const release = Effect.flatMap(Clock.currentTimeMillis, (done) => Queue.offer(slots, done + windowMs + slackMs))
        return {
          withPermit: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
            Effect.acquireUseRelease(
              Queue.take(slots),
              (freeAt) => Effect.zipRight(waitUntil(freeAt), effect),
              () => release
            )
        }
      })
