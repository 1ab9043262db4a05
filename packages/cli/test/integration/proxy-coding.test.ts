/**
 * `postpress contract proxy` and `contract har` on real-world answers, as
 * users run them (the built program, spawned): a conformant upstream that
 * compresses (gzip, br, deflate; zstd where Node has it) passes through the
 * proxy and as its own HAR (exit 0); a staging down behind its load
 * balancer (HTML 503 pages) is INCONCLUSIVE for both (exit 4), never FAIL;
 * a gzip bomb is bounded (peak RSS measured) and not judged; `--target`
 * refuses `?`/`#` with the shared BaseUrl message; hostile bytes reach
 * stderr/stdout escaped.
 */
import { mkdtempSync, readFileSync, rmSync, watch } from "node:fs"
import * as Http from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Zlib from "node:zlib"
import { BaseUrl } from "@postpress/schema"
import { afterAll, describe, expect, it } from "vitest"
import { account } from "../../../client/test/support/fixtures.js"
import { listen } from "../../../client/test/support/server.js"
import { completion, firstLine, oneLine, run, start } from "../support/program.js"

const KEY = "pp_live_CLICODING_0123456789"
const MiB = 1024 * 1024
const dir = mkdtempSync(join(tmpdir(), "postpress-proxy-coding-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Compressor = (bytes: Buffer) => Buffer
const zstdCompressSync = (Zlib as unknown as { readonly zstdCompressSync?: Compressor }).zstdCompressSync
const compressors: Readonly<Record<string, Compressor>> = {
  gzip: (b) => Zlib.gzipSync(b),
  br: (b) => Zlib.brotliCompressSync(b),
  deflate: (b) => Zlib.deflateSync(b),
  ...(zstdCompressSync === undefined ? {} : { zstd: zstdCompressSync })
}

/** A raw GET (no decoding on our side): status and the number of body bytes, the body discarded. */
const rawGet = (url: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ readonly status: number; readonly bytes: number }>((resolve, reject) => {
    const req = Http.get(`${url}${path}`, { headers: { "X-API-KEY": KEY, ...headers } }, (res) => {
      let bytes = 0
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length
      })
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }))
      res.on("error", reject)
    })
    req.on("error", reject)
  })

/** Peak resident set size of a process, in MiB (Linux). */
const peakRssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"))
  return Number(line?.replace(/\D+/g, "") ?? Number.NaN) / 1024
}

/** Resolves once the proxy's HAR (written as exchanges end, after decoding) holds `count` entries. */
const entriesWritten = (file: string, count: number) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if ((readFileSync(file, "utf8").match(/"startedDateTime"/g) ?? []).length < count) return
      watcher.close()
      resolve()
    }
    const watcher = watch(file, check)
    check()
  })

const proxy = (target: string, extra: ReadonlyArray<string>) => {
  const child = start(["contract", "proxy", "--target", target, ...extra])
  return {
    child,
    done: completion(child),
    url: firstLine(child).then((line) => (JSON.parse(line) as { url: string }).url)
  }
}

