/**
 * Compressed answers through the validating proxy: judged on a decoded copy
 * (gzip, deflate zlib-wrapped and raw, br, zstd where Node has it), the
 * client still getting the target's exact bytes; the proxy's HAR holding
 * decoded text with `Content-Encoding` kept, replayed to the same verdict; a
 * gzip bomb bounded and not judged; a coding that cannot be decoded never
 * "not JSON".
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
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import type * as ContractProxy from "../src/ContractProxy.js"
import * as ContentCoding from "../src/internal/judge/contentCoding.js"
import { type Origin, send, startOrigin, withProxy } from "./proxy-support.js"

const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

const KEY = "pp_live_CODINGPROXY_0123456789"
const MiB = 1024 * 1024
const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "proxy-coding-"))

type Compressor = (bytes: Buffer) => Buffer
const zstdCompressSync = (Zlib as unknown as { readonly zstdCompressSync?: Compressor }).zstdCompressSync

/** What a conformant server sends under each coding (Node's compressors are deterministic). */
const compressors: Readonly<Record<string, Compressor>> = {
  gzip: (b) => Zlib.gzipSync(b),
  deflate: (b) => Zlib.deflateSync(b),
  "raw-deflate": (b) => Zlib.deflateRawSync(b),
  br: (b) => Zlib.brotliCompressSync(b),
  "gzip, br": (b) => Zlib.brotliCompressSync(Zlib.gzipSync(b)),
  ...(zstdCompressSync === undefined ? {} : { zstd: zstdCompressSync })
}
const headerOf = (coding: string) => (coding === "raw-deflate" ? "deflate" : coding)
const accountFor = (id: string) => Buffer.from(JSON.stringify({ ...SpecExample.retrieveAccountResponse, id }))

/** The id names the coding: `acc_gzip` is answered with gzip, `acc_bomb` with 1 GiB of zeros. */
const bomb = (() => {
  const member = Zlib.gzipSync(Buffer.alloc(64 * MiB), { level: 9 })
  return Buffer.concat(Array.from({ length: 16 }, () => member))
})()

const answer = (res: Http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer) => {
  res.sendDate = false
  res.writeHead(status, { "content-type": "application/json", "content-length": String(body.length), ...headers })
  res.end(body)
}

let origin: Origin
beforeAll(async () => {
  const routes: Record<string, (req: Http.IncomingMessage, res: Http.ServerResponse) => void> = {}
  for (const [coding, compress] of Object.entries(compressors)) {
    const id = `acc_${coding.replace(/\W+/g, "_")}`
    routes[`/api/v1/accounts/${id}`] = (_req, res) =>
      answer(res, 200, { "content-encoding": headerOf(coding) }, compress(accountFor(id)))
  }
  routes["/api/v1/accounts/acc_bomb"] = (_req, res) => answer(res, 200, { "content-encoding": "gzip" }, bomb)
  routes["/api/v1/accounts/acc_cut"] = (_req, res) =>
    answer(res, 200, { "content-encoding": "gzip" }, Zlib.gzipSync(accountFor("acc_cut")).subarray(0, 30))
  routes["/api/v1/accounts/acc_compress"] = (_req, res) =>
    answer(res, 200, { "content-encoding": "compress" }, accountFor("acc_compress"))
  origin = await startOrigin(routes)
})
afterAll(async () => {
  await origin?.stop()
  Fs.rmSync(tmp, { recursive: true, force: true })
})

/** Runs `body` against a proxy in front of the origin, then stops it. */
const withOriginProxy = <A>(options: Omit<ContractProxy.Options, "target">, body: (url: string) => Promise<A>) =>
  withProxy({ target: `${origin.url}/api`, ...options }, body)

const get = (url: string, id: string) =>
  send(url, `/v1/accounts/${id}`, { headers: { "X-API-KEY": KEY, "Accept-Encoding": "gzip, deflate, br, zstd" } })

