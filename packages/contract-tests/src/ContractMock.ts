/**
 * The default run: the contract suite against the embedded mock server,
 * using the mock's own fixtures (key, account ids of workspace 0, and the
 * ids of the other workspaces as foreign ids). This is what `pnpm contract`
 * does without `--base-url`. `events` is the run as it goes (the suite's
 * `ContractEvent`s), `runAgainstMock` its report.
 *
 * @example
 * ```ts
 * import { ContractMock, ContractReport } from "@postpress/contract-tests"
 * import { Effect } from "effect"
 *
 * const human = ContractMock.runAgainstMock({ seed: 42 }).pipe(Effect.map(ContractReport.formatHuman))
 * ```
 *
 * @since 0.1.0
 */
export * from "./internal/sources/suite/mockRun.js"
