/**
 * Why a contract run could not start at all (as opposed to finding
 * violations or not being able to judge, which are a normal report):
 * `InvalidConfig`, its issues naming each field; and why one request got no
 * answer (`ExchangeError`, what a `ContractTransport` fails with). One
 * `Schema.TaggedError` per case: handle them with `Effect.catchTags`.
 *
 * @example
 * ```ts
 * import { Contract } from "@postpress/contract-tests"
 * import { Console, Effect } from "effect"
 *
 * declare const config: Contract.ContractConfig
 *
 * const verdict = Contract.runContract(config).pipe(
 *   Effect.map((report) => report.verdict),
 *   Effect.catchTags({
 *     InvalidConfig: (error) => Effect.as(Console.error(error.message), "usage" as const)
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
export * from "./internal/sources/suite/errors.js"
