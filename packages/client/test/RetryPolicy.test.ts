/**
 * The retry policy as a pure function: what is retried, the backoff formula,
 * Retry-After parsing and the deadline rule.
 */
import { fc, test } from "@fast-check/vitest"
import { ErrorCatalogue } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import * as ClientError from "../src/ClientError.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import { envelope } from "./support/fixtures.js"

const policy = Either.getOrThrow(RetryPolicy.make())

const tierError = (type: ErrorCatalogue.ErrorType, extra: { retryAfter?: Duration.Duration } = {}) => {
  const env = envelope(type)
  const Tier = ClientError.byStatus[env.status] as unknown as new (f: object) => ClientError.TierError
  return new Tier({ ...env, attempts: 1, ...extra })
}

describe("RetryPolicy.isRetryable", () => {
  it.each(ErrorCatalogue.catalogue.map((row) => [row.type, row.status] as const))("%s (%i)", (type, status) => {
    const expected = (status === 503 && type !== "errors/no_client_session") || status === 504
    expect(RetryPolicy.isRetryable(policy, tierError(type))).toBe(expected)
  })

  it("retries errors/no_client_session only when asked to", () => {
    const opted = Either.getOrThrow(RetryPolicy.make({ retryNoClientSession: true }))
    expect(RetryPolicy.isRetryable(opted, tierError("errors/no_client_session"))).toBe(true)
  })

  it("retries transport errors and attempt timeouts, not the rest", () => {
    const attempts = 1
    expect(
      RetryPolicy.isRetryable(
        policy,
        new ClientError.TransportError({ reason: "ConnectionReset", detail: "x", attempts })
      )
    ).toBe(true)
    const limit = Duration.seconds(10)
    expect(RetryPolicy.isRetryable(policy, new ClientError.TimeoutError({ scope: "attempt", limit, attempts }))).toBe(
      true
    )
    expect(RetryPolicy.isRetryable(policy, new ClientError.TimeoutError({ scope: "deadline", limit, attempts }))).toBe(
      false
    )
    const unexpected = new ClientError.UnexpectedStatus({ status: 403, body: "", attempts })
    expect(RetryPolicy.isRetryable(policy, unexpected)).toBe(false)
    const limited = new ClientError.RateLimited({ status: 429, body: "", attempts })
    expect(RetryPolicy.isRetryable(policy, limited)).toBe(true)
    const off = Either.getOrThrow(RetryPolicy.make({ retryRateLimited: false }))
    expect(RetryPolicy.isRetryable(off, limited)).toBe(false)
    // Status first: a 503 is transient whatever its body; a broken 200 is final.
    const page = new ClientError.ContractViolation({ status: 503, issues: [], body: "<html>", attempts })
    expect(RetryPolicy.isRetryable(policy, page)).toBe(true)
    const broken = new ClientError.ContractViolation({ status: 200, issues: [], body: "", attempts })
    expect(RetryPolicy.isRetryable(policy, broken)).toBe(false)
  })
})

