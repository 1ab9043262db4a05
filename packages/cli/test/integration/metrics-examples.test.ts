/**
 * What operators copy: the Prometheus config and alert rules under
 * `examples/prometheus/` pass `promtool` (config, rules, and the rules' unit
 * tests: each alert fires on the traffic it is about and stays silent
 * otherwise); the Grafana dashboard is valid JSON whose every query is valid
 * PromQL (checked by promtool as recording rules) over the exported names
 * only; `docs/metrics.md` names every metric and attribute of the table.
 * Skipped, saying why, only where promtool is missing.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ContractMetrics } from "@postpress/contract-tests"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const PROMTOOL = "/usr/bin/promtool"
const hasPromtool = existsSync(PROMTOOL)
if (!hasPromtool) console.warn(`skipped: ${PROMTOOL} is not installed (apt-get install prometheus; .ci/run does)`)

const rows = Object.values(ContractMetrics.metricTable)
/** Every name a query may use: the Prometheus names, with a histogram's series. */
const exported = new Set(
  rows.flatMap((row) =>
    row.kind === "histogram" ? ["_bucket", "_sum", "_count"].map((s) => `${row.prometheus}${s}`) : [row.prometheus]
  )
)

const promtool = (...args: ReadonlyArray<string>) => {
  const run = spawnSync(PROMTOOL, args, { encoding: "utf8" })
  return { code: run.status, output: `${run.stdout}${run.stderr}` }
}

interface Panel {
  readonly title: string
  readonly targets?: ReadonlyArray<{ readonly expr: string }>
}
const dashboard = JSON.parse(readFileSync(join(root, "examples/grafana/postpress-proxy.dashboard.json"), "utf8")) as {
  panels: ReadonlyArray<Panel>
  templating: { list: ReadonlyArray<{ definition: string }> }
}
const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))
const namesIn = (expr: string) => [...expr.matchAll(/\bpostpress_[a-z_]+/g)].map((m) => m[0])

describe("the Grafana dashboard", () => {
  it("queries only the exported names, and covers verdict rates, violations by check and latency", () => {
    expect(expressions.length).toBeGreaterThan(5)
    for (const expr of [...expressions, ...dashboard.templating.list.map((v) => v.definition)]) {
      expect(namesIn(expr).length, expr).toBeGreaterThan(0)
      for (const name of namesIn(expr)) expect(exported.has(name), `${name} in ${expr}`).toBe(true)
    }
    const all = expressions.join("\n")
    expect(all).toContain("sum by (outcome) (rate(postpress_exchanges_total")
    expect(all).toContain("sum by (check) (increase(postpress_violations_total")
    expect(all).toContain("postpress_upstream_duration_seconds_bucket")
  })

  it.skipIf(!hasPromtool)("every query is valid PromQL (promtool, as recording rules)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "postpress-dashboard-"))
    try {
      const file = join(dir, "dashboard.rules.yml")
      const rules = expressions.map((expr, n) => {
        const promql = expr
          .replaceAll("$__rate_interval", "5m")
          .replaceAll("$__range", "1h")
          .replaceAll("$job", ".*")
          .replaceAll("$instance", ".*")
        return `      - record: dashboard:query_${n}\n        expr: ${JSON.stringify(promql)}`
      })
      await writeFile(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}\n`)
      const checked = promtool("check", "rules", file)
      expect(checked.output).toContain(`SUCCESS: ${expressions.length} rules found`)
      expect(checked.code).toBe(0)
      // The check can fail: a broken query is refused.
      await writeFile(file, `groups:\n  - name: x\n    rules:\n      - record: x:y\n        expr: "sum(rate(x[5m]"\n`)
      expect(promtool("check", "rules", file).code).not.toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!hasPromtool)("the Prometheus examples", () => {
  const dir = join(root, "examples/prometheus")
  it("the scrape config and its rule file pass promtool check config", () => {
    const checked = promtool("check", "config", join(dir, "prometheus.yml"))
    expect(checked.output).toContain("SUCCESS: 2 rules found")
    expect(checked.code).toBe(0)
  })

  it("the two alerts fire on what they are about and stay silent otherwise (promtool test rules)", () => {
    const tested = promtool("test", "rules", join(dir, "postpress-alerts.test.yml"))
    expect(tested.output).toContain("SUCCESS")
    expect(tested.code).toBe(0)
    const rules = readFileSync(join(dir, "postpress-alerts.rules.yml"), "utf8")
    for (const name of namesIn(rules)) expect(exported.has(name), name).toBe(true)
    expect(rules).toContain("alert: PostpressContractViolation")
    expect(rules).toContain("alert: PostpressExchangesNotJudged")
  })
})

describe("docs/metrics.md", () => {
  it("names every metric of the table, its Prometheus name and its attributes", () => {
    const page = readFileSync(join(root, "docs/metrics.md"), "utf8")
    for (const row of rows) {
      expect(page).toContain(`\`${row.name}\``)
      expect(page).toContain(`\`${row.prometheus}\``)
      for (const attribute of Object.keys(row.attributes)) expect(page, row.name).toContain(`\`${attribute}\``)
    }
    for (const reason of ContractMetrics.metricTable.exchanges.attributes.reason)
      expect(page).toContain(`\`${reason}\``)
  })
})
