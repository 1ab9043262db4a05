/**
 * The HAR reader: files written by an independent recorder (a fetch-based
 * one in the shape browser devtools export, with base64 bodies as Charles and
 * Playwright write them), the proxy's own `--har` replayed to the same
 * verdict, and clear errors for files that are not HARs.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { startMockServer } from "@postpress/testkit/MockServer"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import * as ContractProxy from "../src/ContractProxy.js"
import { send, startOrigin } from "./proxy-support.js"

/** Runs an effect with the Node file system (the proxy and HAR reader read and write through it). */
const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

let mock: Awaited<ReturnType<typeof startMockServer>>
const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "har-test-"))

beforeAll(async () => {
  mock = await startMockServer({ seed: 5 })
})
afterAll(async () => {
  await mock?.stop()
  Fs.rmSync(tmp, { recursive: true, force: true })
})

interface Recorded {
  readonly url: string
  readonly headers?: Record<string, string>
  /** Store the body as base64 (as Charles and Playwright do for some bodies). */
  readonly base64?: boolean
  /** Leave the body text out (as devtools does for evicted bodies). */
  readonly dropText?: boolean
}

/**
 * An independent recorder: fetch each URL, write a HAR 1.2 document the way
 * Chrome devtools exports one (pages, `_`-fields, timings), no proxy code.
 */
const record = async (requests: ReadonlyArray<Recorded>): Promise<string> => {
  const entries = []
  for (const r of requests) {
    const started = Date.now()
    const res = await fetch(r.url, { headers: r.headers ?? {} })
    const bytes = Buffer.from(await res.arrayBuffer())
    const content: Record<string, unknown> = {
      size: bytes.length,
      mimeType: res.headers.get("content-type") ?? "x-unknown",
      compression: 0
    }
    if (r.dropText !== true) {
      content.text = r.base64 === true ? bytes.toString("base64") : bytes.toString("utf8")
      if (r.base64 === true) content.encoding = "base64"
    }
    entries.push({
      _initiator: { type: "script" },
      _priority: "High",
      _resourceType: "fetch",
      cache: {},
      connection: "1234",
      pageref: "page_1",
      request: {
        method: "GET",
        url: r.url,
        httpVersion: "http/1.1",
        headers: Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value })),
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0
      },
      response: {
        status: res.status,
        statusText: res.statusText,
        httpVersion: "http/1.1",
        headers: [...res.headers].map(([name, value]) => ({ name, value })),
        cookies: [],
        content,
        redirectURL: "",
        headersSize: -1,
        bodySize: bytes.length,
        _transferSize: bytes.length,
        _error: null
      },
      serverIPAddress: "127.0.0.1",
      startedDateTime: new Date(started).toISOString(),
      time: Date.now() - started,
      timings: { blocked: 0, dns: -1, ssl: -1, connect: -1, send: 0, wait: Date.now() - started, receive: 0 }
    })
  }
  return JSON.stringify({
    log: {
      version: "1.2",
      creator: { name: "WebInspector", version: "537.36" },
      pages: [{ startedDateTime: new Date().toISOString(), id: "page_1", title: "staging", pageTimings: {} }],
      entries
    }
  })
}

const write = (name: string, text: string) => {
  const file = Path.join(tmp, name)
  Fs.writeFileSync(file, text)
  return file
}

const read = (files: ReadonlyArray<string>, options: ContractHar.JudgingOptions = {}) =>
  runPromise(ContractHar.read({ files, ...options }))

const failed = (report: { checks: ReadonlyArray<{ name: string; status: string }> }) =>
  report.checks.filter((c) => c.status === "fail").map((c) => c.name)

