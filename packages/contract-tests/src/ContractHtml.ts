/**
 * The report as ONE self-contained HTML page (what `--html FILE` writes), for
 * a CI artifact people open: the verdict, the checks table, which of the 14
 * account types were seen, a latency histogram by answer status, every kept
 * failure with its request, status, decode path and `curl` line (key masked),
 * the drift table and the seed.
 *
 * No external script, font, style or image: styles are inline, charts are
 * inline SVG, and the page has no script at all. A Content-Security-Policy
 * meta tag forbids scripts and remote loads as a second line of defence;
 * the first is that everything the server sent is escaped.
 *
 * @example
 * ```ts
 * import { ContractHtml } from "@postpress/contract-tests"
 * import { writeFileSync } from "node:fs"
 *
 * writeFileSync("contract.html", ContractHtml.render(report))
 * ```
 *
 * @since 0.1.0
 */
import { Account } from "@postpress/schema"
import {
  type CheckResult,
  type ContractReport,
  type Failure,
  formatLatency,
  type LatencySummary
} from "./ContractReport.js"
import { colorsFor, latencyHistogram, statusLabel, variantChart } from "./internal/report/html/charts.js"
import { empty, type Html, html } from "./internal/report/html/escape.js"
import { summarize } from "./internal/report/latency.js"

const styles = `
:root { color-scheme: light; --pass: #2e7d32; --fail: #c62828; --skip: #757575; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 24px; max-width: 1200px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 8px; white-space: pre-wrap; word-break: break-all; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #fafafa; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { display: inline-block; padding: 4px 14px; border-radius: 4px; color: #fff; font-weight: 700; font-size: 20px; margin-right: 12px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 3px; color: #fff; font-weight: 600; font-size: 12px; }
.pass { background: var(--pass); } .fail { background: var(--fail); } .skip { background: var(--skip); }
.meta { color: #555; display: flex; flex-wrap: wrap; gap: 2px 16px; } .meta span { white-space: nowrap; }
svg.variants g.seen rect { fill: #e8f5e9; stroke: var(--pass); } svg.variants g.missing rect { fill: #fff; stroke: #bbb; stroke-dasharray: 4 3; }
svg.variants text { font: 12px system-ui, sans-serif; } svg.variants g.missing text { fill: #999; }
svg .axis { font: 11px system-ui, sans-serif; fill: #555; } svg .rule { stroke: #999; }
svg { max-width: 100%; height: auto; }
.legend .key { margin-right: 14px; white-space: nowrap; }
details.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
details.failure summary { cursor: pointer; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; } dt { color: #555; } dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.empty { color: #777; font-style: italic; }
`

const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

const ms = (value: number): string => (value < 10 ? value.toFixed(1) : String(Math.round(value)))

const latencyCells = (latency: LatencySummary | undefined): Html =>
  latency === undefined || latency.count === 0
    ? html`<td class="num" colspan="4"></td>`
    : html`<td class="num">${ms(latency.p50)}</td><td class="num">${ms(latency.p95)}</td><td class="num">${ms(latency.p99)}</td><td class="num">${ms(latency.max)}</td>`

const statusBadge = (status: CheckResult["status"]): Html =>
  html`<span class="badge ${status}">${status.toUpperCase()}</span>`

const header = (report: ContractReport): Html => {
  const settings = report.settings ?? {}
  const facts: Array<Html> = [
    html`<span>started ${report.startedAt}</span>`,
    html`<span>${(report.durationMs / 1000).toFixed(2)} s</span>`,
    html`<span>seed <code id="seed">${report.seed}</code></span>`,
    html`<span>runs ${report.runs}</span>`,
    html`<span>${report.requests} requests (${report.retries} retries)</span>`
  ]
  if (report.strict) facts.push(html`<span>strict</span>`)
  if (report.throttled !== undefined && report.throttled > 0)
    facts.push(html`<span>${report.throttled} throttled (429)</span>`)
  if (settings.rateLimit !== undefined) facts.push(html`<span>rate limit ${settings.rateLimit}/s</span>`)
  if (settings.concurrency !== undefined) facts.push(html`<span>concurrency ${settings.concurrency}</span>`)
  if (settings.maxResponseTimeMs !== undefined) {
    facts.push(html`<span>max response time ${ms(settings.maxResponseTimeMs)} ms</span>`)
  }
  if (report.latency !== undefined && report.latency.count > 0) {
    facts.push(html`<span>latency ${formatLatency(report.latency)}</span>`)
  }
  const failed = report.checks.filter((c) => c.status === "fail").length
  const verdict = report.passed ? "PASS" : "FAIL"
  return html`<header><h1><span class="verdict ${report.passed ? "pass" : "fail"}" id="verdict">${verdict}</span>postpress contract</h1>
<p class="mono" id="base-url">${report.baseUrl}</p>
<p class="meta">${facts}</p>
<p>${report.checks.filter((c) => c.status === "pass").length} passed, ${failed} failed, ${report.checks.filter((c) => c.status === "skip").length} skipped.</p></header>`
}

