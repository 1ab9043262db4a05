/**
 * Answers that are not the API's are not judged, through the proxy and from
 * a HAR: a load balancer's HTML 503 or an empty 504 (an outage, not a
 * violation: alone, INCONCLUSIVE), a 304 to a conditional GET, a 412 to
 * If-Match, a 206 to a Range request, a 429; each counted once, with its
 * reason, in the summary and the JSON report. A JSON 503 is the API's and
 * still judged as an envelope; a 429 that leaks the key is a violation.
 */
import * as Fs from "node:fs"
import type * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Zlib from "node:zlib"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import { render as renderHtml } from "../src/ContractHtml.js"
import { toJunitXml } from "../src/ContractJunit.js"
import { toJson } from "../src/ContractReport.js"
import * as ContractTraffic from "../src/ContractTraffic.js"
import { type Origin, withProxy as proxySession, send, startOrigin } from "./proxy-support.js"

const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

const KEY = "pp_live_NOTTHEAPI_0123456789"
const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "not-the-api-"))
const account = (id: string) => JSON.stringify({ ...SpecExample.retrieveAccountResponse, id })
const gatewayPage = "<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>"

const write = (res: Http.ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) => {
  res.sendDate = false
  res.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers })
  res.end(body)
}

let origin: Origin
beforeAll(async () => {
  origin = await startOrigin({
    "/api/v1/accounts/acc_down": (_req, res) => write(res, 503, { "content-type": "text/html" }, gatewayPage),
    "/api/v1/accounts/acc_down_gzip": (_req, res) =>
      write(res, 503, { "content-type": "text/html", "content-encoding": "gzip" }, Zlib.gzipSync(gatewayPage)),
    "/api/v1/accounts/acc_empty": (_req, res) => write(res, 504, {}, ""),
    "/api/v1/accounts/acc_json503": (_req, res) =>
      write(res, 503, { "content-type": "application/json" }, JSON.stringify({ oops: true })),
    "/api/v1/accounts/acc_etag": (req, res) =>
      req.headers["if-none-match"] === '"v1"'
        ? write(res, 304, { etag: '"v1"' }, "")
        : write(res, 200, { "content-type": "application/json", etag: '"v1"' }, account("acc_etag")),
    "/api/v1/accounts/acc_range": (req, res) =>
      req.headers.range === undefined
        ? write(res, 200, { "content-type": "application/json" }, account("acc_range"))
        : write(res, 206, { "content-type": "application/json", "content-range": "bytes 0-9/900" }, '{"object":'),
    "/api/v1/accounts/acc_if_match": (_req, res) =>
      write(res, 412, { "content-type": "text/plain" }, "precondition failed"),
    "/api/v1/accounts/acc_throttled": (_req, res) =>
      write(
        res,
        429,
        { "content-type": "application/json", "retry-after": "1" },
        JSON.stringify({ title: "Too many", status: 429 })
      ),
    "/api/v1/accounts/acc_throttled_leak": (_req, res) =>
      write(res, 429, { "content-type": "application/json" }, JSON.stringify({ status: 429, detail: `key ${KEY}` }))
  })
})
afterAll(async () => {
  await origin?.stop()
  Fs.rmSync(tmp, { recursive: true, force: true })
})

/** A proxy session in front of the origin (HAR to `har`); its violation and finding lines are added to `lines`. */
const withProxy = async <A>(har: string | undefined, body: (url: string) => Promise<A>, lines: Array<string> = []) => {
  const session = await proxySession({ target: `${origin.url}/api`, har }, body)
  lines.push(...session.lines)
  return session
}

const get = (url: string, id: string, headers: Record<string, string> = {}) =>
  send(url, `/v1/accounts/${id}`, { headers: { "X-API-KEY": KEY, "Accept-Encoding": "gzip", ...headers } })

/** Every exchange is counted once: judged, or not judged under exactly one reason. */
const reconciles = (t: ContractTraffic.TrafficCounts) => {
  expect(t.judged + t.notJudged).toBe(t.exchanges)
  expect(Object.values(t.notJudgedBy).reduce((a, b) => a + b, 0)).toBe(t.notJudged)
}

