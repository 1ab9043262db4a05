/**
 * The API's retry policy: status-first classification, and the policy as an
 * Effect `Schedule` driven by TestClock (delays, Retry-After, the deadline,
 * composition with a caller's schedule).
 */

import { expect, it } from "@effect/vitest"
import { test as fcTest } from "@fast-check/vitest"
import { RetryPolicy } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import fc from "fast-check"
import { describe } from "vitest"

const policy = Either.getOrThrow(RetryPolicy.make())

describe("RetryPolicy.make", () => {
  it("refuses a bad option with InvalidRetryOptions naming it", () => {
    const bad = RetryPolicy.make({ maxRetries: -1 })
    expect(Either.isLeft(bad) && bad.left._tag).toBe("InvalidRetryOptions")
    expect(Either.isLeft(bad) && bad.left.option).toBe("maxRetries")
    expect(Either.isLeft(bad) && bad.left.reason).toBe("expected an integer ≥ 0, got -1")
    const timeout = RetryPolicy.make({ timeout: "0 millis" })
    expect(Either.isLeft(timeout) && timeout.left.message).toBe(
      'invalid retry option timeout: expected a positive duration (e.g. "30 seconds" or milliseconds), got "0 millis"'
    )
    // Effect reads a negative duration as zero: the rule sees the sign that was written.
    const negative = RetryPolicy.make({ maxDelay: -5 })
    expect(Either.isLeft(negative) && negative.left.reason).toBe(
      'expected a positive duration (e.g. "30 seconds" or milliseconds), got -5'
    )
  })

  it("keeps defaults for options given as undefined", () => {
    expect(RetryPolicy.make({ maxRetries: undefined } as never)).toEqual(Either.right(policy))
  })
})

describe("RetryPolicy.classify (status first)", () => {
  it.each([
    [{ status: 503 }, true],
    [{ status: 503, headers: { "content-type": "text/html" } }, true],
    [{ status: 504, headers: { "content-type": "text/plain" } }, true],
    [{ status: 503, type: "errors/network_down" }, true],
    [{ status: 503, type: "errors/no_client_session" }, false],
    [{ status: 429 }, true],
    [{ status: 500 }, false],
    [{ status: 502 }, true],
    [{ status: 502, headers: { "content-type": "text/plain" } }, true],
    [{ status: 501 }, false],
    [{ status: 404, type: "errors/resource_not_found" }, false],
    [{ status: 200 }, false]
  ] as const)("%j transient: %s", (answer, transient) => {
    expect(RetryPolicy.isTransient(policy, answer)).toBe(transient)
  })

  it("a no_client_session 503 is retried when asked", () => {
    const opted = Either.getOrThrow(RetryPolicy.make({ retryNoClientSession: true }))
    expect(RetryPolicy.isTransient(opted, { status: 503, type: "errors/no_client_session" })).toBe(true)
  })

  it("reads Retry-After from the headers", () => {
    expect(RetryPolicy.classify({ status: 429, headers: { "retry-after": "3" } })).toEqual({
      _tag: "Status",
      status: 429,
      type: undefined,
      retryAfterMs: 3000
    })
  })
})

/** Runs `failures` failing attempts through `Effect.retry` with the schedule; returns the attempt times. */
const drive = (
  failures: (n: number) => RetryPolicy.Failure | undefined,
  schedule: (startedAtMs: number) => Schedule.Schedule<unknown, RetryPolicy.Failure>,
  uniform = 0
) =>
  Effect.gen(function* () {
    const at: Array<number> = []
    const start = yield* Clock.currentTimeMillis
    const attempt = Effect.flatMap(Clock.currentTimeMillis, (now) => {
      at.push(now - start)
      const failure = failures(at.length)
      return failure === undefined ? Effect.succeed("ok") : Effect.fail(failure)
    })
    const fiber = yield* Effect.fork(
      Effect.either(Effect.retry(attempt, schedule(start)).pipe(Effect.withRandom(Random.fixed([uniform]))))
    )
    yield* TestClock.adjust("10 minutes")
    const result = yield* Fiber.join(fiber)
    return { result, at }
  })

const unavailable = RetryPolicy.classify({ status: 503, headers: { "content-type": "text/html" } })

