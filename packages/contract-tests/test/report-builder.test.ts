/**
 * The report builder and the latency/drift statistics behind every
 * rendering: percentiles, bounded samples, drift paths counted once per
 * response, --fail-on-drift naming the field, and the human report's timing
 * and drift sections.
 */
import { describe, expect, it } from "vitest"
import { toJunitXml } from "../src/ContractJunit.js"
import { formatHuman, toJson } from "../src/ContractReport.js"
import * as Builder from "../src/internal/report/builder.js"
import { normalizePath } from "../src/internal/report/drift.js"
import { percentile, Reservoir, summarize } from "../src/internal/report/latency.js"

const info: Builder.RunInfo = {
  baseUrl: "http://127.0.0.1:1/api",
  seed: 7,
  runs: 3,
  strict: false,
  startedAt: "2026-11-29T12:00:00.000Z"
}

const request = {
  method: "GET" as const,
  url: "http://127.0.0.1:1/api/v1/accounts/acc_1",
  accountId: "acc_1",
  credentials: "valid" as const
}

describe("latency", () => {
  it("nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(sorted, 50)).toBe(50)
    expect(percentile(sorted, 95)).toBe(95)
    expect(percentile(sorted, 99)).toBe(99)
    expect(percentile([], 50)).toBe(0)
    expect(summarize([3, 1, 2])).toEqual({ count: 3, p50: 2, p95: 3, p99: 3, max: 3 })
  })

  it("a reservoir keeps a bounded sample but the exact count and maximum", () => {
    const r = new Reservoir(100)
    for (let i = 1; i <= 10_000; i++) r.add(i)
    expect(r.values).toHaveLength(100)
    const summary = r.summary()
    expect(summary.count).toBe(10_000)
    expect(summary.max).toBe(10_000)
    // a uniform sample of 1..10000: its median is near 5000
    expect(summary.p50).toBeGreaterThan(3000)
    expect(summary.p50).toBeLessThan(7000)
  })
})

describe("drift", () => {
  it("array indexes become []", () => {
    expect(normalizePath("connection_params.im.organizations[3].new_flag")).toBe(
      "connection_params.im.organizations[].new_flag"
    )
    expect(normalizePath(["connection_params", "im", "organizations", 0, "x"])).toBe(
      "connection_params.im.organizations[].x"
    )
  })
})

