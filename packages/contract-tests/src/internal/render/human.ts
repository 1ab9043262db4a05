/**
 * The human report: the text a CI log reader acts on. Every text that came
 * from outside (bodies, messages and decode issues about a server's answer,
 * ids, header values in reasons, drift paths) passes `Printable.text` on its
 * way in, so a server's `\r`, `ESC[2K` or OSC 52 is shown (`\x1b`), never
 * acted on by the terminal; the report's own line breaks are the only ones.
 *
 * Each number names what it counts: requests (each sent once, retries not
 * counted), attempts (retries included), answers, account types.
 *
 * @since 0.1.0
 */
import { Printable } from "@postpress/schema"
import {
  type CheckResult,
  type CheckStatus,
  type ContractReport,
  type Failure,
  failedChecks,
  isCheckName,
  type LatencySummary
} from "../report/model.js"
import { type CheckUnit, describeReasons } from "../report/reasons.js"
import { unitOf } from "../report/settle.js"

const { plural } = Printable

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)}s`

// Four characters each, so the check names line up whatever the status.
const label: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", inconclusive: "????", not_run: "----" }

const indent = (text: string, prefix: string): string =>
  text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n")

/** Hostile ids can be kilobytes long; the human report shows their start. */
const MAX_SHOWN = 160
const MAX_CURL = 2000

const clip = (text: string, max = MAX_SHOWN): string =>
  text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more chars)`

const credentialsLabel = { valid: "valid key", missing: "no key", invalid: "wrong key" } as const

/** Text from outside made safe for a terminal. */
const shown = Printable.text

/** Text as it is (a format with escaping of its own, e.g. JUnit XML, escapes it). */
const asIs = (text: string): string => text

/**
 * One failure as text; `show` is applied to every text from outside
 * ({@link shown} for a terminal).
 *
 * @since 0.1.0
 * @category rendering
 */
export const failureText = (failure: Failure, index: number, show: (text: string) => string = asIs): string => {
  const lines = [`${index}) ${failure.check}: ${show(failure.message)}`]
  const request = failure.request
  if (request !== null) {
    lines.push(
      `   request: GET ${show(clip(request.url))} (${credentialsLabel[request.credentials]}; id ${show(clip(JSON.stringify(request.accountId)))})`,
      `   status:  ${failure.status === null ? "no response" : failure.status}`
    )
  }
  if (failure.body.length > 0) {
    lines.push(
      `   body:    ${show(failure.body.replaceAll("\n", "\\n"))}${failure.bodyTruncated ? " …(truncated)" : ""}`
    )
  }
  if (failure.issues.length > 0) {
    lines.push("   decode:", indent(failure.issues.slice(0, 10).map(show).join("\n"), "     "))
    if (failure.issues.length > 10) lines.push(`     …and ${failure.issues.length - 10} more`)
  }
  lines.push(`   seed:    ${failure.seed}`)
  if (failure.curl !== null) {
    lines.push(
      failure.curl.length <= MAX_CURL
        ? `   repro:   ${show(failure.curl)}`
        : `   repro:   (curl line of ${failure.curl.length} chars: see the JSON report)`
    )
  }
  return lines.join("\n")
}

/**
 * One failure as text for a terminal.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatFailure = (failure: Failure, index: number): string => failureText(failure, index, shown)

const millis = (ms: number): string => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`

/**
 * `p50 1.2 ms, p95 3.4 ms, p99 5.0 ms, max 7.1 ms`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatLatency = (latency: LatencySummary): string =>
  `p50 ${millis(latency.p50)}, p95 ${millis(latency.p95)}, p99 ${millis(latency.p99)}, max ${millis(latency.max)}`

/**
 * What the report's exchanges are: the suite's own attempts (retries
 * included), or the exchanges a proxy or HAR file saw.
 *
 * @since 0.1.0
 * @category rendering
 */
export const exchangesOf = (report: ContractReport): string => (report.source === "suite" ? "attempt" : "exchange")

const timingSection = (report: ContractReport, width: number): ReadonlyArray<string> => {
  if (report.latency === undefined || report.latency.count === 0) return []
  const gentle = [
    report.settings?.rateLimit === undefined ? "" : `rate limit ${report.settings.rateLimit}/s`,
    report.settings?.maxResponseTimeMs === undefined
      ? ""
      : `max response time ${millis(report.settings.maxResponseTimeMs)}`,
    report.throttled === undefined || report.throttled === 0 ? "" : `${report.throttled} throttled (429)`
  ].filter((s) => s.length > 0)
  const lines = [
    "",
    `Timing: ${plural(report.latency.count, exchangesOf(report))}, ${formatLatency(report.latency)}${gentle.length > 0 ? `; ${gentle.join(", ")}` : ""}`
  ]
  for (const check of report.checks) {
    if (check.status === "not_run" || check.latency === undefined || check.latency.count === 0) continue
    // A check that judged every answer would repeat the line above.
    if (check.latency.count === report.latency.count) continue
    lines.push(`  ${check.name.padEnd(width)}  ${formatLatency(check.latency)} (${check.latency.count})`)
  }
  return lines
}

