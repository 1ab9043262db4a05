/**
 * The report as ONE self-contained HTML page (the `ContractHtml` face
 * documents it): header with the verdict, the checks, the failures, the
 * variants, latency and drift; inline styles and SVG, no script; every text
 * escaped, and scrubbed with `secrets` when given.
 *
 * @since 0.1.0
 */
import { Account, BodyLimit, Redaction } from "@postpress/schema"
import { summarize } from "../../report/latency.js"
import type { CheckResult, ContractReport, LatencySummary } from "../../report/model.js"
import { nothingJudgedReason } from "../../report/notJudged.js"
import { describeReasons } from "../../report/reasons.js"
import { countIn, exchangesOf, unitOfCheck } from "../human.js"
import { trafficFacts } from "../traffic.js"
import { latencyHistogram, patternDefs, statusName, swatch } from "./charts.js"
import { empty, type Html, html } from "./escape.js"
import { failuresSection, type StatusStyles } from "./failures.js"
import { commandLine, duration, plural, readableTime } from "./format.js"
import { coverageGrid } from "./grid.js"
import { page } from "./page.js"
import { statusStyles, verdictStyle, verdictStyles } from "./palette.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface RenderOptions {
  /**
   * Secrets to mask in every text the page shows (`***`), through the shared
   * `Redaction.scrub`. Reports never hold the key; this is the second line.
   */
  readonly secrets?: Iterable<string> | undefined
}

const badgeRule = (status: string): string => {
  const style = verdictStyles[status]!
  const stripes = style.striped
    ? `background-image: repeating-linear-gradient(135deg, transparent 0 6px, rgba(0,0,0,.12) 6px 12px);`
    : ""
  return `.s-${status} { background-color: ${style.background}; color: ${style.ink}; ${stripes} }`
}

const styles = `
.verdict { display: inline-block; padding: 4px 14px; border-radius: 4px; font-weight: 700; font-size: 20px; margin-right: 12px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 3px; font-weight: 600; font-size: 12px; white-space: nowrap; }
${Object.keys(verdictStyles).map(badgeRule).join("\n")}
.tool { color: #444; margin: 0 0 8px; } .meta { color: #444; display: flex; flex-wrap: wrap; gap: 2px 16px; } .meta span { overflow-wrap: anywhere; min-width: 0; }
.reasons { overflow-wrap: anywhere; border: 2px solid #8a6d00; border-left-width: 8px; background: #fff8dc; border-radius: 4px; padding: 6px 12px; margin: 10px 0; }
.reasons h2 { border: 0; margin: 0; padding: 0; font-size: 15px; } .reasons p { margin: 2px 0; } .reasons ul { margin: 4px 0; padding-left: 20px; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 8px 0; } dt { color: #555; } dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.whole-run { color: #666; font-style: italic; } tr.not_run-row { color: #555; } td.note { min-width: 12em; }
svg .axis { font: 11px system-ui, sans-serif; fill: #444; } svg .rule { stroke: #999; } svg { max-width: 100%; height: auto; }
svg.swatch { vertical-align: -2px; } .legend .key { margin-right: 14px; white-space: nowrap; }
details.failure { border: 1px solid var(--line); border-left: 4px solid ${verdictStyles.fail!.background}; border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
details.failure summary { cursor: pointer; overflow-wrap: anywhere; }
`

const sourceTitle = { suite: "suite run", proxy: "proxy session", har: "HAR file" } as const

const badge = (status: string, id?: string): Html => {
  const style = verdictStyle(status)
  return html`<span class="${id === undefined ? "badge" : "verdict"} s-${status}"${id === undefined ? empty : html` id="${id}"`}><span aria-hidden="true">${style.icon}</span> ${style.label}</span>`
}

const latencyCells = (latency: LatencySummary | undefined): Html =>
  latency === undefined || latency.count === 0
    ? html`<td class="num" colspan="4"></td>`
    : html`<td class="num">${duration(latency.p50)}</td><td class="num">${duration(latency.p95)}</td><td class="num">${duration(latency.p99)}</td><td class="num">${duration(latency.max)}</td>`

const startTime = (iso: string): Html => html`<time datetime="${iso}" title="${iso}">${readableTime(iso)}</time>`

/** A proxy or HAR report: how many exchanges were judged, and how many were not (why: {@link notJudgedBox}). */
const trafficJudged = (report: ContractReport): Html => {
  const facts = trafficFacts(report)
  if (facts === undefined) return empty
  return html`, ${facts.judged} judged${facts.notJudged > 0 ? html`, <a href="#not-judged">${facts.notJudged} not judged</a>` : empty}`
}

