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
import * as FileSystem from "@effect/platform/FileSystem"
import { BaseUrl, BodyLimit } from "@postpress/schema"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { render as renderHtml } from "./ContractHtml.js"
import { toJunitXml } from "./ContractJunit.js"
import { type Invocation, toJson } from "./ContractReport.js"
import type { TrafficCounts, TrafficReport } from "./ContractTraffic.js"
import { version as packageVersion } from "./internal/packageVersion.js"
import * as HarWriter from "./internal/proxy/harWriter.js"
import * as Secrets from "./internal/proxy/secrets.js"
import * as Session from "./internal/proxy/session.js"

/**
 * Why the proxy could not start or finish.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractProxyError extends Schema.TaggedError<ContractProxyError>()("ContractProxyError", {
  reason: Schema.Literal("BadTarget", "Listen", "Har", "Report"),
  message: Schema.String
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface ProxyOptions {
  /** Where requests go, with its base path (`https://staging.example.com/api`); no query, fragment or credentials. */
  readonly target: string
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Default `0` (a free port). */
  readonly port?: number | undefined
  /** Reject unknown fields (default: accept them and report them as drift). */
  readonly strict?: boolean | undefined
  /** Unknown fields fail the verdict. */
  readonly failOnDrift?: boolean | undefined
  /** A key to look for in responses and to mask, besides every key seen in traffic. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Stop after this many exchanges judged or failed to reach the target. */
  readonly maxRequests?: number | undefined
  /** Write every exchange as HAR 1.2, every key masked, bodies decoded as HAR 1.2 says (`Content-Encoding` kept). */
  readonly har?: string | undefined
  /** Exchanges in flight at most (default 64); more wait their turn (and their wait counts in latency). */
  readonly maxConcurrent?: number | undefined
  /** Larger bodies are streamed but not kept, hence not judged (default 16 MiB). */
  readonly maxBodyBytes?: number | undefined
  /** How long the target may stay silent before the client gets a 504 (default 30 seconds). */
  readonly upstreamTimeout?: Duration.DurationInput | undefined
  /** One line per violation or finding, every key masked (default: none). */
  readonly onViolation?: ((line: string) => void) | undefined
  /** How the session was started (the CLI passes its tool, version and argv), shown by the reports. */
  readonly invocation?: Invocation | undefined
}

/**
 * A listening proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractProxy {
  /** `http://127.0.0.1:PORT`: `{url}/anything` goes to `{target}/anything`. */
  readonly url: string
  /** Completes once `maxRequests` exchanges have been counted (never without it). */
  readonly limitReached: Effect.Effect<void>
  readonly inFlight: Effect.Effect<number>
  readonly counts: Effect.Effect<TrafficCounts>
  /**
   * Stops accepting, lets in-flight exchanges finish (at most `drain`,
   * default 10 seconds, then cuts them), closes the HAR and returns the
   * report (a HAR that could not be finished makes it inconclusive at best).
   */
  readonly stop: (drain?: Duration.DurationInput) => Effect.Effect<TrafficReport, ContractProxyError>
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  host: "127.0.0.1",
  port: 0,
  maxConcurrent: 64,
  maxBodyBytes: BodyLimit.defaultMaxBytes,
  upstreamTimeout: Duration.seconds(30),
  drain: Duration.seconds(10)
} as const

// The HAR `creator.version`: this package's version, generated from its package.json.
const VERSION = packageVersion

/** `--target` is a base URL like any other: the one rule and its one message per defect (`BaseUrl`). */
const parseTarget = (target: string): Effect.Effect<URL, ContractProxyError> =>
  Either.match(BaseUrl.parse(target), {
    onLeft: (defect) => Effect.fail(new ContractProxyError({ reason: "BadTarget", message: `--target: ${defect}` })),
    onRight: (url) => Effect.succeed(new URL(url))
  })

const messageOf = (error: unknown): string => {
  const e = error as { readonly message?: unknown; readonly description?: unknown }
  return typeof e.description === "string" && e.description !== ""
    ? e.description
    : typeof e.message === "string"
      ? e.message
      : String(error)
}

