/**
 * The rate limiter on `TestClock`: a slot is free again one window after its
 * request FINISHED, so requests that share a slot are at least a window
 * apart however long each took; with no limit nothing waits.
 */
import { it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { expect } from "vitest"
import * as RateLimit from "../src/internal/sources/suite/rateLimit.js"

// Starts `count` requests at once through the limiter; each takes `durationMs`; returns their start times.
const starts = (limiter: RateLimit.RateLimit, count: number, durationMs: number) =>
  Effect.forEach(
    Array.from({ length: count }, (_, i) => i),
    () => limiter.withPermit(Effect.flatMap(Clock.currentTimeMillis, (at) => Effect.as(Effect.sleep(durationMs), at))),
    { concurrency: "unbounded" }
  )

it.effect("at most N starts per window, the next window counted from the answers", () =>
  Effect.gen(function* () {
    const limiter = yield* RateLimit.make(2)
    const fiber = yield* Effect.fork(starts(limiter, 5, 100))
    yield* TestClock.adjust("10 seconds")
    const times = yield* Fiber.join(fiber)
    // two at once; the next two a window (plus the clock slack) after the first two answered (at 100 ms); the last after those
    const next = 100 + RateLimit.windowMs + RateLimit.slackMs
    expect([...times].sort((a, b) => a - b)).toEqual([0, 0, next, next, 2 * next])
  })
)

it.effect("a slow answer holds its slot: the next request waits for it, then a window", () =>
  Effect.gen(function* () {
    const limiter = yield* RateLimit.make(1)
    const fiber = yield* Effect.fork(starts(limiter, 2, 3000))
    yield* TestClock.adjust("10 seconds")
    expect([...(yield* Fiber.join(fiber))].sort((a, b) => a - b)).toEqual([
      0,
      3000 + RateLimit.windowMs + RateLimit.slackMs
    ])
  })
)

it.effect("an interrupted request gives its slot back", () =>
  Effect.gen(function* () {
    const limiter = yield* RateLimit.make(1)
    const stuck = yield* Effect.fork(limiter.withPermit(Effect.never))
    yield* TestClock.adjust("500 millis")
    yield* Fiber.interrupt(stuck)
    const next = yield* Effect.fork(starts(limiter, 1, 0))
    yield* TestClock.adjust("10 seconds")
    expect(yield* Fiber.join(next)).toEqual([500 + RateLimit.windowMs + RateLimit.slackMs])
  })
)

it.effect("no limit: nothing waits", () =>
  Effect.gen(function* () {
    const limiter = yield* RateLimit.make(undefined)
    const fiber = yield* Effect.fork(starts(limiter, 20, 100))
    yield* TestClock.adjust("1 second")
    expect(new Set(yield* Fiber.join(fiber))).toEqual(new Set([0]))
  })
)
