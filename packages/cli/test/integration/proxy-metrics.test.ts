/**
 * `postpress contract proxy --metrics-port` and OTLP push, as operators run
 * them (the built program, spawned, in front of the testkit mock): the
 * counts on `/metrics` are the JSON report's, read as the difference of two
 * scrapes around a known mix; an OTLP/HTTP receiver gets the same counts in
 * the last export on shutdown, with the environment's resource; a dead or
 * hanging endpoint never holds an exchange (each export that failed or was
 * dropped is counted); no key, id or path reaches a series; the metrics
 * listener answers `/metrics` only.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ContractMetrics } from "@postpress/contract-tests"
import { describe, expect, it } from "vitest"
import {
  close,
  expected,
  listenOn,
  mixTotal,
  otlpReceiver,
  type Series,
  scrape,
  sendMix,
  total,
  useTarget
} from "../support/metrics.js"
import { completion, start } from "../support/program.js"

const fixture = useTarget("postpress-metrics-")

/** Lines of a child's stream, each resolved as it comes. */
const lines = (stream: NodeJS.ReadableStream) => {
  let buffer = ""
  const seen: Array<string> = []
  const waiting: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = []
  stream.on("data", (chunk: Buffer) => {
    buffer += chunk.toString()
    for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      seen.push(line)
      for (const w of waiting.filter((w) => w.test(line))) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(line)
      }
    }
  })
  return (test: (line: string) => boolean) =>
    new Promise<string>((resolve) => {
      const found = seen.find(test)
      if (found !== undefined) return resolve(found)
      waiting.push({ test, resolve })
    })
}

/** A proxy in front of the target, started with `args` and `env`; resolves once it (and its metrics) listen. */
const startProxy = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const child = start(["contract", "proxy", "--target", fixture.target.url, ...args], {
    POSTPRESS_API_KEY: fixture.target.apiKey,
    ...env
  })
  const done = completion(child)
  const stdout = lines(child.stdout)
  const stderr = lines(child.stderr)
  const { url } = JSON.parse(await stdout((line) => line.startsWith("{"))) as { url: string }
  const metrics = args.includes("--metrics-port")
    ? (await stderr((line) => line.includes("metrics at "))).split("metrics at ")[1]!
    : undefined
  return { child, done, url, metrics }
}

const diff = (after: ReadonlyArray<Series>, before: ReadonlyArray<Series>, name: string, where = {}) =>
  total(after, name, where) - total(before, name, where)

/** Every label value of a postpress series is one of its row's in the table (histograms' `le` one of the buckets). */
const assertBounded = (series: ReadonlyArray<Series>) => {
  const rows = Object.values(ContractMetrics.metricTable)
  const buckets = new Set([...ContractMetrics.durationBuckets.map(String), "+Inf"])
  for (const s of series) {
    const row = rows.find(
      (row) =>
        s.name === row.name ||
        s.name.replace(/_(bucket|sum|count)$/, "") === row.prometheus ||
        s.name === row.prometheus
    )
    expect(row, s.name).toBeDefined()
    const allowed = new Map<string, ReadonlyArray<string>>(
      Object.entries(row!.attributes).flatMap(([key, values]) => [
        [key, values],
        [key.replaceAll(".", "_"), values]
      ])
    )
    for (const [key, value] of Object.entries(s.labels)) {
      const ok = key === "le" ? buckets.has(value) : (allowed.get(key)?.includes(value) ?? false)
      expect(ok, `${s.name}{${key}="${value}"}`).toBe(true)
    }
  }
}

