/**
 * What a run will do, known from its configuration alone before any
 * request: the scenarios, the ones it sends, and the checks that cannot run
 * for lack of their input (with the flag they need). The engine runs this
 * plan, and `describeContract` reads the same rules to skip, at collection
 * time, the tests of checks that will not run.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import { type CheckName, responseChecks, select } from "../../judge/checks.js"
import { MIN_KEY_LENGTH } from "../../judge/judge.js"
import type { Config } from "./config.js"
import * as Request from "./request.js"
import type { Resolved } from "./resolved.js"
import { type Scenario, scenarios } from "./scenarios.js"

/**
 * A decoded configuration resolved with `seed` (the run's, or one drawn).
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolveWith = (config: Config, seed: number): Resolved => {
  const { selected, excluded } = select(config.checks, config.excludeChecks)
  return { ...config, seed, target: Request.makeTarget(config.baseUrl), selected, excluded }
}

/**
 * A decoded configuration resolved, its seed drawn from `Random` when none
 * was given (the report says which, so the run reproduces).
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (config: Config): Effect.Effect<Resolved> =>
  Effect.map(config.seed === undefined ? Random.nextIntBetween(0, 0x7fffffff) : Effect.succeed(config.seed), (seed) =>
    resolveWith(config, seed)
  )

/**
 * The key as the rules that look for it in answers take it; `undefined` when
 * it is too short to look for (`key_not_reflected` is then not run).
 *
 * @since 0.1.0
 * @category plan
 */
export const keyChecked = (config: Resolved): Redacted.Redacted<string> | undefined =>
  Redacted.value(config.apiKey).length >= MIN_KEY_LENGTH ? config.apiKey : undefined

/**
 * Every scenario of the configuration, in report order (those without
 * requests included: they say why they do not run).
 *
 * @since 0.1.0
 * @category plan
 */
export const scenariosOf = (config: Resolved): ReadonlyArray<Scenario> =>
  scenarios({
    accountIds: config.accountIds,
    foreignAccountIds: config.foreignAccountIds,
    seed: config.seed,
    runs: config.runs,
    isSendable: Request.isSendable,
    apiKey: config.apiKey
  })

/**
 * The scenarios whose requests the run sends: those of a selected check, the
 * known accounts when `variant_coverage` reads them, and, while a response
 * check is selected, every scenario not excluded by name (their answers
 * are what the response checks judge).
 *
 * @since 0.1.0
 * @category plan
 */
export const sentScenarios = (config: Resolved, all: ReadonlyArray<Scenario>): ReadonlyArray<Scenario> => {
  const anyResponseCheck = responseChecks.some((check) => config.selected.has(check))
  return all.filter(
    (scenario) =>
      scenario.probes.length > 0 &&
      (config.selected.has(scenario.check) ||
        (scenario.check === "known_accounts" && config.selected.has("variant_coverage")) ||
        (anyResponseCheck && !config.excluded.has(scenario.check)))
  )
}

/**
 * The checks the configuration itself leaves without their input (a key
 * long enough to look for, `--max-response-time`), each with what it
 * needs: not run, and judging no answer.
 *
 * @since 0.1.0
 * @category plan
 */
export const lackingInput = (config: Resolved): Partial<Record<CheckName, string>> => ({
  ...(keyChecked(config) === undefined
    ? { key_not_reflected: `needs an API key of at least ${MIN_KEY_LENGTH} characters (the key is shorter)` }
    : {}),
  ...(config.maxResponseTime === undefined ? { response_time: "needs --max-response-time" } : {})
})

/**
 * The checks that lack their input, each with what it needs (`needs
 * --foreign-account-id`): reported as not run, never inconclusive. `notes`
 * are what the checks that run in part say.
 *
 * @since 0.1.0
 * @category plan
 */
export const notRunOf = (
  config: Resolved,
  all: ReadonlyArray<Scenario>
): {
  readonly notRun: Partial<Record<CheckName, string>>
  readonly notes: Partial<Record<CheckName, string>>
} => {
  const notRun: Partial<Record<CheckName, string>> = { ...lackingInput(config) }
  const notes: Partial<Record<CheckName, string>> = {}
  for (const scenario of all) {
    // Without any --account-id the account checks are not a pass: the report builder says how to fix it.
    if (scenario.probes.length === 0 && scenario.check !== "known_accounts")
      notRun[scenario.check] = scenario.notRunNote
    else if (scenario.note !== undefined) notes[scenario.check] = scenario.note
  }
  return { notRun, notes }
}