describe("RetryPolicy.schedule", () => {
  it.effect("an HTML 503 twice then success: 3 attempts, 375 ms then 750 ms (jitter 0.75)", () =>
    Effect.gen(function* () {
      const { result, at } = yield* drive(
        (n) => (n <= 2 ? unavailable : undefined),
        (startedAtMs) => RetryPolicy.schedule(policy, { startedAtMs })
      )
      expect(Either.isRight(result)).toBe(true)
      expect(at).toEqual([0, 375, 1125])
    })
  )

  it.effect("always 503: stops after maxRetries + 1 attempts with the last failure", () =>
    Effect.gen(function* () {
      const { result, at } = yield* drive(
        () => unavailable,
        () => RetryPolicy.schedule(policy),
        1
      )
      expect(result).toEqual(Either.left(unavailable))
      expect(at).toEqual([0, 500, 1500])
    })
  )

  it.effect("a Retry-After longer than the backoff replaces it", () =>
    Effect.gen(function* () {
      const limited = RetryPolicy.classify({ status: 429, headers: { "retry-after": "2" } })
      const { at } = yield* drive(
        (n) => (n === 1 ? limited : undefined),
        () => RetryPolicy.schedule(policy)
      )
      expect(at).toEqual([0, 2000])
    })
  )

  it.effect("Retry-After: 0, a date in the past or a shorter retry-after-ms wait the normal backoff", () =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const past = new Date(now - 60_000).toUTCString()
      for (const headers of [{ "retry-after": "0" }, { "retry-after": past }, { "retry-after-ms": "10" }]) {
        for (const status of [429, 503]) {
          const answer = RetryPolicy.classify({ status, headers, nowMs: now })
          const { result, at } = yield* drive(
            () => answer,
            () => RetryPolicy.schedule(policy)
          )
          expect(Either.isLeft(result)).toBe(true)
          // 3 attempts, the backoff's 375 ms and 750 ms apart (jitter 0.75): never 3 requests at once.
          expect(at).toEqual([0, 375, 1125])
        }
      }
    })
  )

  it.effect("a text/plain 502 page is retried like a 503", () =>
    Effect.gen(function* () {
      const badGateway = RetryPolicy.classify({ status: 502, headers: { "content-type": "text/plain" } })
      const { result, at } = yield* drive(
        (n) => (n === 1 ? badGateway : undefined),
        () => RetryPolicy.schedule(policy)
      )
      expect(result).toEqual(Either.right("ok"))
      expect(at).toEqual([0, 375])
    })
  )

  it.effect("no wait runs past the deadline", () =>
    Effect.gen(function* () {
      const short = Either.getOrThrow(RetryPolicy.make({ deadline: "3 seconds", maxRetries: 10 }))
      const late = RetryPolicy.classify({ status: 503, headers: { "retry-after": "2" } })
      const { at } = yield* drive(
        () => late,
        (startedAtMs) => RetryPolicy.schedule(short, { startedAtMs })
      )
      // 0 and 2000; a third attempt at 4000 would be past the 3 s deadline.
      expect(at).toEqual([0, 2000])
    })
  )

  it.effect(
    "a Retry-After over maxRetryAfter stops by default; with retryAfterOverMax cap it waits the cap, then retries",
    () =>
      Effect.gen(function* () {
        const hour = RetryPolicy.classify({ status: 429, headers: { "retry-after": "3600" } })
        const stopped = yield* drive(
          () => hour,
          () => RetryPolicy.schedule(policy)
        )
        expect(stopped.at).toEqual([0])
        const capping = Either.getOrThrow(RetryPolicy.make({ maxRetryAfter: "2 seconds", retryAfterOverMax: "cap" }))
        expect(RetryPolicy.decideFailure(capping, hour, { attempt: 1, uniform: 0 })).toEqual({
          _tag: "Retry",
          delayMs: 2000
        })
        const capped = yield* drive(
          (n) => (n <= 2 ? hour : undefined),
          () => RetryPolicy.schedule(capping)
        )
        expect(capped.result).toEqual(Either.right("ok"))
        expect(capped.at).toEqual([0, 2000, 4000])
      })
  )

  it.effect("an unbounded deadline (Duration.infinity) never stops a retry; a zero one is refused", () =>
    Effect.gen(function* () {
      const unbounded = Either.getOrThrow(RetryPolicy.make({ deadline: Duration.infinity, maxRetries: 4 }))
      expect(unbounded.deadlineMs).toBe(Number.POSITIVE_INFINITY)
      const late = RetryPolicy.classify({ status: 503, headers: { "retry-after": "50" } })
      const { result, at } = yield* drive(
        () => late,
        (startedAtMs) => RetryPolicy.schedule(unbounded, { startedAtMs })
      )
      expect(Either.isLeft(result)).toBe(true)
      expect(at).toEqual([0, 50_000, 100_000, 150_000, 200_000])
      const zero = RetryPolicy.make({ deadline: "0 millis" })
      expect(Either.isLeft(zero) && zero.left.message).toBe(
        'invalid retry option deadline: expected a positive duration or Duration.infinity (e.g. "30 seconds" or milliseconds), got "0 millis"'
      )
      const bad = RetryPolicy.make({ retryAfterOverMax: "wait" as never })
      expect(Either.isLeft(bad) && bad.left.option).toBe("retryAfterOverMax")
      expect(Either.isLeft(bad) && bad.left.reason).toBe('expected "stop" or "cap", got "wait"')
    })
  )

  it.effect("non-transient failures are not retried", () =>
    Effect.gen(function* () {
      const { at } = yield* drive(
        () => RetryPolicy.classify({ status: 500 }),
        () => RetryPolicy.schedule(policy)
      )
      expect(at).toEqual([0])
    })
  )

  it.effect("composes with the caller's schedule (intersect with recurs(1) caps the retries)", () =>
    Effect.gen(function* () {
      const { at } = yield* drive(
        () => unavailable,
        () => Schedule.intersect(RetryPolicy.schedule(policy), Schedule.recurs(1))
      )
      expect(at).toEqual([0, 375])
    })
  )

  it.effect("adapts to a caller's error type with Schedule.mapInput", () =>
    Effect.gen(function* () {
      let calls = 0
      const call = Effect.suspend(() => {
        calls++
        return calls < 3 ? Effect.fail({ httpStatus: 504 }) : Effect.succeed(calls)
      })
      const fiber = yield* Effect.fork(
        Effect.retry(
          call,
          RetryPolicy.schedule(policy).pipe(
            Schedule.mapInput((e: { readonly httpStatus: number }) => RetryPolicy.classify({ status: e.httpStatus }))
          )
        )
      )
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(fiber)).toBe(3)
    })
  )
})

