/**
 * The report of a contract run and its renderings: the human text a CI log
 * reader acts on, and the machine JSON. Nothing in a report ever holds the
 * API key: request lines show `X-API-KEY: ***` and body excerpts are redacted
 * before they are stored.
 *
 * @since 0.1.0
 */
import type { CheckName } from "./ContractCheck.js"

/**
 * One request as reported.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportedRequest {
  readonly method: "GET"
  /** The full URL with the id percent-encoded as one segment. */
  readonly url: string
  /** The id as given, before encoding. */
  readonly accountId: string
  readonly credentials: "valid" | "missing" | "invalid"
}

/**
 * One violation, with everything needed to reproduce it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly check: CheckName
  readonly message: string
  /** `null` for a finding about the run as a whole (e.g. missing variants). */
  readonly request: ReportedRequest | null
  /** `null` when no response arrived (transport error) or there was no request. */
  readonly status: number | null
  /** The start of the body, redacted. */
  readonly body: string
  readonly bodyTruncated: boolean
  /** Decode problems, one `path: expected X, got Y` line each. */
  readonly issues: ReadonlyArray<string>
  readonly seed: number
  /** A `curl` line reproducing the request, with `X-API-KEY: ***`. */
  readonly curl: string | null
}

/**
 * The status of one check:
 *
 * - `pass`: it judged at least one answer and found no violation;
 * - `fail`: it found at least one violation;
 * - `inconclusive`: it was selected and had its input, but judged nothing
 *   (every answer was 503/504/429 after retries, no answer, over the body
 *   limit, or there was nothing it could judge); its `note` says why;
 * - `not_run`: it was not selected, or lacked its input; its `note` names
 *   the missing flag (`needs --foreign-account-id`). Never makes a run
 *   inconclusive.
 *
 * @since 0.1.0
 * @category models
 */
export type CheckStatus = "pass" | "fail" | "inconclusive" | "not_run"

/**
 * The verdict of a run: `fail` when any violation was found (even if other
 * things could not be judged), else `inconclusive` when anything the run
 * claims to check could not be judged (see
 * {@link ContractReport.inconclusiveReasons}), else `pass`.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict = "pass" | "fail" | "inconclusive"

/**
 * Where a report's answers came from: the suite's own requests, the
 * validating proxy's traffic, or a HAR file. Renderers show only what applies.
 *
 * @since 0.1.0
 * @category models
 */
export type ReportSource = "suite" | "proxy" | "har"

/**
 * How the run was started, for reproducing it. `argv` never holds the API
 * key (the key travels in an environment variable, which is not argv).
 *
 * @since 0.1.0
 * @category models
 */
export interface Invocation {
  readonly tool: string
  readonly version: string
  readonly argv: ReadonlyArray<string>
  readonly accountIds: ReadonlyArray<string>
}

/**
 * The verdict of one check.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckResult {
  readonly name: CheckName
  readonly description: string
  readonly status: CheckStatus
  /** Why a check was not run or is inconclusive, or what an informational check found. */
  readonly note?: string
  /** How many responses (or inputs) the check judged. */
  readonly evaluated: number
  /** Requests that got no verdict: 503/504/429 after the retries, no answer, a body over the limit. */
  readonly inconclusive: number
  readonly failureCount: number
  /** The first failures (at most {@link maxFailuresPerCheck}). */
  readonly failures: ReadonlyArray<Failure>
  readonly durationMs: number
  /** Latency of the exchanges this check judged. */
  readonly latency?: LatencySummary
}

/**
 * Latency percentiles in milliseconds (nearest rank). `count` is the number
 * of exchanges measured; all zero when there were none.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencySummary {
  readonly count: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

/**
 * The measured latencies of the exchanges that got one answer status
 * (`null`: no answer, a transport error or a timeout), for histograms.
 * Beyond {@link maxLatencySamples} exchanges a uniform sample is kept.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencySamples {
  readonly status: number | null
  /** Exchanges with this status (exact, even when `samplesMs` is a sample). */
  readonly count: number
  readonly samplesMs: ReadonlyArray<number>
}

