/**
 * What a run tells as it goes: typed events a caller consumes from a
 * `Stream` (`Contract.events` for the suite, the proxy's handle for live
 * traffic) instead of callbacks. The suite emits `CheckStarted`,
 * `CheckProgress`, `CheckDone` and a `Violation` per failure as it is found,
 * then `Finished` with the report; the proxy emits `Listening`, `Violation`,
 * `Finding` and `LimitReached`. Every `line` is masked (the key in every
 * form) and escaped (`Printable.text`): print it as is.
 *
 * @example
 * ```ts
 * import { ContractEvent } from "@postpress/contract-tests"
 * import { Printable } from "@postpress/schema"
 * import { Console, Effect, Stream } from "effect"
 *
 * // e.g. Contract.events(config)
 * declare const events: Stream.Stream<ContractEvent.SuiteEvent | ContractEvent.Finished>
 *
 * const printed = events.pipe(
 *   Stream.runForEach(
 *     ContractEvent.ContractEvent.$match({
 *       CheckStarted: ({ check, requests }) => Console.error(`${check} (${Printable.plural(requests, "request")})…`),
 *       CheckProgress: () => Effect.void,
 *       CheckDone: ({ check, failures }) => Console.error(`${check}: ${Printable.plural(failures, "failure")}`),
 *       Violation: ({ line }) => Console.error(line),
 *       Finished: ({ report }) => Console.log(report.verdict),
 *       Listening: () => Effect.void,
 *       Finding: () => Effect.void,
 *       LimitReached: () => Effect.void
 *     })
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 */
export * from "./internal/report/events.js"
