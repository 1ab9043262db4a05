/**
 * What judged traffic holds besides its judged exchanges, as an Effect
 * Schema: every exchange counted once, as judged or under one reason it was
 * not. The `traffic` field of a proxy or HAR report.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Count, optional, required } from "./fields.js"

/**
 * Every reason an exchange is not judged, in the order summaries list them.
 *
 * @since 0.1.0
 * @category models
 */
export const notJudgedReasons = [
  "not_operation",
  "outside_base_url",
  "unreachable",
  "invalid_upstream",
  "timeout",
  "refused",
  "gateway_page",
  "throttled",
  "cache_answer",
  "partial_answer",
  "over_limit",
  "undecodable",
  "undecodable_recording",
  "no_body",
  "incomplete"
] as const

/**
 * Why an exchange was not judged.
 *
 * - `not_operation`: not `GET {base}/v1/accounts/{one segment}` (method or path);
 * - `outside_base_url`: another origin than `--base-url`;
 * - `unreachable`: the target gave no answer (the proxy's 502);
 * - `gateway_page`: a 502/503/504 whose body is not JSON (a load balancer's
 *   page: an outage in front of the API, `ResponseRules.notTheApi`);
 * - `throttled`: a 429 (only a key it leaks is judged: then it counts as judged);
 * - `cache_answer`: a cache's answer (`304 Not Modified`, a 412 to a conditional request);
 * - `partial_answer`: a 206/416 to a `Range` request;
 * - `over_limit`: the body was over `--max-body-size`, as sent (streamed, not
 *   kept) or once decoded (a gzip bomb stops at the limit);
 * - `undecodable`: its `Content-Encoding` could not be decoded (an unknown
 *   coding, zstd on a Node without it, a corrupt stream): an encoding is not the API;
 * - `undecodable_recording`: the HAR entry's base64 text does not decode;
 * - `no_body`: the HAR entry has no response text;
 * - `incomplete`: the client or the target went away mid-exchange;
 * - `invalid_upstream`: the target's answer was not valid HTTP (the proxy's 502);
 * - `timeout`: no answer within `--upstream-timeout` (the proxy's 504);
 * - `refused`: an upgrade (101) or CONNECT the proxy does not relay.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NotJudgedReason = Schema.Literal(...notJudgedReasons).annotations({
  identifier: "NotJudgedReason",
  description: "Why an exchange was not judged (the reasons are listed in ContractTraffic.NotJudgedReason)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type NotJudgedReason = typeof NotJudgedReason.Type

/** A count per reason, present only for the reasons that occurred. */
const byReason = <V extends Schema.Schema.Any>(value: V) =>
  Schema.partialWith(Schema.Record({ key: NotJudgedReason, value }), { exact: true })

/**
 * What the traffic held besides the judged exchanges.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TrafficCounts = Schema.Struct({
  exchanges: required(Count, "Every exchange seen (judged or not)."),
  judged: required(Count, "Exchanges judged."),
  notJudged: required(Count, "Exchanges that were seen but not judged (every reason, transport failures included)."),
  withoutBody: required(Count, "Of those, the ones whose body was not available (over the limit, or not recorded)."),
  transportFailures: required(Count, "Requests that got no usable answer from the target (the proxy's 502 and 504)."),
  violating: required(Count, "Judged exchanges with at least one violation."),
  notJudgedBy: required(byReason(Count), "Exchanges not judged, by reason (only reasons that occurred)."),
  notJudgedDetails: required(
    byReason(Schema.Record({ key: Schema.String, value: Count })),
    'What was seen, by reason, for the reasons that name it: gateway_page {"503 text/html": 3}, cache_answer {"304 Not Modified": 2}, undecodable {"cannot decode zstd (...)": 1}, over_limit the codings of bodies over the limit once decoded. At most 8 distinct per reason; the rest count under `other`. Server bytes are escaped.'
  ),
  otherOrigins: required(Schema.Array(Schema.String), "Up to 5 distinct origins seen outside the base URL."),
  largestOverLimitBytes: optional(Count, "The largest body over the limit, in bytes (absent when none was)."),
  maxBodyBytes: required(Count, "The body limit in force, in bytes."),
  latencyMeasures: required(
    Schema.String,
    "What the latency figures measure (the proxy's include the time a request waited in its queue)."
  )
}).annotations({
  identifier: "TrafficCounts",
  description: "What proxied or recorded traffic held besides the judged exchanges."
})

/**
 * @since 0.1.0
 * @category models
 */
export interface TrafficCounts extends Schema.Schema.Type<typeof TrafficCounts> {}
