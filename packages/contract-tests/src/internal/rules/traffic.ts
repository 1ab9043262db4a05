/**
 * Judged traffic into the suite's report model: the validating proxy and the
 * HAR reader feed each exchange's {@link Judgement} here, and get the same
 * `ContractReport` (through the shared report builder) plus counts of what
 * was not judged and why, and the traffic verdict: a session or file that
 * judged nothing is inconclusive, never a pass.
 *
 * @since 0.1.0
 */
import { AccountsApi, BodyLimit, Printable, type ResponseRules } from "@postpress/schema"
import { type CheckName, checkNames, responseChecks } from "../../ContractCheck.js"
import type { CheckResult, ContractReport, Failure, Invocation } from "../../ContractReport.js"
import type { Secrets } from "../proxy/secrets.js"
import * as Builder from "../report/builder.js"
import { detachedPrefix } from "../report/drift.js"
import { type Judgement, throttledStatus } from "./judge.js"

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

const kindReason: Record<ResponseRules.NotTheApi["kind"], NotJudgedReason> = {
  gateway: "gateway_page",
  cache: "cache_answer",
  partial: "partial_answer"
}

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

/** The checks one observed exchange can settle; the others need requests the suite chooses. */
const trafficChecks: ReadonlySet<CheckName> = new Set<CheckName>([
  ...responseChecks.filter((check) => check !== "response_time"),
  "known_accounts",
  "missing_credentials",
  "variant_coverage"
])

const suiteOnly: Partial<Record<CheckName, string>> = Object.fromEntries(
  checkNames
    .filter((check) => !trafficChecks.has(check))
    .map((check) => [
      check,
      check === "response_time"
        ? "not measured on traffic (latency is in the timing section)"
        : "suite only (it chooses the keys and ids; traffic does not say which are wrong)"
    ])
)

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/** A drift example keeps this much of the body that first carried the field. */
const DRIFT_EXAMPLE_CHARS = 1024
const MAX_ORIGINS = 5
/** Distinct details kept per not-judged reason (a hostile server could send a new media type each time). */
const MAX_DETAILS = 8

/**
 * `1 request`, `2 requests`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`

/** `503 text/html`, or `503 text/html ×3, 504 none ×1` when several were seen (most seen first). */
const listDetails = (details: Readonly<Record<string, number>> | undefined, fallback: string): string => {
  const entries = Object.entries(details ?? {})
  if (entries.length === 0) return fallback
  if (entries.length === 1) return entries[0]![0]
  // Most seen first, then by name: the same traffic gives the same line whatever order answers ended in.
  entries.sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
  return entries.map(([detail, count]) => `${detail} ×${count}`).join(", ")
}

const overLimitPhrase = (count: number, t: Omit<TrafficCounts, "notJudgedBy">): string => {
  const decoded = t.notJudgedDetails.over_limit
  const onceDecoded = Object.values(decoded ?? {}).reduce((sum, n) => sum + n, 0)
  const asSent = count - onceDecoded
  const largest = BodyLimit.describe(t.maxBodyBytes, t.largestOverLimitBytes ?? 0)
  const parts: Array<string> = []
  if (asSent === 1) parts.push(`1 ${largest}`)
  if (asSent > 1) parts.push(`${asSent} bodies over the limit (the largest: ${largest})`)
  if (onceDecoded > 0) {
    parts.push(
      `${plural(onceDecoded, "body", "bodies")} over the ${BodyLimit.formatBytes(t.maxBodyBytes)} limit once decoded (${listDetails(decoded, "")})`
    )
  }
  return parts.join(", ")
}

const describeReason = (reason: NotJudgedReason, count: number, t: Omit<TrafficCounts, "notJudgedBy">): string => {
  const details = t.notJudgedDetails[reason]
  switch (reason) {
    case "not_operation":
      return `${count} not the operation (method or path)`
    case "outside_base_url":
      return `${count} outside --base-url (seen: ${t.otherOrigins.join(", ")})`
    case "unreachable":
      return `${count} target unreachable (502)`
    case "invalid_upstream":
      return `${count} not valid HTTP from the target (502)`
    case "timeout":
      return `${count} upstream timeout (504)`
    case "refused":
      return `${count} upgrade or CONNECT refused`
    case "gateway_page":
      return `${count === 1 ? "1 answer was a gateway page" : `${count} answers were gateway pages`}, not the API: ${listDetails(details, "502/503/504 without JSON")}`
    case "throttled":
      return `${count} throttled (429)`
    case "cache_answer":
      return `${plural(count, "cache answer")} (${listDetails(details, "304")})`
    case "partial_answer":
      return `${plural(count, "partial answer")} (${listDetails(details, "206 to a Range request")})`
    case "over_limit":
      return overLimitPhrase(count, t)
    case "undecodable":
      return `${plural(count, "body", "bodies")} not decodable: ${listDetails(details, "cannot decode")}`
    case "undecodable_recording":
      return `${plural(count, "undecodable recording")} (${listDetails(details, "base64 text that does not decode")})`
    case "no_body":
      return `${count} without a recorded body`
    case "incomplete":
      return `${count} cut off before the end`
  }
}

