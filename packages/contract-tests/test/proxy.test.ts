/**
 * The validating proxy: transparent byte for byte, judging what goes through
 * with the suite's rules, bounded, and stopping with reports.
 */
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import { afterAll, beforeAll } from "vitest"
import * as ContractProxy from "../src/ContractProxy.js"
import { endToEndHeaders, type Origin, send, startOrigin, withProxy } from "./proxy-support.js"

const KEY = "pp_live_PROXYTEST_abcdef123456"
const envelope = (status: number, type: string) =>
  JSON.stringify({ title: status === 503 ? "Service Unavailable" : "Not Found", type, status })

let origin: Origin
/** Called when the origin's `slow` answer is closed (set by the test awaiting it). */
let slowDropped: () => void = () => {}
let mock: Awaited<ReturnType<typeof startMockServer>>
const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "proxy-test-"))

beforeAll(async () => {
  origin = await startOrigin({
    "/api/v1/accounts/busy": (_req, res) => {
      res.sendDate = false
      res.writeHead(503, [
        "Content-Type",
        "application/json",
        "Retry-After",
        "7",
        "Set-Cookie",
        "a=1",
        "Set-Cookie",
        "b=2",
        "x-Mixed-Case",
        "v"
      ])
      res.end(envelope(503, "errors/service_unavailable"))
    },
    "/api/v1/accounts/big": (_req, res) => {
      res.sendDate = false
      res.writeHead(200, { "content-type": "application/json" })
      // Over 1 MiB, in chunks: streamed through, never buffered.
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      for (let i = 0; i < 20; i++) res.write(chunk)
      res.end("{}")
    },
    // Half an answer, then nothing: it ends when the proxy drops it (its client left).
    "/api/v1/accounts/slow": (_req, res) => {
      res.sendDate = false
      res.writeHead(200, { "content-type": "application/json" })
      res.write('{"id":')
      res.on("close", () => slowDropped())
    }
  })
  mock = await startMockServer({ seed: 11, faultRate: 0.5, faults: [500, 503], retryAfter: 1 })
})

afterAll(async () => {
  await origin?.stop()
  await mock?.stop()
  Fs.rmSync(tmp, { recursive: true, force: true })
})

/** An echo body with the hop-by-hop request headers (connection-level, may differ) left out. */
const echoOf = (body: Buffer): unknown => {
  const text = body.toString("utf8")
  if (!text.startsWith('{"method"')) return text
  const echo = JSON.parse(text) as { rawHeaders: Array<string> }
  const headers = endToEndHeaders(echo.rawHeaders)
  return { ...echo, rawHeaders: headers }
}

