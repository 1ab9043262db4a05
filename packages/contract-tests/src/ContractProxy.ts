/**
 * A validating proxy: put it between a service and the postpress API (or a
 * staging copy) and it judges every `GET {target}/v1/accounts/{id}` exchange
 * with {@link ContractTraffic.judge} while passing the traffic through
 * unchanged: method, path as sent, query, headers (the key included, every
 * header whatever their count) and body go to the target; 1xx informational
 * answers, status, headers, body bytes and trailers come back. Only
 * hop-by-hop headers may differ; nothing is rewritten, retried, cached or
 * delayed, and no header is added.
 *
 * A compressed answer (`gzip`, `br`, `deflate`, `zstd` where Node has it) is
 * judged on a decoded copy, bounded by `maxBodyBytes` once decoded (a gzip
 * bomb is "not judged: body over the limit"); the client still gets the
 * target's bytes. Answers that are not the API's (a gateway's HTML 503, a
 * `304 Not Modified`, a 429) are counted as not judged with their reason, so
 * a target that is down behind its load balancer is inconclusive, not a
 * failure. Violation lines show server bytes escaped (`\x1b`), never raw.
 *
 * Every exchange ends: an answer that is not valid HTTP becomes a 502
 * `application/problem+json` with a finding, silence past `upstreamTimeout` a
 * 504, an upgrade (101) or CONNECT is refused with a finding. A session that
 * judged nothing is inconclusive (`report.verdict`), never a pass. Every
 * key seen in traffic is masked in every output.
 *
 * The options are ONE Schema, {@link Config}, decoded once (the CLI decodes
 * its flags into it and passes the `Config`, which `make` and `run` take as
 * it is); what happens is a `Stream` of `ContractEvent`s
 * (`Listening`, `Violation`, `Finding`, `LimitReached`). {@link run} stops
 * on `maxRequests`, on `until`, or when its fiber is interrupted; it drains
 * the exchanges in flight for at most `drain`, cuts the rest, and writes
 * every report (interrupted too).
 *
 * ```ts
 * import { ContractProxy } from "@postpress/contract-tests"
 * import { NodeFileSystem } from "@effect/platform-node"
 * import { Console, Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   ContractProxy.run(
 *     { target: "https://staging.example.com/api", maxRequests: 500, json: "proxy-report.json" },
 *     {
 *       onEvent: (event) =>
 *         event._tag === "Listening" ? Console.log(`point the service at ${event.url}`)
 *         : event._tag === "Violation" || event._tag === "Finding" ? Console.error(event.line)
 *         : Effect.void
 *     }
 *   ).pipe(Effect.provide(NodeFileSystem.layer))
 * )
 * ```
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { InvalidConfig } from "./internal/invalidConfig.js"
import * as Files from "./internal/render/files.js"
import type { ProxyEvent } from "./internal/report/events.js"
import type { TrafficReport } from "./internal/report/trafficModel.js"
import * as ProxyConfig from "./internal/sources/proxy/config.js"
import type { CannotListen, HarNotWritten } from "./internal/sources/proxy/errors.js"
import * as ProxySession from "./internal/sources/proxy/proxy.js"
import * as Session from "./internal/sources/proxy/session.js"

export { InvalidConfig } from "./internal/invalidConfig.js"
export { ReportsNotWritten } from "./internal/render/files.js"
export { Config, defaults, type Options } from "./internal/sources/proxy/config.js"
export { CannotListen, HarNotWritten } from "./internal/sources/proxy/errors.js"
export { type ContractProxy, EVENTS_BUFFERED } from "./internal/sources/proxy/proxy.js"

/**
 * Why a proxy run could not start or keep its promise: a config that cannot
 * be decoded, a port that cannot be bound, a `--har` file that cannot be
 * opened, reports that cannot be written.
 *
 * @since 0.1.0
 * @category errors
 */
export type ContractProxyError = InvalidConfig | CannotListen | HarNotWritten | Files.ReportsNotWritten

/**
 * Decodes the options (a {@link Config} decoded already is taken as it is),
 * then starts the proxy; it listens while the scope is
 * open (closing the scope cuts it without a report; call `stop` for an
 * orderly end). Its `events` stream holds what happens, for one consumer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: ProxyConfig.Options | ProxyConfig.Config
): Effect.Effect<
  ProxySession.ContractProxy,
  InvalidConfig | CannotListen | HarNotWritten,
  FileSystem.FileSystem | Scope.Scope
> => Effect.flatMap(ProxyConfig.decode(options), ProxySession.make)

/**
 * How {@link run} is driven besides its config.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  /** Stop on this effect as well (the CLI passes its first SIGINT/SIGTERM); default: only `maxRequests`. */
  readonly until?: Effect.Effect<unknown> | undefined
  /**
   * Each event, in order, on a fiber of its own: a slow consumer never slows
   * the traffic (events it falls behind on are dropped and counted). Every
   * event is consumed before the reports are written (waiting at most
   * `drain` once stopping).
   */
  readonly onEvent?: ((event: ProxyEvent) => Effect.Effect<void>) | undefined
}

/**
 * Runs a proxy session to its end: listen, judge, stop after `maxRequests`,
 * on `until`, or when interrupted; drain (at most `drain`), write the
 * reports the config names, return the report. When the run is interrupted,
 * the reports are still written (then the interruption goes on).
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  options: ProxyConfig.Options | ProxyConfig.Config,
  driven: RunOptions = {}
): Effect.Effect<TrafficReport, ContractProxyError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const config = yield* ProxyConfig.decode(options)
    const outcome = yield* Deferred.make<TrafficReport, Files.ReportsNotWritten>()
    yield* Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* ProxySession.make(config)
        const onEvent = driven.onEvent ?? (() => Effect.void)
        const consumer = yield* Effect.forkScoped(Stream.runForEach(proxy.events, onEvent))
        yield* Effect.addFinalizer(() =>
          proxy.stop().pipe(
            // The events end with the stop: their last lines are out before the reports.
            Effect.tap(() => Session.atMost(Effect.asVoid(consumer.await), config.drain)),
            Effect.tap((report) => Files.writeReports(report, config)),
            Effect.exit,
            Effect.flatMap((exit) => Deferred.done(outcome, exit))
          )
        )
        yield* Effect.raceFirst(proxy.limitReached, driven.until ?? Effect.never)
      })
    )
    return yield* Deferred.await(outcome)
  })
