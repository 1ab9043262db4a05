/**
 * The proxy under hostile traffic (issue 18): every key seen is masked in
 * every output, malformed upstream bytes become a 502 with a finding (never
 * a crash), every exchange ends (101, CONNECT, a hung upstream, a timeout),
 * headers are forwarded whatever their count, and 1xx and trailers pass
 * through. Loopback servers only, started and stopped by each test.
 */
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { SpecExample } from "@postpress/schema"
import * as Redacted from "effect/Redacted"
import { afterAll, describe, expect, it } from "vitest"
import * as ContractHtml from "../src/ContractHtml.js"
import { toJunitXml } from "../src/ContractJunit.js"
import { toJson } from "../src/ContractReport.js"
import type { TrafficReport } from "../src/ContractTraffic.js"
import { rawUpstream, send, sendRaw, startOrigin, withProxy } from "./proxy-support.js"

const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "proxy-hostile-"))
afterAll(() => Fs.rmSync(tmp, { recursive: true, force: true }))

const account = SpecExample.retrieveAccountResponse as unknown as Record<string, unknown>

const allOutputs = (report: TrafficReport, har: string, lines: ReadonlyArray<string>) =>
  [toJson(report), toJunitXml(report), ContractHtml.render(report), har, lines.join("\n")].join("\n")

describe("no credential in any output", () => {
  const prefix = "pp_live_SHAREDPREFIX_"
  const keyA = `${prefix}AAAAAAAAAAAAAAAA`
  const keyB = `${prefix}BBBBBBBBBBBBBBBBBBBBBBBB`

  it("two keys with a shared prefix are both masked whole in the HAR and every report", async () => {
    // The upstream reflects the key it got in a 401: a finding, and an echo to mask.
    const origin = await startOrigin({
      "/api/v1/accounts/acc_1": (req, res) => {
        res.writeHead(401, { "content-type": "application/json" })
        res.end(
          JSON.stringify({
            type: "errors/invalid_credentials",
            title: `bad key ${req.headers["x-api-key"]}`,
            status: 401
          })
        )
      }
    })
    const har = Path.join(tmp, "shared.har")
    try {
      const { report, lines } = await withProxy(
        { target: `${origin.url}/api`, apiKey: Redacted.make(keyA), har },
        async (url) => {
          await send(url, "/v1/accounts/acc_1", { headers: { "X-API-KEY": keyB } })
          await send(url, "/v1/accounts/acc_1", { headers: { "X-API-KEY": keyA } })
        }
      )
      const text = allOutputs(report, Fs.readFileSync(har, "utf8"), lines)
      expect(report.checks.find((c) => c.name === "key_not_reflected")?.status).toBe("fail")
      for (const secret of [keyA, keyB, keyA.slice(prefix.length), keyB.slice(prefix.length), "BBBBBBBBBB"]) {
        expect(text).not.toContain(secret)
      }
      expect(text).toContain("***")
    } finally {
      await origin.stop()
    }
  })

  it("a key reflected by the upstream is masked everywhere without POSTPRESS_API_KEY, and so are duplicated headers", async () => {
    const first = "pp_live_FIRSTKEY_0123456789"
    const second = "pp_live_SECONDKEY_9876543210"
    const origin = await startOrigin({
      "/api/v1/accounts/acc_1": (req, res) => {
        res.writeHead(401, { "content-type": "application/json", "x-echo": req.rawHeaders.join("|") })
        res.end(JSON.stringify({ type: "errors/invalid_credentials", title: req.rawHeaders.join(" "), status: 401 }))
      }
    })
    const har = Path.join(tmp, "reflected.har")
    try {
      const { result, report, lines } = await withProxy({ target: `${origin.url}/api`, har }, (url) =>
        sendRaw(url, "/v1/accounts/acc_1?api_key=pp_live_QUERYKEY_55555555", ["X-API-KEY", first, "X-Api-Key", second])
      )
      // The client itself gets the answer unchanged: masking is for outputs, not traffic.
      expect(result.status, result.body.toString()).toBe(401)
      expect(result.body.toString()).toContain(second)
      const harText = Fs.readFileSync(har, "utf8")
      const text = allOutputs(report, harText, lines)
      for (const secret of [first, second, "pp_live_QUERYKEY_55555555"]) expect(text).not.toContain(secret)
      expect(report.verdict).toBe("fail")
      expect(lines.some((l) => l.startsWith("violation key_not_reflected"))).toBe(true)
      // Both repeats of the header are in the HAR, both masked.
      const entry = JSON.parse(harText).log.entries[0]
      const keys = entry.request.headers.filter((h: { name: string }) => h.name.toLowerCase() === "x-api-key")
      expect(keys.map((h: { value: string }) => h.value)).toEqual(["***", "***"])
    } finally {
      await origin.stop()
    }
  })
})

