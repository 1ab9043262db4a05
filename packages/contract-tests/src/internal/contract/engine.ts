/**
 * The run: preflight, then each scenario's requests (concurrently within a
 * scenario), every response judged by the response checks, every final
 * answer by its scenario's judge, then the report.
 *
 * @since 0.1.0
 */
import { Account, AccountsApi } from "@postpress/schema"
import * as Effect from "effect/Effect"
import { type CheckName, checkNames, descriptions, responseChecks } from "../../ContractCheck.js"
import { ContractError } from "../../ContractError.js"
import type { CheckResult, ContractReport, Failure } from "../../ContractReport.js"
import { maxFailuresPerCheck } from "../../ContractReport.js"
import { sample, wrongKey } from "./generators.js"
import * as Request from "./request.js"
import { type Probe, type Scenario, scenarios } from "./scenarios.js"
import { parseJson, type Received, redact, successStatus, transientStatuses, validateResponse } from "./validate.js"

/**
 * Progress as the run goes, for a CLI or a test reporter.
 *
 * @since 0.1.0
 * @category models
 */
export type Progress =
  | { readonly _tag: "Start"; readonly check: CheckName; readonly requests: number }
  | { readonly _tag: "Tick"; readonly check: CheckName; readonly done: number; readonly requests: number }
  | { readonly _tag: "Done"; readonly check: CheckName; readonly requests: number; readonly failures: number }

/**
 * A validated configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly baseUrl: string
  readonly target: Request.Target
  readonly apiKey: string
  readonly accountIds: ReadonlyArray<string>
  readonly foreignAccountIds: ReadonlyArray<string>
  readonly seed: number
  readonly runs: number
  readonly strict: boolean
  readonly requireVariants: boolean
  readonly timeoutMs: number
  readonly concurrency: number
  readonly maxAttempts: number
  readonly selected: ReadonlySet<CheckName>
  readonly excluded: ReadonlySet<CheckName>
  readonly onProgress: (progress: Progress) => void
}

const BODY_EXCERPT = 300
/** A progress tick every this many answers within a scenario. */
const TICK = 50
/** Keys shorter than this could appear in any body by chance. */
const MIN_KEY_LENGTH = 8

interface Tally {
  evaluated: number
  inconclusive: number
  failureCount: number
  readonly failures: Array<Failure>
  durationMs: number
}