const header = (report: ContractReport): Html => {
  const settings = report.settings ?? {}
  const facts: Array<Html> = [
    html`<span>started ${startTime(report.startedAt)}</span>`,
    html`<span id="duration">took ${duration(report.durationMs)}</span>`
  ]
  if (report.source === "suite") {
    facts.push(
      html`<span>seed <code id="seed">${report.seed}</code></span>`,
      html`<span>${plural(report.runs, "run")}</span>`
    )
  }
  // The proxy and the HAR reader judge traffic as it was: they send nothing, so they retry nothing.
  facts.push(
    report.source === "suite"
      ? html`<span>${plural(report.requests, "request")}, ${plural(report.attempts ?? report.requests, "attempt")} (${plural(report.retries, "retry", "retries")})</span>`
      : html`<span>${plural(report.requests, "exchange")}${trafficJudged(report)}</span>`
  )
  if (report.strict) facts.push(html`<span>strict</span>`)
  if (report.throttled !== undefined && report.throttled > 0)
    facts.push(html`<span>${report.throttled} throttled (429)</span>`)
  if (settings.rateLimit !== undefined) facts.push(html`<span>rate limit ${settings.rateLimit}/s</span>`)
  if (settings.concurrency !== undefined) facts.push(html`<span>concurrency ${settings.concurrency}</span>`)
  if (settings.maxResponseTimeMs !== undefined) {
    facts.push(html`<span>max response time ${duration(settings.maxResponseTimeMs)}</span>`)
  }
  if (settings.maxBodyBytes !== undefined) {
    facts.push(html`<span>max body size ${BodyLimit.formatBytes(settings.maxBodyBytes)}</span>`)
  }
  if (report.latency !== undefined && report.latency.count > 0) {
    const l = report.latency
    facts.push(
      html`<span>latency p50 ${duration(l.p50)}, p95 ${duration(l.p95)}, p99 ${duration(l.p99)}, max ${duration(l.max)}</span>`
    )
  }
  const count = (status: string) => report.checks.filter((c) => c.status === status).length
  const counts = [
    `${count("pass")} passed`,
    `${count("fail")} failed`,
    ...(count("inconclusive") > 0 ? [`${count("inconclusive")} inconclusive`] : []),
    `${count("not_run")} not run`
  ].join(", ")
  const tool = report.invocation
  return html`<header><h1>${badge(report.verdict, "verdict")}postpress contract <small>${sourceTitle[report.source]}</small></h1>
<p class="tool" id="tool">${tool === undefined ? "@postpress/contract-tests" : `${tool.tool} ${tool.version}`}</p>
${reasonsBox(report)}${notJudgedBox(report)}
<p class="meta">${facts}</p>
<p id="counts">${counts}.</p></header>`
}

/** What could not be judged, right under the verdict: the reason an inconclusive run is not green. */
const reasonsBox = (report: ContractReport): Html => {
  if (report.inconclusiveReasons.length === 0 || listsNotJudged(report)) return empty
  const title = report.verdict === "inconclusive" ? "Could not be judged" : "Also not judged"
  return html`<section class="reasons" id="inconclusive"><h2>${title}</h2><ul>${report.inconclusiveReasons.map((r) => html`<li>${r}</li>`)}</ul></section>`
}

/**
 * A proxy or HAR report's exchanges that were not judged, one line per
 * reason with its count and what was seen, like the suite's reasons box (in
 * its place: the traffic's only run reason, `0 exchanges judged: …`, is this
 * list in one line, so only other reasons are added to it).
 */
const notJudgedBox = (report: ContractReport): Html => {
  const facts = trafficFacts(report)
  if (facts === undefined || facts.notJudged === 0) return empty
  const summarised = nothingJudgedReason(facts.why)
  const others = report.inconclusiveReasons.filter((reason) => reason !== summarised)
  const title = `${report.verdict === "inconclusive" ? "Could not be judged" : "Not judged"}: ${facts.notJudged} of ${plural(facts.exchanges, "exchange")}`
  const items = facts.reasons.map(
    (entry) => html`<li data-reason="${entry.reason}" data-count="${entry.count}">${entry.phrase}</li>`
  )
  return html`<section class="reasons" id="not-judged"><h2>${title}</h2><p>These exchanges count neither for nor against the API.</p><ul>${items}${others.map((r) => html`<li>${r}</li>`)}</ul></section>`
}