describe("compressed answers through the proxy", () => {
  it("every coding is judged on its decoded bytes and passes; the client gets the target's exact bytes", async () => {
    const har = Path.join(tmp, "coded.har")
    const codings = Object.keys(compressors)
    if (!ContentCoding.zstdSupported) {
      console.info(`zstd not tested through the proxy on Node ${process.versions.node}: node:zlib has no zstd`)
    }
    const { result, report, lines } = await withOriginProxy({ har }, async (url) => {
      const out = []
      for (const coding of codings) out.push(await get(url, `acc_${coding.replace(/\W+/g, "_")}`))
      return out
    })
    for (const [i, coding] of codings.entries()) {
      const id = `acc_${coding.replace(/\W+/g, "_")}`
      expect(result[i]!.status, coding).toBe(200)
      // Forwarded unchanged: the compressed bytes, not a decoded copy.
      expect(result[i]!.body.equals(compressors[coding]!(accountFor(id))), coding).toBe(true)
    }
    expect(lines).toEqual([])
    expect(report.verdict).toBe("pass")
    expect(report.traffic).toMatchObject({ exchanges: codings.length, judged: codings.length, violating: 0 })

    // HAR 1.2 as devtools writes it: decoded text, Content-Encoding kept, size decoded, bodySize on the wire.
    const entries = JSON.parse(Fs.readFileSync(har, "utf8")).log.entries as Array<{
      request: { url: string }
      response: {
        headers: Array<{ name: string; value: string }>
        bodySize: number
        content: { size: number; text: string; encoding?: string }
      }
    }>
    for (const coding of codings) {
      const id = `acc_${coding.replace(/\W+/g, "_")}`
      // Entries are written as exchanges end (decoding takes its time): found by URL, not by position.
      const { response } = entries.find((e) => e.request.url.endsWith(`/${id}`))!
      expect(response.content.text, coding).toBe(accountFor(id).toString("utf8"))
      expect(response.content.encoding, coding).toBeUndefined()
      expect(response.content.size, coding).toBe(accountFor(id).length)
      expect(response.bodySize, coding).toBe(compressors[coding]!(accountFor(id)).length)
      expect(response.headers, coding).toContainEqual({ name: "content-encoding", value: headerOf(coding) })
    }
    // The replay reads the text as decoded (never a second time) and agrees.
    const replay = await runPromise(ContractHar.read({ files: [har], baseUrl: `${origin.url}/api` }))
    expect(replay.verdict).toBe("pass")
    expect(replay.traffic).toMatchObject({ judged: codings.length, notJudged: 0 })
  })

  it("a gzip bomb (1 GiB decoded) streams through whole, is not judged 'once decoded', and alone is inconclusive", async () => {
    const har = Path.join(tmp, "bomb.har")
    const { result, report } = await withOriginProxy({ har, maxBodyBytes: 4 * MiB }, (url) => get(url, "acc_bomb"))
    expect(result.body.equals(bomb)).toBe(true)
    expect(report.traffic).toMatchObject({ exchanges: 1, judged: 0, notJudged: 1, withoutBody: 1 })
    expect(report.traffic.notJudgedBy).toEqual({ over_limit: 1 })
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons).toEqual(["0 exchanges judged: 1 body over the 4 MiB limit once decoded (gzip)"])
    const entry = JSON.parse(Fs.readFileSync(har, "utf8")).log.entries[0]
    expect(entry.response.content.text).toBeUndefined()
    expect(entry.response.content.comment).toBe("not recorded: body over the 4 MiB limit once decoded (gzip)")
  })

  it("a cut stream and an unknown coding: not judged 'cannot decode', never 'not JSON'; the HAR keeps them as sent and the replay agrees", async () => {
    const har = Path.join(tmp, "undecodable.har")
    const { report, lines } = await withOriginProxy({ har }, async (url) => {
      await get(url, "acc_cut")
      await get(url, "acc_compress")
    })
    expect(lines).toEqual([])
    expect(report.checks.every((c) => c.failureCount === 0)).toBe(true)
    expect(report.traffic.notJudgedBy).toEqual({ undecodable: 2 })
    expect(report.traffic.notJudgedDetails.undecodable).toEqual({
      "cannot decode gzip (unexpected end of file)": 1,
      "cannot decode compress (not a coding postpress decodes)": 1
    })
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons[0]).toBe(
      "0 exchanges judged: 2 bodies not decodable: cannot decode compress (not a coding postpress decodes) ×1, cannot decode gzip (unexpected end of file) ×1"
    )
    // Entries are written as exchanges end (decoding takes its time): found by URL, not by position.
    const entries = JSON.parse(Fs.readFileSync(har, "utf8")).log.entries as Array<{
      request: { url: string }
      response: { content: unknown }
      _postpress: { notDecoded?: string }
    }>
    const compress = entries.find((e) => e.request.url.endsWith("/acc_compress"))!
    expect(compress.response.content).toMatchObject({
      encoding: "base64",
      text: accountFor("acc_compress").toString("base64")
    })
    expect(compress._postpress.notDecoded).toBe("cannot decode compress (not a coding postpress decodes)")
    const replay = await runPromise(ContractHar.read({ files: [har], baseUrl: `${origin.url}/api` }))
    expect(replay.verdict).toBe("inconclusive")
    expect(replay.traffic.notJudgedBy).toEqual({ undecodable: 2 })
    expect(replay.checks.every((c) => c.failureCount === 0)).toBe(true)
  })
})
