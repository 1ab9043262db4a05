/**
 * The report of a contract run and its renderings: the human text a CI log
 * reader acts on, and the machine JSON. Nothing in a report ever holds the
 * API key: request lines show `X-API-KEY: ***` and body excerpts are redacted
 * before they are stored. The human text shows a server's bytes escaped
 * (`Printable.text`): a hostile body cannot drive the terminal it is read in.
 *
 * @since 0.1.0
 */
import * as Human from "./internal/render/human.js"
import type { CheckResult, ContractReport, Failure, LatencySummary } from "./internal/report/model.js"

export { toJson } from "./internal/render/json.js"
export type {
  CheckResult,
  CheckStatus,
  ContractReport,
  Drift,
  DriftField,
  Failure,
  Invocation,
  LatencySamples,
  LatencySummary,
  NotJudged,
  ReportedRequest,
  ReportSource,
  RunSettings,
  Unit,
  Verdict
} from "./internal/report/model.js"
export { failedChecks, maxFailuresPerCheck, maxLatencySamples } from "./internal/report/model.js"

/**
 * One failure as text for a terminal (every text from the server escaped
 * with `Printable.text`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatFailure: (failure: Failure, index: number) => string = Human.formatFailure

/**
 * `p50 1.2 ms, p95 3.4 ms, p99 5.0 ms, max 7.1 ms`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatLatency: (latency: LatencySummary) => string = Human.formatLatency

/**
 * The line of one check: what it judged (`3 requests judged`, `102 answers
 * judged`), what it could not and why, or why it did not run.
 *
 * @since 0.1.0
 * @category rendering
 */
export const checkDetail: (check: CheckResult) => string = Human.checkDetail

/**
 * The verdict line: `Result: PASS (...)`, `Result: FAIL (...)` or
 * `Result: INCONCLUSIVE (...)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const resultLine: (report: ContractReport) => string = Human.resultLine

/**
 * The one line saying what could not be judged and why (empty when
 * everything was judged).
 *
 * @since 0.1.0
 * @category rendering
 */
export const notJudgedLine: (report: ContractReport) => string = Human.notJudgedLine

/**
 * The human report: one line per check, the timing and drift sections,
 * then the failures (at most `perCheck` each), what could not be judged,
 * then the verdict. Text from the server is shown escaped (`\x1b`), never
 * acted on by the terminal.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formatHuman: (report: ContractReport, options?: { readonly perCheck?: number }) => string =
  Human.formatHuman