describe("no crash on any upstream bytes", () => {
  const ok = (body: string) =>
    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`
  const answers: Record<string, string> = {
    "/api/v1/accounts/s099": "HTTP/1.1 099 Odd\r\ncontent-length: 2\r\n\r\nhi",
    "/api/v1/accounts/s000": "HTTP/1.1 000 Odd\r\ncontent-length: 2\r\n\r\nhi",
    "/api/v1/accounts/ctl": "HTTP/1.1 200 O\x01K\r\ncontent-length: 2\r\n\r\nhi",
    "/api/v1/accounts/del": "HTTP/1.1 200 O\x7fK\r\ncontent-length: 2\r\n\r\nhi",
    "/api/v1/accounts/clte":
      "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    "/api/v1/accounts/fold": "HTTP/1.1 200 OK\r\nx-a: one\r\n two\r\ncontent-length: 2\r\n\r\nhi",
    "/api/v1/accounts/huge": `HTTP/1.1 200 OK\r\nx-big: ${"a".repeat(300 * 1024)}\r\ncontent-length: 2\r\n\r\nhi`,
    "/api/v1/accounts/badchunk": "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhi\r\n0\r\n\r\n"
  }

  it("invalid status lines, control characters, CL+TE, obs-fold and oversized headers: a 502 problem+json and a finding", async () => {
    const upstream = await rawUpstream((path) => answers[path] ?? ok(JSON.stringify({ ...account, id: "acc_ok" })))
    try {
      const { result, report, lines } = await withProxy({ target: `${upstream.url}/api` }, async (url) => {
        const out: Record<string, { status: number; type: string; detail: string }> = {}
        for (const path of Object.keys(answers)) {
          const r = await send(url, path.slice(4), { headers: { "X-API-KEY": "pp_live_HOSTILE_0123456789" } }).catch(
            (error: Error) => ({ status: -1, rawHeaders: [], body: Buffer.from(error.message) })
          )
          const type = r.rawHeaders.find((_, i, all) => all[i - 1]?.toLowerCase() === "content-type") ?? ""
          out[path] = { status: r.status, type, detail: r.body.toString() }
        }
        // The session still works afterwards.
        const after = await send(url, "/v1/accounts/acc_ok", { headers: { "X-API-KEY": "pp_live_HOSTILE_0123456789" } })
        return { out, after: after.status }
      })
      for (const path of ["s099", "s000", "ctl", "del", "clte", "fold", "huge"]) {
        const got = result.out[`/api/v1/accounts/${path}`]!
        expect(got.status, path).toBe(502)
        expect(got.type, path).toBe("application/problem+json")
        expect(JSON.parse(got.detail).detail, path).toContain("the upstream's answer is not valid HTTP (")
      }
      // Bad chunking after the status line went out: the client's connection is cut (no fake success).
      expect(result.out["/api/v1/accounts/badchunk"]!.status).not.toBe(200)
      expect(result.after).toBe(200)
      expect(report.traffic.notJudgedBy.invalid_upstream).toBeGreaterThanOrEqual(7)
      expect(report.traffic.judged).toBe(1)
      expect(lines.filter((l) => l.includes("not valid HTTP")).length).toBeGreaterThanOrEqual(7)
    } finally {
      await upstream.stop()
    }
  })

  it("a 20 KB header (within the limit) passes through", async () => {
    const body = JSON.stringify({ ...account, id: "acc_1" })
    const upstream = await rawUpstream(
      () =>
        `HTTP/1.1 200 OK\r\nx-big: ${"b".repeat(20_000)}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`
    )
    try {
      const { result, report } = await withProxy({ target: `${upstream.url}/api` }, (url) =>
        send(url, "/v1/accounts/acc_1", { headers: { "X-API-KEY": "pp_live_HOSTILE_0123456789" } })
      )
      expect(result.status).toBe(200)
      expect(result.rawHeaders).toContain("b".repeat(20_000))
      expect(report.verdict).toBe("pass")
    } finally {
      await upstream.stop()
    }
  })
})

describe("every exchange ends", () => {
  it("70 answers of 101 each get a 502 and a finding; no slot is held (64 in flight at most)", async () => {
    const upstream = await rawUpstream(
      () => "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n"
    )
    try {
      const { result, report, lines } = await withProxy({ target: `${upstream.url}/api` }, (url) =>
        Promise.all(Array.from({ length: 70 }, (_, i) => send(url, `/v1/accounts/acc_${i}`)))
      )
      expect(result.map((r) => r.status)).toEqual(Array(70).fill(502))
      expect(report.traffic.notJudgedBy.refused).toBe(70)
      expect(report.verdict).toBe("inconclusive")
      expect(lines.filter((l) => l.includes("Switching Protocols")).length).toBe(70)
    } finally {
      await upstream.stop()
    }
  })

  it("CONNECT is refused with a finding", async () => {
    const origin = await startOrigin({})
    try {
      const { result, report } = await withProxy(
        { target: `${origin.url}/api` },
        (url) =>
          new Promise<string>((resolve) => {
            const { port } = new URL(url)
            const socket = Net.connect(Number(port), "127.0.0.1", () =>
              socket.write("CONNECT example.test:443 HTTP/1.1\r\nhost: example.test:443\r\n\r\n")
            )
            let got = ""
            socket.on("data", (c) => {
              got += c.toString()
            })
            socket.on("close", () => resolve(got))
            socket.on("error", () => resolve(got))
          })
      )
      expect(result).toMatch(/^HTTP\/1\.1 405 /)
      expect(report.traffic.notJudgedBy.refused).toBe(1)
    } finally {
      await origin.stop()
    }
  })

  it("an upstream silent past --upstream-timeout gives a 504 with a finding", async () => {
    const upstream = await rawUpstream(() => undefined)
    try {
      const { result, report, lines } = await withProxy(
        { target: `${upstream.url}/api`, upstreamTimeout: "300 millis" },
        (url) => send(url, "/v1/accounts/acc_1")
      )
      expect(result.status).toBe(504)
      expect(JSON.parse(result.body.toString()).detail).toContain("--upstream-timeout")
      expect(report.traffic.notJudgedBy.timeout).toBe(1)
      expect(lines.some((l) => l.includes("did not answer within 300 ms"))).toBe(true)
    } finally {
      await upstream.stop()
    }
  })

  it("stopping with a hung upstream drains at most `drain`, then cuts it and reports", async () => {
    let arrived: () => void = () => {}
    const reached = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const upstream = await rawUpstream(() => {
      arrived()
      return undefined
    })
    try {
      let pending: Promise<unknown> | undefined
      const started = Date.now()
      const { report } = await withProxy(
        { target: `${upstream.url}/api` },
        async (url) => {
          pending = send(url, "/v1/accounts/acc_1").catch((error: Error) => error)
          // The request reached the upstream (which never answers) before the stop.
          await reached
        },
        "300 millis"
      )
      // Far below the 30 s upstream timeout: the drain bound cut it.
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(await pending).toBeInstanceOf(Error)
      expect(report.traffic.exchanges).toBe(1)
      expect(report.verdict).toBe("inconclusive")
    } finally {
      await upstream.stop()
    }
  })
})

describe("fidelity", () => {
  it("1,990 request headers reach the target, the key after them included, and the exchange is judged with it", async () => {
    const KEY = "pp_live_MANYHEADERS_0123456789"
    const origin = await startOrigin({
      "/api/v1/accounts/acc_1": (req, res) => {
        res.writeHead(200, { "content-type": "application/json", "x-seen": String(req.rawHeaders.length / 2) })
        res.end(JSON.stringify({ ...account, id: "acc_1", _seen: req.headers["x-api-key"] === KEY }))
      }
    })
    try {
      const headers: Array<string> = []
      for (let i = 0; i < 1990; i++) headers.push(`x-h${i}`, "v")
      headers.push("X-API-KEY", KEY)
      const { result, report } = await withProxy({ target: `${origin.url}/api`, apiKey: Redacted.make(KEY) }, (url) =>
        sendRaw(url, "/v1/accounts/acc_1", headers)
      )
      expect(result.status).toBe(200)
      const seen = Number(result.rawHeaders[result.rawHeaders.findIndex((h) => h.toLowerCase() === "x-seen") + 1])
      // 1,990 + the key + Host (Connection is hop-by-hop).
      expect(seen).toBeGreaterThanOrEqual(1992)
      expect(JSON.parse(result.body.toString())._seen).toBe(true)
      expect(report.traffic.judged).toBe(1)
      expect(report.checks.find((c) => c.name === "missing_credentials")?.failureCount ?? 0).toBe(0)
    } finally {
      await origin.stop()
    }
  })

  it("a valid account of a few MiB is judged (the default body limit is 16 MiB)", async () => {
    const big = JSON.stringify({ ...account, id: "acc_big", notes: "n".repeat(3 * 1024 * 1024) })
    const origin = await startOrigin({
      "/api/v1/accounts/acc_big": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(big)
      }
    })
    try {
      const { result, report } = await withProxy({ target: `${origin.url}/api` }, (url) =>
        send(url, "/v1/accounts/acc_big", { headers: { "X-API-KEY": "pp_live_BIGACCOUNT_0123456789" } })
      )
      expect(result.body.length).toBe(big.length)
      expect(report.traffic.judged).toBe(1)
      expect(report.verdict).toBe("pass")
      expect(report.drift?.unknownFields.map((f) => f.path)).toEqual(["notes"])
    } finally {
      await origin.stop()
    }
  })

  it("headers over the size limit are refused with a 431 and a finding, never cut", async () => {
    const origin = await startOrigin({})
    try {
      const headers: Array<string> = []
      for (let i = 0; i < 300; i++) headers.push(`x-h${i}`, "v".repeat(1000))
      const { result, report, lines } = await withProxy({ target: `${origin.url}/api` }, (url) =>
        sendRaw(url, "/v1/accounts/acc_1", headers)
      )
      expect(result.status).toBe(431)
      expect(report.traffic.notJudgedBy.refused).toBe(1)
      expect(lines.some((l) => l.includes("431"))).toBe(true)
    } finally {
      await origin.stop()
    }
  })

  it("latency includes the time queued behind the in-flight limit, and the report says so", async () => {
    const origin = await startOrigin({}, { delayMs: 300 })
    try {
      const { report } = await withProxy({ target: `${origin.url}/api`, maxConcurrent: 1 }, (url) =>
        Promise.all([send(url, "/v1/accounts/a"), send(url, "/v1/accounts/b")])
      )
      // The second request waited ~300 ms for the first before its own ~300 ms.
      expect(report.latency?.max ?? 0).toBeGreaterThanOrEqual(550)
      expect(report.traffic.latencyMeasures).toContain("time queued")
    } finally {
      await origin.stop()
    }
  })

  it("trailers and 103 Early Hints pass through unchanged", async () => {
    const body = JSON.stringify({ ...account, id: "acc_1" })
    const server = Http.createServer((_req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" })
      res.writeHead(200, { "content-type": "application/json", trailer: "x-checksum" })
      res.write(body)
      res.addTrailers({ "x-checksum": "abc123" })
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const target = `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}/api`
    try {
      const { result, report } = await withProxy(
        { target },
        (url) =>
          new Promise<{ hints: Array<string>; trailers: Array<string>; status: number }>((resolve, reject) => {
            const u = new URL(url)
            const hints: Array<string> = []
            const req = Http.request(
              {
                host: u.hostname,
                port: u.port,
                path: "/v1/accounts/acc_1",
                headers: { "X-API-KEY": "pp_live_TRAILERS_0123456789" }
              },
              (res) => {
                res.resume()
                res.on("end", () => resolve({ hints, trailers: res.rawTrailers, status: res.statusCode ?? 0 }))
              }
            )
            req.on("information", (info) => hints.push(`${info.statusCode} ${info.rawHeaders.join(": ")}`))
            req.on("error", reject)
            req.end()
          })
      )
      expect(result.status).toBe(200)
      expect(result.hints).toEqual(["103 Link: </style.css>; rel=preload; as=style"])
      expect(result.trailers).toEqual(["x-checksum", "abc123"])
      expect(report.verdict).toBe("pass")
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
