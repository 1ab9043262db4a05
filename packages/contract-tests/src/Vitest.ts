/**
 * The contract suite inside a service's own vitest run: one import, one call,
 * one test per check. The suite runs once (in `beforeAll`); each check's test
 * then passes, fails with the human rendering of its failures, fails with
 * the reason it could not judge anything (inconclusive: never silently
 * green), or is skipped when the check was not run, its title naming why.
 * One more test fails when the run is inconclusive for a reason no single
 * check carries (an `--account-id` never judged).
 *
 * @example
 * ```ts
 * // staging.contract.test.ts
 * import { describeContract } from "@postpress/contract-tests/vitest"
 *
 * describeContract({
 *   baseUrl: process.env.STAGING_URL!,
 *   apiKey: process.env.POSTPRESS_API_KEY!,
 *   accountIds: process.env.POSTPRESS_ACCOUNT_IDS!.split(","),
 *   runs: 30
 * })
 * ```
 *
 * The configuration may also be a function (sync or async), called in
 * `beforeAll`: handy when the server itself is started by the test.
 *
 * @since 0.1.0
 */
import { Printable } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { beforeAll, describe, it } from "vitest"
import { type CheckName, checkNames } from "./internal/judge/checks.js"
import { formatFailure } from "./internal/render/human.js"
import type { ContractReport } from "./internal/report/model.js"
import * as Plan from "./internal/sources/suite/plan.js"
import { Config, type ContractConfig, runContract } from "./internal/sources/suite/run.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface DescribeContractOptions {
  /** The `describe` title (default `postpress contract`). */
  readonly name?: string
  /** Time allowed for the whole run in ms (default 120 000). */
  readonly timeout?: number
}

/**
 * Registers a `describe` block with one test per check.
 *
 * @since 0.1.0
 * @category vitest
 */
export const describeContract = (
  config: ContractConfig | (() => ContractConfig | Promise<ContractConfig>),
  options: DescribeContractOptions = {}
): void => {
  // A static configuration is decoded once, here: its plan names the checks that cannot run, and the run takes it
  // as it is. One that does not decode goes to the run as given, which fails with InvalidConfig in beforeAll.
  const decoded =
    typeof config === "function" ? Option.none() : Either.getRight(Schema.decodeUnknownEither(Config)(config))
  describe(options.name ?? "postpress contract", () => {
    let report: ContractReport | undefined
    beforeAll(async () => {
      const resolved = typeof config === "function" ? await config() : Option.getOrElse(decoded, () => config)
      report = await Effect.runPromise(runContract(resolved))
    }, options.timeout ?? 120_000)

    // A check that cannot run (not selected, or without its input) is known before the run: skipped with the reason in its title.
    const notRunNotes: Partial<Record<CheckName, string>> = Option.match(decoded, {
      onNone: () => ({}),
      onSome: notRunBeforehand
    })
    for (const name of checkNames) {
      const notRun = notRunNotes[name]
      if (notRun !== undefined) {
        it.skip(`${name} (not run: ${notRun})`, () => {})
        continue
      }
      it(name, (context) => {
        // A server that cannot be reached gives an inconclusive report: every check fails below with the reason.
        const check = report?.checks.find((c) => c.name === name)
        if (check === undefined) throw new Error("the contract run did not produce a report")
        if (check.status === "not_run") return context.skip(`not run: ${check.note ?? "not selected"}`)
        if (check.status === "inconclusive") {
          throw new Error(`${name}: inconclusive: ${check.note ?? "nothing judged"} (seed ${report!.seed})`)
        }
        if (check.status === "fail") {
          const shown = check.failures.map((failure, i) => formatFailure(failure, i + 1)).join("\n\n")
          const more =
            check.failureCount > check.failures.length
              ? `\n\n…and ${check.failureCount - check.failures.length} more`
              : ""
          throw new Error(
            `${name}: ${Printable.plural(check.failureCount, "failure")} (seed ${report!.seed})\n\n${shown}${more}`
          )
        }
      })
    }
    it("every --account-id was judged", () => {
      if (report === undefined) throw new Error("the contract run did not produce a report")
      // The reasons an inconclusive check gives are its own test's failure; the others (an account never judged) fail here.
      const inconclusive = report.checks.filter((c) => c.status === "inconclusive").map((c) => `${c.name}: `)
      const others = report.inconclusiveReasons.filter((reason) => !inconclusive.some((own) => reason.startsWith(own)))
      if (others.length > 0) throw new Error(`inconclusive: ${others.join("; ")}`)
    })
  })
}

/**
 * Why checks will not run, when the configuration alone tells: the engine's
 * own plan (`not selected`, or the input a check needs), for a static
 * configuration that decoded. A configuration function is resolved in
 * `beforeAll`, and a configuration that cannot run fails the run there.
 */
const notRunBeforehand = (decoded: Config): Partial<Record<CheckName, string>> => {
  // The plan does not depend on the seed: any resolves it.
  const resolved = Plan.resolveWith(decoded, decoded.seed ?? 0)
  const { notRun } = Plan.notRunOf(resolved, Plan.scenariosOf(resolved))
  const notSelected = checkNames.filter((name) => !resolved.selected.has(name)).map((name) => [name, "not selected"])
  return { ...notRun, ...Object.fromEntries(notSelected) }
}