/**
 * Starts the proxy; it listens while the scope is open (closing the scope
 * cuts it without a report; call `stop` for an orderly end).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: ProxyOptions
): Effect.Effect<ContractProxy, ContractProxyError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function* () {
    const target = yield* parseTarget(options.target)
    const limit = yield* Deferred.make<void>()
    const secrets = Secrets.make(options.apiKey === undefined ? undefined : Redacted.value(options.apiKey))
    const harError = (error: unknown) =>
      new ContractProxyError({ reason: "Har", message: `cannot write ${options.har}: ${messageOf(error)}` })
    const har =
      options.har === undefined
        ? undefined
        : yield* HarWriter.open(options.har, VERSION).pipe(Effect.mapError(harError))
    const session = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          Session.start({
            target,
            host: options.host ?? defaults.host,
            port: options.port ?? defaults.port,
            strict: options.strict === true,
            secrets,
            failOnDrift: options.failOnDrift === true,
            maxRequests: options.maxRequests,
            maxConcurrent: options.maxConcurrent ?? defaults.maxConcurrent,
            maxBodyBytes: options.maxBodyBytes ?? defaults.maxBodyBytes,
            upstreamTimeoutMs: Duration.toMillis(Duration.decode(options.upstreamTimeout ?? defaults.upstreamTimeout)),
            har,
            invocation: options.invocation,
            onViolation: options.onViolation ?? (() => {}),
            onLimit: () => Deferred.unsafeDone(limit, Exit.void)
          }),
        catch: (error) =>
          new ContractProxyError({
            reason: "Listen",
            message: `cannot listen on ${options.host ?? defaults.host}:${options.port ?? defaults.port}: ${messageOf(error)}`
          })
      }),
      (s) => Effect.promise(() => s.destroy())
    )
    // Runs in a fiber of its own, so that it can time out even inside a release (which is uninterruptible).
    const waitIdle = (drain: Duration.DurationInput) =>
      Effect.forkDaemon(
        Effect.interruptible(
          Effect.timeoutOption(
            Effect.promise(() => session.idle()),
            Duration.decode(drain)
          )
        )
      ).pipe(Effect.flatMap(Fiber.join))
    const stop = (drain: Duration.DurationInput = defaults.drain) =>
      Effect.gen(function* () {
        session.stopAccepting()
        yield* waitIdle(drain)
        yield* Effect.promise(() => session.destroy())
        const report = session.report()
        if (har === undefined) return report
        // A HAR that could not be finished is a run that could not keep its promise: never a pass,
        // but the other reports are still written (the caller gets the report, not an error).
        const closed = yield* Effect.either(har.close)
        if (closed._tag === "Right") return report
        const reason = `the HAR could not be written: ${harError(closed.left).message}`
        return {
          ...report,
          verdict: report.verdict === "fail" ? "fail" : "inconclusive",
          passed: false,
          inconclusiveReasons: [...report.inconclusiveReasons, reason]
        } satisfies TrafficReport
      })
    return {
      url: session.url,
      limitReached: Deferred.await(limit),
      inFlight: Effect.sync(session.inFlight),
      counts: Effect.sync(() => session.report().traffic),
      stop
    }
  })

/**
 * The report files a run writes.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportFiles {
  /** The JSON report (the suite's shape plus `traffic`). */
  readonly json?: string | undefined
  /** The JUnit XML report. */
  readonly junit?: string | undefined
  /** The HTML report. */
  readonly html?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RunOptions extends ProxyOptions, ReportFiles {
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
export const run = (options: RunOptions): Effect.Effect<TrafficReport, ContractProxyError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const outcome = yield* Deferred.make<TrafficReport, ContractProxyError>()
    yield* Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* make(options)
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
  files: ReportFiles
): Effect.Effect<void, ContractProxyError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const failures: Array<string> = []
    const renders = [
      [files.json, () => toJson(report)],
      [files.junit, () => toJunitXml(report)],
      [files.html, () => renderHtml(report)]
    ] as const
    for (const [path, render] of renders) {
      if (path === undefined) continue
      const failed = yield* Effect.suspend(() => fs.writeFileString(path, render())).pipe(
        Effect.as(undefined),
        Effect.catchAllCause((cause) =>
          Effect.succeed(`${path}: ${messageOf(cause._tag === "Fail" ? cause.error : cause)}`)
        )
      )
      if (failed !== undefined) failures.push(failed)
    }
    if (failures.length > 0) {
      return yield* new ContractProxyError({ reason: "Report", message: `cannot write ${failures.join("; ")}` })
    }
  })
