/**
 * The suite as a `Stream` of events (`Contract.events`), over an in-memory
 * transport: each violation is an event as it is found (one per failure
 * the report records, retried attempts included), its line masked and
 * escaped; progress per scenario check; `Finished` with the report last and
 * once; the run stops when its reader does; a configuration that cannot run fails before any request.
 */
import { it } from "@effect/vitest"
import { Printable, SpecExample } from "@postpress/schema"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import { describe, expect } from "vitest"
import { type ContractConfig, events, reportOf } from "../src/Contract.js"
import { ExchangeError } from "../src/ContractError.js"
import type * as ContractEvent from "../src/ContractEvent.js"
import { KEY } from "./broken-servers/TinyServer.js"
import { type Answer, conformant, json, scripted } from "./support/memoryTransport.js"

const baseUrl = "http://api.test/api"
const config: ContractConfig = { baseUrl, apiKey: KEY, accountIds: ["x1", "x2"], seed: 7, runs: 5, concurrency: 3 }

/**
 * Every event of a run over `answer`, and the requests it sent. The clock
 * is the TestClock: it is moved an hour on, which runs every retry wait
 * (TestClock.adjust waits for the run to be suspended on one first).
 */
const collect = (answer: Answer, given: ContractConfig = config) =>
  Effect.gen(function* () {
    const transport = yield* scripted(answer)
    const fiber = yield* Effect.fork(events(given).pipe(Stream.runCollect, Effect.provide(transport.layer)))
    yield* TestClock.adjust("1 hour")
    const all = yield* Fiber.join(fiber)
    return { events: Chunk.toReadonlyArray(all), sent: yield* transport.sent }
  })

type Event = ContractEvent.SuiteEvent | ContractEvent.Finished

const finishedOf = (all: ReadonlyArray<Event>) => {
  const last = all.at(-1)
  if (last?._tag !== "Finished") throw new Error(`the last event is ${last?._tag}, not Finished`)
  return last.report
}

/**
 * A server breaking rules: its 200 bodies name another id and have a number
 * for `name`; its 404s carry a `type` with a terminal escape sequence (which
 * the violation messages quote as received).
 */
const wrongAccount: Answer = (request, n) =>
  conformant(["x1", "x2"], () => ({ ...SpecExample.retrieveAccountResponse, id: "not-the-id", name: 42 }))(
    request,
    n
  ).pipe(
    Effect.map((answer) =>
      answer.status === 404
        ? json(404, { title: "Not Found", type: "errors/\u001b]52;c;eA==\u0007gone", status: 404 })
        : answer
    )
  )

