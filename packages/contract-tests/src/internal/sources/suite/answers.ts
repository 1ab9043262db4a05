/**
 * What the suite makes of each answer: the response checks' judgement (THE
 * rule engine, `judgeReceived`, also behind the proxy and the HAR reader),
 * `response_time`, drift, account types seen, and, for an answer no check
 * can judge (no answer, a body over the limit, not the API's answer), the
 * reason, counted against every check that judges answers. Each violation
 * is filed with the report and returned as a `Violation` event (its line
 * masked and escaped) for the run's stream. Small functions over one
 * {@link Context} value.
 *
 * @since 0.1.0
 */
import { Printable } from "@postpress/schema"
import * as Redacted from "effect/Redacted"
import { type CheckName, responseChecks } from "../../judge/checks.js"
import { type Judgement, judgeReceived, throttledStatus } from "../../judge/judge.js"
import type { ReportBuilder } from "../../report/builder.js"
import { ContractEvent, type Violation } from "../../report/events.js"
import * as Attempts from "./attempts.js"
import * as Plan from "./plan.js"
import * as Request from "./request.js"
import type { Resolved } from "./resolved.js"
import type { Probe } from "./scenarios.js"
import type { TransportResponse } from "./transportService.js"

/**
 * What judging one attempt tells: why no check could judge it (if so), and
 * the violations it was found to carry.
 *
 * @since 0.1.0
 * @category models
 */
export interface Judged {
  readonly unjudged: string | undefined
  readonly violations: ReadonlyArray<Violation>
}

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
  /** Masks the key (and its near-miss forms) in any text. */
  readonly hide: (text: string) => string
  /** The response checks that judge answers in this run: an answer none can judge counts against each. */
  readonly judging: ReadonlyArray<CheckName>
}

/**
 * The judging context of a run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (context: Omit<Context, "judging">): Context => {
  const lacking = Plan.lackingInput(context.config)
  return {
    ...context,
    judging: responseChecks.filter((check) => context.config.selected.has(check) && lacking[check] === undefined)
  }
}

const infoOf = ({ config }: Context, probe: Probe): Request.RequestInfo => ({
  method: "GET",
  url: Request.urlOf(config.target, probe),
  accountId: probe.id,
  credentials: probe.credentials
})

/**
 * Files a violation with its request and curl line, and returns its event
 * (none for a check that was not selected: the report ignores it too).
 *
 * @since 0.1.0
 * @category judging
 */
export const record = (
  context: Context,
  violation: {
    readonly check: CheckName
    readonly probe: Probe
    readonly received: TransportResponse
    readonly message: string
    readonly issues: ReadonlyArray<string>
  }
): ReadonlyArray<Violation> => {
  const { check, probe, received, message, issues } = violation
  const request = infoOf(context, probe)
  context.report.failure({
    check,
    message,
    request,
    status: received.status,
    body: received.body,
    issues,
    curl: Request.curlFor(request, context.keys.invalidKey, probe)
  })
  if (!context.config.selected.has(check)) return []
  // Masked, then escaped: bytes from the server never drive the terminal that shows the line.
  const line = Printable.text(context.hide(`violation ${check}: GET ${request.url} → ${received.status}: ${message}`))
  return [ContractEvent.Violation({ check, line })]
}

/** `response_time`: an answer of the API slower than `--max-response-time` is a violation. */
const timed = (context: Context, probe: Probe, received: Attempts.Answer) => {
  const { maxResponseTimeMs } = context
  if (maxResponseTimeMs === undefined) return { judgedBy: [], violations: [] }
  context.report.evaluated("response_time")
  const message = `answered in ${Math.round(received.durationMs)} ms, over the maximum of ${maxResponseTimeMs} ms`
  const violations =
    received.durationMs > maxResponseTimeMs
      ? record(context, { check: "response_time", probe, received, message, issues: [] })
      : []
  return { judgedBy: ["response_time" as const], violations }
}

/**
 * Drift: in a lenient run, the fields of a valid 200 the spec does not know;
 * with `unknownTypes: "keep"`, an account type none of the 14 too.
 */