describe("an outage is not a contract violation", () => {
  it("only gateway pages (HTML 503, gzip'd HTML 503, empty 504): INCONCLUSIVE with the reason, for the proxy and its HAR", async () => {
    const har = Path.join(tmp, "down.har")
    const lines: Array<string> = []
    const { report } = await withProxy(
      har,
      async (url) => {
        for (const id of ["acc_down", "acc_down_gzip", "acc_down", "acc_empty"]) await get(url, id)
      },
      lines
    )
    expect(lines).toEqual([])
    expect(report.verdict).toBe("inconclusive")
    expect(report.checks.every((c) => c.failureCount === 0)).toBe(true)
    reconciles(report.traffic)
    expect(report.traffic.notJudgedBy).toEqual({ gateway_page: 4 })
    expect(report.traffic.notJudgedDetails.gateway_page).toEqual({ "503 text/html": 3, "504 none": 1 })
    const why = "0 exchanges judged: 4 answers were gateway pages: 503 text/html ×3, 504 none ×1"
    expect(report.inconclusiveReasons).toEqual([why])
    expect(ContractTraffic.summaryLine(report)).toBe(
      "INCONCLUSIVE: 4 exchanges, 0 judged; not judged: 4 answers were gateway pages: 503 text/html ×3, 504 none ×1"
    )
    expect(JSON.parse(toJson(report)).traffic.notJudgedBy).toEqual({ gateway_page: 4 })

    const replay = await runPromise(ContractHar.read({ files: [har], baseUrl: `${origin.url}/api` }))
    expect(replay.verdict).toBe("inconclusive")
    expect(replay.inconclusiveReasons).toEqual([why])
  })

  it("a JSON 503 is the API's answer: judged, and one that is not a valid envelope fails error_envelope", async () => {
    const { report } = await withProxy(undefined, (url) => get(url, "acc_json503"))
    expect(report.verdict).toBe("fail")
    expect(report.traffic).toMatchObject({ judged: 1, notJudged: 0, violating: 1 })
    expect(report.checks.find((c) => c.name === "error_envelope")!.status).toBe("fail")
  })
})

describe("cache and partial answers, and throttling, are not judged", () => {
  it("304 to If-None-Match, 412 to If-Match, 206 to Range: counted with their reasons beside the judged 200s", async () => {
    const { report } = await withProxy(undefined, async (url) => {
      await get(url, "acc_etag")
      await get(url, "acc_etag", { "If-None-Match": '"v1"' })
      await get(url, "acc_etag", { "If-None-Match": '"v1"' })
      await get(url, "acc_if_match", { "If-Match": '"v0"' })
      await get(url, "acc_range", { Range: "bytes=0-9" })
      await get(url, "acc_range")
    })
    expect(report.verdict).toBe("pass")
    expect(report.checks.every((c) => c.failureCount === 0)).toBe(true)
    reconciles(report.traffic)
    expect(report.traffic).toMatchObject({ exchanges: 6, judged: 2, notJudged: 4 })
    expect(report.traffic.notJudgedBy).toEqual({ cache_answer: 3, partial_answer: 1 })
    // The checks that judge every answer count the others as not judged, with the same reasons: 2 + 4 = 6 answers.
    const statusCode = report.checks.find((c) => c.name === "status_code")!
    expect([statusCode.evaluated, statusCode.inconclusive]).toEqual([2, 4])
    // The HTML (header counts, the not-judged list: one line per reason) and the JUnit properties say the same.
    const why =
      "3 answers were cache answers: 304 Not Modified ×2, 412 to a conditional request ×1, 1 answer was a partial answer: 206 to a Range request"
    const page = renderHtml(report)
    expect(page).toContain('6 exchanges, 2 judged, <a href="#not-judged">4 not judged</a>')
    expect(page).toContain(
      '<li data-reason="cache_answer" data-count="3">3 answers were cache answers: 304 Not Modified ×2, 412 to a conditional request ×1</li><li data-reason="partial_answer" data-count="1">1 answer was a partial answer: 206 to a Range request</li>'
    )
    const junit = toJunitXml(report)
    expect(junit).toContain('<property name="exchanges_judged" value="2"/>')
    expect(junit).toContain(`<property name="exchanges_not_judged" value="4: ${why}"/>`)
    expect(ContractTraffic.summaryLine(report)).toBe(
      "PASS: 6 exchanges, 2 judged (none with violations); not judged: 3 answers were cache answers: 304 Not Modified ×2, 412 to a conditional request ×1, 1 answer was a partial answer: 206 to a Range request"
    )
  })

  it("a 429 is not judged (throttled), alone INCONCLUSIVE; a 429 that leaks the key is a key_not_reflected violation", async () => {
    const quiet = await withProxy(undefined, async (url) => {
      await get(url, "acc_throttled")
      await get(url, "acc_throttled")
    })
    expect(quiet.report.verdict).toBe("inconclusive")
    expect(quiet.report.traffic.notJudgedBy).toEqual({ throttled: 2 })
    expect(quiet.report.inconclusiveReasons).toEqual(["0 exchanges judged: 2 throttled (429)"])
    const lines: Array<string> = []
    const leaky = await withProxy(undefined, (url) => get(url, "acc_throttled_leak"), lines)
    expect(leaky.report.verdict).toBe("fail")
    expect(leaky.report.traffic).toMatchObject({ judged: 1, violating: 1, notJudged: 0 })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^violation key_not_reflected: GET \/v1\/accounts\/acc_throttled_leak → 429: /)
    expect(lines[0]).not.toContain(KEY)
  })
})