describe("RetryPolicy.decide", () => {
  const e503 = tierError("errors/network_down")

  test.prop([fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    "backoff is min(0.5 s · 2^n, 8 s) × a jitter in [0.75, 1]",
    (attempt, uniform) => {
      const p = { ...policy, maxRetries: 20 }
      const decision = RetryPolicy.decide(p, e503, attempt, 0, Number.MAX_SAFE_INTEGER, uniform)
      expect(decision._tag).toBe("Retry")
      const delay = decision._tag === "Retry" ? decision.delayMs : Number.NaN
      const cap = Math.min(500 * 2 ** (attempt - 1), 8000)
      expect(delay).toBeGreaterThanOrEqual(cap * 0.75)
      expect(delay).toBeLessThanOrEqual(cap)
    }
  )

  it("stops after maxRetries (default 2, so 3 attempts)", () => {
    expect(RetryPolicy.decide(policy, e503, 2, 0, 1e9, 0)._tag).toBe("Retry")
    expect(RetryPolicy.decide(policy, e503, 3, 0, 1e9, 0)).toEqual({ _tag: "Stop", why: "no-retries-left" })
  })

  it("waits exactly Retry-After up to 60 s, and fails at once beyond", () => {
    const short = tierError("errors/request_timeout", { retryAfter: Duration.seconds(60) })
    expect(RetryPolicy.decide(policy, short, 1, 0, 1e9, 0.5)).toEqual({ _tag: "Retry", delayMs: 60_000 })
    const long = tierError("errors/request_timeout", { retryAfter: Duration.millis(60_001) })
    expect(RetryPolicy.decide(policy, long, 1, 0, 1e9, 0.5)).toEqual({ _tag: "Stop", why: "retry-after-too-long" })
  })

  it("never sleeps past the deadline", () => {
    const later = tierError("errors/service_unavailable", { retryAfter: Duration.seconds(5) })
    expect(RetryPolicy.decide(policy, later, 1, 26_000, 30_000, 0)).toEqual({ _tag: "Stop", why: "deadline" })
    expect(RetryPolicy.decide(policy, later, 1, 24_000, 30_000, 0)).toEqual({ _tag: "Retry", delayMs: 5000 })
    expect(RetryPolicy.decide(policy, e503, 1, 29_700, 30_000, 0)).toEqual({ _tag: "Stop", why: "deadline" })
  })
})

describe("RetryPolicy.decideStatus (for callers without a client error)", () => {
  it("decides on status, type and Retry-After exactly as decide does on the client's errors", () => {
    expect(RetryPolicy.decideStatus(policy, { status: 429, retryAfterMs: 2000, attempt: 1, uniform: 0 })).toEqual({
      _tag: "Retry",
      delayMs: 2000
    })
    expect(RetryPolicy.decideStatus(policy, { status: 504, attempt: 1, uniform: 0 })).toEqual({
      _tag: "Retry",
      delayMs: 375
    })
    expect(
      RetryPolicy.decideStatus(policy, { status: 503, type: "errors/no_client_session", attempt: 1, uniform: 0 })
    ).toEqual({ _tag: "Stop", why: "not-retryable" })
    expect(RetryPolicy.decideStatus(policy, { status: 429, retryAfterMs: 61_000, attempt: 1, uniform: 0 })).toEqual({
      _tag: "Stop",
      why: "retry-after-too-long"
    })
    expect(RetryPolicy.decideStatus(policy, { status: 429, attempt: 3, uniform: 0 })).toEqual({
      _tag: "Stop",
      why: "no-retries-left"
    })
    expect(
      RetryPolicy.decideStatus(policy, { status: 503, attempt: 1, uniform: 0, nowMs: 9_800, deadlineAtMs: 10_000 })
    ).toEqual({ _tag: "Stop", why: "deadline" })
    for (const status of [200, 400, 401, 403, 404, 500, 501]) {
      expect(RetryPolicy.decideStatus(policy, { status, attempt: 1, uniform: 0 })._tag).toBe("Stop")
    }
    expect(RetryPolicy.decideStatus(policy, { status: 502, attempt: 1, uniform: 0 })).toEqual({
      _tag: "Retry",
      delayMs: 375
    })
  })
})

describe("RetryPolicy.parseRetryAfter", () => {
  const now = Date.parse("2026-05-01T12:00:00.000Z")
  const ms = (headers: Record<string, string>) => {
    const d = RetryPolicy.parseRetryAfter(headers, now)
    return d === undefined ? undefined : Duration.toMillis(d)
  }

  it("reads delta-seconds, HTTP-dates and retry-after-ms", () => {
    expect(ms({ "retry-after": "3" })).toBe(3000)
    expect(ms({ "retry-after": "Fri, 01 May 2026 12:00:07 GMT" })).toBe(7000)
    expect(ms({ "retry-after": "Fri, 01 May 2026 11:00:00 GMT" })).toBe(0)
    expect(ms({ "retry-after-ms": "250.5", "retry-after": "9" })).toBe(250.5)
  })

  it("reads the obsolete HTTP-date forms too (RFC 850, asctime)", () => {
    expect(ms({ "retry-after": "Friday, 01-May-26 12:00:07 GMT" })).toBe(7000)
    expect(ms({ "retry-after": "Fri May  1 12:00:09 2026" })).toBe(9000)
    expect(RetryPolicy.parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37))
    expect(RetryPolicy.parseHttpDate("Sun Nov 16 08:49:37 1994", now)).toBe(Date.UTC(1994, 10, 16, 8, 49, 37))
  })

  it("ignores what it cannot parse", () => {
    expect(ms({})).toBeUndefined()
    expect(ms({ "retry-after": "soon" })).toBeUndefined()
    expect(ms({ "retry-after": "-1" })).toBeUndefined()
    expect(ms({ "retry-after-ms": "NaN" })).toBeUndefined()
    expect(ms({ "retry-after": "Sat, 31 Feb 2026 12:00:00 GMT" })).toBeUndefined()
    expect(ms({ "retry-after": "Fri, 01 May 2026 25:00:00 GMT" })).toBeUndefined()
    expect(ms({ "retry-after": "2026-05-01T12:00:07Z" })).toBeUndefined()
  })
})

describe("RetryPolicy.make", () => {
  it("refuses nonsense with InvalidArgument", () => {
    for (const bad of [{ maxRetries: -1 }, { maxRetries: 1.5 }, { timeout: 0 }, { deadline: "forever" as never }]) {
      const result = RetryPolicy.make(bad)
      expect(Either.isLeft(result) && result.left._tag).toBe("InvalidArgument")
    }
  })

  it("keeps defaults for options passed as undefined", () => {
    const p = Either.getOrThrow(RetryPolicy.make({ maxRetries: undefined as never }))
    expect(p.maxRetries).toBe(2)
    expect(p.timeoutMs).toBe(10_000)
    expect(p.deadlineMs).toBe(30_000)
  })
})
