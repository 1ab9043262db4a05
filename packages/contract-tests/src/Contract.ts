/**
 * The contract suite as a library: `runContract(config)` checks any server
 * that claims to implement `GET /v1/accounts/{id}` and returns the report
 * as an Effect. `run(config)` is the same suite with the transport left to
 * the caller (a `ContractTransport` layer); `runContract` provides the Node
 * one.
 *
 * @example
 * ```ts
 * import { Contract, ContractReport } from "@postpress/contract-tests"
 * import { Config, Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   Effect.flatMap(Config.redacted("POSTPRESS_API_KEY"), (apiKey) =>
 *     Contract.runContract({
 *       baseUrl: "https://staging.example.com/api",
 *       apiKey,
 *       accountIds: ["acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"],
 *       foreignAccountIds: ["acc_of_another_workspace"],
 *       seed: 42
 *     })
 *   )
 * )
 * console.log(ContractReport.formatHuman(report))
 * ```
 *
 * @since 0.1.0
 */
export * from "./internal/sources/suite/run.js"
