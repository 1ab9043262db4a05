/**
 * `contract har` verdicts (issue 16 §3, §4): a file that judged nothing is
 * inconclusive and says why; --base-url is compared by URL semantics (case,
 * default port, trailing slash), never as a string prefix; a body over the
 * limit is not judged, and a valid account of a few MiB is.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { SpecExample } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as ContractHar from "../src/ContractHar.js"
import { formatHuman } from "../src/ContractReport.js"

const runPromise = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, NodeFileSystem.layer))

const KEY = "pp_live_HARVERDICT_0123456789"
const account = SpecExample.retrieveAccountResponse as unknown as Record<string, unknown>

const entry = (url: string, body: string, init: { readonly method?: string; readonly status?: number } = {}) => ({
  startedDateTime: "2026-12-06T08:00:00.000Z",
  time: 12,
  request: { method: init.method ?? "GET", url, httpVersion: "HTTP/1.1", headers: [{ name: "X-API-KEY", value: KEY }] },
  response: {
    status: init.status ?? 200,
    statusText: "OK",
    headers: [{ name: "content-type", value: "application/json" }],
    content: { size: body.length, mimeType: "application/json", text: body }
  }
})

const har = (entries: ReadonlyArray<unknown>) => JSON.stringify({ log: { version: "1.2", entries } })

const judge = (entries: ReadonlyArray<unknown>, options: ContractHar.JudgingOptions = {}) =>
  runPromise(ContractHar.judgeDocuments([{ file: "t.har", text: har(entries) }], options))

const ok = (id: string) => JSON.stringify({ ...account, id })

describe("contract har verdicts", () => {
  it("an empty HAR is inconclusive and says so", async () => {
    const report = await judge([])
    expect(report.verdict).toBe("inconclusive")
    expect(report.passed).toBe(false)
    expect(report.inconclusiveReasons).toEqual(["0 exchanges judged: no traffic was recorded"])
    // The summary names each reason once: checks not run for the same reason share one line.
    const human = formatHuman(report)
    expect(human).toMatch(/7 checks not run: suite only/)
    expect(human.match(/suite only/g)).toHaveLength(1)
    expect(human).not.toMatch(/seed|runs/)
  })

  it("--base-url origins compare by URL semantics: default port, letter case, trailing slash", async () => {
    const entries = [
      entry("https://api.postpress.ai/api/v1/accounts/acc_1", ok("acc_1")),
      entry("https://API.PostPress.ai:443/api/v1/accounts/acc_2", ok("acc_2")),
      entry("HTTPS://api.postpress.ai/api/v1/accounts/acc_3", ok("acc_3"))
    ]
    for (const baseUrl of [
      "https://api.postpress.ai:443/api",
      "https://api.postpress.ai/api",
      "https://api.postpress.ai/api/",
      "https://API.POSTPRESS.AI/api"
    ]) {
      const report = await judge(entries, { baseUrl })
      expect(report.traffic.judged, baseUrl).toBe(3)
      expect(report.verdict, baseUrl).toBe("pass")
    }
  })

  it("a string prefix is not an origin: api.postpress.ai.evil.test and another port are outside --base-url", async () => {
    const report = await judge(
      [
        entry("https://api.postpress.ai.evil.test/api/v1/accounts/acc_1", ok("acc_1")),
        entry("https://api.postpress.ai:8443/api/v1/accounts/acc_1", ok("acc_1")),
        entry("http://api.postpress.ai/api/v1/accounts/acc_1", ok("acc_1"))
      ],
      { baseUrl: "https://api.postpress.ai/api" }
    )
    expect(report.verdict).toBe("inconclusive")
    expect(report.traffic.notJudgedBy).toEqual({ outside_base_url: 3 })
    expect(report.traffic.otherOrigins).toEqual([
      "https://api.postpress.ai.evil.test",
      "https://api.postpress.ai:8443",
      "http://api.postpress.ai"
    ])
    expect(report.inconclusiveReasons[0]).toBe(
      "0 exchanges judged: 3 outside --base-url (seen: https://api.postpress.ai.evil.test, https://api.postpress.ai:8443, http://api.postpress.ai)"
    )
  })

  it("at most 5 distinct other origins are listed; reasons are counted and grouped", async () => {
    const entries = [
      ...Array.from({ length: 8 }, (_, i) => entry(`https://h${i}.test/api/v1/accounts/acc_1`, ok("acc_1"))),
      entry("https://api.postpress.ai/api/v1/accounts/acc_1", ok("acc_1"), { method: "POST" }),
      entry("https://api.postpress.ai/api/v2/other", "{}")
    ]
    const report = await judge(entries, { baseUrl: "https://api.postpress.ai/api" })
    expect(report.traffic.otherOrigins).toHaveLength(5)
    expect(report.traffic.notJudgedBy).toEqual({ outside_base_url: 8, not_operation: 2 })
    expect(report.inconclusiveReasons[0]).toMatch(
      /^0 exchanges judged: 2 not the operation \(method or path\), 8 outside/
    )
  })

  it("a body over the limit is not judged (never 'not JSON'); a valid account of a few MiB is judged", async () => {
    const signatures = Array.from({ length: 30_000 }, (_, i) => ({
      id: `sig_${i}`,
      text: "x".repeat(60)
    }))
    const big = JSON.stringify({ ...account, id: "acc_big", signatures: undefined, _pad: signatures })
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024)
    const limited = await judge([entry("https://api.postpress.ai/api/v1/accounts/acc_big", big)], {
      baseUrl: "https://api.postpress.ai/api",
      maxBodyBytes: 1024 * 1024
    })
    expect(limited.verdict).toBe("inconclusive")
    expect(limited.inconclusiveReasons[0]).toBe(
      `0 exchanges judged: 1 body over the 1 MiB limit (${Buffer.byteLength(big)} bytes)`
    )
    expect(limited.checks.every((c) => c.failureCount === 0)).toBe(true)
    const judged = await judge([entry("https://api.postpress.ai/api/v1/accounts/acc_big", big)], {
      baseUrl: "https://api.postpress.ai/api"
    })
    expect(judged.traffic.judged).toBe(1)
    expect(judged.checks.find((c) => c.name === "response_schema")?.evaluated).toBe(1)
  })
})