describe("builder", () => {
  it("counts requests, attempts (retries included), 429s and latency overall, per status and per check", () => {
    const b = Builder.make(info)
    b.exchange({ status: 200, latencyMs: 10, checks: ["response_schema", "known_accounts"] })
    b.exchange({ status: 429, latencyMs: 2, checks: ["status_code"] })
    b.exchange({ status: 429, latencyMs: 4, retry: true })
    b.exchange({ status: null, latencyMs: 100, retry: true })
    b.evaluated("known_accounts")
    b.evaluated("response_schema")
    b.inconclusive("not_found", 1, "503 after retries")
    const report = b.finish({ durationMs: 123 })
    // two requests, one of them tried three times: four attempts, two of them retries
    expect(report.requests).toBe(2)
    expect(report.attempts).toBe(4)
    expect(report.retries).toBe(2)
    expect(report.throttled).toBe(2)
    expect(report.latency).toEqual({ count: 4, p50: 4, p95: 100, p99: 100, max: 100 })
    expect(report.latencySamples).toEqual([
      { status: 200, count: 1, samplesMs: [10] },
      { status: 429, count: 2, samplesMs: [2, 4] },
      { status: null, count: 1, samplesMs: [100] }
    ])
    const check = (name: string) => report.checks.find((c) => c.name === name)!
    expect(check("known_accounts").latency).toEqual({ count: 1, p50: 10, p95: 10, p99: 10, max: 10 })
    expect(check("known_accounts").status).toBe("pass")
    expect(check("not_found")).toMatchObject({
      status: "inconclusive",
      unit: "requests",
      inconclusive: 1,
      notJudged: [{ reason: "503 after retries", count: 1 }],
      note: "0 requests judged: 1 answer was 503 after retries"
    })
    expect(check("status_code").unit).toBe("answers")
    expect(check("response_schema").durationMs).toBe(123)
    expect(report.passed).toBe(false)
    expect(report.verdict).toBe("inconclusive")
    expect(report.inconclusiveReasons).toContain("not_found: 0 requests judged: 1 answer was 503 after retries")
  })

  it("keeps failures redacted and cut, and ignores checks that were not selected", () => {
    const key = "pp_live_SECRET_abcdef123"
    const b = Builder.make({
      ...info,
      selected: new Set(["response_schema"] as const),
      redact: (text) => text.replaceAll(key, "***")
    })
    b.failure({
      check: "response_schema",
      message: `bad ${key}`,
      request,
      status: 200,
      body: `${key}${"x".repeat(400)}`,
      issues: [`name: ${key}`],
      curl: "curl x"
    })
    b.failure({ check: "not_found", message: "ignored", request, status: 200 })
    const report = b.finish({ durationMs: 1 })
    const failure = report.checks.find((c) => c.name === "response_schema")!.failures[0]!
    expect(failure.body).toHaveLength(300)
    expect(failure.bodyTruncated).toBe(true)
    expect(failure.seed).toBe(7)
    expect(toJson(report)).not.toContain(key)
    expect(report.checks.find((c) => c.name === "not_found")).toMatchObject({
      status: "not_run",
      note: "not selected",
      failureCount: 0
    })
    expect(report.verdict).toBe("fail")
    expect(report.passed).toBe(false)
  })

  it("counts each drift path once per response; --fail-on-drift names it with the first request", () => {
    const feed = (b: Builder.ReportBuilder) => {
      b.exchange({ status: 200, latencyMs: 1 })
      b.evaluated("response_schema", 2)
      b.drift(["connection_params.im.orgs[0].new_flag", "connection_params.im.orgs[1].new_flag", "extra"], {
        check: "response_schema",
        request,
        status: 200,
        curl: "curl 'http://127.0.0.1:1/api/v1/accounts/acc_1'"
      })
      b.drift(["extra"], { check: "response_schema", request, status: 200, curl: null })
    }
    // Only response_schema is selected: the other checks, judging nothing here, would make the run inconclusive.
    const only = new Set(["response_schema"] as const)
    const lenient = Builder.make({ ...info, selected: only })
    feed(lenient)
    const allowed = lenient.finish({ durationMs: 1 })
    expect(allowed.drift).toEqual({
      unknownFields: [
        { path: "extra", count: 2 },
        { path: "connection_params.im.orgs[].new_flag", count: 1 }
      ],
      failOnDrift: false
    })
    expect(allowed.passed).toBe(true)
    const human = formatHuman(allowed)
    expect(human).toContain("Drift: 2 unknown fields (not in the spec, allowed)")
    expect(human).toMatch(/connection_params\.im\.orgs\[\]\.new_flag {2}in 1 response\n/)

    const failing = Builder.make({ ...info, selected: only, settings: { failOnDrift: true } })
    feed(failing)
    const failed = failing.finish({ durationMs: 1 })
    expect(failed.passed).toBe(false)
    const check = failed.checks.find((c) => c.name === "response_schema")!
    expect(check.status).toBe("fail")
    expect(check.failures.map((f) => f.message)).toEqual([
      "drift: the unknown field extra was in 2 responses (--fail-on-drift)",
      "drift: the unknown field connection_params.im.orgs[].new_flag was in 1 response (--fail-on-drift)"
    ])
    expect(check.failures[0]!.curl).toContain("acc_1")
    expect(formatHuman(failed)).toContain("Result: FAIL (1 failed: response_schema")
    expect(toJunitXml(failed)).toContain("drift: the unknown field extra")
  })

  it("variant_coverage: informational, failing only when every type is required", () => {
    const b = Builder.make({ ...info, requireVariants: true })
    b.variantSeen("LINKEDIN")
    b.variantSeen("NOT_A_TYPE")
    const report = b.finish({ durationMs: 1 })
    expect(report.variants.seen).toEqual(["LINKEDIN"])
    expect(report.variants.missing).toHaveLength(13)
    expect(report.checks.find((c) => c.name === "variant_coverage")).toMatchObject({ status: "fail", evaluated: 1 })
  })

  it("the human report shows timing overall and per check", () => {
    const b = Builder.make({ ...info, settings: { rateLimit: 10, maxResponseTimeMs: 500 } })
    b.exchange({ status: 200, latencyMs: 12.345, checks: ["known_accounts", "status_code"] })
    b.exchange({ status: 404, latencyMs: 2, checks: ["not_found", "status_code"] })
    b.evaluated("known_accounts")
    b.evaluated("not_found")
    b.evaluated("status_code", 2)
    const human = formatHuman(b.finish({ durationMs: 1 }))
    expect(human).toContain(
      "Timing: 2 attempts, p50 2.0 ms, p95 12 ms, p99 12 ms, max 12 ms; rate limit 10/s, max response time 500 ms"
    )
    expect(human).toMatch(/ {2}known_accounts +p50 12 ms, p95 12 ms, p99 12 ms, max 12 ms \(1\)\n/)
    // status_code judged every exchange: its line would repeat the overall one
    expect(human).not.toMatch(/ {2}status_code +p50/)
    const xml = toJunitXml(b.finish({ durationMs: 1 }))
    expect(xml).toContain('<property name="latency.p95_ms" value="12.35"/>')
    expect(xml).toContain('<property name="latency.known_accounts.p99_ms" value="12.35"/>')
    expect(xml).toContain('<property name="rate_limit" value="10"/>')
  })
})