describe("counts a person can reconcile", () => {
  const base = "https://api.postpress.ai/api"
  type Kind = "ok" | "gateway" | "cache" | "throttled" | "leak" | "elsewhere" | "bad_envelope" | "bad_base64" | "gzip"
  const entry = (kind: Kind, i: number) => {
    const id = `acc_${i}`
    const url = kind === "elsewhere" ? `https://other.example/api/v1/accounts/${id}` : `${base}/v1/accounts/${id}`
    const response = (status: number, text: string, headers: Record<string, string>, encoding?: string) => ({
      status,
      statusText: "",
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      content: { size: text.length, mimeType: headers["content-type"] ?? "", text, ...(encoding ? { encoding } : {}) }
    })
    const json = { "content-type": "application/json" }
    const responses: Record<Kind, ReturnType<typeof response>> = {
      ok: response(200, account(id), json),
      gateway: response(502, "Bad Gateway", { "content-type": "text/plain" }),
      cache: response(304, "", {}),
      throttled: response(429, "{}", json),
      leak: response(429, JSON.stringify({ echo: KEY }), json),
      elsewhere: response(200, account(id), json),
      bad_envelope: response(404, JSON.stringify({ nope: 1 }), json),
      bad_base64: response(200, "%%%not base64%%%", json, "base64"),
      gzip: response(
        200,
        Zlib.gzipSync(account(id)).toString("base64"),
        { ...json, "content-encoding": "gzip" },
        "base64"
      )
    }
    return {
      time: 3,
      request: { method: "GET", url, headers: [{ name: "X-API-KEY", value: KEY }] },
      response: responses[kind]
    }
  }

  it("property: each entry counted once; FAIL iff a violation, INCONCLUSIVE iff nothing judged, else PASS", async () => {
    const kinds: ReadonlyArray<Kind> = [
      "ok",
      "gateway",
      "cache",
      "throttled",
      "leak",
      "elsewhere",
      "bad_envelope",
      "bad_base64",
      "gzip"
    ]
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...kinds), { maxLength: 12 }), async (drawn) => {
        const text = JSON.stringify({ log: { version: "1.2", entries: drawn.map(entry) } })
        const report = await runPromise(ContractHar.judgeDocuments([{ file: "p.har", text }], { baseUrl: base }))
        const t = report.traffic
        reconciles(t)
        const count = (...of: Array<Kind>) => drawn.filter((k) => of.includes(k)).length
        expect(t.exchanges).toBe(drawn.length)
        expect(t.judged).toBe(count("ok", "leak", "bad_envelope", "gzip"))
        expect(t.violating).toBe(count("leak", "bad_envelope"))
        expect(t.notJudgedBy.gateway_page ?? 0).toBe(count("gateway"))
        expect(t.notJudgedBy.cache_answer ?? 0).toBe(count("cache"))
        expect(t.notJudgedBy.throttled ?? 0).toBe(count("throttled"))
        expect(t.notJudgedBy.outside_base_url ?? 0).toBe(count("elsewhere"))
        expect(t.notJudgedBy.undecodable_recording ?? 0).toBe(count("bad_base64"))
        const verdict = t.violating > 0 ? "fail" : t.judged === 0 ? "inconclusive" : "pass"
        expect(report.verdict).toBe(verdict)
        // Nothing is both failed and "not judged": a not-judged reason never names a judged exchange.
        if (t.notJudged === 0) expect(ContractTraffic.summaryLine(report)).not.toContain("not judged")
      }),
      { numRuns: 80 }
    )
  })
})
