/**
 * The report as JUnit XML (the `ContractJunit` face documents the format):
 * one `<testcase>` per check, failures as the human rendering, inconclusive
 * checks as `<error>`, checks not run as `<skipped>`, the run's facts as
 * `<property>`s; every text escaped for XML 1.0.
 *
 * @since 0.1.0
 */
import { Printable } from "@postpress/schema"
import type { CheckResult, ContractReport, LatencySummary } from "../report/model.js"
import { failureText } from "./human.js"
import { trafficFacts } from "./traffic.js"

const { plural } = Printable

// Characters XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const forbidden = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * Escapes text for an XML attribute or element.
 *
 * @since 0.1.0
 * @category rendering
 */
export const escapeXml = (text: string): string =>
  text
    .replace(forbidden, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")

const seconds = (ms: number): string => (ms / 1000).toFixed(3)

const optional = (name: string, value: number | undefined): ReadonlyArray<readonly [string, string]> =>
  value === undefined ? [] : [[name, String(value)]]

// Latency as properties (`latency.p95_ms`, `latency.known_accounts.p95_ms`):
// JUnit has no place for distributions, and CI dashboards read properties.
const latencyProperties = (
  prefix: string,
  latency: LatencySummary | undefined
): ReadonlyArray<readonly [string, string]> =>
  latency === undefined || latency.count === 0
    ? []
    : [
        [`${prefix}.count`, String(latency.count)],
        [`${prefix}.p50_ms`, String(latency.p50)],
        [`${prefix}.p95_ms`, String(latency.p95)],
        [`${prefix}.p99_ms`, String(latency.p99)],
        [`${prefix}.max_ms`, String(latency.max)]
      ]

/**
 * A proxy or HAR report: exchanges judged, those not judged with why, and
 * one `not_judged.<reason>` property per reason with its count (the reason's
 * phrase is in `exchanges_not_judged`), for a CI dashboard to chart.
 */
const trafficProperties = (report: ContractReport): ReadonlyArray<readonly [string, string]> => {
  const facts = trafficFacts(report)
  if (facts === undefined) return []
  return [
    ["exchanges_judged", String(facts.judged)],
    ["exchanges_not_judged", `${facts.notJudged}${facts.notJudged > 0 ? `: ${facts.why}` : ""}`],
    ...facts.reasons.map((entry) => [`not_judged.${entry.reason}`, String(entry.count)] as const)
  ]
}

/** The run's facts as `<property>`s: verdict, settings, counts, latency, invocation, drift. */
const propertiesOf = (report: ContractReport): ReadonlyArray<readonly [string, string]> => [
  ["verdict", report.verdict],
  ["source", report.source],
  ["base_url", report.baseUrl],
  ["seed", String(report.seed)],
  ["runs", String(report.runs)],
  ["strict", String(report.strict)],
  ["requests", String(report.requests)],
  ["attempts", String(report.attempts ?? report.requests)],
  ["variants_seen", report.variants.seen.join(",")],
  ...trafficProperties(report),
  ...latencyProperties("latency", report.latency),
  ...report.checks.flatMap((check) =>
    check.status === "not_run" ? [] : latencyProperties(`latency.${check.name}`, check.latency)
  ),
  ...optional("throttled", report.throttled),
  ...optional("rate_limit", report.settings?.rateLimit),
  ...optional("concurrency", report.settings?.concurrency),
  ...optional("max_response_time_ms", report.settings?.maxResponseTimeMs),
  ...optional("max_body_bytes", report.settings?.maxBodyBytes),
  ...(report.invocation === undefined
    ? []
    : ([
        ["invocation.tool", `${report.invocation.tool} ${report.invocation.version}`],
        ["invocation.argv", report.invocation.argv.join(" ")]
      ] as const)),
  ...(report.drift === undefined
    ? []
    : ([
        ["drift.unknown_fields", report.drift.unknownFields.map((f) => `${f.path}=${f.count}`).join(",")],
        ...(report.drift.unknownTypes === undefined
          ? []
          : ([
              ["drift.unknown_types", report.drift.unknownTypes.map((t) => `${t.type}=${t.count}`).join(",")]
            ] as const)),
        ["fail_on_drift", String(report.drift.failOnDrift)]
      ] as const))
]

/** One check as a `<testcase>`: passed, skipped (not run), an `<error>` (inconclusive) or a `<failure>`. */
const testcaseLines = (check: CheckResult): ReadonlyArray<string> => {
  const open = `    <testcase classname="postpress.contract" name="${check.name}" time="${seconds(check.durationMs)}"`
  switch (check.status) {
    case "pass":
      return [`${open}/>`]
    case "not_run":
      return [
        `${open}>`,
        `      <skipped message="${escapeXml(`not run: ${check.note ?? "not selected"}`)}"/>`,
        "    </testcase>"
      ]
    case "inconclusive": {
      const message = `inconclusive: ${check.note ?? "nothing judged"}`
      return [
        `${open}>`,
        `      <error message="${escapeXml(message)}" type="inconclusive">${escapeXml(`${check.name}: ${message}`)}</error>`,
        "    </testcase>"
      ]
    }
    case "fail": {
      const first = check.failures[0]
      const message = `${plural(check.failureCount, "failure")}${first === undefined ? "" : `; first: ${first.message}`}`
      const body = check.failures.map((failure, i) => failureText(failure, i + 1)).join("\n\n")
      return [
        `${open}>`,
        `      <failure message="${escapeXml(message)}" type="${check.name}">${escapeXml(body)}</failure>`,
        "    </testcase>"
      ]
    }
  }
}

/** Reasons not tied to one check (an account never judged, no --account-id, a proxy session that judged nothing). */
const runReasonsOf = (report: ContractReport): ReadonlyArray<string> => {
  const inconclusiveNames = new Set(report.checks.filter((c) => c.status === "inconclusive").map((c) => c.name))
  return report.inconclusiveReasons.filter(
    (reason) => !inconclusiveNames.has(reason.slice(0, reason.indexOf(":")) as CheckResult["name"])
  )
}

/**
 * Renders the report as a JUnit XML document.
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJunitXml = (report: ContractReport): string => {
  const count = (status: CheckResult["status"]) => report.checks.filter((c) => c.status === status).length
  const runReasons = runReasonsOf(report)
  const extra = runReasons.length > 0 ? 1 : 0
  const totals = `tests="${report.checks.length + extra}" failures="${count("fail")}" errors="${count("inconclusive") + extra}" skipped="${count("not_run")}" time="${seconds(report.durationMs)}"`
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="postpress contract" ${totals}>`,
    `  <testsuite name="${escapeXml(`postpress contract: ${report.baseUrl}`)}" ${totals} timestamp="${escapeXml(report.startedAt)}">`,
    "    <properties>",
    ...propertiesOf(report).map(
      ([name, value]) => `      <property name="${name}" value="${escapeXml(value ?? "")}"/>`
    ),
    "    </properties>",
    ...report.checks.flatMap(testcaseLines)
  ]
  if (runReasons.length > 0) {
    const message = `inconclusive: ${plural(runReasons.length, "thing")} could not be judged`
    lines.push(
      `    <testcase classname="postpress.contract" name="inconclusive" time="0.000">`,
      `      <error message="${escapeXml(message)}" type="inconclusive">${escapeXml(runReasons.join("\n"))}</error>`,
      "    </testcase>"
    )
  }
  lines.push("  </testsuite>", "</testsuites>")
  return `${lines.join("\n")}\n`
}