describe("postpress contract proxy --metrics-port", () => {
  it("counts on /metrics equal the JSON report's, read as the difference of two scrapes; nothing secret in any series", async () => {
    const json = join(fixture.dir, "scrape.json")
    const proxy = await startProxy(["--metrics-port", "0", "--json", json])
    const before = await scrape(proxy.metrics!)
    await sendMix(proxy.url, fixture.target)
    // Hostile ids and the key where a careless exporter would put them: in the path, the query, the id.
    const canaries = [
      `/v1/accounts/${encodeURIComponent(`acc_CANARY"}\n# TYPE evil counter`)}`,
      `/v1/accounts/${fixture.target.apiKey}`,
      `/v1/accounts/acc_CANARY2?api_key=${fixture.target.apiKey}`,
      "/v1/accounts/..%2F..%2Fetc%2Fpasswd",
      "/CANARY_PATH/v1/accounts/acc_x"
    ]
    for (const path of canaries) {
      await (await fetch(`${proxy.url}${path}`, { headers: { "x-api-key": fixture.target.apiKey } })).arrayBuffer()
    }
    const text = await (await fetch(proxy.metrics!)).text()
    const after = await scrape(proxy.metrics!)
    proxy.child.kill("SIGTERM")
    const run = await proxy.done
    expect(run.code).toBe(1)
    const report = JSON.parse(readFileSync(json, "utf8"))
    const t = report.traffic

    const exchanges = "postpress_exchanges_total"
    expect(diff(after, before, exchanges)).toBe(t.exchanges)
    expect(diff(after, before, exchanges, { outcome: "violation" })).toBe(t.violating)
    expect(diff(after, before, exchanges, { outcome: "pass" })).toBe(t.judged - t.violating)
    expect(diff(after, before, exchanges, { outcome: "not_judged" })).toBe(t.notJudged)
    for (const [reason, count] of Object.entries(t.notJudgedBy)) {
      expect(diff(after, before, exchanges, { outcome: "not_judged", reason }), reason).toBe(count)
    }
    for (const check of report.checks as ReadonlyArray<{ name: string; failureCount: number }>) {
      expect(diff(after, before, "postpress_violations_total", { check: check.name }), check.name).toBe(
        check.failureCount
      )
    }
    // The mix itself, so the report above is not trusted blindly either.
    expect(t.violating).toBe(expected.violation)
    expect(t.notJudgedBy.throttled).toBe(expected.notJudged.throttled)
    expect(t.notJudgedBy.gateway_page).toBe(expected.notJudged.gateway_page)
    expect(diff(after, before, "postpress_violations_total", { http_response_status_code: "500" })).toBe(
      expected.violation
    )
    expect(diff(after, before, "postpress_drift_fields_total")).toBeGreaterThan(0)
    expect(diff(after, before, "postpress_upstream_duration_seconds_count")).toBe(t.exchanges)
    expect(
      diff(after, before, "postpress_upstream_duration_seconds_count", { http_response_status_class: "5xx" })
    ).toBe(expected.violation + expected.notJudged.gateway_page)
    expect(total(after, "postpress_proxy_in_flight")).toBe(0)
    expect(diff(after, before, "postpress_proxy_queue_wait_seconds_count")).toBe(t.exchanges)

    assertBounded(after.filter((s) => s.name !== "target_info"))
    for (const secret of [fixture.target.apiKey, "CANARY", "passwd", "/v1/accounts", ...fixture.target.accountIds]) {
      expect(text).not.toContain(secret)
    }
  })

  it("answers /metrics only; a metrics port in use is one usage line and exit 2", async () => {
    const proxy = await startProxy(["--metrics-port", "0", "--metrics-host", "127.0.0.1"])
    const base = proxy.metrics!.replace(/\/metrics$/, "")
    expect((await fetch(`${base}/`)).status).toBe(404)
    expect((await fetch(`${base}/metrics/../debug`)).status).toBe(404)
    expect((await fetch(`${base}/metricsx`)).status).toBe(404)
    expect((await fetch(proxy.metrics!, { method: "POST" })).status).toBe(405)
    const scraped = await fetch(`${proxy.metrics!}?x=1`)
    expect(scraped.status).toBe(200)
    expect(await scraped.text()).toContain("postpress_exchanges_total")

    const port = new URL(base).port
    const refused = await completion(
      start(["contract", "proxy", "--target", fixture.target.url, "--metrics-port", port])
    )
    expect(refused.code).toBe(2)
    expect(refused.stderr.trim().split("\n")).toHaveLength(1)
    expect(refused.stderr).toContain(`--metrics-port: cannot listen on 127.0.0.1:${port}`)

    proxy.child.kill("SIGTERM")
    await proxy.done
  })
})

