/**
 * The contract engine against small purpose-built servers: id encoding as
 * one segment (dot ids included), check selection, reports (human, JSON,
 * JUnit) never containing the key, usage errors (the base-URL rule), and a
 * server that cannot be reached or cuts its first answer (an inconclusive
 * report that says which).
 */
import * as Http from "node:http"
import { BaseUrl } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterEach, describe, expect, it } from "vitest"
import { type ContractConfig, runContract } from "../src/Contract.js"
import { checkNames, select } from "../src/ContractCheck.js"
import { escapeXml, toJunitXml } from "../src/ContractJunit.js"
import { failedChecks, formatHuman, toJson } from "../src/ContractReport.js"
import { redact } from "../src/internal/judge/validate.js"
import { encodeSegment } from "../src/internal/sources/suite/request.js"
import { KEY, startTinyServer, type TinyServer } from "./broken-servers/TinyServer.js"
import { listenLoopback } from "./support/loopback.js"

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()))
})

const startServer = async (options: Parameters<typeof startTinyServer>[0]): Promise<TinyServer> => {
  const server = await startTinyServer(options)
  stops.push(server.stop)
  return server
}

const run = (config: Partial<ContractConfig> & { readonly baseUrl: string }) =>
  Effect.runPromise(runContract({ apiKey: KEY, seed: 99, runs: 10, ...config }))

describe("encodeSegment", () => {
  it("keeps one segment for separators and encodes dot ids", () => {
    expect(encodeSegment("a/b?c#d e%")).toBe("a%2Fb%3Fc%23d%20e%25")
    expect(encodeSegment(".")).toBe("%2E")
    expect(encodeSegment("..")).toBe("%2E%2E")
    expect(encodeSegment("...")).toBe("...")
    expect(encodeSegment("日本")).toBe("%E6%97%A5%E6%9C%AC")
  })
})

describe("runContract against a small correct server", () => {
  const odd = ["acc 1/../2?x#y", ".", "..", "%ZZ", "\u202Eacc", "日本"]

  it("sends each id as one segment under the base path and compares body.id with the id as given", async () => {
    const server = await startServer({ ids: odd })
    const report = await run({ baseUrl: server.url, accountIds: odd })
    expect(failedChecks(report)).toEqual([])
    expect(report.checks.find((c) => c.name === "known_accounts")?.evaluated).toBe(odd.length)
    for (const id of odd) expect(server.paths).toContain(`/api/v1/accounts/${encodeSegment(id)}`)
    expect(server.paths).toContain("/api/v1/accounts/%2E%2E")
    // object_level_authorization has no input here: skipped with a reason, not failed.
    const ola = report.checks.find((c) => c.name === "object_level_authorization")!
    expect(ola.status).toBe("not_run")
    expect(ola.note).toContain("--foreign-account-id")
  })

  it("the same seed sends the same requests", async () => {
    const a = await startServer({ ids: ["x1"] })
    await run({ baseUrl: a.url, accountIds: ["x1"], concurrency: 1 })
    const b = await startServer({ ids: ["x1"] })
    await run({ baseUrl: b.url, accountIds: ["x1"], concurrency: 1 })
    expect(b.paths).toEqual(a.paths)
  })

  it("runs only the selected checks", async () => {
    const server = await startServer({ ids: ["x1"] })
    const report = await run({ baseUrl: server.url, accountIds: ["x1"], checks: ["missing_credentials"] })
    expect(report.checks.filter((c) => c.status !== "not_run").map((c) => c.name)).toEqual(["missing_credentials"])
    // the preflight plus the credential probes, nothing else
    expect(report.requests).toBeLessThanOrEqual(4)
    const excluded = await run({ baseUrl: server.url, accountIds: ["x1"], excludeChecks: ["hostile_ids"] })
    expect(excluded.checks.find((c) => c.name === "hostile_ids")).toMatchObject({
      status: "not_run",
      note: "not selected"
    })
    expect(excluded.checks.find((c) => c.name === "known_accounts")?.status).toBe("pass")
  })

  it("--require-variants fails when types are missing", async () => {
    const server = await startServer({ ids: ["x1"] })
    const report = await run({ baseUrl: server.url, accountIds: ["x1"], requireVariants: true })
    expect(failedChecks(report)).toEqual(["variant_coverage"])
    expect(report.variants.seen).toEqual(["LINKEDIN"])
  })
})

describe("the API key never reaches a report (canary)", () => {
  it("a server reflecting the key fails key_not_reflected, and no rendering contains the key", async () => {
    const server = await startServer({ ids: ["x1"], reflectKey: true })
    const report = await run({ baseUrl: server.url, accountIds: ["x1"], foreignAccountIds: ["zz"] })
    expect(failedChecks(report)).toEqual(["key_not_reflected"])
    const human = formatHuman(report, { perCheck: 100 })
    expect(human).toContain("X-API-KEY: ***")
    expect(human).toContain("curl --path-as-is")
    for (const text of [human, toJson(report), toJunitXml(report)]) expect(text).not.toContain(KEY)
  })
})