/** Whether the page lists the traffic's exchanges not judged (then that list holds the run's reasons). */
const listsNotJudged = (report: ContractReport): boolean => (trafficFacts(report)?.notJudged ?? 0) > 0

/** The command line, when the caller recorded one (a library call through `Contract.run` may not). */
const recordedArgv = (
  report: ContractReport
): { readonly tool: string; readonly argv: ReadonlyArray<string> } | undefined =>
  report.invocation === undefined || report.invocation.argv.length === 0 ? undefined : report.invocation

const target = (report: ContractReport): Html => {
  const facts: Array<Html> = [html`<dt>base URL</dt><dd class="mono" id="base-url">${report.baseUrl}</dd>`]
  const ids = report.invocation?.accountIds ?? []
  // Only the suite asks for accounts by id; a proxy or HAR judges whatever ids the traffic carried.
  if (report.invocation !== undefined && report.source === "suite") {
    facts.push(
      html`<dt>account ids</dt><dd class="mono" id="account-ids">${ids.length === 0 ? html`<span class="empty">none given</span>` : ids.join(", ")}</dd>`
    )
  }
  const argv = recordedArgv(report)
  if (argv !== undefined) {
    facts.push(html`<dt>command</dt><dd><pre id="command-line">${commandLine(argv.tool, argv.argv)}</pre></dd>`)
  }
  return html`<section id="run"><h2>Target</h2><dl>${facts}</dl></section>`
}

const checkTime = (check: CheckResult, report: ContractReport): Html =>
  check.status === "not_run"
    ? empty
    : check.durationMs <= 0 || (check.evaluated === 0 && check.failureCount === 0)
      ? html`<span class="empty" title="${check.durationMs <= 0 ? "not timed" : "judged nothing"}">–</span>`
      : check.durationMs === report.durationMs
        ? html`<span class="whole-run" title="judged answers throughout the run (${duration(check.durationMs)})">whole run</span>`
        : html`${duration(check.durationMs)}`

const notJudgedTitle = (check: CheckResult): string =>
  `${countIn(check.inconclusive, unitOfCheck(check))} not judged${check.inconclusive > 0 ? `: ${describeReasons(check.notJudged ?? []) ?? "see the note"}` : ""}`