const drift = (context: Context, probe: Probe, received: Attempts.Answer, judgement: Judgement) => {
  const fields = judgement.unknownFields
  if (fields.length === 0 && judgement.unknownType === undefined) return
  const request = infoOf(context, probe)
  const example = {
    check: "response_schema" as const,
    request,
    status: received.status,
    body: received.body,
    curl: Request.curlFor(request, context.keys.invalidKey, probe)
  }
  if (fields.length > 0) context.report.drift(fields, example)
  if (judgement.unknownType !== undefined) context.report.unknownType(judgement.unknownType, example)
}

/**
 * Judges one answer by the response checks (the one rule engine, also
 * behind the proxy and the HAR reader): the checks that judged it and its
 * violations, or why none could (the answer was not the API's). The
 * exchange rules about body.id and missing keys belong to the scenarios
 * here, which send those requests on purpose.
 */
const observe = (context: Context, probe: Probe, received: Attempts.Answer, json: unknown) => {
  const { config, report } = context
  const judgement = judgeReceived(
    probe.id,
    probe.credentials === "missing" ? undefined : Redacted.value(config.apiKey),
    received,
    json,
    { strict: config.strict, apiKey: context.keyChecked, unknownTypes: config.unknownTypes }
  )
  if (judgement.notTheApi !== undefined) return { judgedBy: [], notTheApi: judgement.notTheApi.reason, violations: [] }
  const judgedBy = judgement.evaluated.filter((check) => responseChecks.includes(check))
  for (const check of judgedBy) report.evaluated(check)
  const violations = judgement.findings
    .filter((finding) => judgedBy.includes(finding.check))
    .flatMap((finding) => record(context, { ...finding, probe, received }))
  if (judgement.accountType !== undefined && probe.credentials === "valid") report.variantSeen(judgement.accountType)
  drift(context, probe, received, judgement)
  const time = timed(context, probe, received)
  return {
    judgedBy: [...judgedBy, ...time.judgedBy],
    notTheApi: undefined,
    violations: [...violations, ...time.violations]
  }
}

/** What the response checks make of an attempt: the checks that judged it, why none could, its violations. */
const examine = (
  context: Context,
  probe: Probe,
  scenarioCheck: CheckName,
  { outcome, json, overLimit }: Attempts.Attempted
): Judged & { readonly judgedBy: ReadonlyArray<CheckName> } => {
  if (outcome._tag === "NoAnswer") {
    return { judgedBy: [], unjudged: Attempts.noAnswerReason(outcome.error), violations: [] }
  }
  if (overLimit !== undefined) return { judgedBy: [], unjudged: overLimit, violations: [] }
  const seen = observe(context, probe, outcome, json)
  // Throttled: only key_not_reflected judges a 429 (counted by the report as throttled).
  if (outcome.status === throttledStatus) context.report.unjudged("429 (throttled)")
  return { judgedBy: [...seen.judgedBy, scenarioCheck], unjudged: seen.notTheApi, violations: seen.violations }
}

/**
 * Judges one attempt of a request of `scenarioCheck` (`retry`: it repeats
 * an earlier one), counts it, and returns why no check could judge it (no
 * answer, a body over the limit, not the API's answer), if so, with its
 * violations.
 *
 * @since 0.1.0
 * @category judging
 */
export const judgeAttempt = (
  context: Context,
  probe: Probe,
  scenarioCheck: CheckName,
  attempted: Attempts.Attempted,
  retry: boolean
): Judged => {
  const { report } = context
  const { judgedBy, unjudged, violations } = examine(context, probe, scenarioCheck, attempted)
  if (unjudged !== undefined) {
    for (const check of context.judging) report.inconclusive(check, 1, unjudged)
    report.unjudged(unjudged)
  }
  const { outcome } = attempted
  report.exchange({
    status: outcome._tag === "Response" ? outcome.status : null,
    latencyMs: outcome.durationMs,
    checks: judgedBy,
    retry
  })
  return { unjudged, violations }
}
