/**
 * Retry timing and attempt counts under TestClock, over an in-memory
 * transport: deterministic delays, Retry-After, per-attempt timeouts, the
 * overall deadline, interruption and debug logs.
 */
import { expect, it } from "@effect/vitest"
import { ApiError } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Random from "effect/Random"
import * as TestClock from "effect/TestClock"
import { describe } from "vitest"
import type * as ClientError from "../src/ClientError.js"
import { account, envelope } from "./support/fixtures.js"
import { type Answer, clientOn, mockClient } from "./support/mock.js"

const ok: Answer = { status: 200, body: account }
const unavailable: Answer = { status: 503, body: envelope("errors/network_down") }

/** Runs `retrieve` to completion, moving virtual time forward as far as needed. */
const run = (handler: (i: number) => Answer, options: Parameters<typeof clientOn>[1] = {}, uniform = 0) =>
  Effect.gen(function* () {
    const { client, calls } = mockClient(handler)
    const service = yield* clientOn(client, options)
    // Forking the Exit keeps the runtime from logging the expected failures.
    const fiber = yield* Effect.fork(
      Effect.exit(service.retrieve(account.id).pipe(Effect.withRandom(Random.fixed([uniform]))))
    )
    yield* TestClock.adjust("5 minutes")
    const exit = yield* Fiber.join(fiber)
    const start = calls[0]?.at ?? 0
    return { exit, calls, at: calls.map((c) => c.at - start) }
  })

