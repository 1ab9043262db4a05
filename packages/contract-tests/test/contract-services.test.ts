/**
 * The engine as services: requests go through whatever `ContractTransport`
 * is provided, time comes from `Clock` (so `TestClock` drives timestamps,
 * retry waits and time limits), the seed of an unseeded run comes from
 * `Random`, and the Node transport's sockets live exactly as long as its
 * layer.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { it } from "@effect/vitest"
import { SpecExample } from "@postpress/schema"
import { type MockServerError, startMockServer } from "@postpress/testkit/MockServer"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { describe, expect, expectTypeOf } from "vitest"
import { type ContractConfig, run, runContract } from "../src/Contract.js"
import type { ContractError, ExchangeError } from "../src/ContractError.js"
import { runAgainstMock } from "../src/ContractMock.js"
import type { ContractReport } from "../src/ContractReport.js"
import * as ContractTransport from "../src/ContractTransport.js"
import { KEY, startTinyServer } from "./broken-servers/TinyServer.js"
import { conformant, json, scripted } from "./support/memoryTransport.js"

/** A tiny server for the duration of one test, stopped by the scope. */
const tiny = (ids: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.promise(() => startTinyServer({ ids })),
    (server) => Effect.promise(() => server.stop())
  )

/**
 * A raw server with a handler of the test's choosing; `allClosed` completes
 * once every socket a client opened is closed (awaited on the sockets'
 * close events, never polled).
 */
const raw = (handler: Http.RequestListener) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const sockets = new Set<import("node:net").Socket>()
      const waiters: Array<() => void> = []
      const server = Http.createServer({ maxHeaderSize: 1024 * 1024 }, handler)
      server.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => {
          sockets.delete(socket)
          if (sockets.size === 0) for (const wake of waiters.splice(0)) wake()
        })
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const allClosed = Effect.async<void>((resume) => {
        if (sockets.size === 0) resume(Effect.void)
        else waiters.push(() => resume(Effect.void))
      })
      return { server, sockets, allClosed, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
    }),
    ({ server }) =>
      Effect.promise(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          })
      )
  )

/** The Node transport, recording every request it is given into `sink`. */
const recording = (sink: Array<ContractTransport.TransportRequest>) =>
  Layer.effect(
    ContractTransport.ContractTransport,
    Effect.map(ContractTransport.ContractTransport, (node) => ({
      send: (request: ContractTransport.TransportRequest) =>
        Effect.zipRight(
          Effect.sync(() => sink.push(request)),
          node.send(request)
        )
    }))
  ).pipe(Layer.provide(ContractTransport.layerNode))

const account = (id: string) => JSON.stringify({ ...SpecExample.retrieveAccountResponse, id })

describe("ContractTransport", () => {
  it.scoped("a caller-provided transport carries every request, path as written", () =>
    Effect.gen(function* () {
      const server = yield* tiny(["x1", ".."])
      const sent: Array<ContractTransport.TransportRequest> = []
      const report = yield* run({ baseUrl: server.url, apiKey: KEY, accountIds: ["x1", ".."], seed: 5, runs: 5 }).pipe(
        Effect.provide(recording(sent)),
        Effect.either
      )
      expect(report._tag).toBe("Right")
      const seen = sent.map((request) => request.path)
      expect(seen.length).toBeGreaterThan(5)
      expect(seen).toEqual(server.paths)
      expect(seen).toContain("/api/v1/accounts/%2E%2E")
    })
  )

  it.scoped("over any HttpClient (here fetch): same verdict, but dot-segment ids cannot travel", () =>
    Effect.gen(function* () {
      const server = yield* tiny(["x1", "a b/c"])
      const overFetch = ContractTransport.layerHttpClient.pipe(Layer.provide(FetchHttpClient.layer))
      const report = yield* run({
        baseUrl: server.url,
        apiKey: KEY,
        accountIds: ["x1", "a b/c"],
        seed: 4,
        runs: 5
      }).pipe(Effect.provide(overFetch))
      expect(report.checks.filter((c) => c.status === "fail")).toEqual([])
      expect(server.paths).toContain("/api/v1/accounts/a%20b%2Fc")
      // What the Node layer exists for: fetch's URL parser resolves %2E%2E away.
      const dots = yield* tiny([".."])
      yield* run({ baseUrl: dots.url, apiKey: KEY, accountIds: [".."], checks: ["known_accounts"], seed: 4 }).pipe(
        Effect.provide(overFetch)
      )
      expect(dots.paths).not.toContain("/api/v1/accounts/%2E%2E")
    })
  )

  it.live("the Node transport's keep-alive sockets are closed when the run ends", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const server = yield* raw((_, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(account("x1"))
        })
        const report = yield* runContract({ baseUrl: server.url, apiKey: KEY, accountIds: ["x1"], seed: 1, runs: 3 })
        expect(report.requests).toBeGreaterThan(3)
        // The client side closes first: the server sees every socket close (the test times out otherwise).
        yield* server.allClosed
        expect(server.sockets.size).toBe(0)
      })
    )
  )
})

