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
 * The session is a scoped resource: {@link run} stops it on `maxRequests`,
 * on `until`, or when its fiber is interrupted (the CLI's SIGINT/SIGTERM
 * through `NodeRuntime.runMain`); the release drains the exchanges in flight
 * for at most `drain`, cuts the rest, and writes every report.
 *
 * ```ts
 * import { ContractProxy } from "@postpress/contract-tests"
 * import { NodeFileSystem } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   ContractProxy.run({
 *     target: "https://staging.example.com/api",
 *     maxRequests: 500,
 *     json: "proxy-report.json",
 *     onListening: (url) => console.log(`point the service at ${url}`)
 *   }).pipe(Effect.provide(NodeFileSystem.layer))
 * )
 * ```
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Deferred from "effect/Deferred"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Files from "./internal/render/files.js"
import type { TrafficReport } from "./internal/report/trafficModel.js"
import * as ProxySession from "./internal/sources/proxy/proxy.js"

export type { ReportFiles } from "./internal/render/files.js"
export {
  type ContractProxy,
  ContractProxyError,
  defaults,
  make,
  type ProxyOptions
} from "./internal/sources/proxy/proxy.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface RunOptions extends ProxySession.ProxyOptions, Files.ReportFiles {
  /** Called once listening, with the proxy's URL. */
  readonly onListening?: ((url: string) => void) | undefined
  /** How long in-flight exchanges may take to finish once stopping (default 10 seconds). */
  readonly drain?: Duration.DurationInput | undefined
  /** Stop on this effect as well (default: only `maxRequests` or interruption). */
  readonly until?: Effect.Effect<unknown> | undefined
  /**
   * Called with the report once the reports are written, also when the run
   * is interrupted (the CLI prints its summary and records its exit code here).
   */
  readonly onStopped?: ((report: TrafficReport) => Effect.Effect<void>) | undefined
}

/**
 * Runs a proxy session to its end: listen, judge, stop after `maxRequests`,
 * on `until`, or when interrupted; drain (at most `drain`), write the
 * reports, return the report. When the run is interrupted, the reports are
 * still written and `onStopped` still called (then the interruption goes on).
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  options: RunOptions
): Effect.Effect<TrafficReport, ProxySession.ContractProxyError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const outcome = yield* Deferred.make<TrafficReport, ProxySession.ContractProxyError>()
    yield* Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* ProxySession.make(options)
        yield* Effect.addFinalizer(() =>
          proxy.stop(options.drain).pipe(
            Effect.tap((report) => writeReports(report, options)),
            Effect.tap((report) => options.onStopped?.(report) ?? Effect.void),
            Effect.exit,
            Effect.flatMap((exit) => Deferred.done(outcome, exit))
          )
        )
        options.onListening?.(proxy.url)
        yield* Effect.raceFirst(proxy.limitReached, options.until ?? Effect.never)
      })
    )
    return yield* Deferred.await(outcome)
  })

/**
 * Writes the JSON, JUnit and HTML reports that were asked for (through the
 * platform `FileSystem`); one that cannot be written does not stop the others.
 *
 * @since 0.1.0
 * @category running
 */
export const writeReports = (
  report: TrafficReport,
  files: Files.ReportFiles
): Effect.Effect<void, ProxySession.ContractProxyError, FileSystem.FileSystem> =>
  Files.writeReports(report, files).pipe(Effect.mapError(ProxySession.reportsNotWritten))