describe("HAR files from an independent recorder", () => {
  it("judges conformant traffic (base64 bodies decoded) and counts what it cannot judge", async () => {
    const ws = mock.workspaces[0]!
    const key = { "X-API-KEY": ws.apiKey }
    const har = await record([
      ...ws.accountIds.slice(0, 4).map((id, i) => ({
        url: `${mock.url}/v1/accounts/${encodeURIComponent(id)}`,
        headers: key,
        base64: i % 2 === 0
      })),
      { url: `${mock.url}/v1/accounts/${encodeURIComponent(ws.accountIds[0]!)}` },
      { url: `${mock.url}/v1/accounts/acc_01NOPE000000000000000000`, headers: key, base64: true },
      { url: `${mock.url}/v1/accounts/${encodeURIComponent(ws.accountIds[1]!)}`, headers: key, dropText: true },
      { url: `${mock.url}/openapi.json` }
    ])
    const report = await read([write("devtools.har", har)], { baseUrl: mock.url })
    expect(failed(report)).toEqual([])
    expect(report.passed).toBe(true)
    expect(report.traffic).toMatchObject({ exchanges: 8, judged: 6, notJudged: 2, withoutBody: 1 })
    expect(report.variants.seen.length).toBeGreaterThan(0)
    expect(report.checks.find((c) => c.name === "missing_credentials")!.evaluated).toBe(1)
  })

  it("flags violations in base64 bodies, and --base-url selects the entries", async () => {
    const origin = await startOrigin({
      "/api/v1/accounts/acc_bad": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ id: "acc_bad", type: "TIKTOK" }))
      },
      "/api/v1/accounts/acc_500": (_req, res) => {
        res.writeHead(500, { "content-type": "application/json" })
        res.end(JSON.stringify({ title: "Internal Server Error", type: "errors/unexpected_error", status: 500 }))
      }
    })
    try {
      const key = { "X-API-KEY": "pp_live_HARTEST_0000000000" }
      const har = await record([
        { url: `${origin.url}/api/v1/accounts/acc_bad`, headers: key, base64: true },
        { url: `${origin.url}/api/v1/accounts/acc_500`, headers: key }
      ])
      const file = write("broken.har", har)
      const report = await read([file], { baseUrl: `${origin.url}/api` })
      expect(failed(report)).toEqual(expect.arrayContaining(["response_schema", "not_a_server_error"]))
      expect(report.checks.find((c) => c.name === "response_schema")!.failures[0]!.issues.join("\n")).toContain(
        "TIKTOK"
      )
      // Another base URL: nothing is judged, nothing passes by accident.
      const elsewhere = await read([file], { baseUrl: "https://api.postpress.ai/api" })
      expect(elsewhere.traffic).toMatchObject({ judged: 0, notJudged: 2 })
      // (variant_coverage is informational: it reports 0/14 seen)
      expect(elsewhere.checks.filter((c) => c.status === "pass" && c.name !== "variant_coverage")).toEqual([])
    } finally {
      await origin.stop()
    }
  })

  it("a file that is not a HAR, or cannot be read, is one clear error", async () => {
    const notJson = write("a.har", "<html>")
    const notHar = write("b.har", JSON.stringify({ log: { entries: [{ request: {} }] } }))
    const bad = async (files: Array<string>) => {
      const exit = await runPromise(Effect.either(ContractHar.read({ files })))
      if (Either.isRight(exit)) throw new Error("accepted")
      return exit.left
    }
    const a = await bad([notJson])
    expect(a._tag).toBe("NotAHar")
    expect(a.message).toMatch(/a\.har: not a HAR file \(not JSON/)
    const b = await bad([notHar])
    expect(b._tag).toBe("NotAHar")
    expect(b.message).toContain("not a HAR 1.2 file")
    expect(b.message).not.toContain("\n")
    const c = await bad([Path.join(tmp, "missing.har")])
    expect(c._tag).toBe("HarUnreadable")
    expect(c.message).toContain("ENOENT")
    // A status or time JSON cannot carry as a number (1e400 is Infinity), or a fractional status.
    const entry = (status: string, time: string) =>
      `{"log":{"entries":[{"time":${time},"request":{"method":"GET","url":"http://x/v1/accounts/a","headers":[]},"response":{"status":${status},"headers":[],"content":{}}}]}}`
    for (const [name, text] of [
      ["d.har", entry("1e400", "1")],
      ["e.har", entry("200.5", "1")],
      ["f.har", entry("200", "1e400")]
    ] as const) {
      const d = await bad([write(name, text)])
      expect(d._tag).toBe("NotAHar")
      expect(d.message).toContain("not a HAR 1.2 file")
    }
  })
})

