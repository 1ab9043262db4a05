/**
 * One check's part of the report, as Effect Schemas: its verdict, what it
 * judged and could not, its failures (each with what reproduces it) and its
 * latency. `model.ts` assembles the whole report from these.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { checkNames } from "../judge/checks.js"
import { Count, Measured, Millis, optional, required } from "./fields.js"

/**
 * Failures kept per check; the count is always exact.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxFailuresPerCheck = 50

/**
 * A check of the catalogue, by name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CheckName = Schema.Literal(...checkNames).annotations({
  identifier: "CheckName",
  description: "A check of the catalogue (`postpress contract --help` lists them)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type CheckName = typeof CheckName.Type

/**
 * What a check's numbers count: `requests` (a scenario check: each request
 * it sent, judged on its final answer; retries are not requests), `answers`
 * (a response check: every answer received, retries included), `account
 * types` (`variant_coverage`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Unit = Schema.Literal("requests", "answers", "account types").annotations({
  identifier: "Unit",
  description:
    "What a check's numbers count: requests (each sent once, retries not counted), answers (retries included), or account types."
})

/**
 * @since 0.1.0
 * @category models
 */
export type Unit = typeof Unit.Type

/**
 * How many of a check's requests or answers were not judged for one reason
 * (`gateway page: 503 text/html`, `no answer (ECONNREFUSED)`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const NotJudged = Schema.Struct({
  reason: required(
    Schema.String,
    "Why (`gateway page: 503 text/html`, `no answer (ECONNREFUSED)`, `503 after retries`)."
  ),
  count: required(Count, "How many requests or answers (see the check's `unit`) this reason kept from being judged.")
}).annotations({ identifier: "NotJudged", description: "One reason a check could not judge, and how often." })

/**
 * @since 0.1.0
 * @category models
 */
export interface NotJudged extends Schema.Schema.Type<typeof NotJudged> {}

/**
 * One request as reported.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportedRequest = Schema.Struct({
  method: required(Schema.Literal("GET"), "The operation's method."),
  url: required(Schema.String, "The full URL with the id percent-encoded as one segment (secrets masked)."),
  accountId: required(Schema.String, "The id as given, before encoding (secrets masked)."),
  credentials: required(
    Schema.Literal("valid", "missing", "invalid"),
    "The key the request carried: the valid one, none, or a wrong one."
  )
}).annotations({ identifier: "ReportedRequest", description: "The request a failure is about." })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReportedRequest extends Schema.Schema.Type<typeof ReportedRequest> {}

/**
 * One violation, with everything needed to reproduce it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Failure = Schema.Struct({
  check: required(CheckName, "The check that found it."),
  message: required(Schema.String, "What is wrong, in one line (secrets masked)."),
  request: required(
    Schema.NullOr(ReportedRequest),
    "The request it is about; `null` for a finding about the run as a whole (e.g. missing variants)."
  ),
  status: required(
    Schema.NullOr(Measured),
    "The answer's HTTP status; `null` when no response arrived (transport error) or there was no request."
  ),
  body: required(Schema.String, "The start of the body (at most 300 characters), secrets masked."),
  bodyTruncated: required(Schema.Boolean, "`true` when `body` is only the start of the body."),
  issues: required(Schema.Array(Schema.String), "Decode problems, one `path: expected X, got Y` line each."),
  seed: required(Measured, "The run's seed (`--seed` reproduces the suite's requests)."),
  curl: required(
    Schema.NullOr(Schema.String),
    "A `curl` line reproducing the request, with `X-API-KEY: ***`; `null` when there was no request."
  )
}).annotations({ identifier: "Failure", description: "One violation, with everything needed to reproduce it." })

/**
 * @since 0.1.0
 * @category models
 */
export interface Failure extends Schema.Schema.Type<typeof Failure> {}

/**
 * The status of one check:
 *
 * - `pass`: it judged at least one answer and found no violation;
 * - `fail`: it found at least one violation;
 * - `inconclusive`: it was selected and had its input, but judged nothing
 *   (every answer was 503/504/429 after retries, a gateway page or another
 *   answer that was not the API's, no answer, over the body limit, or there
 *   was nothing it could judge); its `note` says why;
 * - `not_run`: it was not selected, or lacked its input; its `note` names
 *   the missing flag (`needs --foreign-account-id`). Never makes a run
 *   inconclusive.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CheckStatus = Schema.Literal("pass", "fail", "inconclusive", "not_run").annotations({
  identifier: "CheckStatus",
  description:
    "pass: judged something, no violation; fail: at least one violation; inconclusive: selected and given its input, but judged nothing (`note` says why); not_run: not selected or lacking its input (`note` names the flag)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type CheckStatus = typeof CheckStatus.Type

/**
 * Latency percentiles in milliseconds (nearest rank). `count` is the number
 * of exchanges measured; all zero when there were none.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LatencySummary = Schema.Struct({
  count: required(Count, "Exchanges measured (exact, even when the percentiles come from a sample)."),
  p50: required(Millis, "Median, in milliseconds (nearest rank)."),
  p95: required(Millis, "95th percentile, in milliseconds."),
  p99: required(Millis, "99th percentile, in milliseconds."),
  max: required(Millis, "The slowest, in milliseconds (exact).")
}).annotations({
  identifier: "LatencySummary",
  description: "Latency percentiles in milliseconds (nearest rank); all zero when nothing was measured."
})

/**
 * @since 0.1.0
 * @category models
 */
export interface LatencySummary extends Schema.Schema.Type<typeof LatencySummary> {}

/**
 * The verdict of one check.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CheckResult = Schema.Struct({
  name: required(CheckName, "The check."),
  description: required(Schema.String, "What the check verifies, in one line."),
  status: required(CheckStatus, "The check's verdict."),
  note: optional(Schema.String, "Why the check was not run or is inconclusive, or what an informational check found."),
  unit: optional(Unit, "What `evaluated` and `inconclusive` count; absent in reports of older versions."),
  evaluated: required(Count, "How many requests (or answers, see `unit`) the check judged."),
  inconclusive: required(
    Count,
    "How many it could not judge: no answer, an answer that was not the API's (a gateway page, a cache answer), 503/504/429 after the retries, a body over the limit."
  ),
  notJudged: optional(
    Schema.Array(NotJudged),
    "Why `inconclusive` requests or answers were not judged, most frequent first."
  ),
  failureCount: required(Count, "How many violations the check found (exact)."),
  failures: required(
    Schema.Array(Failure).pipe(Schema.maxItems(maxFailuresPerCheck)),
    `The first failures (at most ${maxFailuresPerCheck}).`
  ),
  durationMs: required(Millis, "How long the check took, in milliseconds."),
  latency: optional(LatencySummary, "Latency of the exchanges this check judged.")
}).annotations({ identifier: "CheckResult", description: "The verdict of one check." })

/**
 * @since 0.1.0
 * @category models
 */
export interface CheckResult extends Schema.Schema.Type<typeof CheckResult> {}
