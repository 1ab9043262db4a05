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
 * @since 0.1.0
 * @category models
 */
export type CheckStatus = "pass" | "fail" | "skip"

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
  /** Why a check was skipped, or what an informational check found. */
  readonly note?: string
  /** How many responses (or inputs) the check judged. */
  readonly evaluated: number
  /** Requests whose answer stayed 503/504 after the retries: no verdict. */
  readonly inconclusive: number
  readonly failureCount: number
  /** The first failures (at most {@link maxFailuresPerCheck}). */
  readonly failures: ReadonlyArray<Failure>
  readonly durationMs: number
}

/**
 * The whole run.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractReport {
  readonly passed: boolean
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
}

/**
 * Failures kept per check; the count is always exact.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxFailuresPerCheck = 50

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

const label: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", skip: "SKIP" }

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
 * The human report: one line per check, then the failures (at most
 * `perCheck` each), then the verdict.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatHuman = (report: ContractReport, options: { readonly perCheck?: number } = {}): string => {
  const perCheck = options.perCheck ?? 3
  const width = Math.max(...report.checks.map((c) => c.name.length))
  const out: Array<string> = [
    `postpress contract: ${report.baseUrl}`,
    `seed ${report.seed}, runs ${report.runs}${report.strict ? ", strict" : ""}; ${report.requests} requests (${report.retries} retries) in ${seconds(report.durationMs)}`,
    ""
  ]
  for (const check of report.checks) {
    const detail =
      check.status === "fail"
        ? `${check.failureCount} failure${check.failureCount === 1 ? "" : "s"} in ${check.evaluated}`
        : check.status === "pass"
          ? `${check.evaluated} judged`
          : ""
    const extras = [
      detail,
      check.note ?? "",
      check.inconclusive > 0 ? `${check.inconclusive} inconclusive (503/504 after retries)` : ""
    ].filter((s) => s.length > 0)
    out.push(`  ${label[check.status]}  ${check.name.padEnd(width)}  ${extras.join("; ")}`)
  }
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
  const counts = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length
  out.push(
    "",
    report.passed
      ? `Result: PASS (${counts("pass")} passed, ${counts("skip")} skipped; seed ${report.seed})`
      : `Result: FAIL (${counts("fail")} failed: ${failedChecks(report).join(", ")}; seed ${report.seed})`
  )
  return `${out.join("\n")}\n`
}
