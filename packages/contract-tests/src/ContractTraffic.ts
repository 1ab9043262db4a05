/**
 * Judge real traffic with the contract suite's own rules: one function,
 * {@link judge}, takes ONE observed exchange (the request as sent, the
 * response as received) and returns what it breaks. The contract suite, the
 * validating proxy ({@link ContractProxy}) and the HAR reader
 * ({@link ContractHar}) all call it, so a rule is never written twice.
 *
 * ```ts
 * import { ContractTraffic } from "@postpress/contract-tests"
 * import { Redacted } from "effect"
 *
 * const url = "https://staging.example.com/api/v1/accounts/acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"
 * const key = process.env.POSTPRESS_API_KEY!
 * const res = await fetch(url, { headers: { "X-API-KEY": key } })
 * const judgement = ContractTraffic.judge(
 *   {
 *     request: { method: "GET", url, headers: { "X-API-KEY": key } },
 *     response: { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) }
 *   },
 *   { baseUrl: "https://staging.example.com/api", apiKey: Redacted.make(key) }
 * )
 * if (judgement.findings.length > 0) throw new Error(judgement.findings.map((f) => f.message).join("\n"))
 * ```
 *
 * @since 0.1.0
 */
import * as Judge from "./internal/judge/judge.js"
import * as TrafficText from "./internal/render/traffic.js"
import * as Traffic from "./internal/report/model.js"
import * as NotJudged from "./internal/report/notJudged.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Exchange = Judge.Exchange

/**
 * @since 0.1.0
 * @category models
 */
export type HeadersLike = Judge.HeadersLike

/**
 * @since 0.1.0
 * @category models
 */
export type JudgeOptions = Judge.JudgeOptions

/**
 * @since 0.1.0
 * @category models
 */
export type Judgement = Judge.Judgement

/**
 * One broken rule: the check that names it, a short message (key masked) and
 * decode issues (`path: expected X, got Y`).
 *
 * @since 0.1.0
 * @category models
 */
export type Finding = Judge.Finding

/**
 * Judges one exchange. Only `GET {baseUrl}/v1/accounts/{one segment}` is
 * judged; anything else comes back with `judged: false` and a reason.
 *
 * A body with a `Content-Encoding` is judged on its decoded bytes (on this
 * thread, at most `maxBodyBytes`): fetch and browsers hand over decoded
 * bytes and keep the header, so by default only bytes demonstrably still
 * compressed are decoded (`response.coding: "as-sent"` decodes every listed
 * coding). A coding that cannot be decoded, a body over the limit once
 * decoded, and an answer that is not the API's (a gateway's HTML 503, a 304)
 * come back not judged, with `notDecoded` / `notTheApi` and a reason.
 *
 * Rules: documented status; `application/json` (or `application/problem+json`
 * on errors); a 200 decodes as `Account` (`strict` rejects unknown fields;
 * otherwise they are returned as `unknownFields`) and `body.id` is the id as
 * requested; an error body is an envelope whose `status` is the HTTP status
 * and whose `type` is of that tier; no `X-API-KEY` answers 401
 * `errors/missing_credentials`; no 5xx but 503/504; the key (the request's
 * own and `apiKey`) appears in no response header or body.
 *
 * @since 0.1.0
 * @category judging
 */
export const judge: (exchange: Exchange, options?: JudgeOptions) => Judgement = Judge.judge

/**
 * Turns a field path into its drift form (`connection_params.im.new_flag`,
 * array items as `[]`).
 *
 * @since 0.1.0
 * @category drift
 */
export const driftPath: (path: ReadonlyArray<PropertyKey>) => string = Judge.driftPath

/**
 * What the traffic held besides the judged exchanges (the `traffic` field of
 * a proxy or HAR report), as an Effect Schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TrafficCounts: typeof Traffic.TrafficCounts = Traffic.TrafficCounts

/**
 * @since 0.1.0
 * @category models
 */
export type TrafficCounts = Traffic.TrafficCounts

/**
 * The suite's report plus what the traffic held besides judged exchanges,
 * with the traffic verdict (nothing judged is `inconclusive`, never a pass),
 * as an Effect Schema; its JSON is `ContractReport.toJson`'s.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TrafficReport: typeof Traffic.TrafficReport = Traffic.TrafficReport

/**
 * @since 0.1.0
 * @category models
 */
export type TrafficReport = Traffic.TrafficReport

/**
 * Why an exchange was not judged (`not_operation`, `outside_base_url`,
 * `unreachable`, `invalid_upstream`, `timeout`, `refused`, `gateway_page`,
 * `throttled`, `cache_answer`, `partial_answer`, `over_limit`, `undecodable`,
 * `undecodable_recording`, `no_body`, `incomplete`); `TrafficCounts`
 * counts each exchange under exactly one of them, or as judged.
 *
 * @since 0.1.0
 * @category models
 */
export type NotJudgedReason = Traffic.NotJudgedReason

/**
 * Every {@link NotJudgedReason}, in the order summaries list them, as an Effect Schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NotJudgedReason: typeof Traffic.NotJudgedReason = Traffic.NotJudgedReason

/**
 * `pass`, `fail`, or `inconclusive` when nothing was judged.
 *
 * @since 0.1.0
 * @category models
 */
export type TrafficVerdict = Traffic.TrafficVerdict

/**
 * Why exchanges were not judged, one grouped phrase per reason:
 * `3 not the operation (method or path), 2 target unreachable (502)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const notJudgedSummary: (counts: TrafficCounts) => string = NotJudged.notJudgedSummary

/**
 * The one-line summary of a traffic report.
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryLine: (report: TrafficReport) => string = TrafficText.summaryLine