const failure = (exit: Exit.Exit<unknown, ClientError.RetrieveError>) => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a failure, got ${exit._tag}`)
  return exit.cause.error
}

describe("retries under TestClock", () => {
  it.effect("503 twice then 200: succeeds on attempt 3 after 375 ms and 750 ms (jitter 0.75)", () =>
    Effect.gen(function* () {
      const { exit, at } = yield* run((i) => (i < 2 ? unavailable : ok))
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(at).toEqual([0, 375, 375 + 750])
    })
  )

  it.effect("full jitter factor 1 gives 500 ms then 1000 ms", () =>
    Effect.gen(function* () {
      const { at } = yield* run(() => unavailable, {}, 1)
      expect(at).toEqual([0, 500, 1500])
    })
  )

  it.effect("a persistent 504 fails with GatewayTimeout after 3 attempts (default 2 retries)", () =>
    Effect.gen(function* () {
      const { exit, calls } = yield* run(() => ({ status: 504, body: envelope("errors/request_timeout") }))
      const error = failure(exit)
      expect(error._tag).toBe("GatewayTimeout")
      expect(error._tag === "GatewayTimeout" && error.attempts).toBe(3)
      expect(calls).toHaveLength(3)
    })
  )

  it.effect("maxRetries caps the attempts", () =>
    Effect.gen(function* () {
      const none = yield* run(() => unavailable, { maxRetries: 0 })
      expect(none.calls).toHaveLength(1)
      const five = yield* run(() => unavailable, { maxRetries: 5, deadline: "5 minutes" })
      expect(five.at).toEqual([0, 375, 1125, 2625, 5625, 11625])
    })
  )

  it.effect("errors/no_client_session is not retried by default, and is when configured", () =>
    Effect.gen(function* () {
      const answer: Answer = { status: 503, body: envelope("errors/no_client_session") }
      const byDefault = yield* run(() => answer)
      expect(byDefault.calls).toHaveLength(1)
      expect(failure(byDefault.exit)).toMatchObject({ _tag: "ServiceUnavailable", type: "errors/no_client_session" })
      const opted = yield* run(() => answer, { retryNoClientSession: true })
      expect(opted.calls).toHaveLength(3)
    })
  )

  it.effect.each([
    [400, "errors/invalid_parameters"],
    [401, "errors/invalid_credentials"],
    [404, "errors/resource_not_found"],
    [500, "errors/provider_error"]
  ] as const)("%i is never retried", ([status, type]) =>
    Effect.gen(function* () {
      const { exit, calls } = yield* run(() => ({ status, body: envelope(type) }))
      expect(calls).toHaveLength(1)
      expect(failure(exit)).toMatchObject({ status, type, attempts: 1 })
    })
  )

  it.effect("undocumented statuses and contract violations are never retried", () =>
    Effect.gen(function* () {
      for (const answer of [
        { status: 403, body: { message: "forbidden" } },
        { status: 501, body: "not implemented" },
        { status: 200, body: { ...account, type: "FAX" } }
      ]) {
        const { exit, calls } = yield* run(() => answer)
        expect(calls).toHaveLength(1)
        expect(["UnexpectedStatus", "ContractViolation"]).toContain(failure(exit)._tag)
      }
    })
  )
})

describe("Retry-After under TestClock", () => {
  it.effect("Retry-After: 2 waits exactly 2 s; retry-after-ms wins over it", () =>
    Effect.gen(function* () {
      const seconds = yield* run((i) => (i === 0 ? { ...unavailable, headers: { "retry-after": "2" } } : ok))
      expect(seconds.at).toEqual([0, 2000])
      const millis = yield* run((i) =>
        i === 0 ? { ...unavailable, headers: { "retry-after": "2", "retry-after-ms": "1500" } } : ok
      )
      expect(millis.at).toEqual([0, 1500])
    })
  )

  it.effect("Retry-After: 0, a date in the past or a shorter retry-after-ms wait the normal backoff", () =>
    Effect.gen(function* () {
      const past = new Date((yield* Clock.currentTimeMillis) - 60_000).toUTCString()
      for (const headers of [{ "retry-after": "0" }, { "retry-after": past }, { "retry-after-ms": "5" }]) {
        for (const status of [429, 503]) {
          const { calls, at } = yield* run(() => ({ status, body: envelope("errors/network_down"), headers }))
          // Never 3 requests at once: 375 ms, then 750 ms (jitter 0.75), as without Retry-After.
          expect(calls).toHaveLength(3)
          expect(at).toEqual([0, 375, 1125])
        }
      }
    })
  )

  it.effect("Retry-After over 60 s fails at once and exposes retryAfter", () =>
    Effect.gen(function* () {
      const { exit, calls } = yield* run(() => ({ ...unavailable, headers: { "retry-after": "61" } }))
      expect(calls).toHaveLength(1)
      const error = failure(exit)
      expect(error._tag).toBe("ServiceUnavailable")
      // One tier-error family: the schema package's class, not a look-alike.
      expect(error).toBeInstanceOf(ApiError.ServiceUnavailable)
      expect(error._tag === "ServiceUnavailable" && error.retryAfter?.toJSON()).toMatchObject({ millis: 61_000 })
    })
  )

  it.effect("a Retry-After that does not fit in the deadline fails at once", () =>
    Effect.gen(function* () {
      const { calls } = yield* run(() => ({ ...unavailable, headers: { "retry-after": "20" } }), {
        deadline: "15 seconds"
      })
      expect(calls).toHaveLength(1)
    })
  )
})

describe("429 under TestClock", () => {
  const limited = (headers: Record<string, string> = {}): Answer => ({
    status: 429,
    body: { title: "Too many requests", type: "errors/rate_limited", status: 429 },
    headers
  })

  it.effect("retried after Retry-After (seconds or HTTP-date), else after the backoff", () =>
    Effect.gen(function* () {
      const seconds = yield* run((i) => (i === 0 ? limited({ "retry-after": "2" }) : ok))
      expect(seconds.at).toEqual([0, 2000])
      // An IMF-fixdate 3 s after the (virtual) now.
      const inThree = new Date((yield* Clock.currentTimeMillis) + 3000).toUTCString()
      const date = yield* run((i) => (i === 0 ? limited({ "retry-after": inThree }) : ok))
      expect(date.at).toEqual([0, 3000])
      const backoff = yield* run((i) => (i < 2 ? limited() : ok))
      expect(backoff.at).toEqual([0, 375, 1125])
    })
  )

  it.effect("RateLimited when retries are spent, when Retry-After is too long, or past the deadline", () =>
    Effect.gen(function* () {
      const spent = yield* run(() => limited({ "retry-after": "1" }))
      expect(spent.calls).toHaveLength(3)
      expect(failure(spent.exit)).toMatchObject({ _tag: "RateLimited", status: 429, attempts: 3 })
      const tooLong = yield* run(() => limited({ "retry-after": "61" }))
      expect(tooLong.calls).toHaveLength(1)
      const error = failure(tooLong.exit)
      expect(error._tag === "RateLimited" && error.retryAfter?.toJSON()).toMatchObject({ millis: 61_000 })
      expect(error.message).toBe("429 rate limited errors/rate_limited (retry after 1m 1s)")
      const late = yield* run(() => limited({ "retry-after": "20" }), { deadline: "15 seconds" })
      expect(late.calls).toHaveLength(1)
    })
  )

  it.effect("not retried when retryRateLimited is off", () =>
    Effect.gen(function* () {
      const { calls, exit } = yield* run(() => limited({ "retry-after": "1" }), { retryRateLimited: false })
      expect(calls).toHaveLength(1)
      expect(failure(exit)._tag).toBe("RateLimited")
    })
  )
})

describe("time limits under TestClock", () => {
  it.effect("a hanging server: each attempt times out after 10 s, then retried, 3 attempts", () =>
    Effect.gen(function* () {
      const { exit, at } = yield* run(() => "hang", { deadline: "2 minutes" })
      expect(at).toEqual([0, 10_375, 10_375 + 10_000 + 750])
      expect(failure(exit)).toMatchObject({ _tag: "TimeoutError", scope: "attempt", attempts: 3 })
    })
  )

  it.effect("the overall deadline cuts the last attempt short", () =>
    Effect.gen(function* () {
      const { client, calls } = mockClient(() => "hang")
      const service = yield* clientOn(client, { deadline: "15 seconds" })
      const fiber = yield* Effect.fork(service.retrieve(account.id).pipe(Effect.withRandom(Random.fixed([0]))))
      yield* TestClock.adjust("14999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = failure(yield* Fiber.await(fiber))
      expect(calls.map((c) => c.at)).toEqual([0, 10_375])
      expect(error).toMatchObject({ _tag: "TimeoutError", scope: "deadline", attempts: 2 })
    })
  )

  it.effect("interrupting the call aborts the in-flight request and stops retrying", () =>
    Effect.gen(function* () {
      const { client, calls } = mockClient(() => "hang")
      const service = yield* clientOn(client)
      const fiber = yield* Effect.fork(service.retrieve(account.id))
      yield* TestClock.adjust("1 second")
      expect(calls).toHaveLength(1)
      expect(calls[0]?.signal.aborted).toBe(false)
      yield* Fiber.interrupt(fiber)
      expect(calls[0]?.signal.aborted).toBe(true)
      yield* TestClock.adjust("5 minutes")
      expect(calls).toHaveLength(1)
    })
  )

  it.effect("each retry is logged at debug level with the attempt, error and delay", () =>
    Effect.gen(function* () {
      const lines: Array<{ message: unknown; level: string; annotations: Record<string, unknown> }> = []
      const logger = Logger.make(({ message, logLevel, annotations }) => {
        lines.push({ message, level: logLevel.label, annotations: Object.fromEntries(annotations) })
      })
      yield* run(() => unavailable).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      expect(lines.map((l) => l.message)).toEqual([["postpress: retrying"], ["postpress: retrying"]])
      expect(lines.every((l) => l.level === "DEBUG")).toBe(true)
      expect(lines[0]?.annotations).toEqual({ attempt: 1, error: "ServiceUnavailable", delay_ms: 375 })
      expect(lines[1]?.annotations).toEqual({ attempt: 2, error: "ServiceUnavailable", delay_ms: 750 })
    })
  )
})