describe("RetryPolicy.decideFailure (properties)", () => {
  const failureArb = fc.oneof(
    fc.record({
      _tag: fc.constant("Status" as const),
      status: fc.constantFrom(200, 400, 404, 429, 500, 502, 503, 504),
      type: fc.option(fc.constantFrom("errors/no_client_session", "errors/network_down"), { nil: undefined }),
      retryAfterMs: fc.option(fc.nat(120_000), { nil: undefined })
    }),
    fc.constant({ _tag: "Transport" as const }),
    fc.record({
      _tag: fc.constant("Timeout" as const),
      scope: fc.constantFrom("attempt" as const, "deadline" as const)
    })
  )

  fcTest.prop([
    failureArb,
    fc.integer({ min: 1, max: 10 }),
    fc.nat(60_000),
    fc.integer({ min: 1, max: 60_000 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
  ])("a retry never waits into the deadline, nor past maxRetries", (failure, attempt, nowMs, left, uniform) => {
    const decision = RetryPolicy.decideFailure(policy, failure, {
      attempt,
      nowMs,
      deadlineAtMs: nowMs + left,
      uniform
    })
    if (decision._tag === "Retry") {
      expect(nowMs + decision.delayMs).toBeLessThan(nowMs + left)
      expect(attempt).toBeLessThanOrEqual(policy.maxRetries)
      expect(RetryPolicy.isRetryableFailure(policy, failure)).toBe(true)
    }
  })

  fcTest.prop([
    failureArb,
    fc.integer({ min: 1, max: 2 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
  ])("a retry waits at least the backoff, and at least the server's Retry-After", (failure, attempt, uniform) => {
    const decision = RetryPolicy.decideFailure(policy, failure, { attempt, uniform })
    if (decision._tag === "Retry") {
      expect(decision.delayMs).toBeGreaterThanOrEqual(
        RetryPolicy.backoffMillis(policy, attempt, RetryPolicy.jitterOf(uniform))
      )
      expect(decision.delayMs).toBeGreaterThanOrEqual(failure._tag === "Status" ? (failure.retryAfterMs ?? 0) : 0)
    }
  })
})