/**
 * Why exchanges were not judged, grouped, one phrase per reason:
 * `3 not the operation (method or path), 2 target unreachable (502)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const notJudgedSummary = (t: TrafficCounts): string =>
  notJudgedReasons
    .filter((reason) => (t.notJudgedBy[reason] ?? 0) > 0)
    .map((reason) => describeReason(reason, t.notJudgedBy[reason]!, t))
    .join(", ")

/**
 * The accumulator for one proxy session or one set of HAR files.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTrafficTally = (settings: TrafficSettings) => {
  const mask = settings.secrets.mask
  const maxBodyBytes = settings.maxBodyBytes ?? BodyLimit.defaultMaxBytes
  const builder = Builder.make({
    baseUrl: settings.baseUrl,
    seed: 0,
    runs: 0,
    strict: settings.strict,
    startedAt: settings.startedAt,
    settings: settings.failOnDrift === true ? { failOnDrift: true } : {},
    source: settings.source,
    invocation: settings.invocation,
    redact: mask
  })
  const counts = { exchanges: 0, judged: 0, notJudged: 0, withoutBody: 0, transportFailures: 0, violating: 0 }
  const by: Partial<Record<NotJudgedReason, number>> = {}
  const details = new Map<NotJudgedReason, Map<string, number>>()
  const origins = new Set<string>()
  let largestOverLimit: number | undefined

  const notJudged = (
    reason: NotJudgedReason,
    status: number | null,
    latencyMs: number,
    detail: {
      readonly origin?: string | undefined
      readonly bytes?: number | undefined
      /** What was seen (`503 text/html`, `cannot decode zstd (...)`), server bytes included: escaped here. */
      readonly seen?: string | undefined
    } = {}
  ) => {
    counts.exchanges++
    counts.notJudged++
    by[reason] = (by[reason] ?? 0) + 1
    if (detail.seen !== undefined) addDetail(reason, Printable.text(detail.seen))
    if (reason === "over_limit" || reason === "no_body") counts.withoutBody++
    if (reason === "unreachable" || reason === "invalid_upstream" || reason === "timeout") counts.transportFailures++
    if (reason === "outside_base_url" && detail.origin !== undefined && origins.size < MAX_ORIGINS) {
      origins.add(detail.origin)
    }
    if (reason === "over_limit" && detail.bytes !== undefined) {
      largestOverLimit = Math.max(largestOverLimit ?? 0, detail.bytes)
    }
    builder.exchange({ status, latencyMs })
  }

  const addDetail = (reason: NotJudgedReason, seen: string) => {
    const kept = details.get(reason) ?? new Map<string, number>()
    details.set(reason, kept)
    const key = kept.has(seen) || kept.size < MAX_DETAILS ? seen : "other"
    kept.set(key, (kept.get(key) ?? 0) + 1)
  }

  const traffic = (): TrafficCounts => ({
    ...counts,
    notJudgedBy: { ...by },
    notJudgedDetails: Object.fromEntries([...details].map(([reason, seen]) => [reason, Object.fromEntries(seen)])),
    otherOrigins: [...origins],
    ...(largestOverLimit === undefined ? {} : { largestOverLimitBytes: largestOverLimit }),
    maxBodyBytes,
    latencyMeasures:
      settings.source === "proxy"
        ? "from each request's arrival at the proxy to the end of its answer (time queued behind the in-flight limit included)"
        : "each HAR entry's recorded time"
  })

  // A key first seen late may have been echoed earlier: mask every kept text again at the end.
  const remask = (failure: Failure): Failure => ({
    ...failure,
    message: mask(failure.message),
    body: mask(failure.body),
    issues: failure.issues.map(mask),
    curl: failure.curl === null ? null : mask(failure.curl),
    request: failure.request === null ? null : { ...failure.request, url: mask(failure.request.url) }
  })

  const judged = (given: Observed, judgement: Judgement) => {
    // Only a finding or drift keeps text from the exchange: mask it with the exchange's own keys too.
    const keeps = judgement.findings.length > 0 || judgement.unknownFields.length > 0
    const own = given.secrets !== undefined && keeps ? settings.secrets.maskWith(given.secrets) : undefined
    const observed = own === undefined ? given : { ...given, url: own(given.url), body: own(given.body) }
    counts.exchanges++
    counts.judged++
    if (judgement.findings.length > 0) counts.violating++
    builder.exchange({ status: observed.status, latencyMs: observed.latencyMs, checks: judgement.evaluated })
    for (const check of judgement.evaluated) builder.evaluated(check)
    const request = {
      method: "GET" as const,
      url: observed.url,
      accountId: judgement.accountId ?? "",
      credentials: judgement.credentials ?? "valid"
    }
    const curl = `curl -sS -i ${request.credentials === "missing" ? "" : `-H ${shellQuote(`${AccountsApi.apiKeyHeader}: ***`)} `}${shellQuote(observed.url)}`
    for (const finding of judgement.findings) {
      builder.failure({ ...finding, request, status: observed.status, body: observed.body, curl })
    }
    if (judgement.accountType !== undefined && judgement.credentials !== "missing") {
      builder.variantSeen(judgement.accountType)
    }
    if (judgement.unknownFields.length > 0) {
      builder.drift(judgement.unknownFields, {
        check: "response_schema",
        request,
        status: observed.status,
        // Masked before it is cut (a key straddling the cut is caught by the mask's cut-short rule),
        // and copied so the example does not keep the whole body alive.
        body: detachedPrefix(mask(observed.body.slice(0, DRIFT_EXAMPLE_CHARS + 256)), DRIFT_EXAMPLE_CHARS),
        curl
      })
    }
  }

  /** Why a judgement is not a verdict on the API, if it is not: the reason and what was seen. */
  const notJudgedOf = (
    status: number,
    judgement: Judgement
  ): { readonly reason: NotJudgedReason; readonly seen?: string } | undefined => {
    if (judgement.notTheApi !== undefined) {
      // `gateway page: 503 text/html` → `503 text/html`: ResponseRules' phrase is "kind: what was seen".
      const phrase = judgement.notTheApi.reason
      return { reason: kindReason[judgement.notTheApi.kind], seen: phrase.slice(phrase.indexOf(": ") + 2) }
    }
    if (judgement.notDecoded !== undefined) {
      return judgement.notDecoded.overLimit
        ? { reason: "over_limit", seen: judgement.notDecoded.coding }
        : { reason: "undecodable", seen: judgement.notDecoded.reason }
    }
    if (!judgement.judged) return { reason: "not_operation" }
    // A 429 is throttling: judged only when it leaked a key (then it is a violation like any other).
    if (status === throttledStatus && judgement.findings.length === 0) return { reason: "throttled" }
    return undefined
  }

  return {
    /**
     * One exchange and its judgement: counted as judged, or as not judged
     * with its reason (not the API's answer, not decodable, throttled, not
     * the operation); each exchange is counted exactly once.
     */
    record: (observed: Observed, judgement: Judgement) => {
      const why = notJudgedOf(observed.status, judgement)
      if (why === undefined) judged(observed, judgement)
      else notJudged(why.reason, observed.status, observed.latencyMs, { seen: why.seen })
    },
    /** An exchange that was seen but not judged, and why. */
    notJudged,
    counts: traffic,
    finish: (durationMs: number): TrafficReport => {
      const report = builder.finish({ durationMs, skipped: suiteOnly })
      const t = traffic()
      const failed = report.checks.some((c) => c.status === "fail")
      const verdict: TrafficVerdict = failed ? "fail" : t.judged === 0 ? "inconclusive" : "pass"
      const why = notJudgedSummary(t)
      const inconclusiveReasons =
        t.judged > 0
          ? []
          : [
              t.exchanges === 0
                ? `0 exchanges judged: no traffic was ${settings.source === "har" ? "recorded" : "seen"}`
                : `0 exchanges judged: ${why}`
            ]
      return {
        ...report,
        checks: report.checks.map(settleCheck(remask)),
        passed: verdict === "pass",
        verdict,
        inconclusiveReasons,
        source: settings.source,
        settings: { ...report.settings, maxBodyBytes },
        traffic: t
      } as TrafficReport
    }
  }
}

