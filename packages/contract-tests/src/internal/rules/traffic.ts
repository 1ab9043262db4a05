/**
 * Judged traffic into the suite's report model: the validating proxy and the
 * HAR reader feed each exchange's {@link Judgement} here, and get the same
 * `ContractReport` (through the shared report builder) plus counts of what
 * was not judged.
 *
 * @since 0.1.0
 */
import { AccountsApi } from "@postpress/schema"
import * as Redacted from "effect/Redacted"
import { type CheckName, checkNames, responseChecks } from "../../ContractCheck.js"
import type { ContractReport } from "../../ContractReport.js"
import * as Builder from "../report/builder.js"
import type { Judgement } from "./judge.js"
import { redact } from "./validate.js"

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
  /** Exchanges that are not `GET {base}/v1/accounts/{id}`, or whose body was not available. */
  readonly notJudged: number
  /** Of those, the ones with a body over the buffering limit (or no recorded body). */
  readonly withoutBody: number
  /** Requests that got no answer from the target (the proxy's 502). */
  readonly transportFailures: number
  /** Judged exchanges with at least one violation. */
  readonly violating: number
}

/**
 * A report of judged traffic: the suite's report plus the traffic counts.
 *
 * @since 0.1.0
 * @category models
 */
export interface TrafficReport extends ContractReport {
  readonly traffic: TrafficCounts
}

/**
 * @since 0.1.0
 * @category models
 */
export interface TrafficSettings {
  readonly baseUrl: string
  readonly strict: boolean
  readonly apiKey?: Redacted.Redacted<string> | undefined
  readonly failOnDrift?: boolean | undefined
  readonly startedAt: string
}

/**
 * One exchange as the recorder needs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Observed {
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
        : "needs the suite's own requests (traffic does not say which keys are wrong or which ids unknown)"
    ])
)

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/**
 * The accumulator for one proxy session or one set of HAR files.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTrafficTally = (settings: TrafficSettings) => {
  const key = settings.apiKey === undefined ? undefined : Redacted.value(settings.apiKey)
  const builder = Builder.make({
    baseUrl: settings.baseUrl,
    seed: 0,
    runs: 0,
    strict: settings.strict,
    startedAt: settings.startedAt,
    settings: settings.failOnDrift === true ? { failOnDrift: true } : {},
    redact: (text) => redact(text, key)
  })
  const counts = { exchanges: 0, judged: 0, notJudged: 0, withoutBody: 0, transportFailures: 0, violating: 0 }

  return {
    /** A judged exchange; returns its findings for live printing. */
    judged: (observed: Observed, judgement: Judgement) => {
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
          body: observed.body,
          curl
        })
      }
    },
    /** An exchange outside the operation, or without a body to judge. */
    notJudged: (status: number | null, latencyMs: number, withoutBody: boolean) => {
      counts.exchanges++
      counts.notJudged++
      if (withoutBody) counts.withoutBody++
      builder.exchange({ status, latencyMs })
    },
    /** The target did not answer. */
    transportFailure: (latencyMs: number) => {
      counts.exchanges++
      counts.transportFailures++
      builder.exchange({ status: null, latencyMs })
    },
    counts: (): TrafficCounts => ({ ...counts }),
    finish: (durationMs: number): TrafficReport => ({
      ...builder.finish({ durationMs, skipped: suiteOnly }),
      traffic: { ...counts }
    })
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export type TrafficTally = ReturnType<typeof makeTrafficTally>

/**
 * The summary line of a traffic report.
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryLine = (report: TrafficReport): string => {
  const t = report.traffic
  const failed = report.checks.filter((c) => c.status === "fail").map((c) => c.name)
  return `${report.passed ? "PASS" : "FAIL"}: ${t.exchanges} exchanges, ${t.judged} judged (${t.violating} with violations), ${t.notJudged} not judged${t.withoutBody > 0 ? ` (${t.withoutBody} without a body to judge)` : ""}, ${t.transportFailures} transport failures${failed.length > 0 ? `; failed: ${failed.join(", ")}` : ""}`
}