const MAX_DRIFT_SHOWN = 10

const driftSection = (report: ContractReport): ReadonlyArray<string> => {
  const fields = report.drift?.unknownFields ?? []
  // Kept unknown account types (`--unknown-types keep`) are drift too, named.
  const types = report.drift?.unknownTypes ?? []
  if (fields.length === 0 && types.length === 0) return []
  const policy = `(not in the spec${report.drift?.failOnDrift === true ? "; --fail-on-drift" : ", allowed"})`
  const lines = [""]
  if (fields.length > 0) lines.push(`Drift: ${plural(fields.length, "unknown field")} ${policy}`)
  for (const field of fields.slice(0, MAX_DRIFT_SHOWN)) {
    lines.push(`  ${shown(clip(field.path))}  in ${plural(field.count, "response")}`)
  }
  if (fields.length > MAX_DRIFT_SHOWN) lines.push(`  …and ${fields.length - MAX_DRIFT_SHOWN} more (see --json)`)
  if (types.length > 0) lines.push(`Drift: ${plural(types.length, "unknown account type")} ${policy}`)
  for (const { type, count } of types.slice(0, MAX_DRIFT_SHOWN)) {
    lines.push(`  unknown account type ${shown(clip(type))}  in ${plural(count, "response")}`)
  }
  if (types.length > MAX_DRIFT_SHOWN) lines.push(`  …and ${types.length - MAX_DRIFT_SHOWN} more (see --json)`)
  return lines
}

const unitWords = {
  requests: ["request", "requests"],
  answers: ["answer", "answers"],
  "account types": ["account type", "account types"]
} as const

/**
 * A count in a check's unit, agreeing with it: `1 answer`, `3 requests`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const countIn = (count: number, unit: CheckUnit): string => plural(count, unitWords[unit][0], unitWords[unit][1])

/**
 * What a check's numbers count: its `unit`, or (a report of an older
 * version has none) the unit of its name.
 *
 * @since 0.1.0
 * @category rendering
 */
export const unitOfCheck = (check: CheckResult): CheckUnit => check.unit ?? unitOf(check.name)

/**
 * The line of one check: what it judged (named: requests, answers), what it
 * could not and why, or why it did not run.
 *
 * @since 0.1.0
 * @category rendering
 */
export const checkDetail = (check: CheckResult): string => {
  const unit = unitOfCheck(check)
  const why = describeReasons(check.notJudged ?? [])
  const notJudged =
    check.inconclusive > 0 ? `${check.inconclusive} not judged${why === undefined ? "" : `: ${why}`}` : ""
  const judged = unit === "account types" ? "" : `${countIn(check.evaluated, unit)} judged`
  switch (check.status) {
    case "fail":
    case "pass":
      return [
        check.status === "fail"
          ? `${plural(check.failureCount, "failure")}${judged === "" ? "" : ` in ${judged}`}`
          : judged,
        check.note ?? "",
        notJudged
      ]
        .filter((s) => s.length > 0)
        .join("; ")
    case "inconclusive":
      return `inconclusive: ${check.note ?? "nothing judged"}`
    case "not_run":
      return `not run: ${check.note ?? "not selected"}`
  }
}

/**
 * The verdict line: `Result: PASS (...)`, `Result: FAIL (...)` or
 * `Result: INCONCLUSIVE (...)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const resultLine = (report: ContractReport): string => {
  const counts = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length
  const seed = report.source === "suite" ? `; seed ${report.seed}` : ""
  const notRun = counts("not_run") > 0 ? `, ${counts("not_run")} not run` : ""
  const reasons = report.inconclusiveReasons.length
  switch (report.verdict) {
    case "pass":
      return `Result: PASS (${counts("pass")} passed${notRun}${seed})`
    case "fail":
      return `Result: FAIL (${counts("fail")} failed: ${failedChecks(report).join(", ")}${reasons > 0 ? `; also ${plural(reasons, "thing")} not judged` : ""}${seed})`
    case "inconclusive":
      return `Result: INCONCLUSIVE (${plural(reasons, "thing")} could not be judged; ${counts("pass")} passed${notRun}${seed})`
  }
}

/**
 * The one line saying what could not be judged and why (empty when
 * everything was judged).
 *
 * @since 0.1.0
 * @category rendering
 */