/**
 * Runs the suite. Fails only when the server cannot be reached at all;
 * violations are the report's content.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (config: Resolved): Effect.Effect<ContractReport, ContractError> =>
  Effect.gen(function* () {
    const started = performance.now()
    const startedAt = new Date().toISOString()
    const tallies = new Map<CheckName, Tally>(
      checkNames.map((name) => [name, { evaluated: 0, inconclusive: 0, failureCount: 0, failures: [], durationMs: 0 }])
    )
    const tally = (name: CheckName) => tallies.get(name)!
    const keyChecked = config.apiKey.length >= MIN_KEY_LENGTH ? config.apiKey : undefined
    const invalidKey = wrongKeyFor(config)
    const seenTypes = new Set<string>()
    const knownTypes: ReadonlySet<string> = new Set(Account.accountTypes)
    let requests = 0
    let retries = 0

    const infoOf = (probe: Probe): Request.RequestInfo => ({
      method: "GET",
      url: Request.urlFor(config.target, probe.id),
      accountId: probe.id,
      credentials: probe.credentials
    })

    const record = (
      check: CheckName,
      probe: Probe,
      status: number | null,
      body: string,
      message: string,
      issues: ReadonlyArray<string>
    ) => {
      if (!config.selected.has(check)) return
      const t = tally(check)
      t.failureCount++
      if (t.failures.length >= maxFailuresPerCheck) return
      const request = infoOf(probe)
      // Redact before cutting, so a key straddling the cut cannot leak in part.
      const shown = redact(body, config.apiKey)
      t.failures.push({
        check,
        message: redact(message, config.apiKey),
        request,
        status,
        body: shown.slice(0, BODY_EXCERPT),
        bodyTruncated: shown.length > BODY_EXCERPT,
        issues: issues.map((issue) => redact(issue, config.apiKey)),
        seed: config.seed,
        curl: Request.curlFor(request, invalidKey)
      })
    }

    const observe = (probe: Probe, received: Received, json: unknown) => {
      const isError = received.status < 200 || received.status > 299
      for (const check of responseChecks) {
        if (check === "response_schema" && received.status !== successStatus) continue
        if (check === "error_envelope" && !isError) continue
        if (check === "key_not_reflected" && keyChecked === undefined) continue
        tally(check).evaluated++
      }
      const violations = validateResponse(received, json, { strict: config.strict, apiKey: keyChecked })
      for (const violation of violations) {
        record(violation.check, probe, received.status, received.body, violation.message, violation.issues)
      }
      if (received.status === successStatus && probe.credentials === "valid") {
        const type = typeof json === "object" && json !== null ? (json as { type?: unknown }).type : undefined
        if (typeof type === "string" && knownTypes.has(type)) seenTypes.add(type)
      }
    }

    const headersFor = (probe: Probe): Record<string, string> => {
      const headers: Record<string, string> = { accept: "application/json" }
      if (probe.credentials === "valid") headers[AccountsApi.apiKeyHeader] = config.apiKey
      if (probe.credentials === "invalid") headers[AccountsApi.apiKeyHeader] = invalidKey
      return headers
    }

    // 503/504 and transport errors are retried a bounded number of times so
    // that a flaky server still gets a verdict; every attempt is judged.
    const exchange = (probe: Probe, judge: boolean) =>
      Effect.gen(function* () {
        const path = Request.pathFor(config.target, probe.id)
        const headers = headersFor(probe)
        let attempt = 1
        while (true) {
          const outcome = yield* Request.send(config.target, path, headers, config)
          requests++
          let json: unknown
          if (outcome._tag === "Response") {
            json = parseJson(outcome.body)
            if (judge) observe(probe, outcome, json)
          }
          const again = outcome._tag === "TransportError" || transientStatuses.has(outcome.status)
          if (!again || attempt >= config.maxAttempts) return { outcome, json }
          retries++
          yield* Effect.sleep(backoffMs(outcome, attempt))
          attempt++
        }
      })

    const runScenario = (scenario: Scenario) =>
      Effect.gen(function* () {
        const t = tally(scenario.check)
        config.onProgress({ _tag: "Start", check: scenario.check, requests: scenario.probes.length })
        const began = performance.now()
        let done = 0
        yield* Effect.forEach(
          scenario.probes,
          (probe) =>
            Effect.map(exchange(probe, true), ({ outcome, json }) => {
              done++
              if (done % TICK === 0 && done < scenario.probes.length) {
                config.onProgress({ _tag: "Tick", check: scenario.check, done, requests: scenario.probes.length })
              }
              if (outcome._tag === "TransportError") {
                t.evaluated++
                record(scenario.check, probe, null, "", `no response: ${outcome.message}`, [])
              } else if (transientStatuses.has(outcome.status)) {
                t.inconclusive++
              } else {
                t.evaluated++
                const verdict = scenario.judge(probe, outcome.status, json)
                if (verdict !== undefined) {
                  record(scenario.check, probe, outcome.status, outcome.body, verdict.message, verdict.issues ?? [])
                }
              }
            }),
          { concurrency: config.concurrency, discard: true }
        )
        t.durationMs = performance.now() - began
        config.onProgress({
          _tag: "Done",
          check: scenario.check,
          requests: scenario.probes.length,
          failures: t.failureCount
        })
      })

    const all = scenarios({
      accountIds: config.accountIds,
      foreignAccountIds: config.foreignAccountIds,
      seed: config.seed,
      runs: config.runs,
      isSendable: Request.isSendable
    })

    // Preflight: one request that is not judged, so an unreachable server is
    // a usage-level error (exit 2) rather than thirteen failed checks.
    const probeId = config.accountIds[0] ?? all.find((s) => s.check === "not_found")?.probes[0]?.id ?? "contract"
    const preflight = yield* exchange({ id: probeId, credentials: "valid" }, false)
    if (preflight.outcome._tag === "TransportError") {
      return yield* new ContractError({
        reason: "Unreachable",
        message: `cannot reach ${config.baseUrl}: ${preflight.outcome.message}${preflight.outcome.code === undefined ? "" : ` (${preflight.outcome.code})`}`
      })
    }

    const anyResponseCheck = responseChecks.some((c) => config.selected.has(c))
    for (const scenario of all) {
      const wanted =
        config.selected.has(scenario.check) ||
        (scenario.check === "known_accounts" && config.selected.has("variant_coverage")) ||
        (anyResponseCheck && !config.excluded.has(scenario.check))
      if (wanted && scenario.probes.length > 0) yield* runScenario(scenario)
    }

    const durationMs = performance.now() - started
    const missing = Account.accountTypes.filter((type) => !seenTypes.has(type))
    const checks = checkNames.map((name): CheckResult => {
      const t = tally(name)
      const base = {
        name,
        description: descriptions[name],
        evaluated: t.evaluated,
        inconclusive: t.inconclusive,
        failureCount: t.failureCount,
        failures: t.failures,
        durationMs: responseChecks.includes(name) ? durationMs : t.durationMs
      }
      if (!config.selected.has(name)) return { ...base, status: "skip", note: "not selected" }
      if (name === "variant_coverage") return variantResult(config, base, seenTypes, missing)
      if (name === "key_not_reflected" && keyChecked === undefined) {
        return { ...base, status: "skip", note: `the API key is shorter than ${MIN_KEY_LENGTH} characters` }
      }
      const scenario = all.find((s) => s.check === name)
      if (scenario !== undefined && scenario.probes.length === 0)
        return { ...base, status: "skip", note: scenario.skipNote }
      if (t.failureCount > 0) return { ...base, status: "fail" }
      if (t.evaluated === 0) {
        return { ...base, status: "skip", note: t.inconclusive > 0 ? "every answer was 503/504" : "nothing to judge" }
      }
      return { ...base, status: "pass" }
    })
    return {
      passed: checks.every((c) => c.status !== "fail"),
      baseUrl: config.baseUrl,
      seed: config.seed,
      runs: config.runs,
      strict: config.strict,
      startedAt,
      durationMs,
      requests,
      retries,
      variants: { seen: Account.accountTypes.filter((type) => seenTypes.has(type)), missing },
      checks
    }
  }).pipe(Effect.ensuring(Effect.sync(() => Request.release(config.target))))

const variantResult = (
  config: Resolved,
  base: Omit<CheckResult, "status" | "note">,
  seen: ReadonlySet<string>,
  missing: ReadonlyArray<string>
): CheckResult => {
  const note = `seen ${seen.size}/${Account.accountTypes.length}${missing.length > 0 ? `; missing ${missing.join(", ")}` : ""}`
  const evaluated = { ...base, evaluated: seen.size }
  if (!config.requireVariants || missing.length === 0) return { ...evaluated, status: "pass", note }
  const failure: Failure = {
    check: "variant_coverage",
    message: `--require-variants: no account of type ${missing.join(", ")} was seen`,
    request: null,
    status: null,
    body: "",
    bodyTruncated: false,
    issues: [],
    seed: config.seed,
    curl: null
  }
  return { ...evaluated, status: "fail", note, failureCount: 1, failures: [failure] }
}

const backoffMs = (outcome: Request.Outcome, attempt: number): number => {
  const header = outcome._tag === "Response" ? outcome.headers["retry-after"] : undefined
  const retryAfter = header === undefined ? Number.NaN : Number(header) * 1000
  // Honour Retry-After but cap it: a contract run must finish.
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter, 2000)
  return Math.min(50 * 2 ** (attempt - 1), 1000)
}

const wrongKeyFor = (config: Resolved): string => {
  // Random per seed (so a seed reproduces it), and never the real key.
  let key = sample(wrongKey, config.seed, 3, 1)[0] ?? "pp_live_wrong"
  while (key === config.apiKey) key += "x"
  return key
}
