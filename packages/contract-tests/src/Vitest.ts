/**
 * The contract suite inside a service's own vitest run: one import, one call,
 * one test per check. The suite runs once (in `beforeAll`); each check's test
 * then passes, fails with the human rendering of its failures, or is skipped
 * with the reason.
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
import * as Effect from "effect/Effect"
import { beforeAll, describe, it } from "vitest"
import { type ContractConfig, runContract } from "./Contract.js"
import { checkNames } from "./ContractCheck.js"
import { type ContractReport, formatFailure } from "./ContractReport.js"

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
  describe(options.name ?? "postpress contract", () => {
    let report: ContractReport | undefined
    beforeAll(async () => {
      const resolved = typeof config === "function" ? await config() : config
      report = await Effect.runPromise(runContract(resolved))
    }, options.timeout ?? 120_000)

    for (const name of checkNames) {
      it(name, (context) => {
        // beforeAll failing (unreachable server) already fails every test.
        const check = report?.checks.find((c) => c.name === name)
        if (check === undefined) throw new Error("the contract run did not produce a report")
        if (check.status === "skip") return context.skip(check.note)
        if (check.status === "fail") {
          const shown = check.failures.map((failure, i) => formatFailure(failure, i + 1)).join("\n\n")
          const more =
            check.failureCount > check.failures.length
              ? `\n\n…and ${check.failureCount - check.failures.length} more`
              : ""
          throw new Error(`${name}: ${check.failureCount} failure(s) (seed ${report!.seed})\n\n${shown}${more}`)
        }
      })
    }
  })
}
