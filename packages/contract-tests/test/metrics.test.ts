/**
 * The proxy's metrics recorder (`internal/report/metrics.ts`): each outcome
 * counted once under the report's words, violations by check and a bounded
 * status label, proxy errors derived from the not-judged reasons, drift
 * counted once per distinct field and never past its bound. Read back from
 * Effect's metric registry, as the exporters read it.
 */
import * as Metric from "effect/Metric"
import * as MetricState from "effect/MetricState"
import { describe, expect, it } from "vitest"
import { ContractMetrics } from "../src/index.js"
import { makeProxyMetrics } from "../src/internal/report/metrics.js"

const { metricTable } = ContractMetrics

/** The sum of the counter `name` over the series whose tags include `where`. */
const count = (name: string, where: Readonly<Record<string, string>> = {}): number =>
  Metric.unsafeSnapshot()
    .filter(({ metricKey }) => metricKey.name === name)
    .filter(({ metricKey }) =>
      Object.entries(where).every(([key, value]) => metricKey.tags.some((t) => t.key === key && t.value === value))
    )
    .reduce(
      (sum, { metricState }) =>
        sum +
        (MetricState.isCounterState(metricState)
          ? Number(metricState.count)
          : MetricState.isHistogramState(metricState)
            ? metricState.count
            : 0),
      0
    )

/** How much `counts` changed while `f` ran. */
const delta = (counts: () => number, f: () => void): number => {
  const before = counts()
  f()
  return counts() - before
}

describe("the proxy's metrics recorder", () => {
  it("counts pass and violation once per exchange, and each violation by check and a bounded status", () => {
    const metrics = makeProxyMetrics()
    const exchanges = metricTable.exchanges.name
    const violations = metricTable.violations.name
    expect(
      delta(
        () => count(exchanges, { outcome: "pass" }),
        () => metrics.judged(200, [], [])
      )
    ).toBe(1)
    const findings = [{ check: "not_a_server_error" as const }, { check: "content_type" as const }]
    expect(
      delta(
        () => count(exchanges, { outcome: "violation" }),
        () => metrics.judged(500, findings, [])
      )
    ).toBe(1)
    expect(
      delta(
        () => count(violations, { check: "content_type", "http.response.status_code": "500" }),
        () => metrics.judged(500, findings, [])
      )
    ).toBe(1)
    // A status the spec does not document is its class: a server cannot mint series.
    for (const status of [418, 299, 599]) {
      expect(ContractMetrics.statusLabel(status)).toBe(`${String(status)[0]}xx`)
    }
    expect(ContractMetrics.statusLabel(404)).toBe("404")
    expect(ContractMetrics.statusClass(1000)).toBe("error")
  })

  it("counts not judged by reason; the proxy's own 502/504/refusals are proxy errors too, a 429 is not", () => {
    const metrics = makeProxyMetrics()
    const notJudged = (reason: string) => () => count(metricTable.exchanges.name, { outcome: "not_judged", reason })
    const errors = (kind: string) => () => count(metricTable.proxyErrors.name, { kind })
    expect(delta(notJudged("timeout"), () => metrics.notJudged("timeout"))).toBe(1)
    expect(delta(errors("timeout"), () => metrics.notJudged("timeout"))).toBe(1)
    expect(delta(notJudged("throttled"), () => metrics.notJudged("throttled"))).toBe(1)
    const allErrors = () => ContractMetrics.proxyErrorKinds.reduce((sum, kind) => sum + errors(kind)(), 0)
    expect(delta(allErrors, () => metrics.notJudged("throttled"))).toBe(0)
    expect(delta(allErrors, () => metrics.notJudged("gateway_page"))).toBe(0)
  })

  it("counts each distinct unknown field once, and at most MAX_DRIFT_FIELDS of them", () => {
    const metrics = makeProxyMetrics()
    const drift = () => count(metricTable.driftFields.name)
    expect(delta(drift, () => metrics.judged(200, [], ["a.new", "b.new", "a.new"]))).toBe(2)
    expect(delta(drift, () => metrics.judged(200, [], ["a.new"]))).toBe(0)
    const many = Array.from({ length: ContractMetrics.MAX_DRIFT_FIELDS + 500 }, (_, n) => `f${n}`)
    expect(delta(drift, () => metrics.judged(200, [], many))).toBe(ContractMetrics.MAX_DRIFT_FIELDS - 2)
    // Another session remembers its own fields.
    expect(delta(drift, () => makeProxyMetrics().judged(200, [], ["a.new"]))).toBe(1)
  })

  it("times the target and the queue in seconds, by status class", () => {
    const metrics = makeProxyMetrics()
    const upstream = (cls: string) => () =>
      count(metricTable.upstreamDuration.name, { "http.response.status_class": cls })
    expect(delta(upstream("2xx"), () => metrics.upstream(200, 0.012))).toBe(1)
    expect(delta(upstream("error"), () => metrics.upstream(undefined, 30))).toBe(1)
    expect(
      delta(
        () => count(metricTable.queueWait.name),
        () => metrics.queued(0.001)
      )
    ).toBe(1)
  })
})