const checksTable = (report: ContractReport): Html => {
  const rows = report.checks.map(
    (check) =>
      html`<tr id="check-${check.name}" class="${check.status}-row"><td>${badge(check.status)}</td><td><code>${check.name}</code><br><small>${check.description}</small></td><td class="num" title="${countIn(check.evaluated, unitOfCheck(check))} judged">${check.evaluated}</td><td class="num">${check.failureCount > 0 ? html`<a href="#failures-${check.name}">${check.failureCount}</a>` : "0"}</td><td class="num" title="${notJudgedTitle(check)}">${check.inconclusive}</td>${latencyCells(check.latency)}<td class="num">${checkTime(check, report)}</td><td class="note">${check.note ?? ""}</td></tr>`
  )
  return html`<section id="checks"><h2>Checks</h2><table><thead><tr><th>status</th><th>check</th><th class="num">judged</th><th class="num">failures</th><th class="num" title="requests or answers (see each row) that got no verdict: no answer, a gateway page or another answer that was not the API's, 503/504/429 after retries, a body over the limit">not judged</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">max</th><th class="num">time</th><th>note</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

const variantsSection = (report: ContractReport): Html => {
  const seen = new Set(report.variants.seen)
  const cells = Account.accountTypes.map((type) => ({ label: type, seen: seen.has(type) }))
  return html`<section id="variants"><h2>Account types seen (${seen.size} of ${Account.accountTypes.length})</h2>${coverageGrid([{ title: "account types", cells }], { id: "variant-grid" })}</section>`
}

const latencySection = (report: ContractReport, colours: StatusStyles): Html => {
  const groups = report.latencySamples ?? []
  if (groups.length === 0)
    return html`<section id="latency"><h2>Latency</h2><p class="empty">No ${exchangesOf(report)} was timed.</p></section>`
  const rows = groups.map((group) => {
    const summary = summarize(group.samplesMs)
    return html`<tr><td class="status">${swatch(colours.get(group.status)!)} ${statusName(group.status)}</td><td class="num">${group.count}</td>${latencyCells({ ...summary, count: group.count })}</tr>`
  })
  return html`<section id="latency"><h2>Latency by answer status</h2>${latencyHistogram(groups, colours)}<table><thead><tr><th>status</th><th class="num">${exchangesOf(report)}s</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

const driftSection = (report: ContractReport): Html => {
  const fields = report.drift?.unknownFields ?? []
  // Kept unknown account types (`--unknown-types keep`) are drift too, named, as in the human report.
  const types = report.drift?.unknownTypes ?? []
  const policy =
    report.drift?.failOnDrift === true ? "drift fails the run (--fail-on-drift)" : "allowed (forward compatibility)"
  if (fields.length === 0 && types.length === 0) {
    return html`<section id="drift"><h2>Drift</h2><p class="empty">No field or account type outside the spec was seen.</p></section>`
  }
  const fieldRows = fields.map((f) => html`<tr><td class="mono">${f.path}</td><td class="num">${f.count}</td></tr>`)
  const fieldTable =
    fields.length === 0
      ? html``
      : html`<h3>${plural(fields.length, "unknown field")}</h3><p>Fields the server sent that the spec does not know; ${policy}.</p><table><thead><tr><th>path</th><th class="num">responses</th></tr></thead><tbody>${fieldRows}</tbody></table>`
  const typeRows = types.map((t) => html`<tr><td class="mono">${t.type}</td><td class="num">${t.count}</td></tr>`)
  const typeTable =
    types.length === 0
      ? html``
      : html`<h3>${plural(types.length, "unknown account type")}</h3><p>Account types none of the spec's 14, kept (--unknown-types keep); ${policy}.</p><table><thead><tr><th>type</th><th class="num">responses</th></tr></thead><tbody>${typeRows}</tbody></table>`
  const title = [
    ...(fields.length > 0 ? [plural(fields.length, "unknown field")] : []),
    ...(types.length > 0 ? [plural(types.length, "unknown account type")] : [])
  ].join(", ")
  return html`<section id="drift"><h2>Drift: ${title}</h2>${fieldTable}${typeTable}</section>`
}

/** The whole command line (the suite's with `--seed` added when it was left to chance). */
const reproduceSection = (report: ContractReport): Html => {
  const invocation = recordedArgv(report)
  const curl = html`Each failure's <code>curl</code> line repeats one request (the API key is shown as <code>***</code>).`
  if (invocation === undefined) {
    const seed =
      report.source === "suite"
        ? html`Run again with <code>--seed ${report.seed}</code> to send the same requests. `
        : empty
    return html`<footer id="reproduce"><h2>Reproduce</h2><p>${seed}${curl}</p></footer>`
  }
  const hasSeed = invocation.argv.some((arg) => arg === "--seed" || arg.startsWith("--seed="))
  const argv =
    report.source === "suite" && !hasSeed ? [...invocation.argv, "--seed", String(report.seed)] : invocation.argv
  const what =
    report.source === "suite"
      ? "sends the same requests again"
      : report.source === "proxy"
        ? "starts the same proxy again"
        : "judges the same file again"
  return html`<footer id="reproduce"><h2>Reproduce</h2><p>This command ${what} with the same environment variables as the first run (the API key is never on the command line):</p><pre id="reproduce-command">${commandLine(invocation.tool, argv)}</pre><p>${curl}</p></footer>`
}

/** Every string of the report through `scrub` (the page shows nothing else the server sent). */
const scrubAll = <A>(value: A, scrub: (text: string) => string): A => {
  if (typeof value === "string") return scrub(value) as A
  if (Array.isArray(value)) return value.map((item) => scrubAll(item, scrub)) as A
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubAll(v, scrub)])) as A
  }
  return value
}

/**
 * Renders the report as one self-contained HTML document.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (report: ContractReport, options: RenderOptions = {}): string => {
  const secrets = options.secrets === undefined ? [] : [...options.secrets].filter((s) => s.length > 0)
  const shown = secrets.length === 0 ? report : scrubAll(report, (text) => Redaction.scrub(text, secrets))
  const statuses = [
    ...new Set([
      ...(shown.latencySamples ?? []).map((g) => g.status),
      ...shown.checks.flatMap((c) => c.failures.map((f) => f.status))
    ])
  ]
  const colours = statusStyles(statuses)
  const body = html`${patternDefs(colours.values())}
${header(shown)}
${target(shown)}
${checksTable(shown)}
${failuresSection(shown, colours)}
${variantsSection(shown)}
${latencySection(shown, colours)}
${driftSection(shown)}
${reproduceSection(shown)}`
  return page({
    title: `postpress contract: ${verdictStyle(shown.verdict).label} (${shown.baseUrl})`,
    body,
    styles
  })
}
