/**
 * The report of a contract run and its renderings: the human text a CI log
 * reader acts on, and the machine JSON. Nothing in a report ever holds the
 * API key: request lines show `X-API-KEY: ***` and body excerpts are redacted
 * before they are stored. The human text shows a server's bytes escaped
 * (`Printable.text`): a hostile body cannot drive the terminal it is read in.
 *
 * The report is an Effect Schema ({@link ContractReport}): the JSON report is
 * its encoding ({@link toJson}), {@link fromJson} reads one back, and the
 * package publishes its JSON Schema as `@postpress/contract-tests/report.schema.json`
 * ({@link jsonSchema}) for CI steps that read the report without Effect.
 *
 * ```ts
 * import { ContractReport } from "@postpress/contract-tests"
 * import { Effect } from "effect"
 * import { readFileSync } from "node:fs"
 *
 * const report = await Effect.runPromise(ContractReport.fromJson(readFileSync("contract.json", "utf8")))
 * console.log(report.verdict, ContractReport.failedChecks(report))
 * ```
 *
 * @since 0.1.0
 */
import * as Human from "./internal/render/human.js"
import type { CheckResult, ContractReport, Failure, LatencySummary } from "./internal/report/model.js"

export { fromJson, type JsonSchemaOptions, jsonSchema, toJson } from "./internal/render/json.js"
export {
  CheckName,
  CheckResult,
  CheckStatus,
  ContractReport,
  Drift,
  DriftField,
  Failure,
  failedChecks,
  Invocation,
  LatencySamples,
  LatencySummary,
  maxFailuresPerCheck,
  maxLatencySamples,
  NotJudged,
  ReportedRequest,
  ReportSource,
  RunSettings,
  Unit,
  Verdict
} from "./internal/report/model.js"

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