/**
 * An unknown field seen in answers (a field the spec does not know yet):
 * its path from the body's root (`connection_params.im.new_flag`, array
 * items as `[]`) and how many responses carried it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DriftField {
  readonly path: string
  readonly count: number
}

/**
 * What the server sends beyond the spec.
 *
 * @since 0.1.0
 * @category models
 */
export interface Drift {
  readonly unknownFields: ReadonlyArray<DriftField>
  /** `true` when the run treated drift as a failure (`--fail-on-drift`). */
  readonly failOnDrift: boolean
  /** Occurrences of unknown fields beyond the first 1,000 paths: counted, not listed (memory stays bounded). */
  readonly more?: number
}

/**
 * How gently and strictly the run was configured (shown by the reports).
 *
 * @since 0.1.0
 * @category models
 */
export interface RunSettings {
  /** Requests in flight at most. */
  readonly concurrency?: number
  /** Requests per second over the whole run, retries included; absent: no limit. */
  readonly rateLimit?: number
  /** Answers slower than this are `response_time` violations. */
  readonly maxResponseTimeMs?: number
  readonly failOnDrift?: boolean
  /** Bodies larger than this are not judged (default `BodyLimit.defaultMaxBytes`, 16 MiB). */
  readonly maxBodyBytes?: number
}

/**
 * The whole run.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractReport {
  /** See {@link Verdict}. */
  readonly verdict: Verdict
  /** `verdict === "pass"`. */
  readonly passed: boolean
  /**
   * One human line per reason the run could not be judged
   * (`response_schema: 0 judged: 48 answers were 503 after retries`,
   * `account "acc_1" never judged: ...`); empty when everything was judged.
   */
  readonly inconclusiveReasons: ReadonlyArray<string>
  readonly source: ReportSource
  readonly invocation?: Invocation
  readonly baseUrl: string
  readonly seed: number
  readonly runs: number
  readonly strict: boolean
  readonly startedAt: string
  readonly durationMs: number
  /** Requests sent, retries included. */
  readonly requests: number
  readonly retries: number
  readonly variants: { readonly seen: ReadonlyArray<string>; readonly missing: ReadonlyArray<string> }
  readonly checks: ReadonlyArray<CheckResult>
  /** Latency of every exchange (every attempt). */
  readonly latency?: LatencySummary
  /** Latency samples grouped by answer status, ordered by status (no answer last). */
  readonly latencySamples?: ReadonlyArray<LatencySamples>
  /** Answers that were 429 (throttled), retried ones included. */
  readonly throttled?: number
  readonly drift?: Drift
  readonly settings?: RunSettings
}

/**
 * Failures kept per check; the count is always exact.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxFailuresPerCheck = 50

/**
 * Latency samples kept per answer status; the percentiles of a longer run
 * (a proxy judging traffic for hours) come from a uniform sample of this size.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLatencySamples = 10_000

/**
 * The checks that failed.
 *
 * @since 0.1.0
 * @category accessors
 */
export const failedChecks = (report: ContractReport): ReadonlyArray<CheckName> =>
  report.checks.filter((c) => c.status === "fail").map((c) => c.name)

