/**
 * The client against real node:http servers on 127.0.0.1: request shape,
 * every error tier, undocumented statuses, contract violations, transport
 * failures, timeouts and retries end to end.
 */
import { readFileSync } from "node:fs"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe } from "vitest"
import * as ClientError from "../src/ClientError.js"
import { userAgent } from "../src/internal/version.js"
import { account, envelope } from "./support/fixtures.js"
import { clientOn, failureOf, liveClient } from "./support/live.js"
import { testKey } from "./support/mock.js"
import { answering, json, latch, listen, loopback } from "./support/server.js"

describe("requests", () => {
  it.scopedLive("GET {base}/v1/accounts/{id} with the key, accept and user-agent; decodes the account", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, { ...answering(req, account), extra_field: 1 }))
      const client = yield* liveClient(server.origin)
      const result = yield* client.retrieve(account.id)
      expect(result).toEqual(account)
      expect(server.requests).toHaveLength(1)
      const [seen] = server.requests
      expect(seen?.method).toBe("GET")
      expect(seen?.url).toBe(`/api/v1/accounts/${account.id}`)
      expect(seen?.headers["x-api-key"]).toBe(testKey)
      expect(seen?.headers.accept).toBe("application/json")
      expect(seen?.headers["user-agent"]).toBe(userAgent)
    })
  )

  it("the user-agent names the package and its version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(userAgent).toBe(`${pkg.name}/${pkg.version}`)
  })

  it.scopedLive("a base URL with a trailing slash and no path", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const client = yield* liveClient(server.origin, { baseUrl: `${server.origin}/` })
      yield* client.retrieve("a")
      expect(server.requests[0]?.url).toBe("/v1/accounts/a")
    })
  )
})

describe("documented error tiers", () => {
  const cases = [
    ["BadRequest", "errors/unescaped_characters"],
    ["Unauthorized", "errors/expired_credentials"],
    ["NotFound", "errors/invalid_resource_identifier"],
    ["InternalServerError", "errors/unexpected_error"],
    ["ServiceUnavailable", "errors/no_client_session"]
  ] as const
  it.scopedLive.each(cases)("%s carries the decoded envelope", ([tag, type]) =>
    Effect.gen(function* () {
      const body = envelope(type, { detail: "some detail", instance: "req_123" })
      const server = yield* loopback((_req, res) => json(res, body.status, body))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: tag, type, status: body.status, title: body.title, detail: "some detail" })
      expect(error).toMatchObject({ instance: "req_123", requestId: "req_123", attempts: 1 })
      expect(error.message).toBe(`${body.status} ${type}: ${body.title} (some detail)`)
    })
  )

  it.scopedLive("504 is retried end to end; x-request-id wins over instance", () =>
    Effect.gen(function* () {
      const body = envelope("errors/request_timeout", { instance: "inst" })
      const server = yield* loopback((_req, res, i) => json(res, 504, body, { "x-request-id": `rid-${i}` }))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "GatewayTimeout", attempts: 3, requestId: "rid-2" })
      expect(server.requests).toHaveLength(3)
    })
  )

  it.scopedLive("503 then 200 succeeds on the second attempt", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res, i) =>
        i === 0 ? json(res, 503, envelope("errors/service_unavailable")) : json(res, 200, answering(req, account))
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
      expect(server.requests).toHaveLength(2)
    })
  )
})

