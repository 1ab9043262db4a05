/**
 * Compressed answers in HAR files. HAR 1.2 stores DECODED text and browsers
 * keep `Content-Encoding: gzip` beside it: such text is never decoded a
 * second time. Only a base64 body that is demonstrably still compressed
 * (magic bytes; brotli: not UTF-8 and it decodes) is decoded, bounded by
 * the body limit. Base64 that does not decode, or an unknown
 * `content.encoding`, is "not judged: undecodable recording", never a
 * violation of the server.
 */
import type * as Http from "node:http"
import * as Zlib from "node:zlib"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import { type Origin, startOrigin } from "./proxy-support.js"

const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

const KEY = "pp_live_HARCODING_0123456789"
const MiB = 1024 * 1024
const account = (id: string) => Buffer.from(JSON.stringify({ ...SpecExample.retrieveAccountResponse, id }))

const compressors: Readonly<Record<string, (b: Buffer) => Buffer>> = {
  gzip: (b) => Zlib.gzipSync(b),
  deflate: (b) => Zlib.deflateSync(b),
  br: (b) => Zlib.brotliCompressSync(b)
}

let origin: Origin
beforeAll(async () => {
  const routes: Record<string, (req: Http.IncomingMessage, res: Http.ServerResponse) => void> = {}
  for (const [coding, compress] of Object.entries(compressors)) {
    routes[`/api/v1/accounts/acc_${coding}`] = (_req, res) => {
      const body = compress(account(`acc_${coding}`))
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": coding,
        "content-length": body.length
      })
      res.end(body)
    }
  }
  origin = await startOrigin(routes)
})
afterAll(() => origin?.stop())

/**
 * An independent recorder written the way a browser records: fetch decodes
 * the body and keeps `Content-Encoding` in the headers; the text is stored
 * decoded (devtools, Playwright).
 */
const recordLikeABrowser = async (ids: ReadonlyArray<string>): Promise<string> => {
  const entries = []
  for (const id of ids) {
    const url = `${origin.url}/api/v1/accounts/${id}`
    const res = await fetch(url, { headers: { "X-API-KEY": KEY, "Accept-Encoding": "gzip, deflate, br" } })
    const text = await res.text()
    entries.push({
      startedDateTime: new Date().toISOString(),
      time: 5,
      request: { method: "GET", url, httpVersion: "http/1.1", headers: [{ name: "X-API-KEY", value: KEY }] },
      response: {
        status: res.status,
        statusText: res.statusText,
        headers: [...res.headers].map(([name, value]) => ({ name, value })),
        content: { size: text.length, mimeType: "application/json", text }
      }
    })
  }
  return JSON.stringify({ log: { version: "1.2", creator: { name: "WebInspector", version: "537.36" }, entries } })
}

const base = "https://api.postpress.ai/api"
const entry = (id: string, content: Record<string, unknown>, headers: Record<string, string>) => ({
  time: 4,
  request: { method: "GET", url: `${base}/v1/accounts/${id}`, headers: [{ name: "X-API-KEY", value: KEY }] },
  response: {
    status: 200,
    headers: Object.entries({ "content-type": "application/json", ...headers }).map(([name, value]) => ({
      name,
      value
    })),
    content
  }
})
const judge = (entries: ReadonlyArray<unknown>, options: ContractHar.JudgingOptions = {}) =>
  runPromise(
    ContractHar.judgeDocuments([{ file: "c.har", text: JSON.stringify({ log: { version: "1.2", entries } }) }], {
      baseUrl: base,
      ...options
    })
  )