/**
 * The report as pretty JSON (what `--json FILE` writes).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson = (report: ContractReport): string => `${JSON.stringify(report, null, 2)}\n`

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

/**
 * One failure as text.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatFailure = (failure: Failure, index: number): string => {
  const lines = [`${index}) ${failure.check}: ${failure.message}`]
  const request = failure.request
  if (request !== null) {
    lines.push(
      `   request: GET ${clip(request.url)} (${credentialsLabel[request.credentials]}; id ${clip(JSON.stringify(request.accountId))})`,
      `   status:  ${failure.status === null ? "no response" : failure.status}`
    )
  }
  if (failure.body.length > 0) {
    lines.push(`   body:    ${failure.body.replaceAll("\n", "\\n")}${failure.bodyTruncated ? " …(truncated)" : ""}`)
  }
  if (failure.issues.length > 0) {
    lines.push("   decode:", indent(failure.issues.slice(0, 10).join("\n"), "     "))
    if (failure.issues.length > 10) lines.push(`     …and ${failure.issues.length - 10} more`)
  }
  lines.push(`   seed:    ${failure.seed}`)
  if (failure.curl !== null) {
    lines.push(
      failure.curl.length <= MAX_CURL
        ? `   repro:   ${failure.curl}`
        : `   repro:   (curl line of ${failure.curl.length} chars: see the JSON report)`
    )
  }
  return lines.join("\n")
}

/**
 * `p50 1.2 ms, p95 3.4 ms, p99 5.0 ms, max 7.1 ms`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatLatency = (latency: LatencySummary): string =>
  `p50 ${millis(latency.p50)}, p95 ${millis(latency.p95)}, p99 ${millis(latency.p99)}, max ${millis(latency.max)}`

const millis = (ms: number): string => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`

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
    `Timing: ${report.latency.count} exchanges, ${formatLatency(report.latency)}${gentle.length > 0 ? `; ${gentle.join(", ")}` : ""}`
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
  if (fields.length === 0) return []
  const lines = [
    "",
    `Drift: ${fields.length} unknown field${fields.length === 1 ? "" : "s"} (not in the spec${report.drift?.failOnDrift === true ? "; --fail-on-drift" : ", allowed"})`
  ]
  for (const field of fields.slice(0, MAX_DRIFT_SHOWN)) {
    lines.push(`  ${clip(field.path)}  in ${field.count} response${field.count === 1 ? "" : "s"}`)
  }
  if (fields.length > MAX_DRIFT_SHOWN) lines.push(`  …and ${fields.length - MAX_DRIFT_SHOWN} more (see --json)`)
  return lines
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`

/**
 * The line of one check: what it judged, or why it could not.
 *
 * @since 0.1.0
 * @category rendering
 */
export const checkDetail = (check: CheckResult): string => {
  switch (check.status) {
    case "fail":
    case "pass":
      return [
        check.status === "fail"
          ? `${plural(check.failureCount, "failure")} in ${check.evaluated}`
          : `${check.evaluated} judged`,
        check.note ?? "",
        check.inconclusive > 0
          ? `${check.inconclusive} not judged (503/504/429 after retries, no answer, body over the limit)`
          : ""
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
  report.inconclusiveReasons.length === 0 ? "" : `Not judged: ${report.inconclusiveReasons.join("; ")}`

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
    `postpress contract${report.source === "suite" ? "" : ` ${report.source}`}: ${report.baseUrl}`
  ]
  if (report.source === "suite") {
    out.push(
      `seed ${report.seed}, runs ${report.runs}${report.strict ? ", strict" : ""}; ${plural(report.requests, "request")} (${plural(report.retries, "retry", "retries")}) in ${seconds(report.durationMs)}`
    )
  }
  out.push("")
  // Checks not run for the same reason share one line (a HAR file leaves seven suite-only checks out).
  const sameReason = new Map<string, Array<string>>()
  for (const check of report.checks) {
    if (check.status !== "not_run") continue
    const detail = checkDetail(check)
    sameReason.set(detail, [...(sameReason.get(detail) ?? []), check.name])
  }
  for (const check of report.checks) {
    const detail = checkDetail(check)
    const group = check.status === "not_run" ? sameReason.get(detail) : undefined
    if (group === undefined || group.length === 1) {
      out.push(`  ${label[check.status]}  ${check.name.padEnd(width)}  ${detail}`)
    } else if (group[0] === check.name) {
      out.push(`  ${label.not_run}  ${plural(group.length, "check")} ${detail}:`, ...wrapNames(group, "        "))
    }
  }
  out.push(...timingSection(report, width), ...driftSection(report))
  const failing = report.checks.filter((c) => c.status === "fail")
  if (failing.length > 0) {
    out.push("", "Failures:")
    let index = 1
    for (const check of failing) {
      for (const failure of check.failures.slice(0, perCheck)) {
        out.push("", formatFailure(failure, index++))
      }
      if (check.failureCount > perCheck) {
        out.push("", `   …${check.failureCount - perCheck} more ${check.name} failure(s) (see --json)`)
      }
    }
  }
  const notJudged = notJudgedLine(report)
  out.push("")
  if (notJudged.length > 0) out.push(notJudged)
  out.push(resultLine(report))
  return `${out.join("\n")}\n`
}