describe("postpress contract proxy and har: compressed answers", () => {
  it("a conformant upstream answering gzip, br and deflate passes through the proxy and as its HAR: exit 0 both", async () => {
    const codings = Object.keys(compressors)
    if (zstdCompressSync === undefined)
      console.info(`zstd skipped: Node ${process.versions.node} has no zstd in node:zlib`)
    const target = await listen((req, res) => {
      const id = decodeURIComponent((req.url ?? "").split("/").pop() ?? "")
      const coding = id.replace(/^acc_/, "")
      const body = compressors[coding]!(Buffer.from(JSON.stringify({ ...account, id })))
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": coding,
        "content-length": body.length
      })
      res.end(body)
    })
    const har = join(dir, "coded.har")
    try {
      const p = proxy(`${target.origin}/api`, ["--har", har, "--max-requests", String(codings.length)])
      const url = await p.url
      for (const coding of codings) {
        // Raw bytes (fetch decodes gzip, br and deflate, not zstd everywhere): the proxy saw what was sent.
        const sent = compressors[coding]!(Buffer.from(JSON.stringify({ ...account, id: `acc_${coding}` })))
        const got = await rawGet(url, `/v1/accounts/acc_${coding}`, { "Accept-Encoding": "gzip, deflate, br, zstd" })
        expect(got, coding).toEqual({ status: 200, bytes: sent.length })
      }
      const result = await p.done
      expect(result.stderr).toContain(
        `PASS: ${codings.length} exchanges, ${codings.length} judged (none with violations)`
      )
      expect(result.code).toBe(0)
      const replay = await run(["contract", "har", har, "--base-url", `${target.origin}/api`])
      expect(replay.stdout).toContain(`PASS: ${codings.length} exchanges, ${codings.length} judged`)
      expect(replay.code).toBe(0)
    } finally {
      await target.close()
    }
  })

  it("a staging answering only its load balancer's HTML 503 page is INCONCLUSIVE (exit 4) for the proxy and its HAR", async () => {
    const target = await listen((_req, res) => {
      res.writeHead(503, { "content-type": "text/html" })
      res.end("<html><body>503 Service Temporarily Unavailable</body></html>")
    })
    const har = join(dir, "down.har")
    try {
      const p = proxy(`${target.origin}/api`, ["--har", har, "--max-requests", "3"])
      const url = await p.url
      for (let i = 0; i < 3; i++) expect((await rawGet(url, `/v1/accounts/acc_${i}`)).status).toBe(503)
      const result = await p.done
      expect(result.code).toBe(4)
      expect(result.stderr).not.toContain("violation")
      expect(result.stderr).toContain("3 answers were gateway pages: 503 text/html")
      const replay = await run(["contract", "har", har])
      expect(replay.code).toBe(4)
      expect(replay.stdout).toContain("0 exchanges judged: 3 answers were gateway pages: 503 text/html")
    } finally {
      await target.close()
    }
  })

  it("a gzip bomb (1 GiB decoded, ~1 MB sent) x4: streamed through, not judged, peak RSS bounded, exit 4", async () => {
    const member = Zlib.gzipSync(Buffer.alloc(64 * MiB), { level: 9 })
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member))
    const target = await listen((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": bomb.length
      })
      res.end(bomb)
    })
    try {
      const har = join(dir, "bomb.har")
      const p = proxy(`${target.origin}/api`, ["--har", har])
      const url = await p.url
      const before = peakRssMb(p.child.pid!)
      const written = entriesWritten(har, 4)
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => rawGet(url, `/v1/accounts/acc_${i}`)))
      for (const a of answers) expect(a).toEqual({ status: 200, bytes: bomb.length })
      // The client has every byte before the proxy decodes its copy: the peak is read once all four are recorded.
      await written
      const peak = peakRssMb(p.child.pid!)
      p.child.kill("SIGTERM")
      const result = await p.done
      console.info(
        `gzip bomb through the proxy: 4 × 1 GiB decoded at once, peak RSS ${peak.toFixed(0)} MB (${before.toFixed(0)} MB listening)`
      )
      expect(result.code).toBe(4)
      expect(result.stderr).toContain("4 bodies over the 16 MiB limit once decoded (gzip)")
      expect(peak, `peak RSS ${peak.toFixed(0)} MB`).toBeLessThan(250)
    } finally {
      await target.close()
    }
  }, 120_000)
})

describe("postpress contract proxy: --target is a BaseUrl", () => {
  it.each([
    "https://staging.example.com/api?",
    "https://staging.example.com/api#",
    "https://u:p@staging.example.com/api",
    "ftp://staging.example.com/api",
    "not a url"
  ])("%s is refused with the shared message, one line, exit 2", async (target) => {
    const result = await run(["contract", "proxy", "--target", target])
    expect(result.code).toBe(2)
    const defect = BaseUrl.defect(target)
    expect(defect).toBeDefined()
    expect(oneLine(result.stderr)).toBe(`postpress contract proxy: --target: ${defect}`)
  })
})

describe("hostile bytes reach the terminal escaped", () => {
  it("control bytes in a media type and a body: stderr of the proxy and stdout of the HAR replay hold none raw", async () => {
    const target = await listen((_req, res) => {
      const body = JSON.stringify({ ...account, id: "x\r\u001b[2K\u009b1A\u0007forged" })
      res.writeHead(200, { "content-type": "text/html\u009b2J", "content-encoding": "gzip" })
      res.end(Zlib.gzipSync(body))
    })
    const har = join(dir, "hostile.har")
    try {
      const p = proxy(`${target.origin}/api`, ["--har", har, "--max-requests", "1"])
      await rawGet(await p.url, "/v1/accounts/acc_1")
      const result = await p.done
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("violation content_type")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly what must never be printed raw
      const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/
      expect(result.stderr).not.toMatch(raw)
      const replay = await run(["contract", "har", har])
      expect(replay.code).toBe(1)
      expect(replay.stdout).toContain("FAIL")
      expect(replay.stdout).not.toMatch(raw)
    } finally {
      await target.close()
    }
  })
})
