/**
 * The traffic tally, judged traffic into the suite's report model: the
 * validating proxy and the HAR reader feed each exchange's
 * {@link Judgement} here, and get the same
 * `ContractReport` (through the shared report builder) plus counts of what
 * was not judged and why, and the traffic verdict: a session or file that
 * judged nothing is inconclusive, never a pass.
 *
 * @since 0.1.0
 */
import { AccountsApi, BodyLimit, Printable, type ResponseRules } from "@postpress/schema"
import { type CheckName, checkNames, responseChecks } from "../judge/checks.js"
import { type Judgement, throttledStatus } from "../judge/judge.js"
import * as Builder from "./builder.js"
import { detachedPrefix, maxExampleChars } from "./drift.js"
import type { CheckResult, Failure, NotJudgedReason, TrafficCounts, TrafficReport, TrafficVerdict } from "./model.js"
import { nothingJudgedReason, notJudgedSummary } from "./notJudged.js"
import { bump } from "./reasons.js"
import type { Observed, TrafficSettings } from "./trafficModel.js"

const kindReason: Record<ResponseRules.NotTheApi["kind"], NotJudgedReason> = {
  gateway: "gateway_page",
  cache: "cache_answer",
  partial: "partial_answer"
}

/** The checks that judge every answer of the operation, whatever its status: they count what was not judged too. */
const everyAnswerChecks: ReadonlyArray<CheckName> = ["status_code", "content_type", "not_a_server_error"]

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

const MAX_ORIGINS = 5
/** Distinct details kept per not-judged reason (a hostile server could send a new media type each time). */
const MAX_DETAILS = 8

/** What an exchange not judged may say besides its reason. */
interface NotJudgedDetail {
  readonly origin?: string | undefined
  readonly bytes?: number | undefined
  /** What was seen (`503 text/html`, `cannot decode zstd (...)`), server bytes included: escaped here. */
  readonly seen?: string | undefined
  /**
   * An answer of the operation itself (not another path, not a transport
   * failure): the checks that judge every answer count it as not judged,
   * so their judged and not-judged numbers add up to the answers.
   */
  readonly answer?: boolean | undefined
  /** The phrase those checks give (default: one per reason); `gateway page: 503 text/html`. */
  readonly phrase?: string | undefined
}

/** One session's counts so far: the report builder's, and what the traffic held besides. */
interface Tallied {
  readonly settings: TrafficSettings
  readonly maxBodyBytes: number
  readonly builder: Builder.ReportBuilder
  readonly counts: {
    exchanges: number
    judged: number
    notJudged: number
    withoutBody: number
    transportFailures: number
    violating: number
    largestOverLimit: number | undefined
  }
  readonly by: Partial<Record<NotJudgedReason, number>>
  readonly details: Map<NotJudgedReason, Map<string, number>>
  readonly origins: Set<string>
}

const start = (settings: TrafficSettings): Tallied => ({
  settings,
  maxBodyBytes: settings.maxBodyBytes ?? BodyLimit.defaultMaxBytes,
  builder: Builder.make({
    baseUrl: settings.baseUrl,
    seed: 0,
    runs: 0,
    strict: settings.strict,
    startedAt: settings.startedAt,
    settings: settings.failOnDrift === true ? { failOnDrift: true } : {},
    source: settings.source,
    invocation: settings.invocation,
    redact: settings.secrets.mask
  }),
  counts: {
    exchanges: 0,
    judged: 0,
    notJudged: 0,
    withoutBody: 0,
    transportFailures: 0,
    violating: 0,
    largestOverLimit: undefined
  },
  by: {},
  details: new Map(),
  origins: new Set()
})

/** Why an answer of the operation was not judged, as a check's note says it (`1 answer was …`). */
const answerPhrase = (
  reason: NotJudgedReason,
  seen: string | undefined,
  bytes: number | undefined,
  maxBodyBytes: number
): string => {
  switch (reason) {
    case "over_limit":
      return seen === undefined
        ? BodyLimit.describe(maxBodyBytes, bytes ?? 0)
        : `body over the ${BodyLimit.formatBytes(maxBodyBytes)} limit once decoded (${seen})`
    case "throttled":
      return "throttled (429)"
    case "undecodable":
      return `undecodable: ${seen ?? "cannot decode"}`
    case "undecodable_recording":
      return `an undecodable recording: ${seen ?? "base64 text that does not decode"}`
    case "no_body":
      return "not recorded (the HAR entry has no text)"
    case "incomplete":
      return "cut off before the end"
    default:
      return seen ?? reason
  }
}

