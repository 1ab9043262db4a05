/**
 * The report model as Effect Schemas: what every source (the suite, the
 * proxy, the HAR reader) produces and every renderer (human, JSON, JUnit,
 * HTML) reads. The JSON report is the encoding of {@link ContractReport},
 * and `report.schema.json` is generated from it. The `ContractReport` face
 * exports it with its renderings.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { type CheckName, CheckResult, LatencySummary } from "./checkResult.js"
import { Count, Measured, Millis, optional, required } from "./fields.js"
import { TrafficCounts } from "./trafficCounts.js"

/**
 * The check catalogue as the report names it (the renderers read check
 * names through the report model, never from the judge).
 *
 * @internal
 */
export { isCheckName } from "../judge/checks.js"
export {
  CheckName,
  CheckResult,
  CheckStatus,
  Failure,
  LatencySummary,
  maxFailuresPerCheck,
  NotJudged,
  ReportedRequest,
  Unit
} from "./checkResult.js"
export { NotJudgedReason, notJudgedReasons, TrafficCounts } from "./trafficCounts.js"

/**
 * Latency samples kept per answer status; the percentiles of a longer run
 * (a proxy judging traffic for hours) come from a uniform sample of this size.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLatencySamples = 10_000

/**
 * The verdict of a run: `fail` when any violation was found (even if other
 * things could not be judged), else `inconclusive` when anything the run
 * claims to check could not be judged (see
 * {@link ContractReport.inconclusiveReasons}), else `pass`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Verdict = Schema.Literal("pass", "fail", "inconclusive").annotations({
  identifier: "Verdict",
  description:
    "fail: a violation was found; inconclusive: something the run claims to check could not be judged (see inconclusiveReasons); pass: neither."
})

/**
 * @since 0.1.0
 * @category models
 */
export type Verdict = typeof Verdict.Type

/**
 * Where a report's answers came from: the suite's own requests, the
 * validating proxy's traffic, or a HAR file. Renderers show only what applies.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportSource = Schema.Literal("suite", "proxy", "har").annotations({
  identifier: "ReportSource",
  description: "Where the answers came from: the suite's own requests, the validating proxy's traffic, or HAR files."
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReportSource = typeof ReportSource.Type

/**
 * How the run was started, for reproducing it. `argv` never holds the API
 * key (the key travels in an environment variable, which is not argv).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Invocation = Schema.Struct({
  tool: required(Schema.String, "The program (`postpress`)."),
  version: required(Schema.String, "Its version."),
  argv: required(Schema.Array(Schema.String), "Its arguments (never the API key: that travels in the environment)."),
  accountIds: required(Schema.Array(Schema.String), "The `--account-id`s given.")
}).annotations({ identifier: "Invocation", description: "How the run was started, for reproducing it." })

/**
 * @since 0.1.0
 * @category models
 */
export interface Invocation extends Schema.Schema.Type<typeof Invocation> {}

/**
 * The measured latencies of the exchanges that got one answer status
 * (`null`: no answer, a transport error or a timeout), for histograms.
 * Beyond {@link maxLatencySamples} exchanges a uniform sample is kept.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LatencySamples = Schema.Struct({
  status: required(Schema.NullOr(Measured), "The answer status; `null`: no answer (a transport error or a timeout)."),
  count: required(Count, "Exchanges with this status (exact, even when `samplesMs` is a sample)."),
  samplesMs: required(
    Schema.Array(Millis).pipe(Schema.maxItems(maxLatencySamples)),
    `Their latencies in milliseconds; beyond ${maxLatencySamples} a uniform sample.`
  )
}).annotations({ identifier: "LatencySamples", description: "The latencies of the exchanges that got one status." })

/**
 * @since 0.1.0
 * @category models
 */
export interface LatencySamples extends Schema.Schema.Type<typeof LatencySamples> {}

/**
 * An unknown field seen in answers (a field the spec does not know yet):
 * its path from the body's root (`connection_params.im.new_flag`, array
 * items as `[]`) and how many responses carried it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DriftField = Schema.Struct({
  path: required(Schema.String, "From the body's root (`connection_params.im.new_flag`, array items as `[]`)."),
  count: required(Count, "How many responses carried it.")
}).annotations({ identifier: "DriftField", description: "A field the spec does not know, seen in answers." })

/**
 * @since 0.1.0
 * @category models
 */
export interface DriftField extends Schema.Schema.Type<typeof DriftField> {}

/**
 * An account type none of the 14, seen in answers when unknown types are
 * kept (`unknownTypes: "keep"`; otherwise it is a `response_schema`
 * violation): the type as sent and how many responses carried it.
 *
 * @since 0.2.0
 * @category schemas
 */
export const DriftType = Schema.Struct({
  type: required(Schema.String, "The `type` as the server sent it."),
  count: required(Count, "How many responses carried it.")
}).annotations({ identifier: "DriftType", description: "An account type the spec does not define, seen in answers." })

/**
 * @since 0.2.0
 * @category models
 */
export interface DriftType extends Schema.Schema.Type<typeof DriftType> {}