describe("OTLP push (OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("the last export on shutdown carries the report's counts and the environment's resource", async () => {
    const receiver = await otlpReceiver()
    const json = join(fixture.dir, "otlp.json")
    try {
      const proxy = await startProxy(["--json", json], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        // Never on the timer during the test: what arrives is the export made on shutdown.
        OTEL_METRIC_EXPORT_INTERVAL: "600000",
        OTEL_SERVICE_NAME: "proxy-under-test",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=staging,team=payments"
      })
      await sendMix(proxy.url, fixture.target)
      expect(receiver.received).toHaveLength(0)
      const last = receiver.next()
      proxy.child.kill("SIGTERM")
      const exported = await last
      await proxy.done
      const t = JSON.parse(readFileSync(json, "utf8")).traffic
      const exchanges = "postpress.exchanges"
      expect(total(exported.series, exchanges)).toBe(t.exchanges)
      expect(total(exported.series, exchanges, { outcome: "violation" })).toBe(t.violating)
      expect(total(exported.series, exchanges, { outcome: "pass" })).toBe(expected.pass)
      expect(total(exported.series, exchanges, { outcome: "not_judged", reason: "throttled" })).toBe(
        expected.notJudged.throttled
      )
      expect(total(exported.series, exchanges, { outcome: "not_judged", reason: "gateway_page" })).toBe(
        expected.notJudged.gateway_page
      )
      expect(total(exported.series, "postpress.violations", { check: "not_a_server_error" })).toBe(expected.violation)
      expect(exported.resource["service.name"]).toBe("proxy-under-test")
      expect(exported.resource["deployment.environment"]).toBe("staging")
      expect(exported.resource.team).toBe("payments")
      expect(exported.series.every((s) => s.name.startsWith("postpress."))).toBe(true)
      assertBounded(exported.series)
      for (const secret of [fixture.target.apiKey, ...fixture.target.accountIds])
        expect(exported.text).not.toContain(secret)
    } finally {
      await receiver.stop()
    }
  })

  it("a dead or hanging endpoint holds no exchange: every one is answered, and the failed or dropped exports are counted", async () => {
    const hung: Array<unknown> = []
    const hanging = await listenOn((req) => {
      hung.push(req)
    })
    const dead = await listenOn(() => {})
    const deadUrl = dead.url
    await close(dead.server)
    try {
      for (const [endpoint, reason] of [
        [hanging.url, "dropped"],
        [deadUrl, "failed"]
      ] as const) {
        const proxy = await startProxy(["--metrics-port", "0"], {
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_METRIC_EXPORT_INTERVAL: "50",
          OTEL_EXPORTER_OTLP_TIMEOUT: "2000"
        })
        // Awaited, not slept on: the exporter has met the endpoint before the traffic starts.
        const deadline = Date.now() + 20_000
        let failures = 0
        while (failures === 0 && Date.now() < deadline) {
          failures = total(await scrape(proxy.metrics!), "postpress_metrics_export_failures_total", { reason })
        }
        expect(failures, reason).toBeGreaterThan(0)
        for (let round = 0; round < 5; round++) await sendMix(proxy.url, fixture.target)
        const after = await scrape(proxy.metrics!)
        expect(total(after, "postpress_exchanges_total")).toBe(5 * mixTotal)
        proxy.child.kill("SIGTERM")
        const run = await proxy.done
        expect(run.code).toBe(1)
      }
      expect(hung.length).toBeGreaterThan(0)
    } finally {
      await close(hanging.server)
    }
  })
})
