/**
 * The suite's entry: a configuration decoded once (`Config`: defaults, THE
 * base-URL rule, check selection) before any request (a `Config` decoded
 * already is taken as it is), then the engine's
 * event stream over the `ContractTransport` in context; the report is that
 * stream folded to its last event. The `Contract` face exports it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Finished, SuiteEvent } from "../../report/events.js"
import type { ContractReport } from "../../report/model.js"
import { type Config, type ContractConfig, decode } from "./config.js"
import * as Engine from "./engine.js"
import type { InvalidConfig } from "./errors.js"
import * as Plan from "./plan.js"
import * as NodeTransport from "./transport.js"
import type { ContractTransport } from "./transportService.js"

export { Config, type ContractConfig, decode, fields, fromDecoded } from "./config.js"

/**
 * The suite as it runs, over the `ContractTransport` the caller provides:
 * `CheckStarted`, `CheckProgress` (every 50 answers) and `CheckDone` per
 * scenario check, a `Violation` per failure as it is found (its line masked
 * and escaped), then `Finished` with the report, the last event. Fails with
 * {@link InvalidConfig} before any request when the configuration cannot
 * run; never otherwise (what could not be judged is the report's content).
 * The run goes on while the stream is read (at most 4096 events ahead of
 * its reader) and is interrupted when the reader stops.
 *
 * @since 0.1.0
 * @category running
 */
export const events = (
  config: ContractConfig | Config
): Stream.Stream<SuiteEvent | Finished, InvalidConfig, ContractTransport> =>
  Stream.unwrap(Effect.map(Effect.flatMap(decode(config), Plan.resolve), Engine.events))

/**
 * The report a suite's events end with (`Finished`), the others read and
 * let go.
 *
 * @since 0.1.0
 * @category running
 */
export const reportOf = <E, R>(
  events: Stream.Stream<SuiteEvent | Finished, E, R>
): Effect.Effect<ContractReport, E, R> =>
  events.pipe(
    Stream.runFold(Option.none<ContractReport>(), (found, event) =>
      event._tag === "Finished" ? Option.some(event.report) : found
    ),
    Effect.flatMap(
      Option.match({
        // The engine ends every stream with Finished: a stream without it is a defect, not a verdict.
        onNone: () => Effect.dieMessage("the contract suite ended without its report"),
        onSome: Effect.succeed
      })
    )
  )

/**
 * Runs the suite against `config.baseUrl` over the `ContractTransport` the
 * caller provides: its {@link events} folded to the report. Succeeds with
 * the report whether or not violations were found (see `report.verdict`:
 * `pass`, `fail`, or `inconclusive` when something it claims to check could
 * not be judged: a server that cannot be reached, or whose first answer is
 * cut mid-body, gives an inconclusive report whose `inconclusiveReasons`
 * say so); fails with {@link InvalidConfig} only for a configuration that
 * cannot run (no check selected included), before any request is sent.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (config: ContractConfig | Config): Effect.Effect<ContractReport, InvalidConfig, ContractTransport> =>
  reportOf(events(config))

/**
 * {@link run} over Node's `http`/`https` (`ContractTransport.layerNode`): its
 * keep-alive sockets are closed when the run ends, however it ends.
 *
 * @since 0.1.0
 * @category running
 */
export const runContract = (config: ContractConfig | Config): Effect.Effect<ContractReport, InvalidConfig> =>
  run(config).pipe(Effect.provide(NodeTransport.layer))