describe("transparency", () => {
  const requests: ReadonlyArray<{ path: string; init?: Parameters<typeof send>[2] }> = [
    { path: "/v1/accounts/busy" },
    { path: "/no/such/path?x=1&y=%20z", init: { headers: { "X-API-KEY": KEY, "X-Custom": "Kept" } } },
    { path: "/v1/accounts/a%2Fb?expand=all", init: { headers: { "X-API-KEY": KEY } } },
    { path: "/v1/accounts/%ZZ", init: { headers: { "x-api-key": KEY } } },
    { path: "/v1/accounts/..%2F..%2Fetc", init: { headers: { "X-API-KEY": KEY } } },
    { path: "/v1/accounts/%E2%80%AEemoji%F0%9F%98%80;x=1", init: {} },
    { path: "/v1//accounts/./x", init: {} },
    { path: "/echo", init: { method: "POST", headers: { "content-type": "text/plain" }, body: "hello body" } }
  ]

  it("the same requests direct and through the proxy give equal statuses, bodies and end-to-end headers", async () => {
    const direct = []
    for (const r of requests) direct.push(await send(`${origin.url}/api`, r.path, r.init))
    const { result: proxied } = await withProxy({ target: `${origin.url}/api` }, async (url) => {
      const out = []
      for (const r of requests) out.push(await send(url, r.path, r.init))
      return out
    })
    for (const [i, r] of requests.entries()) {
      const a = direct[i]!
      const b = proxied[i]!
      expect(b.status, r.path).toBe(a.status)
      expect(b.statusMessage, r.path).toBe(a.statusMessage)
      expect(endToEndHeaders(b.rawHeaders), r.path).toEqual(endToEndHeaders(a.rawHeaders))
      // The echo bodies show what the origin received: identical, so the path,
      // query, headers (key included, names as sent) and body went through unchanged.
      expect(echoOf(b.body), r.path).toEqual(echoOf(a.body))
      if (a.status !== 404) expect(b.body.equals(a.body), r.path).toBe(true)
    }
    // the 503 keeps Retry-After and both Set-Cookie headers
    expect(endToEndHeaders(proxied[0]!.rawHeaders)).toEqual(
      expect.arrayContaining(["Retry-After: 7", "Set-Cookie: a=1", "Set-Cookie: b=2", "x-Mixed-Case: v"])
    )
    const echoed = JSON.parse(proxied[1]!.body.toString("utf8")) as { url: string; rawHeaders: Array<string> }
    expect(echoed.url).toBe("/api/no/such/path?x=1&y=%20z")
    expect(echoed.rawHeaders).toEqual(expect.arrayContaining(["X-API-KEY", KEY, "X-Custom", "Kept"]))
    expect(JSON.parse(proxied[7]!.body.toString("utf8")).body).toBe("hello body")
  })

  it("a body over the limit streams through whole, is not judged, and says so (inconclusive alone)", async () => {
    const { result, report } = await withProxy({ target: `${origin.url}/api`, maxBodyBytes: 1024 * 1024 }, (url) =>
      send(url, "/v1/accounts/big", { headers: { "X-API-KEY": KEY } })
    )
    expect(result.body.length).toBe(20 * 64 * 1024 + 2)
    expect(report.traffic).toMatchObject({ exchanges: 1, judged: 0, notJudged: 1, withoutBody: 1 })
    expect(report.traffic.notJudgedBy).toEqual({ over_limit: 1 })
    expect(report.verdict).toBe("inconclusive")
    expect(report.passed).toBe(false)
    expect(report.inconclusiveReasons).toEqual([
      `0 exchanges judged: 1 body over the 1 MiB limit (${20 * 64 * 1024 + 2} bytes)`
    ])
  })

  it("an unreachable target gets a 502 problem+json saying so, counted as a transport failure", async () => {
    const closed = await startOrigin({})
    const dead = closed.url
    await closed.stop()
    const { result, report } = await withProxy({ target: `${dead}/api` }, (url) =>
      send(url, "/v1/accounts/acc_1", { headers: { "X-API-KEY": KEY } })
    )
    expect(result.status).toBe(502)
    expect(endToEndHeaders(result.rawHeaders)).toContain("content-type: application/problem+json")
    expect(JSON.parse(result.body.toString("utf8")).detail).toContain("could not be reached")
    expect(report.traffic).toMatchObject({ exchanges: 1, judged: 0, transportFailures: 1 })
    // A dead target judged nothing: never a pass.
    expect(report.verdict).toBe("inconclusive")
    expect(report.passed).toBe(false)
    expect(report.inconclusiveReasons[0]).toContain("1 target unreachable (502)")
  })

  it("a client that disconnects mid-response does not crash it; the cut exchange is counted as incomplete", async () => {
    const dropped = new Promise<void>((resolve) => {
      slowDropped = resolve
    })
    const { result, report } = await withProxy({ target: `${origin.url}/api` }, async (url) => {
      await new Promise<void>((resolve) => {
        const { port } = new URL(url)
        const req = Http.request({ host: "127.0.0.1", port, path: "/v1/accounts/slow" }, (res) => {
          res.once("data", () => {
            req.destroy()
            resolve()
          })
        })
        req.on("error", () => resolve())
        req.end()
      })
      // The proxy dropped the upstream side of the cut exchange.
      await dropped
      return send(url, "/v1/accounts/busy")
    })
    expect(result.status).toBe(503)
    expect(report.traffic.notJudgedBy.incomplete).toBe(1)
  })

  it("at most 64 exchanges are in flight; the rest wait and all complete", async () => {
    const slow = await startOrigin({}, { delayMs: 40 })
    try {
      const { result } = await withProxy({ target: `${slow.url}/api` }, (url) =>
        Promise.all(Array.from({ length: 150 }, (_, i) => send(url, `/x/${i}`)))
      )
      expect(result.every((r) => r.status === 404)).toBe(true)
      expect(slow.maxOpen()).toBeLessThanOrEqual(64)
      expect(slow.maxOpen()).toBeGreaterThan(1)
    } finally {
      await slow.stop()
    }
  })
})