/** Counts what was seen for a reason; at most {@link MAX_DETAILS} distinct, the rest under `other`. */
const addDetail = (tallied: Tallied, reason: NotJudgedReason, seen: string): void => {
  const kept = tallied.details.get(reason) ?? new Map<string, number>()
  tallied.details.set(reason, kept)
  bump(kept, kept.has(seen) || kept.size < MAX_DETAILS ? seen : "other", 1)
}

const recordNotJudged = (
  tallied: Tallied,
  reason: NotJudgedReason,
  status: number | null,
  latencyMs: number,
  detail: NotJudgedDetail = {}
): void => {
  const { counts } = tallied
  tallied.settings.metrics?.notJudged(reason)
  counts.exchanges++
  counts.notJudged++
  tallied.by[reason] = (tallied.by[reason] ?? 0) + 1
  const seen = detail.seen === undefined ? undefined : Printable.text(detail.seen)
  if (seen !== undefined) addDetail(tallied, reason, seen)
  if (detail.answer === true) {
    const phrase =
      detail.phrase === undefined
        ? answerPhrase(reason, seen, detail.bytes, tallied.maxBodyBytes)
        : Printable.text(detail.phrase)
    for (const check of everyAnswerChecks) tallied.builder.inconclusive(check, 1, phrase)
  }
  if (reason === "over_limit" || reason === "no_body") counts.withoutBody++
  if (reason === "unreachable" || reason === "invalid_upstream" || reason === "timeout") counts.transportFailures++
  if (reason === "outside_base_url" && detail.origin !== undefined && tallied.origins.size < MAX_ORIGINS) {
    tallied.origins.add(detail.origin)
  }
  if (reason === "over_limit" && detail.bytes !== undefined) {
    counts.largestOverLimit = Math.max(counts.largestOverLimit ?? 0, detail.bytes)
  }
  tallied.builder.exchange({ status, latencyMs })
}

const trafficCounts = (tallied: Tallied): TrafficCounts => {
  const { largestOverLimit, ...counts } = tallied.counts
  return {
    ...counts,
    notJudgedBy: { ...tallied.by },
    notJudgedDetails: Object.fromEntries(
      [...tallied.details].map(([reason, seen]) => [reason, Object.fromEntries(seen)])
    ),
    otherOrigins: [...tallied.origins],
    ...(largestOverLimit === undefined ? {} : { largestOverLimitBytes: largestOverLimit }),
    maxBodyBytes: tallied.maxBodyBytes,
    latencyMeasures:
      tallied.settings.source === "proxy"
        ? "from each request's arrival at the proxy to the end of its answer (time queued behind the in-flight limit included)"
        : "each HAR entry's recorded time"
  }
}

/** A judged exchange: counted, its findings and drift kept (masked), the account type it showed seen. */
const recordJudged = (tallied: Tallied, given: Observed, judgement: Judgement): void => {
  const { settings, builder, counts } = tallied
  // Only a finding or drift keeps text from the exchange: mask it with the exchange's own keys too.
  const keeps =
    judgement.findings.length > 0 || judgement.unknownFields.length > 0 || judgement.unknownType !== undefined
  const own = given.secrets !== undefined && keeps ? settings.secrets.maskWith(given.secrets) : undefined
  const observed = own === undefined ? given : { ...given, url: own(given.url), body: own(given.body) }
  settings.metrics?.judged(observed.status, judgement.findings, judgement.unknownFields)
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
  if (judgement.unknownFields.length === 0 && judgement.unknownType === undefined) return
  const context = {
    check: "response_schema" as const,
    request,
    status: observed.status,
    // Masked before it is cut (a key straddling the cut is caught by the mask's cut-short rule),
    // and copied so the example does not keep the whole body alive.
    body: detachedPrefix(settings.secrets.mask(observed.body.slice(0, maxExampleChars + 256)), maxExampleChars),
    curl
  }
  if (judgement.unknownFields.length > 0) builder.drift(judgement.unknownFields, context)
  if (judgement.unknownType !== undefined) builder.unknownType(judgement.unknownType, context)
}