describe("redact", () => {
  it("hides the key raw, JSON-escaped and cut short by truncation", () => {
    expect(redact(`a ${KEY} b ${KEY}`, KEY)).toBe("a *** b ***")
    expect(redact(`got "${KEY.slice(0, 12)}..."`, KEY)).toBe('got "***..."')
    expect(redact('key "a\\"b"', 'a\\"b')).not.toContain('a\\"b')
    expect(redact("nothing here", KEY)).toBe("nothing here")
  })
})

describe("errors that prevent a verdict", () => {
  it("an unreachable server is an inconclusive report saying so, not failed checks", async () => {
    const server = await startServer({ ids: [] })
    const port = new URL(server.url).port
    await stops.splice(0)[0]!()
    const report = await Effect.runPromise(
      runContract({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, accountIds: ["x1"], maxAttempts: 1 })
    )
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons).toEqual([
      expect.stringMatching(new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`))
    ])
    expect(failedChecks(report)).toEqual([])
    expect(report).toMatchObject({ requests: 1, attempts: 1 })
  })

  it("a first answer cut mid-body: an inconclusive report saying the server answered, never 'cannot reach'", async () => {
    const server = Http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "9000" })
      res.write('{"id":"x1",')
      setImmediate(() => req.socket.destroy())
    })
    const { origin, stop } = await listenLoopback(server)
    stops.push(stop)
    const report = await run({ baseUrl: `${origin}/api`, accountIds: ["x1"], maxAttempts: 2 })
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons).toEqual([
      `${origin}/api answered 200 but the body was cut short: aborted (ECONNRESET)`
    ])
    expect(report).toMatchObject({ requests: 1, attempts: 2, retries: 1 })
    expect(failedChecks(report)).toEqual([])
    // every check that would have run says it sent nothing; those lacking input stay "not run"
    const known = report.checks.find((c) => c.name === "known_accounts")!
    expect(known).toMatchObject({
      status: "inconclusive",
      note: `the run stopped at its first request (${report.inconclusiveReasons[0]})`
    })
    // one line for every check that stopped, then the reason once
    const human = formatHuman(report)
    expect(human).toMatch(/\n {2}\?{4} {2}\d+ checks inconclusive: the run stopped at its first request \(.*\):\n/)
    expect(human).toContain(`\nNot judged: ${report.inconclusiveReasons[0]}\nResult: INCONCLUSIVE (`)
    const status = report.checks.find((c) => c.name === "status_code")!
    expect(status.notJudged).toEqual([{ reason: "cut short (200, ECONNRESET)", count: 2 }])
    expect(report.checks.find((c) => c.name === "object_level_authorization")?.status).toBe("not_run")
  })

  it("a base URL with a query or a fragment, even empty, is refused with THE rule's message before any request", async () => {
    const server = await startServer({ ids: ["x1"] })
    for (const [suffix, defect] of [
      ["?", "must not have a query (?)"],
      ["#", "must not have a fragment (#)"],
      ["?x=1", "must not have a query (?)"]
    ] as const) {
      const result = await Effect.runPromise(
        Effect.either(runContract({ baseUrl: `${server.url}${suffix}`, apiKey: KEY, accountIds: ["x1"] }))
      )
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: "InvalidConfig",
        issues: [{ path: ["baseUrl"], message: defect }],
        message: `baseUrl: ${defect}`
      })
      expect(BaseUrl.defect(`${server.url}${suffix}`)).toBe(defect)
    }
    expect(server.paths).toEqual([])
  })

  it("unknown check names and bad URLs are configuration errors", async () => {
    expect(select(["response_schema", "nope"], undefined).unknown).toEqual(["nope"])
    expect(select(undefined, ["hostile_ids"]).selected.size).toBe(checkNames.length - 1)
    const bad = await Effect.runPromise(Effect.either(runContract({ baseUrl: "ftp://x", apiKey: KEY })))
    expect(Either.isLeft(bad) && bad.left._tag).toBe("InvalidConfig")
  })
})

describe("JUnit XML", () => {
  it("escapes markup and characters XML forbids", () => {
    expect(escapeXml(`<a href="x">&'\u0000\uD800`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;\\u{0}\\u{d800}")
  })

  it("renders one testcase per check with failures and skips", async () => {
    const server = await startServer({ ids: ["x1", "\u0000<&>"], reflectKey: true })
    const report = await run({ baseUrl: server.url, accountIds: ["x1", "\u0000<&>"] })
    const xml = toJunitXml(report)
    expect(xml.match(/<testcase /g)).toHaveLength(checkNames.length)
    expect(xml).toContain('<failure message="')
    expect(xml).toContain("<skipped ")
    const controls = [...xml].filter((c) => c.charCodeAt(0) < 0x20 && c !== "\n" && c !== "\t" && c !== "\r")
    expect(controls).toEqual([])
  })
})