/**
 * What the server sends beyond the spec.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Drift = Schema.Struct({
  unknownFields: required(Schema.Array(DriftField), "Most frequent first, then by path."),
  unknownTypes: optional(
    Schema.Array(DriftType),
    "With `unknownTypes: keep`, the account types none of the 14 that answers carried (most frequent first); absent when none."
  ),
  failOnDrift: required(Schema.Boolean, "`true` when the run treated drift as a failure (`--fail-on-drift`)."),
  more: optional(
    Count,
    "Occurrences of unknown fields beyond the first 1,000 paths: counted, not listed (memory stays bounded)."
  )
}).annotations({ identifier: "Drift", description: "What the server sends beyond the spec." })

/**
 * @since 0.1.0
 * @category models
 */
export interface Drift extends Schema.Schema.Type<typeof Drift> {}

/**
 * How gently and strictly the run was configured (shown by the reports).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RunSettings = Schema.Struct({
  concurrency: optional(Count, "Requests in flight at most."),
  rateLimit: optional(Measured, "Requests per second over the whole run, retries included; absent: no limit."),
  maxResponseTimeMs: optional(Millis, "Answers slower than this are `response_time` violations."),
  failOnDrift: optional(Schema.Boolean, "Unknown fields fail the run."),
  maxBodyBytes: optional(Count, "Bodies larger than this are not judged (default 16 MiB).")
}).annotations({ identifier: "RunSettings", description: "How gently and strictly the run was configured." })

/**
 * @since 0.1.0
 * @category models
 */
export interface RunSettings extends Schema.Schema.Type<typeof RunSettings> {}

/**
 * The whole run: what `--json` writes (this Schema's encoding). A proxy or
 * HAR report carries `traffic` as well (see {@link TrafficReport}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContractReport = Schema.Struct({
  verdict: required(Verdict, "The run's verdict."),
  passed: required(Schema.Boolean, '`verdict === "pass"`.'),
  inconclusiveReasons: required(
    Schema.Array(Schema.String),
    'One human line per reason the run could not be judged (`response_schema: 0 judged: 48 answers were 503 after retries`, `account "acc_1" never judged: ...`); empty when everything was judged.'
  ),
  source: required(ReportSource, "Where the answers came from."),
  invocation: optional(Invocation, "How the run was started."),
  baseUrl: required(Schema.String, "The API's base URL."),
  seed: required(Measured, "The suite's seed (0 for traffic)."),
  runs: required(Count, "The suite's runs per property (0 for traffic)."),
  strict: required(Schema.Boolean, "Unknown fields were rejected (`--strict`)."),
  startedAt: required(Schema.String, "When the run started (ISO 8601)."),
  durationMs: required(Millis, "How long the run took, in milliseconds."),
  requests: required(
    Count,
    "Requests sent, each counted once however many attempts it took (the suite's first request included); the proxy and the HAR reader count each exchange."
  ),
  attempts: optional(
    Count,
    "Attempts: every request plus every retry (absent in reports of older versions: equal to `requests`)."
  ),
  retries: required(Count, "Attempts that repeated a request: `attempts - requests`."),
  variants: required(
    Schema.Struct({
      seen: required(Schema.Array(Schema.String), "Account types seen in 200 answers to a valid key."),
      missing: required(Schema.Array(Schema.String), "Account types never seen.")
    }),
    "The account types seen and missing."
  ),
  checks: required(Schema.Array(CheckResult), "Every check of the catalogue, in catalogue order."),
  latency: optional(LatencySummary, "Latency of every exchange (every attempt)."),
  latencySamples: optional(
    Schema.Array(LatencySamples),
    "Latency samples grouped by answer status, ordered by status (no answer last)."
  ),
  throttled: optional(Count, "Answers that were 429 (throttled), retried ones included."),
  drift: optional(Drift, "What the server sends beyond the spec."),
  settings: optional(RunSettings, "How the run was configured."),
  traffic: optional(TrafficCounts, "Proxy and HAR reports: what the traffic held besides the judged exchanges.")
}).annotations({
  identifier: "ContractReport",
  title: "postpress contract report",
  description:
    "The report of `postpress contract` (the suite), `contract proxy` and `contract har`, as `--json` writes it."
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ContractReport extends Schema.Schema.Type<typeof ContractReport> {}

/**
 * The traffic verdict: `fail` when a judged exchange broke a rule,
 * `inconclusive` when nothing was judged, else `pass`.
 *
 * @since 0.1.0
 * @category models
 */
export type TrafficVerdict = Verdict

/**
 * A report of judged traffic (the proxy, the HAR reader): the suite's report
 * plus the traffic counts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TrafficReport = Schema.Struct({
  ...ContractReport.fields,
  source: required(Schema.Literal("proxy", "har"), "The validating proxy's traffic, or HAR files."),
  traffic: required(TrafficCounts, "What the traffic held besides the judged exchanges.")
}).annotations({ identifier: "TrafficReport", description: "A report of judged traffic: the proxy's or HAR files'." })

/**
 * @since 0.1.0
 * @category models
 */
export interface TrafficReport extends Schema.Schema.Type<typeof TrafficReport> {}

/**
 * The checks that failed.
 *
 * @since 0.1.0
 * @category accessors
 */
export const failedChecks = (report: ContractReport): ReadonlyArray<CheckName> =>
  report.checks.filter((c) => c.status === "fail").map((c) => c.name)