/** Why a judgement is not a verdict on the API, if it is not: the reason and what was seen. */
const notJudgedOf = (
  status: number,
  judgement: Judgement
): { readonly reason: NotJudgedReason; readonly seen?: string } | undefined => {
  if (judgement.notTheApi !== undefined) {
    return { reason: kindReason[judgement.notTheApi.kind], seen: judgement.notTheApi.seen }
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

// A key first seen late may have been echoed earlier: mask every kept text again at the end.
const remask =
  (mask: (text: string) => string) =>
  (failure: Failure): Failure => ({
    ...failure,
    message: mask(failure.message),
    body: mask(failure.body),
    issues: failure.issues.map(mask),
    curl: failure.curl === null ? null : mask(failure.curl),
    request: Builder.maskRequest(mask, failure.request)
  })

/** The traffic report: the builder's, every check settled for traffic, the traffic verdict and counts. */
const finish = (tallied: Tallied, durationMs: number): TrafficReport => {
  const { settings } = tallied
  const report = tallied.builder.finish({ durationMs, notRun: suiteOnly })
  const t = trafficCounts(tallied)
  const failed = report.checks.some((c) => c.status === "fail")
  const verdict: TrafficVerdict = failed ? "fail" : t.judged === 0 ? "inconclusive" : "pass"
  const inconclusiveReasons =
    t.judged > 0
      ? []
      : [
          t.exchanges === 0
            ? nothingJudgedReason(`no traffic was ${settings.source === "har" ? "recorded" : "seen"}`)
            : nothingJudgedReason(notJudgedSummary(t))
        ]
  return {
    ...report,
    checks: report.checks.map(settleCheck(remask(settings.secrets.mask))),
    passed: verdict === "pass",
    verdict,
    inconclusiveReasons,
    source: settings.source,
    settings: { ...report.settings, maxBodyBytes: tallied.maxBodyBytes },
    traffic: t
  }
}

/**
 * The accumulator for one proxy session or one set of HAR files.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTrafficTally = (settings: TrafficSettings) => {
  const tallied = start(settings)
  return {
    /**
     * One exchange and its judgement: counted as judged, or as not judged
     * with its reason (not the API's answer, not decodable, throttled, not
     * the operation); each exchange is counted exactly once.
     */
    record: (observed: Observed, judgement: Judgement): void => {
      const why = notJudgedOf(observed.status, judgement)
      if (why === undefined) recordJudged(tallied, observed, judgement)
      else {
        recordNotJudged(tallied, why.reason, observed.status, observed.latencyMs, {
          seen: why.seen,
          answer: why.reason !== "not_operation",
          phrase: judgement.notTheApi?.reason
        })
      }
    },
    /** An exchange that was seen but not judged, and why. */
    notJudged: (reason: NotJudgedReason, status: number | null, latencyMs: number, detail?: NotJudgedDetail): void =>
      recordNotJudged(tallied, reason, status, latencyMs, detail),
    counts: (): TrafficCounts => trafficCounts(tallied),
    finish: (durationMs: number): TrafficReport => finish(tallied, durationMs)
  }
}

/**
 * A check as a traffic report shows it: failures masked again with every key
 * seen, and a check that judged nothing "not run" (traffic need not exercise
 * every check; the session's verdict says whether anything was judged).
 */
const settleCheck =
  (remaskFailure: (failure: Failure) => Failure) =>
  (check: CheckResult): CheckResult => {
    const masked = { ...check, failures: check.failures.map(remaskFailure) }
    return check.status === "inconclusive"
      ? { ...masked, status: "not_run", note: check.note ?? "no exchange it could judge" }
      : masked
  }

/**
 * @since 0.1.0
 * @category models
 */
export type TrafficTally = ReturnType<typeof makeTrafficTally>