export const notJudgedLine = (report: ContractReport): string =>
  report.inconclusiveReasons.length === 0
    ? ""
    : `Not judged: ${shown(groupByCheck(report.inconclusiveReasons).join("; "))}`

/**
 * Reasons of checks that could not judge for the same reason share one
 * entry (`status_code, content_type: 0 answers judged: 39 answers were
 * gateway pages: 503 text/html`); the others stay as they are, in order.
 */
const groupByCheck = (reasons: ReadonlyArray<string>): ReadonlyArray<string> => {
  const groups = new Map<string, Array<string>>()
  for (const reason of reasons) {
    const colon = reason.indexOf(": ")
    const name = colon === -1 ? "" : reason.slice(0, colon)
    const rest = reason.slice(colon + 2)
    if (!isCheckName(name)) groups.set(reason, [])
    else groups.set(rest, [...(groups.get(rest) ?? []), name])
  }
  return [...groups].map(([rest, names]) => (names.length === 0 ? rest : `${names.join(", ")}: ${rest}`))
}

/** Names joined by ", " on lines of at most 100 columns, each starting with `prefix`. */
const wrapNames = (names: ReadonlyArray<string>, prefix: string): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const name of names) {
    const next = line === "" ? name : `${line}, ${name}`
    if (line !== "" && prefix.length + next.length > 99) {
      lines.push(`${prefix}${line},`)
      line = name
    } else line = next
  }
  if (line !== "") lines.push(`${prefix}${line}`)
  return lines
}

/** One line per check; checks not run or inconclusive for the same reason share one line. */
const checkLines = (report: ContractReport, width: number): ReadonlyArray<string> => {
  const grouped = (check: CheckResult) => check.status === "not_run" || check.status === "inconclusive"
  const sameReason = new Map<string, Array<string>>()
  for (const check of report.checks) {
    if (!grouped(check)) continue
    const key = `${check.status} ${checkDetail(check)}`
    sameReason.set(key, [...(sameReason.get(key) ?? []), check.name])
  }
  const out: Array<string> = []
  for (const check of report.checks) {
    const detail = shown(checkDetail(check))
    const group = grouped(check) ? sameReason.get(`${check.status} ${checkDetail(check)}`) : undefined
    if (group === undefined || group.length === 1) {
      out.push(`  ${label[check.status]}  ${check.name.padEnd(width)}  ${detail}`)
    } else if (group[0] === check.name) {
      out.push(`  ${label[check.status]}  ${plural(group.length, "check")} ${detail}:`, ...wrapNames(group, "        "))
    }
  }
  return out
}

/**
 * The human report: one line per check, the timing and drift sections,
 * then the failures (at most `perCheck` each), what could not be judged,
 * then the verdict.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatHuman = (report: ContractReport, options: { readonly perCheck?: number } = {}): string => {
  const perCheck = options.perCheck ?? 3
  const width = Math.max(...report.checks.map((c) => c.name.length))
  const out: Array<string> = [
    `postpress contract${report.source === "suite" ? "" : ` ${report.source}`}: ${shown(report.baseUrl)}`
  ]
  if (report.source === "suite") {
    const attempts = report.attempts ?? report.requests
    out.push(
      `seed ${report.seed}, runs ${report.runs}${report.strict ? ", strict" : ""}; ${plural(report.requests, "request")}, ${plural(attempts, "attempt")} (${plural(report.retries, "retry", "retries")}) in ${seconds(report.durationMs)}`
    )
  }
  out.push("", ...checkLines(report, width), ...timingSection(report, width), ...driftSection(report))
  const failing = report.checks.filter((c) => c.status === "fail")
  if (failing.length > 0) {
    out.push("", "Failures:")
    let index = 1
    for (const check of failing) {
      for (const failure of check.failures.slice(0, perCheck)) {
        out.push("", formatFailure(failure, index++))
      }
      if (check.failureCount > perCheck) {
        out.push("", `   …${plural(check.failureCount - perCheck, `more ${check.name} failure`)} (see --json)`)
      }
    }
  }
  const notJudged = notJudgedLine(report)
  out.push("")
  if (notJudged.length > 0) out.push(notJudged)
  out.push(resultLine(report))
  return `${out.join("\n")}\n`
}