describe("responses outside the contract", () => {
  it.scopedLive("undocumented 403 → UnexpectedStatus, not retried", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) =>
        json(res, 403, { title: "Nope", type: "errors/whatever", status: 403 }, { "retry-after": "1" })
      )
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "UnexpectedStatus", status: 403, type: "errors/whatever", attempts: 1 })
      expect(error._tag === "UnexpectedStatus" && error.retryAfter?.toJSON()).toMatchObject({ millis: 1000 })
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("a JSON 502 is retried by status (a gateway's), then UnexpectedStatus", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) =>
        json(res, 502, { title: "Nope", type: "errors/whatever", status: 502 })
      )
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "UnexpectedStatus", status: 502, type: "errors/whatever", attempts: 3 })
      expect(server.requests).toHaveLength(3)
    })
  )

  it.scopedLive("429 is retried after Retry-After; when retries are spent it is RateLimited", () =>
    Effect.gen(function* () {
      const body = { title: "Slow down", type: "errors/rate_limited", status: 429, detail: "10/s" }
      const server = yield* loopback((_req, res, i) =>
        json(res, 429, body, { "retry-after": "0", "x-request-id": `rid-${i}` })
      )
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(server.requests).toHaveLength(3)
      expect(error).toBeInstanceOf(ClientError.RateLimited)
      expect(error._tag === "RateLimited" && error.retryAfter?.toJSON()).toMatchObject({ millis: 0 })
      const { retryAfter: _, ...rest } = error as ClientError.RateLimited
      expect(rest).toMatchObject({ status: 429, type: "errors/rate_limited", title: "Slow down", detail: "10/s" })
      expect(rest).toMatchObject({ attempts: 3, requestId: "rid-2" })
    })
  )

  it.scopedLive("429 then 200 succeeds", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res, i) =>
        i === 0 ? json(res, 429, "busy", { "retry-after": "0" }) : json(res, 200, answering(req, account))
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scopedLive("a long body is truncated", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => json(res, 403, "x".repeat(5000)))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error._tag === "UnexpectedStatus" && error.body).toBe(`${"x".repeat(1024)}… (3976 more chars)`)
    })
  )

  it.scopedLive("a 200 that is not an Account → ContractViolation naming the path", () =>
    Effect.gen(function* () {
      const broken = {
        ...account,
        connection_params: { im: { ...account.connection_params.im, premiumId: undefined } }
      }
      const server = yield* loopback((_req, res) => json(res, 200, broken))
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error._tag).toBe("ContractViolation")
      expect(error._tag === "ContractViolation" && error.issues.join("\n")).toContain(
        "connection_params.im.premiumId: expected string | null, got undefined"
      )
      expect(error).toMatchObject({ status: 200, attempts: 1 })
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("a body that is not JSON, and an envelope of the wrong tier, are contract violations", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res, i) =>
        i === 0
          ? json(res, 200, "<html>hi</html>")
          : json(res, 404, { title: "x", type: "errors/request_timeout", status: 404 })
      )
      const client = yield* liveClient(server.origin)
      const notJson = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(notJson).toMatchObject({ _tag: "ContractViolation", status: 200, body: "<html>hi</html>" })
      const wrongTier = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(wrongTier).toMatchObject({ _tag: "ContractViolation", status: 404 })
      expect(wrongTier._tag === "ContractViolation" && wrongTier.issues[0]).toMatch(/^type: /)
    })
  )
})