/** A run asking for one known account over a scripted transport, forked: the test moves the clock and watches it. */
const forkOneAccountRun = (transport: Effect.Effect.Success<ReturnType<typeof scripted>>) =>
  Effect.fork(
    run({
      baseUrl: "http://api.test/api",
      apiKey: KEY,
      accountIds: ["x1"],
      checks: ["known_accounts"],
      seed: 2
    }).pipe(Effect.provide(transport.layer))
  )

describe("time comes from Clock", () => {
  it.scoped("the report's timestamps are the clock's (TestClock: a fixed instant, zero duration)", () =>
    Effect.gen(function* () {
      const server = yield* tiny(["x1"])
      yield* TestClock.setTime(Date.parse("2031-02-03T04:05:06.789Z"))
      const report = yield* runContract({ baseUrl: server.url, apiKey: KEY, accountIds: ["x1"], seed: 9, runs: 5 })
      expect(report.passed).toBe(true)
      expect(report.startedAt).toBe("2031-02-03T04:05:06.789Z")
      expect(report.durationMs).toBe(0)
    })
  )

  it.effect("Retry-After waits on the clock: the run moves on when TestClock does, not before", () =>
    Effect.gen(function* () {
      const unavailable = json(503, { title: "Service Unavailable", type: "errors/service_unavailable", status: 503 })
      const transport = yield* scripted((request, n) =>
        n === 0
          ? Effect.succeed({ ...unavailable, headers: { ...unavailable.headers, "retry-after": "1" } })
          : conformant(["x1"])(request, n)
      )
      const fiber = yield* forkOneAccountRun(transport)
      // TestClock.adjust first waits until the run is suspended: on its retry wait, the one request sent.
      yield* TestClock.adjust("999 millis")
      expect(yield* transport.sent).toHaveLength(1)
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      yield* TestClock.adjust("1 millis")
      const report = yield* Fiber.join(fiber)
      expect(report.retries).toBe(1)
      expect(yield* transport.sent).toHaveLength(2)
      expect(report.durationMs).toBe(1000)
    })
  )

  it.effect("a Retry-After over the suite's 2 s is waited for 2 s (the policy's cap), then the retry goes ahead", () =>
    Effect.gen(function* () {
      const limited = json(
        429,
        { title: "Too Many Requests", type: "errors/rate_limited", status: 429 },
        { "retry-after": "3600" }
      )
      const transport = yield* scripted((request, n) =>
        n === 0 ? Effect.succeed(limited) : conformant(["x1"])(request, n)
      )
      const fiber = yield* forkOneAccountRun(transport)
      yield* TestClock.adjust("1999 millis")
      expect(yield* transport.sent).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      const report = yield* Fiber.join(fiber)
      expect(report).toMatchObject({ retries: 1, throttled: 1, verdict: "pass", durationMs: 2000 })
    })
  )

  it.effect("the per-request time limit is measured on the clock, and the attempt is interrupted", () =>
    Effect.gen(function* () {
      const abandoned = yield* Deferred.make<void>()
      // An answer that never comes: the attempt waits until the time limit interrupts it.
      const transport = yield* scripted(() =>
        Effect.onInterrupt(Effect.never, () => Deferred.succeed(abandoned, undefined))
      )
      const baseUrl = "http://api.test/api"
      const fiber = yield* Effect.fork(
        run({ baseUrl, apiKey: KEY, accountIds: ["x1"], maxAttempts: 1, timeout: "5 seconds" }).pipe(
          Effect.provide(transport.layer)
        )
      )
      yield* TestClock.adjust("4 seconds")
      expect(yield* transport.sent).toHaveLength(1)
      expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
      yield* TestClock.adjust("1 second")
      const report = yield* Fiber.join(fiber)
      yield* Deferred.await(abandoned)
      expect(report.verdict).toBe("inconclusive")
      expect(report.inconclusiveReasons).toEqual([`cannot reach ${baseUrl}: no response within 5s (ETIMEDOUT)`])
    })
  )

  it.live("the Node transport aborts a request past its time limit: its socket is closed", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const arrived = yield* Deferred.make<void>()
        const server = yield* raw(() => Effect.runSync(Deferred.succeed(arrived, undefined))) // and never answers
        const report = yield* runContract({
          baseUrl: server.url,
          apiKey: KEY,
          accountIds: ["x1"],
          maxAttempts: 1,
          timeout: "200 millis"
        })
        yield* Deferred.await(arrived)
        expect(report.inconclusiveReasons).toEqual([`cannot reach ${server.url}: no response within 200ms (ETIMEDOUT)`])
        yield* server.allClosed
      })
    )
  )
})