const checksTable = (report: ContractReport): Html => {
  const rows = report.checks.map(
    (check) =>
      html`<tr id="check-${check.name}" class="${check.status}-row"><td>${statusBadge(check.status)}</td><td><code>${check.name}</code><br><small>${check.description}</small></td><td class="num">${check.evaluated}</td><td class="num">${check.failureCount > 0 ? html`<a href="#failures-${check.name}">${check.failureCount}</a>` : "0"}</td><td class="num">${check.inconclusive}</td>${latencyCells(check.latency)}<td class="num">${(check.durationMs / 1000).toFixed(2)}</td><td>${check.note ?? ""}</td></tr>`
  )
  return html`<section id="checks"><h2>Checks</h2><table><thead><tr><th></th><th>check</th><th class="num">judged</th><th class="num">failures</th><th class="num">inconclusive</th><th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th><th class="num">s</th><th>note</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

const variantsSection = (report: ContractReport): Html => {
  const seen = new Set(report.variants.seen)
  return html`<section id="variants"><h2>Account types seen (${seen.size} of ${Account.accountTypes.length})</h2>${variantChart(Account.accountTypes, seen)}${report.variants.missing.length > 0 ? html`<p>Not seen: ${report.variants.missing.join(", ")}</p>` : empty}</section>`
}

const latencySection = (report: ContractReport): Html => {
  const groups = report.latencySamples ?? []
  if (groups.length === 0)
    return html`<section id="latency"><h2>Latency</h2><p class="empty">No exchange was timed.</p></section>`
  const colors = colorsFor(groups.map((g) => g.status))
  const rows = groups.map((group) => {
    const summary = summarize(group.samplesMs)
    return html`<tr><td><span style="color:${colors.get(group.status)!}">■</span> ${statusLabel(group.status)}</td><td class="num">${group.count}</td>${latencyCells({ ...summary, count: group.count })}</tr>`
  })
  return html`<section id="latency"><h2>Latency by answer status</h2>${latencyHistogram(groups)}<table><thead><tr><th>status</th><th class="num">exchanges</th><th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">p99 ms</th><th class="num">max ms</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

const credentials = { valid: "valid key", missing: "no key", invalid: "wrong key" } as const

const OPEN_PER_CHECK = 3

const failureBlock = (failure: Failure, inCheck: number, number: number): Html => {
  const request = failure.request
  const facts: Array<Html> = []
  if (request !== null) {
    facts.push(
      html`<dt>request</dt><dd class="mono">${request.method} ${request.url}</dd>`,
      html`<dt>id</dt><dd class="mono">${JSON.stringify(request.accountId)} (${credentials[request.credentials]})</dd>`,
      html`<dt>status</dt><dd>${failure.status === null ? "no response" : failure.status}</dd>`
    )
  }
  if (failure.issues.length > 0) {
    facts.push(html`<dt>decode</dt><dd><pre>${failure.issues.join("\n")}</pre></dd>`)
  }
  if (failure.body.length > 0) {
    facts.push(html`<dt>body</dt><dd><pre>${failure.body}${failure.bodyTruncated ? " …(truncated)" : ""}</pre></dd>`)
  }
  facts.push(html`<dt>seed</dt><dd>${failure.seed}</dd>`)
  if (failure.curl !== null) facts.push(html`<dt>curl</dt><dd><pre class="curl">${failure.curl}</pre></dd>`)
  // The first few of each check are open; the rest one click away, so 50 failures stay readable.
  return html`<details class="failure"${inCheck <= OPEN_PER_CHECK ? html` open` : empty}><summary><strong>${number}) ${failure.check}</strong>: ${failure.message}</summary><dl>${facts}</dl></details>`
}

const failuresSection = (report: ContractReport): Html => {
  const failing = report.checks.filter((c) => c.status === "fail")
  if (failing.length === 0) return html`<section id="failures"><h2>Failures</h2><p class="empty">None.</p></section>`
  let index = 1
  const parts = failing.map((check) => {
    const blocks = check.failures.map((failure, i) => failureBlock(failure, i + 1, index++))
    const more =
      check.failureCount > check.failures.length
        ? html`<p>…and ${check.failureCount - check.failures.length} more (counted, not kept).</p>`
        : empty
    return html`<div id="failures-${check.name}"><h3><code>${check.name}</code>: ${check.failureCount} failure${check.failureCount === 1 ? "" : "s"}</h3>${blocks}${more}</div>`
  })
  return html`<section id="failures"><h2>Failures</h2>${parts}</section>`
}

const driftSection = (report: ContractReport): Html => {
  const fields = report.drift?.unknownFields ?? []
  const policy =
    report.drift?.failOnDrift === true ? "drift fails the run (--fail-on-drift)" : "allowed (forward compatibility)"
  if (fields.length === 0) {
    return html`<section id="drift"><h2>Drift</h2><p class="empty">No field outside the spec was seen.</p></section>`
  }
  const rows = fields.map((f) => html`<tr><td class="mono">${f.path}</td><td class="num">${f.count}</td></tr>`)
  return html`<section id="drift"><h2>Drift: ${fields.length} unknown field${fields.length === 1 ? "" : "s"}</h2><p>Fields the server sent that the spec does not know; ${policy}.</p><table><thead><tr><th>path</th><th class="num">responses</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

/**
 * Renders the report as one self-contained HTML document.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (report: ContractReport): string => {
  const title = `postpress contract: ${report.passed ? "PASS" : "FAIL"} (${report.baseUrl})`
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@postpress/contract-tests">
<title>${title}</title>
<style>${{ html: styles }}</style>
</head>
<body>
${header(report)}
${checksTable(report)}
${failuresSection(report)}
${variantsSection(report)}
${latencySection(report)}
${driftSection(report)}
<footer><h2>Reproduce</h2><p>Run again with <code>--seed ${report.seed}</code> to send the same requests; each failure's <code>curl</code> line repeats one request (the API key is shown as <code>***</code>).</p></footer>
</body>
</html>
`
  return page.html
}