/**
 * A check as a traffic report shows it: failures masked again with every key
 * seen, and a check that judged nothing "not run" (traffic need not exercise
 * every check; the session's verdict says whether anything was judged).
 */
const settleCheck =
  (remask: (failure: Failure) => Failure) =>
  (check: CheckResult): CheckResult => {
    const masked = { ...check, failures: check.failures.map(remask) }
    return check.status === "inconclusive"
      ? { ...masked, status: "not_run", note: check.note ?? "no exchange it could judge" }
      : masked
  }

/**
 * @since 0.1.0
 * @category models
 */
export type TrafficTally = ReturnType<typeof makeTrafficTally>

const verdictLabel: Record<TrafficVerdict, string> = { pass: "PASS", fail: "FAIL", inconclusive: "INCONCLUSIVE" }

/**
 * The summary line of a traffic report: only what applies (no seed, no
 * runs), repeated reasons grouped, plurals right, every control character
 * from the traffic shown escaped (`Printable.text`).
 *
 * `PASS: 12 exchanges, 10 judged (none with violations); not judged: 2 not the operation (method or path)`
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryLine = (report: TrafficReport): string => {
  const t = report.traffic
  const failed = report.checks.filter((c) => c.status === "fail").map((c) => c.name)
  const parts = [
    `${verdictLabel[report.verdict]}: ${plural(t.exchanges, "exchange")}, ${t.judged} judged${t.judged > 0 ? ` (${t.violating === 0 ? "none" : t.violating} with violations)` : ""}`
  ]
  if (t.notJudged > 0) parts.push(`not judged: ${notJudgedSummary(t)}`)
  if (failed.length > 0) parts.push(`failed: ${failed.join(", ")}`)
  // Origins and media types came from traffic: a terminal shows them, never obeys them.
  return Printable.text(parts.join("; "))
}
