/**
 * The scenario checks: which requests each sends and how it judges the
 * answer. Judges only look at what their rule is about (status, `type`,
 * `body.id`); body shapes are the response checks' business, so one broken
 * rule shows up under the check that names it.
 *
 * @since 0.1.0
 */
import { ApiError, ErrorCatalogue } from "@postpress/schema"
import type * as Redacted from "effect/Redacted"
import { bodyIdMatches, missingKeyAnswered } from "../../judge/judge.js"
import { NotJson, successStatus } from "../../judge/validate.js"
import { distinctSample, hostileId, unknownId } from "./generators.js"
import type { Probe, Scenario, Verdict } from "./probe.js"
import { securityScenarios } from "./securityScenarios.js"

export type { Probe, Scenario, Verdict } from "./probe.js"

/**
 * The inputs scenarios are built from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Inputs {
  readonly accountIds: ReadonlyArray<string>
  readonly foreignAccountIds: ReadonlyArray<string>
  readonly seed: number
  readonly runs: number
  readonly isSendable: (id: string) => boolean
  /** The real key, for the near-miss probes (not run without it). */
  readonly apiKey?: Redacted.Redacted<string> | undefined
}

const field = (json: unknown, key: string): unknown =>
  typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)[key] : undefined

const describeAnswer = (status: number, json: unknown): string => {
  const type = field(json, "type")
  return typeof type === "string" ? `${status} ${type}` : json === NotJson ? `${status} (not JSON)` : `${status}`
}

const unauthorized = ApiError.Unauthorized.status
const notFound = ApiError.NotFound.status
const notFoundTypes: ReadonlyArray<string> = ErrorCatalogue.typesOf(notFound)
const unauthorizedTypes: ReadonlyArray<string> = ErrorCatalogue.typesOf(unauthorized)

const expectTier = (
  status: number,
  json: unknown,
  wanted: number,
  types: ReadonlyArray<string>
): Verdict | undefined => {
  if (status !== wanted) return { message: `expected ${wanted}, got ${describeAnswer(status, json)}` }
  const type = field(json, "type")
  if (typeof type === "string" && types.includes(type)) return undefined
  return {
    message: `expected a ${wanted} with type ${types.join(" or ")}, got ${describeAnswer(status, json)}`,
    issues: [`type: expected ${types.join(" | ")}, got ${typeof type === "string" ? JSON.stringify(type) : "none"}`]
  }
}

// The exchange rules (ContractTraffic.judge) decide; a scenario only names the check.
const verdictOf = (finding: { readonly message: string; readonly issues: ReadonlyArray<string> } | undefined) =>
  finding === undefined ? undefined : { message: finding.message, issues: finding.issues }

const sameId = (probe: Probe, json: unknown): Verdict | undefined => verdictOf(bodyIdMatches(probe.id, json))

/** `object_level_authorization`: an account of another workspace is a 404, never served. */
const foreignAnswer = (status: number, json: unknown): Verdict | undefined =>
  status === notFound
    ? undefined
    : {
        message:
          status === successStatus
            ? "served an account of another workspace (expected 404)"
            : `expected ${notFound} for an account of another workspace, got ${describeAnswer(status, json)}`
      }

/** `hostile_ids`: a documented status, never a server error; a 200 names the id as given. */
const hostileAnswer = (probe: Probe, status: number, json: unknown): Verdict | undefined => {
  if (status === successStatus) return sameId(probe, json)
  if (!ErrorCatalogue.isErrorStatus(status)) {
    return { message: `a hostile id got an undocumented status: ${describeAnswer(status, json)}` }
  }
  // 503/504 never reach a judge (they are retried, then inconclusive).
  if (status >= 500) return { message: `a hostile id provoked a server error: ${describeAnswer(status, json)}` }
  return undefined
}

/**
 * Builds every scenario, in report order. Generated inputs come from the
 * seed, so the same seed sends the same requests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const scenarios = (inputs: Inputs): ReadonlyArray<Scenario> => {
  const reserved = new Set([...inputs.accountIds, ...inputs.foreignAccountIds])
  const unknown = distinctSample(
    unknownId,
    inputs.seed,
    1,
    Math.min(10, Math.max(3, Math.ceil(inputs.runs / 5))),
    (id) => !reserved.has(id)
  )
  // --runs N sends N hostile ids: drawn until N distinct ones that can travel (the generator repeats short ids).
  const hostile = distinctSample(hostileId, inputs.seed, 2, inputs.runs, inputs.isSendable)
  // Credential probes target a known account when there is one, so a server
  // that ignores credentials answers 200 and cannot hide behind a 404.
  const authTargets = [...inputs.accountIds.slice(0, 2), ...unknown.slice(0, 1)]
  return [
    {
      check: "known_accounts",
      probes: inputs.accountIds.map((id) => ({ id, credentials: "valid" })),
      notRunNote: "needs --account-id (or POSTPRESS_ACCOUNT_IDS)",
      judge: (probe, status, json) =>
        status === successStatus
          ? sameId(probe, json)
          : { message: `expected ${successStatus} for a known account, got ${describeAnswer(status, json)}` }
    },
    {
      check: "missing_credentials",
      probes: authTargets.map((id) => ({ id, credentials: "missing" })),
      notRunNote: "no id to request",
      judge: (_, status, json) => verdictOf(missingKeyAnswered(status, json))
    },
    {
      check: "invalid_credentials",
      probes: authTargets.map((id) => ({ id, credentials: "invalid" })),
      notRunNote: "no id to request",
      judge: (_, status, json) => expectTier(status, json, unauthorized, unauthorizedTypes)
    },
    {
      check: "not_found",
      probes: unknown.map((id) => ({ id, credentials: "valid" })),
      notRunNote: "no unknown id could be generated",
      judge: (_, status, json) => expectTier(status, json, notFound, notFoundTypes)
    },
    {
      check: "object_level_authorization",
      probes: inputs.foreignAccountIds.map((id) => ({ id, credentials: "valid" })),
      notRunNote: "needs --foreign-account-id",
      judge: (_, status, json) => foreignAnswer(status, json)
    },
    {
      check: "hostile_ids",
      probes: hostile.map((id) => ({ id, credentials: "valid" })),
      notRunNote: "needs --runs of at least 1",
      ...(hostile.length < inputs.runs
        ? { note: `${hostile.length} distinct hostile ids for --runs ${inputs.runs} (the generator repeated itself)` }
        : {}),
      judge: hostileAnswer
    },
    ...securityScenarios({ apiKey: inputs.apiKey, knownIds: inputs.accountIds, authTarget: authTargets[0] })
  ]
}