describe("HAR text is decoded already", () => {
  it("a browser-style HAR (decoded text, Content-Encoding: gzip / deflate / br kept) passes", async () => {
    const har = await recordLikeABrowser(Object.keys(compressors).map((c) => `acc_${c}`))
    const headers = JSON.parse(har).log.entries.map((e: { response: { headers: Array<{ name: string }> } }) =>
      e.response.headers.find((h) => h.name === "content-encoding")
    )
    expect(headers.every((h: unknown) => h !== undefined)).toBe(true)
    const report = await runPromise(ContractHar.judgeDocuments([{ file: "browser.har", text: har }]))
    expect(report.verdict).toBe("pass")
    expect(report.traffic).toMatchObject({ exchanges: 3, judged: 3, notJudged: 0, violating: 0 })
  })

  it("base64 of decoded bytes beside Content-Encoding: gzip (Charles, mitmproxy) is judged as it is", async () => {
    const report = await judge([
      entry("acc_1", { text: account("acc_1").toString("base64"), encoding: "base64" }, { "content-encoding": "gzip" })
    ])
    expect(report.verdict).toBe("pass")
    expect(report.traffic.judged).toBe(1)
  })
})

describe("base64 still compressed is decoded, bounded", () => {
  it.each(Object.keys(compressors))("%s bytes recorded as sent (base64) are decoded and judged", async (coding) => {
    const id = `acc_${coding}`
    const text = compressors[coding]!(account(id)).toString("base64")
    const report = await judge([entry(id, { text, encoding: "base64" }, { "content-encoding": coding })])
    expect(report.verdict).toBe("pass")
    expect(report.traffic).toMatchObject({ judged: 1, violating: 0 })
  })

  it("a recorded gzip bomb is not judged: over the limit once decoded", async () => {
    const text = Zlib.gzipSync(Buffer.alloc(64 * MiB)).toString("base64")
    const report = await judge([entry("acc_bomb", { text, encoding: "base64" }, { "content-encoding": "gzip" })], {
      maxBodyBytes: 8 * MiB
    })
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons).toEqual(["0 exchanges judged: 1 body over the 8 MiB limit once decoded (gzip)"])
  })

  it("a corrupt recorded stream is 'cannot decode gzip', never 'not JSON'", async () => {
    const text = Zlib.gzipSync(account("acc_1")).subarray(0, 25).toString("base64")
    const report = await judge([entry("acc_1", { text, encoding: "base64" }, { "content-encoding": "gzip" })])
    expect(report.verdict).toBe("inconclusive")
    expect(report.checks.every((c) => c.failureCount === 0)).toBe(true)
    expect(report.traffic.notJudgedBy).toEqual({ undecodable: 1 })
  })
})

describe("undecodable recordings", () => {
  it("base64 text that does not decode, or an unknown content.encoding: not judged, never a violation", async () => {
    const report = await judge([
      entry("acc_1", { text: "eyJpZCI6ImFjY18xIn0=!!", encoding: "base64" }, {}),
      entry("acc_2", { text: "abcde", encoding: "base64" }, {}),
      entry("acc_3", { text: "7b7d", encoding: "hex" }, {}),
      entry("acc_4", { text: account("acc_4").toString("base64"), encoding: "base64" }, {})
    ])
    expect(report.verdict).toBe("pass")
    expect(report.checks.every((c) => c.failureCount === 0)).toBe(true)
    expect(report.traffic).toMatchObject({ exchanges: 4, judged: 1, notJudged: 3 })
    expect(report.traffic.notJudgedBy).toEqual({ undecodable_recording: 3 })
    expect(report.traffic.notJudgedDetails.undecodable_recording).toEqual({
      "base64 text that does not decode": 2,
      'content.encoding "hex" is not base64': 1
    })
    const alone = await judge([entry("acc_1", { text: "@@@", encoding: "base64" }, {})])
    expect(alone.verdict).toBe("inconclusive")
    expect(alone.inconclusiveReasons).toEqual([
      "0 exchanges judged: 1 undecodable recording (base64 text that does not decode)"
    ])
  })

  it("wrapped base64 (line breaks, as some exporters write it) and unpadded base64 still decode", async () => {
    const b64 = account("acc_1").toString("base64")
    const wrapped = b64.replace(/(.{76})/g, "$1\r\n")
    const report = await judge([
      entry("acc_1", { text: wrapped, encoding: "base64" }, {}),
      entry("acc_1", { text: b64.replace(/=+$/, ""), encoding: "base64" }, {})
    ])
    expect(report.verdict).toBe("pass")
    expect(report.traffic.judged).toBe(2)
  })
})