describe("Contract.events", () => {
  it.effect("a Violation per failure the report records, as found; Finished last and once", () =>
    Effect.gen(function* () {
      const { events: all } = yield* collect(wrongAccount)
      const report = finishedOf(all)
      expect(all.filter((event) => event._tag === "Finished")).toHaveLength(1)
      const violations = all.filter((event): event is ContractEvent.Violation => event._tag === "Violation")
      for (const check of report.checks) {
        expect(violations.filter((v) => v.check === check.name)).toHaveLength(check.failureCount)
      }
      expect([...new Set(violations.map((v) => v.check))]).toEqual(
        expect.arrayContaining(["known_accounts", "response_schema", "not_found", "error_envelope"])
      )
      for (const { line, check } of violations) {
        expect(line.startsWith(`violation ${check}: GET ${baseUrl}/v1/accounts/`)).toBe(true)
        // Bytes from the server never reach a terminal raw, and the key never appears.
        expect(Printable.hasControl(line)).toBe(false)
        expect(line).not.toContain(KEY)
      }
      expect(violations.some((v) => v.line.includes("errors/\\x1b]52;c;eA==\\x07gone"))).toBe(true)
    })
  )

  it.effect("each scenario check: started, its violations, done with its failure count, in that order", () =>
    Effect.gen(function* () {
      const { events: all } = yield* collect(wrongAccount)
      const report = finishedOf(all)
      const started = all.flatMap((event, i) => (event._tag === "CheckStarted" ? [[event.check, i] as const] : []))
      expect(started.length).toBeGreaterThan(3)
      for (const [check, at] of started) {
        const done = all.findIndex((event) => event._tag === "CheckDone" && event.check === check)
        expect(done).toBeGreaterThan(at)
        const ended = all[done] as ContractEvent.CheckDone
        const startedEvent = all[at] as ContractEvent.CheckStarted
        expect(ended.requests).toBe(startedEvent.requests)
        expect(ended.failures).toBe(report.checks.find((c) => c.name === check)?.failureCount)
        // A scenario's own verdicts come between its start and its end (one scenario at a time).
        const scenarioViolations = all.flatMap((event, i) =>
          event._tag === "Violation" && event.check === check && check === "known_accounts" ? [i] : []
        )
        for (const i of scenarioViolations) expect(i > at && i < done).toBe(true)
      }
    })
  )

  it.effect("progress every 50 answers within a check, never after its last", () =>
    Effect.gen(function* () {
      const { events: all } = yield* collect(conformant(["x1"]), { ...config, accountIds: ["x1"], runs: 120 })
      const started = all.find(
        (event): event is ContractEvent.CheckStarted => event._tag === "CheckStarted" && event.check === "hostile_ids"
      )
      expect(started?.requests).toBeGreaterThan(100)
      const ticks = all.filter(
        (event): event is ContractEvent.CheckProgress => event._tag === "CheckProgress" && event.check === "hostile_ids"
      )
      expect(ticks.map((tick) => tick.done)).toEqual(
        Array.from({ length: Math.floor(((started?.requests ?? 0) - 1) / 50) }, (_, i) => (i + 1) * 50)
      )
      expect(ticks.every((tick) => tick.requests === started?.requests)).toBe(true)
      expect(finishedOf(all).verdict).toBe("pass")
    })
  )

  it.effect("a violation on an attempt that is retried is an event too", () =>
    Effect.gen(function* () {
      // The first attempt of every request: a 503 whose body is no error envelope (error_envelope fails), then retried.
      const flaky: Answer = (request, n) =>
        n % 2 === 0 ? Effect.succeed(json(503, { oops: true })) : conformant(["x1"])(request, n)
      const { events: all } = yield* collect(flaky, { ...config, accountIds: ["x1"], concurrency: 1 })
      const report = finishedOf(all)
      expect(report.retries).toBeGreaterThan(0)
      const envelope = all.filter((event) => event._tag === "Violation" && event.check === "error_envelope")
      expect(envelope.length).toBe(report.checks.find((c) => c.name === "error_envelope")?.failureCount)
      expect(envelope.length).toBeGreaterThan(0)
    })
  )

  it.effect("a first request without an answer: Finished alone, inconclusive, saying why", () =>
    Effect.gen(function* () {
      const refused: Answer = () =>
        Effect.fail(new ExchangeError({ message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED" }))
      const { events: all, sent } = yield* collect(refused, { ...config, maxAttempts: 1 })
      expect(all.map((event) => event._tag)).toEqual(["Finished"])
      expect(sent).toHaveLength(1)
      const report = finishedOf(all)
      expect(report.verdict).toBe("inconclusive")
      expect(report.inconclusiveReasons).toEqual([`cannot reach ${baseUrl}: connect ECONNREFUSED 127.0.0.1:9`])
    })
  )

  it.effect("the run stops when its reader stops: no report, and no more requests", () =>
    Effect.gen(function* () {
      const given = { ...config, accountIds: ["x1"], runs: 400, concurrency: 2 }
      const full = yield* collect(conformant(["x1"]), given)
      expect(full.sent.length).toBeGreaterThan(400)
      const transport = yield* scripted(conformant(["x1"]))
      const firstTwo = yield* events(given).pipe(Stream.take(2), Stream.runCollect, Effect.provide(transport.layer))
      expect(Chunk.toReadonlyArray(firstTwo).map((event) => event._tag)).toEqual(["CheckStarted", "CheckDone"])
      // The reader stopped after the first check: the run was interrupted long before its end (and stays so).
      const sent = (yield* transport.sent).length
      expect(sent).toBeLessThan(full.sent.length / 2)
      yield* Effect.yieldNow()
      expect(yield* transport.sent).toHaveLength(sent)
    })
  )

  it.effect("a span per scenario check, named with its check and request count, never holding the key", () =>
    Effect.gen(function* () {
      const spans: Array<{ readonly name: string; readonly attributes: Map<string, unknown> }> = []
      // A tracer that keeps every span it is asked for (the test's own, not an exporter).
      const tracer = Tracer.make({
        span: (name, parent, context, links, startTime, kind) => {
          const attributes = new Map<string, unknown>()
          spans.push({ name, attributes })
          let status: Tracer.SpanStatus = { _tag: "Started", startTime }
          return {
            _tag: "Span",
            name,
            spanId: String(spans.length),
            traceId: "contract-events",
            parent,
            context,
            get status() {
              return status
            },
            attributes,
            links,
            sampled: true,
            kind,
            end: (endTime, exit) => {
              status = { _tag: "Ended", startTime, endTime, exit }
            },
            attribute: (key, value) => {
              attributes.set(key, value)
            },
            event: () => {},
            addLinks: () => {}
          }
        },
        context: (f) => f()
      })
      const { events: all } = yield* collect(wrongAccount).pipe(Effect.withTracer(tracer))
      const started = all.flatMap((event) => (event._tag === "CheckStarted" ? [event] : []))
      const scenarioSpans = spans.filter((span) => span.name === "postpress.contract.scenario")
      expect(scenarioSpans.map((span) => span.attributes.get("postpress.check"))).toEqual(started.map((e) => e.check))
      expect(scenarioSpans.map((span) => span.attributes.get("postpress.requests"))).toEqual(
        started.map((e) => e.requests)
      )
      expect(JSON.stringify(spans.map((span) => [span.name, [...span.attributes]]))).not.toContain(KEY)
    })
  )

  it.effect("reportOf folds the events to the report Finished carries", () =>
    Effect.gen(function* () {
      const { events: all } = yield* collect(conformant(["x1", "x2"]))
      const report = yield* reportOf(Stream.fromIterable(all))
      expect(report).toBe(finishedOf(all))
    })
  )

  it.effect("a configuration that cannot run fails the stream before any request", () =>
    Effect.gen(function* () {
      const transport = yield* scripted(conformant(["x1"]))
      const error = yield* events({ ...config, concurrency: 0 }).pipe(
        Stream.runDrain,
        Effect.provide(transport.layer),
        Effect.flip
      )
      expect(error._tag).toBe("InvalidConfig")
      expect(error.message).toBe("concurrency: expected an integer ≥ 1, got 0")
      expect(yield* transport.sent).toEqual([])
    })
  )
})