describe("randomness comes from Random", () => {
  it.scoped("an unseeded run takes its seed from Random, and that seed reproduces the requests", () =>
    Effect.gen(function* () {
      const a = yield* tiny(["x1"])
      const unseeded = yield* runContract({ baseUrl: a.url, apiKey: KEY, accountIds: ["x1"], concurrency: 1 }).pipe(
        Effect.withRandom(Random.fixed([424242]))
      )
      expect(unseeded.seed).toBe(424242)
      const b = yield* tiny(["x1"])
      yield* runContract({ baseUrl: b.url, apiKey: KEY, accountIds: ["x1"], concurrency: 1, seed: 424242 })
      expect(b.paths).toEqual(a.paths)
    })
  )
})

describe("the API key", () => {
  it.scoped("a Redacted key is sent as X-API-KEY and nowhere else", () =>
    Effect.gen(function* () {
      const server = yield* tiny(["x1"])
      const sent: Array<ContractTransport.TransportRequest> = []
      const apiKey = Redacted.make(KEY)
      // The spec checks only: the security probes send near-miss keys and keys in query strings on purpose.
      const report = yield* run({
        baseUrl: server.url,
        apiKey,
        accountIds: ["x1"],
        seed: 3,
        runs: 3,
        excludeChecks: ["near_miss_keys", "path_confusion", "credential_placement"]
      }).pipe(Effect.provide(recording(sent)))
      expect(report.checks.find((c) => c.name === "known_accounts")?.status).toBe("pass")
      const withKey = sent.filter((r) => r.headers["X-API-KEY"] === KEY)
      expect(withKey.length).toBeGreaterThan(0)
      for (const request of sent) {
        expect(request.path).not.toContain(KEY)
        expect(Object.entries(request.headers).filter(([name, v]) => name !== "X-API-KEY" && v.includes(KEY))).toEqual(
          []
        )
      }
      expect(JSON.stringify(report)).not.toContain(KEY)
    })
  )
})

describe("runAgainstMock", () => {
  it.effect("passes the mock's MockCannotListen on when the mock cannot listen: no report, no crash", () =>
    Effect.gen(function* () {
      const mock = yield* Effect.acquireRelease(
        Effect.promise(() => startMockServer()),
        (m) => Effect.promise(() => m.stop())
      )
      const taken = Number(new URL(mock.url).port)
      const run = yield* Effect.flip(runAgainstMock({ mock: { port: taken } }))
      expect(run._tag).toBe("MockCannotListen")
    }).pipe(Effect.scoped)
  )
})

describe("public types", () => {
  it("run needs a transport, runContract and runAgainstMock do not", () => {
    expectTypeOf(run).returns.toEqualTypeOf<
      Effect.Effect<ContractReport, ContractError, ContractTransport.ContractTransport>
    >()
    expectTypeOf(runContract).returns.toEqualTypeOf<Effect.Effect<ContractReport, ContractError>>()
    expectTypeOf(runAgainstMock).returns.toEqualTypeOf<Effect.Effect<ContractReport, ContractError | MockServerError>>()
    expectTypeOf<ContractConfig["apiKey"]>().toEqualTypeOf<Redacted.Redacted<string> | string>()
    expectTypeOf<ContractTransport.ContractTransport["Type"]["send"]>().toEqualTypeOf<
      (request: ContractTransport.TransportRequest) => Effect.Effect<ContractTransport.TransportResponse, ExchangeError>
    >()
  })
})
