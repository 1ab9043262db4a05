/**
 * What judged traffic is counted as: why an exchange was not judged, the
 * traffic counts, the traffic verdict and report, and what the tally is fed.
 *
 * @since 0.1.0
 */

import type { Secrets } from "../judge/secrets.js"
import type { ContractReport, Invocation } from "./model.js"

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
 * @category models
 */
export type NotJudgedReason =
  | "not_operation"
  | "outside_base_url"
  | "unreachable"
  | "over_limit"
  | "no_body"
  | "incomplete"
  | "invalid_upstream"
  | "timeout"
  | "refused"
  | "gateway_page"
  | "throttled"
  | "cache_answer"
  | "partial_answer"
  | "undecodable"
  | "undecodable_recording"

/**
 * Every reason, in the order summaries list them.
 *
 * @since 0.1.0
 * @category models
 */
export const notJudgedReasons: ReadonlyArray<NotJudgedReason> = [
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
]

/**
 * What the traffic held besides the judged exchanges.
 *
 * @since 0.1.0
 * @category models
 */
export interface TrafficCounts {
  /** Every exchange seen (judged or not). */
  readonly exchanges: number
  readonly judged: number
  /** Exchanges that were seen but not judged (every reason, transport failures included). */
  readonly notJudged: number
  /** Of those, the ones whose body was not available (over the limit, or not recorded). */
  readonly withoutBody: number
  /** Requests that got no usable answer from the target (the proxy's 502 and 504). */
  readonly transportFailures: number
  /** Judged exchanges with at least one violation. */
  readonly violating: number
  /** Exchanges not judged, by reason (only reasons that occurred). */
  readonly notJudgedBy: Readonly<Partial<Record<NotJudgedReason, number>>>
  /**
   * What was seen, by reason, for the reasons that name it: `gateway_page`
   * `{"503 text/html": 3}`, `cache_answer` `{"304 Not Modified": 2}`,
   * `undecodable` `{"cannot decode zstd (...)": 1}`, `over_limit` the
   * codings of bodies over the limit once decoded. At most 8 distinct per
   * reason; the rest count under `other`. Server bytes are escaped.
   */
  readonly notJudgedDetails: Readonly<Partial<Record<NotJudgedReason, Readonly<Record<string, number>>>>>
  /** Up to 5 distinct origins seen outside the base URL. */
  readonly otherOrigins: ReadonlyArray<string>
  /** The largest body over the limit, in bytes (absent when none was). */
  readonly largestOverLimitBytes?: number
  /** The body limit in force, in bytes. */
  readonly maxBodyBytes: number
  /** What the latency figures measure (the proxy's include the time a request waited in its queue). */
  readonly latencyMeasures: string
}

/**
 * The traffic verdict: `fail` when a judged exchange broke a rule,
 * `inconclusive` when nothing was judged, else `pass`.
 *
 * @since 0.1.0
 * @category models
 */
export type TrafficVerdict = "pass" | "fail" | "inconclusive"

/**
 * A report of judged traffic: the suite's report plus the traffic counts.
 *
 * @since 0.1.0
 * @category models
 */
export interface TrafficReport extends ContractReport {
  readonly verdict: TrafficVerdict
  /** One line per reason the traffic could not be judged (empty on pass or fail with judged exchanges). */
  readonly inconclusiveReasons: ReadonlyArray<string>
  readonly source: "proxy" | "har"
  readonly traffic: TrafficCounts
}

/**
 * @since 0.1.0
 * @category models
 */
export interface TrafficSettings {
  readonly baseUrl: string
  readonly strict: boolean
  readonly failOnDrift?: boolean | undefined
  readonly startedAt: string
  readonly source: "proxy" | "har"
  /** The secrets to mask in every text of the report (they grow as traffic is seen). */
  readonly secrets: Secrets
  /** Default {@link BodyLimit.defaultMaxBytes}. */
  readonly maxBodyBytes?: number | undefined
  /** How the run was started (the CLI's tool, version and argv), for the reports. */
  readonly invocation?: Invocation | undefined
}

/**
 * One exchange as the recorder needs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Observed {
  /** This exchange's own secrets (masked in what it leaves in the report, even beyond the bounded set). */
  readonly secrets?: ReadonlyArray<string> | undefined
  readonly url: string
  readonly status: number
  readonly body: string
  readonly latencyMs: number
}