describe("judging the mock's traffic (faults included)", () => {
  it("flags the 500 faults, accepts the 503 ones, and prints one masked line per violation", async () => {
    const ws = mock.workspaces[0]!
    const { result, report, lines } = await withProxy(
      { target: mock.url, apiKey: Redacted.make(ws.apiKey) },
      async (url) => {
        const out = []
        for (let i = 0; i < 40; i++) {
          const id = ws.accountIds[i % ws.accountIds.length]!
          out.push(await send(url, `/v1/accounts/${encodeURIComponent(id)}`, { headers: { "X-API-KEY": ws.apiKey } }))
        }
        out.push(await send(url, "/openapi.json"))
        return out
      }
    )
    const fives = result.filter((r) => r.status === 500).length
    expect(fives).toBeGreaterThan(0)
    expect(report.traffic.judged).toBe(40)
    expect(report.traffic.notJudged).toBe(1)
    const serverErrors = report.checks.find((c) => c.name === "not_a_server_error")!
    expect(serverErrors.failureCount).toBe(fives)
    expect(report.checks.find((c) => c.name === "response_schema")!.status).toBe("pass")
    expect(report.checks.find((c) => c.name === "error_envelope")!.status).toBe("pass")
    expect(lines.filter((l) => l.includes("not_a_server_error"))).toHaveLength(fives)
    expect(lines[0]).toMatch(/^violation not_a_server_error: GET \/v1\/accounts\/\S+ → 500: /)
    expect(lines.join("\n")).not.toContain(ws.apiKey)
    expect(JSON.stringify(report)).not.toContain(ws.apiKey)
  })
})

describe("bounded", () => {
  it.live("1,000 exchanges, 100 at a time: no error, every one judged, nothing left in flight", () =>
    Effect.gen(function* () {
      const quiet = yield* Effect.acquireRelease(
        Effect.promise(() => startMockServer({ seed: 12 })),
        (server) => Effect.promise(() => server.stop())
      )
      const ws = quiet.workspaces[0]!
      const proxy = yield* ContractProxy.make({ target: quiet.url })
      const get = (i: number) =>
        Effect.promise(() =>
          send(proxy.url, `/v1/accounts/${encodeURIComponent(ws.accountIds[i % ws.accountIds.length]!)}`, {
            headers: { "X-API-KEY": ws.apiKey }
          })
        )
      const answers = yield* Effect.forEach(
        Array.from({ length: 1000 }, (_, i) => i),
        get,
        { concurrency: 100 }
      )
      expect(answers.every((a) => a.status === 200)).toBe(true)
      expect(yield* proxy.inFlight).toBe(0)
      const report = yield* proxy.stop("2 seconds")
      expect(report.traffic).toMatchObject({ exchanges: 1000, judged: 1000, violating: 0, transportFailures: 0 })
      expect(report.passed).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )
})

describe("run: stop after --max-requests, reports and HAR", () => {
  it.live("stops after N judged exchanges and writes JSON, JUnit and a masked HAR", () =>
    Effect.gen(function* () {
      const ws = mock.workspaces[1]!
      const files = { json: Path.join(tmp, "r.json"), junit: Path.join(tmp, "r.xml"), har: Path.join(tmp, "r.har") }
      const listening = yield* Deferred.make<string>()
      const running = yield* Effect.fork(
        ContractProxy.run(
          { target: mock.url, maxRequests: 3, ...files },
          {
            until: Effect.never,
            onEvent: (event) => (event._tag === "Listening" ? Deferred.succeed(listening, event.url) : Effect.void)
          }
        )
      )
      const url = yield* Deferred.await(listening)
      const get = (path: string, headers: Record<string, string> = {}) =>
        Effect.promise(() => send(url, path, { headers }))
      yield* get("/openapi.json")
      for (let i = 0; i < 3; i++) {
        yield* get(`/v1/accounts/${encodeURIComponent(ws.accountIds[0]!)}`, { "X-API-KEY": ws.apiKey })
      }
      const report = yield* Fiber.join(running)
      expect(report.traffic.judged).toBe(3)
      const json = JSON.parse(Fs.readFileSync(files.json, "utf8"))
      expect(json.traffic.judged).toBe(3)
      expect(Fs.readFileSync(files.junit, "utf8")).toContain("<testsuite")
      const har = Fs.readFileSync(files.har, "utf8")
      expect(har).not.toContain(ws.apiKey)
      const parsed = JSON.parse(har)
      expect(parsed.log.version).toBe("1.2")
      expect(parsed.log.entries).toHaveLength(4)
      // the proxy no longer listens
      const after = yield* Effect.either(Effect.tryPromise(() => send(url, "/openapi.json")))
      expect(after._tag).toBe("Left")
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