describe("other exporters' shapes", () => {
  it("mitmproxy (base64 text), Playwright attach mode (_file, no text) and Charles (_-fields) entries", async () => {
    const ws = mock.workspaces[0]!
    const id = ws.accountIds[2]!
    const url = `${mock.url}/v1/accounts/${encodeURIComponent(id)}`
    const res = await fetch(url, { headers: { "X-API-KEY": ws.apiKey } })
    const bytes = Buffer.from(await res.arrayBuffer())
    const request = { method: "GET", url, httpVersion: "HTTP/1.1", headers: [{ name: "X-API-KEY", value: ws.apiKey }] }
    const headers = [{ name: "content-type", value: "application/json" }]
    const har = {
      log: {
        version: "1.2",
        creator: { name: "mitmproxy", version: "12.3.1" },
        entries: [
          // mitmproxy: binary-safe bodies as base64
          {
            startedDateTime: new Date().toISOString(),
            time: 3.2,
            request: { ...request, cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
            response: {
              status: 200,
              statusText: "OK",
              httpVersion: "HTTP/1.1",
              cookies: [],
              headers,
              content: {
                size: bytes.length,
                compression: 0,
                mimeType: "application/json",
                text: bytes.toString("base64"),
                encoding: "base64"
              },
              redirectURL: "",
              headersSize: -1,
              bodySize: bytes.length
            },
            cache: {},
            timings: { send: 0, wait: 3, receive: 0 }
          },
          // Playwright recordHar with content: "attach": the body lives in a side file
          {
            request,
            response: {
              status: 200,
              headers,
              content: { size: bytes.length, mimeType: "application/json", _file: "1f2e.json" }
            }
          },
          // Charles: its own _-fields
          {
            _charlesStatus: "COMPLETE",
            request,
            response: {
              status: 200,
              headers,
              content: { size: bytes.length, mimeType: "application/json", text: bytes.toString("utf8") },
              _charlesStatus: "COMPLETE"
            }
          }
        ]
      }
    }
    const report = await read([write("exporters.har", JSON.stringify(har))], { baseUrl: mock.url })
    expect(report.passed).toBe(true)
    expect(report.traffic).toMatchObject({ exchanges: 3, judged: 2, notJudged: 1, withoutBody: 1 })
  })
})

describe("drift", () => {
  it("unknown fields are counted by path (items as []) and fail only with failOnDrift", async () => {
    const ws = mock.workspaces[0]!
    const id = ws.accountIds[0]!
    const res = await fetch(`${mock.url}/v1/accounts/${encodeURIComponent(id)}`, {
      headers: { "X-API-KEY": ws.apiKey }
    })
    const body = (await res.json()) as Record<string, unknown>
    const drifted = {
      ...body,
      new_flag: true,
      groups: body.groups,
      sources: (body.sources as Array<object>).map((s) => ({ ...s, weight: 1 }))
    }
    const entry = (n: number) => ({
      request: {
        method: "GET",
        url: `${mock.url}/v1/accounts/${encodeURIComponent(id)}?n=${n}`,
        headers: [{ name: "x-api-key", value: "***" }]
      },
      response: {
        status: 200,
        headers: [{ name: "Content-Type", value: "application/json" }],
        content: { text: JSON.stringify(drifted) }
      }
    })
    const text = JSON.stringify({ log: { version: "1.2", entries: [entry(1), entry(2)] } })
    const lenient = await runPromise(ContractHar.judgeDocuments([{ file: "drift.har", text }]))
    expect(lenient.passed).toBe(true)
    expect(lenient.drift?.unknownFields).toEqual(
      expect.arrayContaining([
        { path: "new_flag", count: 2 },
        { path: "sources[].weight", count: 2 }
      ])
    )
    const failing = await runPromise(ContractHar.judgeDocuments([{ file: "drift.har", text }], { failOnDrift: true }))
    expect(failing.passed).toBe(false)
    const strict = await runPromise(ContractHar.judgeDocuments([{ file: "drift.har", text }], { strict: true }))
    expect(failed(strict)).toContain("response_schema")
  })
})

describe("the proxy's own --har", () => {
  it("replays to the proxy's verdict, a masked reflected key included", async () => {
    const KEY = "pp_live_REFLECTED_987654321"
    const origin = await startOrigin({
      "/api/v1/accounts/acc_leak": (req, res) => {
        res.writeHead(404, { "content-type": "application/json" })
        res.end(
          JSON.stringify({
            title: "Not Found",
            type: "errors/resource_not_found",
            status: 404,
            detail: `no account for ${String(req.headers["x-api-key"])}`
          })
        )
      },
      "/api/v1/accounts/acc_500": (_req, res) => {
        res.writeHead(500, { "content-type": "text/plain" })
        res.end("boom")
      }
    })
    const harFile = Path.join(tmp, "proxy.har")
    try {
      const proxied = await runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const proxy = yield* ContractProxy.make({ target: `${origin.url}/api`, har: harFile })
            yield* Effect.promise(async () => {
              await send(proxy.url, "/v1/accounts/acc_leak", { headers: { "X-API-KEY": KEY } })
              await send(proxy.url, "/v1/accounts/acc_500", { headers: { "X-API-KEY": KEY } })
              await send(proxy.url, "/elsewhere")
            })
            return yield* proxy.stop("2 seconds")
          })
        )
      )
      const text = Fs.readFileSync(harFile, "utf8")
      expect(text).not.toContain(KEY)
      const replayed = await read([harFile], { baseUrl: `${origin.url}/api` })
      expect(failed(replayed).sort()).toEqual(failed(proxied).sort())
      expect(failed(replayed)).toContain("key_not_reflected")
      expect(replayed.traffic).toMatchObject({ judged: 2, notJudged: 1 })
    } finally {
      await origin.stop()
    }
  })
})
