/**
 * What the suite makes of each answer: the response checks' judgement (THE
 * rule engine, `judgeReceived`, also behind the proxy and the HAR reader),
 * `response_time`, drift, account types seen, and, for an answer no check
 * can judge (no answer, a body over the limit, not the API's answer), the
 * reason, counted against every check that judges answers.
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import { type CheckName, responseChecks } from "../../judge/checks.js"
import { judgeReceived, throttledStatus } from "../../judge/judge.js"
import type { ReportBuilder } from "../../report/builder.js"
import * as Attempts from "./attempts.js"
import * as Request from "./request.js"
import type { Resolved } from "./resolved.js"
import type { Probe } from "./scenarios.js"
import type { TransportResponse } from "./transportService.js"

/** An attempt that got an answer. */
type Response = Extract<Attempts.Outcome, { readonly _tag: "Response" }>

/**
 * What the judging needs from the run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly config: Resolved
  readonly report: ReportBuilder
  readonly keys: Request.Keys
  /** The key looked for in answers; `undefined` when too short to look for. */
  readonly keyChecked: Redacted.Redacted<string> | undefined
  readonly maxResponseTimeMs: number | undefined
}

/**
 * `record` files a violation with its request and curl line; `judgeAttempt`
 * judges one attempt as it comes, counts it, and returns why no check could
 * judge it, if so.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ config, report, keys, keyChecked, maxResponseTimeMs }: Context) => {
  // The response checks that judge answers in this run: an answer none can judge counts against each.
  const judging = responseChecks.filter(
    (check) =>
      config.selected.has(check) &&
      (check !== "response_time" || maxResponseTimeMs !== undefined) &&
      (check !== "key_not_reflected" || keyChecked !== undefined)
  )

  const infoOf = (probe: Probe): Request.RequestInfo => ({
    method: "GET",
    url: Request.urlOf(config.target, probe),
    accountId: probe.id,
    credentials: probe.credentials
  })

  const record = (
    check: CheckName,
    probe: Probe,
    received: TransportResponse,
    message: string,
    issues: ReadonlyArray<string>
  ) => {
    const request = infoOf(probe)
    report.failure({
      check,
      message,
      request,
      status: received.status,
      body: received.body,
      issues,
      curl: Request.curlFor(request, keys.invalidKey, probe)
    })
  }

  /**
   * Judges one answer by the response checks (the one rule engine, also
   * behind the proxy and the HAR reader). Returns the checks that judged
   * it, or why none could: the answer was not the API's. The exchange
   * rules about body.id and missing keys belong to the scenarios here,
   * which send those requests on purpose.
   */
  const observe = (probe: Probe, received: Response, json: unknown) => {
    const judgement = judgeReceived(
      probe.id,
      probe.credentials === "missing" ? undefined : Redacted.value(config.apiKey),
      received,
      json,
      { strict: config.strict, apiKey: keyChecked }
    )
    if (judgement.notTheApi !== undefined) return { judgedBy: [], notTheApi: judgement.notTheApi.reason }
    const judgedBy = judgement.evaluated.filter((check) => responseChecks.includes(check))
    for (const check of judgedBy) report.evaluated(check)
    for (const finding of judgement.findings) {
      if (judgedBy.includes(finding.check)) record(finding.check, probe, received, finding.message, finding.issues)
    }
    if (judgement.accountType !== undefined && probe.credentials === "valid") {
      report.variantSeen(judgement.accountType)
    }
    // Drift: in a lenient run, the fields of a valid 200 the spec does not know.
    if (judgement.unknownFields.length > 0) {
      const request = infoOf(probe)
      report.drift(judgement.unknownFields, {
        check: "response_schema",
        request,
        status: received.status,
        body: received.body,
        curl: Request.curlFor(request, keys.invalidKey, probe)
      })
    }
    return { judgedBy: [...judgedBy, ...timed(probe, received)], notTheApi: undefined }
  }

  /** `response_time`: an answer of the API slower than `--max-response-time` is a violation. */
  const timed = (probe: Probe, received: Response): ReadonlyArray<CheckName> => {
    if (maxResponseTimeMs === undefined) return []
    report.evaluated("response_time")
    if (received.durationMs > maxResponseTimeMs) {
      const message = `answered in ${Math.round(received.durationMs)} ms, over the maximum of ${maxResponseTimeMs} ms`
      record("response_time", probe, received, message, [])
    }
    return ["response_time"]
  }

  /**
   * Judges one attempt as it comes, counts it, and returns why no check
   * could judge it (no answer, a body over the limit, not the API's
   * answer), if so.
   */
  const judgeAttempt =
    (probe: Probe, scenarioCheck: CheckName | undefined) =>
    ({ outcome, json, overLimit }: Attempts.Attempted, retry: boolean): string | undefined => {
      let unjudged: string | undefined
      let judgedBy: ReadonlyArray<CheckName> = []
      if (outcome._tag === "ExchangeError") unjudged = Attempts.noAnswerReason(outcome)
      else if (overLimit !== undefined) unjudged = overLimit
      else {
        const seen = observe(probe, outcome, json)
        unjudged = seen.notTheApi
        judgedBy = scenarioCheck === undefined ? seen.judgedBy : [...seen.judgedBy, scenarioCheck]
        // Throttled: only key_not_reflected judges a 429 (counted by the report as throttled).
        if (outcome.status === throttledStatus) report.unjudged("429 (throttled)")
      }
      if (unjudged !== undefined) {
        for (const check of judging) report.inconclusive(check, 1, unjudged)
        report.unjudged(unjudged)
      }
      report.exchange({
        status: outcome._tag === "Response" ? outcome.status : null,
        latencyMs: outcome.durationMs,
        checks: judgedBy,
        retry
      })
      return unjudged
    }

  return { record, judgeAttempt }
}
