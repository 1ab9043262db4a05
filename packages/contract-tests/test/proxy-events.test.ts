/**
 * What the proxy tells is a `Stream` of typed events (`Listening` first,
 * `Violation` and `Finding` as they are found, `LimitReached` once), ending
 * when the proxy stops; offering never waits, so a consumer that falls
 * behind loses events (counted), never traffic. `run` consumes them with
 * `onEvent`, stops on `until`, and writes its reports even when interrupted.
 */
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { afterAll } from "vitest"
import { ContractEvent } from "../src/ContractEvent.js"
import * as ContractProxy from "../src/ContractProxy.js"
import { eventChannel } from "../src/internal/sources/proxy/proxy.js"
import { send, startOrigin } from "./proxy-support.js"

const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "proxy-events-"))
afterAll(() => Fs.rmSync(tmp, { recursive: true, force: true }))

const KEY = "pp_live_EVENTS_0123456789"

/** An origin whose every answer breaks rules: a 500 in plain text echoing the key. */
const brokenOrigin = Effect.acquireRelease(
  Effect.promise(() =>
    startOrigin({
      "/api/v1/accounts/acc_1": (req, res) => {
        res.writeHead(500, { "content-type": "text/plain" })
        res.end(`boom for ${req.headers["x-api-key"]}`)
      }
    })
  ),
  (origin) => Effect.promise(() => origin.stop())
)

/** A CONNECT the proxy refuses: completes once it closed the socket. */
const connect = (url: string) =>
  Effect.async<void>((resume) => {
    const socket = Net.connect(Number(new URL(url).port), "127.0.0.1", () =>
      socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    )
    socket.on("data", () => {})
    socket.on("error", () => {})
    socket.on("close", () => resume(Effect.void))
  })

const get = (url: string) => Effect.promise(() => send(url, "/v1/accounts/acc_1", { headers: { "X-API-KEY": KEY } }))

describe("the proxy's events", () => {
  it.scopedLive(
    "Listening first, a masked Violation line per broken rule, a Finding, LimitReached once; the stream ends with the stop",
    () =>
      Effect.gen(function* () {
        const origin = yield* brokenOrigin
        const proxy = yield* ContractProxy.make({ target: `${origin.url}/api`, maxRequests: 2 })
        const collected = yield* Effect.fork(Stream.runCollect(proxy.events))
        yield* get(proxy.url)
        yield* get(proxy.url)
        yield* proxy.limitReached
        yield* connect(proxy.url)
        const report = yield* proxy.stop("1 second")
        const events = Chunk.toReadonlyArray(yield* Fiber.join(collected))
        expect(events[0]).toEqual(ContractEvent.Listening({ url: proxy.url }))
        expect(events.filter(ContractEvent.$is("LimitReached"))).toHaveLength(1)
        const violations = events.filter(ContractEvent.$is("Violation"))
        expect(violations.length).toBe(report.checks.reduce((n, c) => n + c.failureCount, 0))
        expect(new Set(violations.map((v) => v.check))).toEqual(
          new Set(report.checks.filter((c) => c.status === "fail").map((c) => c.name))
        )
        expect(violations[0]!.line).toMatch(/^violation \w+: GET \/v1\/accounts\/acc_1 → 500: /)
        expect(violations.some((v) => v.check === "key_not_reflected")).toBe(true)
        expect(events.filter(ContractEvent.$is("Finding")).map((f) => f.line)).toEqual([
          "finding: CONNECT example.com:443 refused: tunnels are not relayed"
        ])
        expect(JSON.stringify(events)).not.toContain(KEY)
      }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.effect("a consumer that falls behind loses events, never waits: the rest are counted in a last Finding", () =>
    Effect.gen(function* () {
      const { emit, mailbox, events } = yield* eventChannel(2)
      for (let i = 0; i < 5; i++) emit(ContractEvent.Finding({ line: `finding ${i}` }))
      yield* mailbox.end
      const lines = Chunk.toReadonlyArray(yield* Stream.runCollect(events)).map((e) => (e as { line: string }).line)
      expect(lines).toEqual([
        "finding 0",
        "finding 1",
        "finding: 3 event(s) dropped: their consumer fell behind (every violation is in the report)"
      ])
    })
  )

  it.effect("nothing dropped, nothing said", () =>
    Effect.gen(function* () {
      const { emit, mailbox, events } = yield* eventChannel(2)
      emit(ContractEvent.LimitReached())
      yield* mailbox.end
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(events))).toEqual([ContractEvent.LimitReached()])
    })
  )
})

describe("ContractProxy.run", () => {
  it.live("onEvent sees every event before the reports; until stops the session; the report is written", () =>
    Effect.gen(function* () {
      const origin = yield* brokenOrigin
      const json = Path.join(tmp, "until.json")
      const stop = yield* Deferred.make<void>()
      const seen: Array<string> = []
      const report = yield* ContractProxy.run(
        { target: `${origin.url}/api`, json },
        {
          until: Deferred.await(stop),
          onEvent: (event) =>
            Effect.gen(function* () {
              seen.push(event._tag)
              if (event._tag !== "Listening") return
              yield* get(event.url)
              yield* Deferred.succeed(stop, undefined)
            })
        }
      )
      expect(report.traffic.judged).toBe(1)
      expect(seen[0]).toBe("Listening")
      expect(seen.filter((tag) => tag === "Violation").length).toBe(
        report.checks.reduce((n, c) => n + c.failureCount, 0)
      )
      expect(JSON.parse(Fs.readFileSync(json, "utf8")).traffic.judged).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("a consumer that never returns does not hold the traffic: the limit is reached and the run ends", () =>
    Effect.gen(function* () {
      const origin = yield* brokenOrigin
      const listening = yield* Deferred.make<string>()
      const running = yield* Effect.fork(
        ContractProxy.run(
          { target: `${origin.url}/api`, maxRequests: 3, drain: "100 millis" },
          {
            onEvent: (event) =>
              event._tag === "Listening"
                ? Effect.zipRight(Deferred.succeed(listening, event.url), Effect.never)
                : Effect.never
          }
        )
      )
      const url = yield* Deferred.await(listening)
      for (let i = 0; i < 3; i++) yield* get(url)
      const report = yield* Fiber.join(running)
      expect(report.traffic.judged).toBe(3)
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("interrupted (a signal, in the CLI): the reports are still written, with what was judged", () =>
    Effect.gen(function* () {
      const origin = yield* brokenOrigin
      const json = Path.join(tmp, "interrupted.json")
      const judged = yield* Deferred.make<void>()
      const running = yield* Effect.fork(
        ContractProxy.run(
          { target: `${origin.url}/api`, json },
          {
            onEvent: (event) =>
              event._tag === "Listening"
                ? Effect.zipRight(get(event.url), Deferred.succeed(judged, undefined))
                : Effect.void
          }
        )
      )
      yield* Deferred.await(judged)
      yield* Fiber.interrupt(running)
      const written = JSON.parse(Fs.readFileSync(json, "utf8"))
      expect(written.traffic.judged).toBe(1)
      expect(written.verdict).toBe("fail")
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )
})