describe("transport and time", () => {
  it.scopedLive("connection refused → TransportError after 3 attempts", () =>
    Effect.gen(function* () {
      const server = yield* Effect.promise(() => listen(() => {}))
      yield* Effect.promise(() => server.close())
      const client = yield* liveClient(server.origin)
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "ConnectionRefused", code: "ECONNREFUSED" })
      expect(error).toMatchObject({ attempts: 3 })
    })
  )

  it.scopedLive("a reset connection → TransportError, retried", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res, i) =>
        i < 2 ? req.socket.destroy() : json(res, 200, answering(req, account))
      )
      const client = yield* liveClient(server.origin)
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
      expect(server.requests).toHaveLength(3)
    })
  )

  it.scopedLive("a reset that exhausts the retries is ConnectionReset", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req) => req.socket.destroy())
      const client = yield* liveClient(server.origin, { maxRetries: 1 })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "ConnectionReset", attempts: 2 })
    })
  )

  it.scopedLive("an unknown host → TransportError DnsFailure", () =>
    Effect.gen(function* () {
      const client = yield* liveClient("http://postpress-test.invalid", { maxRetries: 0 })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "DnsFailure", attempts: 1 })
    })
  )

  it.scopedLive("a server that never answers: each attempt times out, its request is aborted", () =>
    Effect.gen(function* () {
      const closed = yield* latch(2)
      const server = yield* loopback((req) => req.socket.on("close", closed.countDown))
      const client = yield* liveClient(server.origin, { timeout: "150 millis", maxRetries: 1 })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TimeoutError", scope: "attempt", attempts: 2 })
      expect(server.requests).toHaveLength(2)
      // The aborted sockets close asynchronously: both closes are awaited (the test times out if one never comes).
      yield* closed.await
    })
  )

  it.scopedLive("a body that stalls half-way times out too", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
        res.write('{"object":"Acc')
      })
      const client = yield* liveClient(server.origin, { timeout: "150 millis", maxRetries: 0 })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TimeoutError", scope: "attempt", attempts: 1 })
    })
  )

  it.scopedLive("the deadline cuts the last attempt short", () =>
    Effect.gen(function* () {
      const server = yield* loopback(() => {})
      const client = yield* liveClient(server.origin, { timeout: "200 millis", deadline: "300 millis" })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TimeoutError", scope: "deadline", attempts: 2 })
      expect(error._tag === "TimeoutError" && error.message).toBe("deadline of 300ms exceeded after 2 attempts")
    })
  )

  it.scopedLive("with another transport (the platform's undici client) attempts time out the same way", () =>
    Effect.gen(function* () {
      const closed = yield* latch(2)
      const server = yield* loopback((req) => req.socket.on("close", closed.countDown))
      const client = yield* clientOn(NodeHttpClient.layerUndici, {
        baseUrl: server.origin,
        timeout: "150 millis",
        maxRetries: 1,
        initialDelay: "1 millis"
      })
      const error = failureOf(yield* Effect.exit(client.retrieve("x")))
      expect(error).toMatchObject({ _tag: "TimeoutError", scope: "attempt", attempts: 2 })
      yield* closed.await
      expect(server.requests).toHaveLength(2)
    })
  )

  it.scopedLive("interrupting a call aborts its request", () =>
    Effect.gen(function* () {
      const received = yield* latch(1)
      const closed = yield* latch(1)
      const server = yield* loopback((req) => {
        req.socket.on("close", closed.countDown)
        received.countDown()
      })
      const client = yield* liveClient(server.origin)
      const fiber = yield* Effect.fork(client.retrieve("x"))
      yield* received.await
      yield* fiber.interruptAsFork(fiber.id())
      expect(Exit.isInterrupted(yield* fiber.await)).toBe(true)
      // The request's socket closes because the call was interrupted: the server never answers.
      yield* closed.await
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("a 30-day timeout and deadline do not fire at once", () =>
    Effect.gen(function* () {
      // The server answers 50 ms late: a limit that overflowed the platform's timers would fire within 1 ms.
      const server = yield* loopback((req, res) => setTimeout(() => json(res, 200, answering(req, account)), 50))
      const client = yield* liveClient(server.origin, { timeout: "30 days", deadline: "60 days" })
      expect((yield* client.retrieve(account.id)).id).toBe(account.id)
    })
  )
})

describe("tracing", () => {
  it.scopedLive("a span around retrieve propagates to the request headers (traceparent, b3)", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => json(res, 200, answering(req, account)))
      const client = yield* liveClient(server.origin)
      const outer = yield* Effect.withSpan(Effect.zipLeft(Effect.currentSpan, client.retrieve("x")), "pipeline.step")
      const headers = server.requests[0]?.headers ?? {}
      const traceparent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(headers.traceparent))
      expect(traceparent?.[1]).toBe(outer.traceId)
      // The request's own span, below the client's span, is the parent the server sees.
      expect(traceparent?.[2]).not.toBe(outer.spanId)
      expect(String(headers.b3)).toMatch(new RegExp(`^${outer.traceId}-${traceparent?.[2]}-1`))
    })
  )
})
