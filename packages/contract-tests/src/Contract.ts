/**
 * The contract suite as a library: `runContract(config)` checks any server
 * that claims to implement `GET /v1/accounts/{id}` and returns the report
 * as an Effect. `run(config)` is the same suite with the transport left to
 * the caller (a `ContractTransport` layer); `runContract` provides the Node
 * one. `events(config)` is the run as it goes: a `Stream` of typed events
 * (`ContractEvent`: progress per check, each violation as it is found, then
 * `Finished` with the report), which `run` folds to the report.
 *
 * The configuration is ONE Schema, {@link Config}, decoded once before any
 * request: a configuration that cannot run fails with `InvalidConfig`,
 * whose issues name each field and its rule.
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
 * @example
 * ```ts
 * import { Contract, ContractTransport } from "@postpress/contract-tests"
 * import { Console, Effect, Stream } from "effect"
 *
 * declare const config: Contract.ContractConfig
 *
 * // Each violation printed as it is found; the report at the end.
 * const report = Contract.events(config).pipe(
 *   Stream.tap((event) => (event._tag === "Violation" ? Console.error(event.line) : Effect.void)),
 *   Contract.reportOf,
 *   Effect.provide(ContractTransport.layerNode)
 * )
 * ```
 *
 * @since 0.1.0
 */
export * from "./internal/sources/suite/run.js"
