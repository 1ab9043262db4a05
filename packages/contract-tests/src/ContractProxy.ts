/**
 * A validating proxy: put it between a service and the postpress API (or a
 * staging copy) and it judges every `GET {target}/v1/accounts/{id}` exchange
 * with {@link ContractTraffic.judge} while passing the traffic through
 * unchanged: method, path as sent, query, headers (the key included) and
 * body go to the target; status, headers and body bytes come back. Only
 * hop-by-hop headers may differ; nothing is rewritten, retried, cached or
 * delayed, and no header is added.
 *
 * ```ts
 * import { ContractProxy } from "@postpress/contract-tests"
 * import { Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   ContractProxy.run({
 *     target: "https://staging.example.com/api",
 *     maxRequests: 500,
 *     json: "proxy-report.json",
 *     onListening: (url) => console.log(`point the service at ${url}`)
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { toJunitXml } from "./ContractJunit.js"
import { toJson } from "./ContractReport.js"
import type { TrafficCounts, TrafficReport } from "./ContractTraffic.js"
import * as HarWriter from "./internal/proxy/harWriter.js"
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
  /** Where requests go, with its base path (`https://staging.example.com/api`). */
  readonly target: string
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Default `0` (a free port). */
  readonly port?: number | undefined
  /** Reject unknown fields (default: accept them and report them as drift). */
  readonly strict?: boolean | undefined
  /** Unknown fields fail the verdict. */
  readonly failOnDrift?: boolean | undefined
  /** A key to look for in responses and to mask, besides each request's own. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Stop after this many judged exchanges. */
  readonly maxRequests?: number | undefined
  /** Write every exchange as HAR 1.2, key masked. */
  readonly har?: string | undefined
  /** Exchanges in flight at most (default 64); more wait their turn. */
  readonly maxConcurrent?: number | undefined
  /** Larger bodies are streamed but not kept, hence not judged (default 1 MiB). */
  readonly maxBodyBytes?: number | undefined
  /** One line per violation, key masked (default: none). */
  readonly onViolation?: ((line: string) => void) | undefined
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
  /** Completes once `maxRequests` exchanges have been judged (never without it). */
  readonly limitReached: Effect.Effect<void>
  readonly inFlight: Effect.Effect<number>
  readonly counts: Effect.Effect<TrafficCounts>
  /**
   * Stops accepting, lets in-flight exchanges finish (at most `drain`,
   * default 10 seconds, then cuts them), closes the HAR and returns the report.
   */
  readonly stop: (drain?: Duration.DurationInput) => Effect.Effect<TrafficReport, ContractProxyError>
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaults = { host: "127.0.0.1", port: 0, maxConcurrent: 64, maxBodyBytes: 1024 * 1024 } as const

const VERSION = "0.1.0"

const parseTarget = (target: string): Effect.Effect<URL, ContractProxyError> => {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return Effect.fail(new ContractProxyError({ reason: "BadTarget", message: `--target is not a URL: ${target}` }))
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Effect.fail(
      new ContractProxyError({ reason: "BadTarget", message: `--target must be http or https, got ${url.protocol}` })
    )
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return Effect.fail(
      new ContractProxyError({
        reason: "BadTarget",
        message: "--target takes a base URL without query, fragment or credentials"
      })
    )
  }
  return Effect.succeed(url)
}

/**
 * Starts the proxy; it listens while the scope is open (closing the scope
 * cuts it without a report; call `stop` for an orderly end).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: ProxyOptions): Effect.Effect<ContractProxy, ContractProxyError, Scope.Scope> =>
  Effect.gen(function* () {
    const target = yield* parseTarget(options.target)
    const limit = yield* Deferred.make<void>()
    const har =
      options.har === undefined
        ? undefined
        : yield* Effect.acquireRelease(
            Effect.tryPromise({
              try: () => HarWriter.open(options.har!, VERSION),
              catch: (error) =>
                new ContractProxyError({ reason: "Har", message: `cannot write ${options.har}: ${messageOf(error)}` })
            }),
            (writer) => Effect.promise(() => writer.close().catch(() => undefined))
          )
    const session = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          Session.start({
            target,
            host: options.host ?? defaults.host,
            port: options.port ?? defaults.port,
            strict: options.strict === true,
            apiKey: options.apiKey,
            failOnDrift: options.failOnDrift === true,
            maxRequests: options.maxRequests,
            maxConcurrent: options.maxConcurrent ?? defaults.maxConcurrent,
            maxBodyBytes: options.maxBodyBytes ?? defaults.maxBodyBytes,
            har,
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
    const stop = (drain: Duration.DurationInput = "10 seconds") =>
      Effect.gen(function* () {
        session.stopAccepting()
        yield* Effect.promise(() => session.idle()).pipe(Effect.timeoutOption(Duration.decode(drain)))
        yield* Effect.promise(() => session.destroy())
        if (har !== undefined) {
          yield* Effect.tryPromise({
            try: () => har.close(),
            catch: (error) =>
              new ContractProxyError({ reason: "Har", message: `cannot write ${options.har}: ${messageOf(error)}` })
          })
        }
        return session.report()
      })
    return {
      url: session.url,
      limitReached: Deferred.await(limit),
      inFlight: Effect.sync(session.inFlight),
      counts: Effect.sync(() => session.report().traffic),
      stop
    }
  })

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Completes on the first SIGINT or SIGTERM (listeners removed afterwards).
 *
 * @since 0.1.0
 * @category running
 */
export const signal: Effect.Effect<NodeJS.Signals> = Effect.async<NodeJS.Signals>((resume) => {
  const on = (name: NodeJS.Signals) => () => resume(Effect.succeed(name))
  const handlers = [["SIGINT", on("SIGINT")] as const, ["SIGTERM", on("SIGTERM")] as const]
  for (const [name, handler] of handlers) process.once(name, handler)
  return Effect.sync(() => {
    for (const [name, handler] of handlers) process.off(name, handler)
  })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface RunOptions extends ProxyOptions {
  /** Called once listening, with the proxy's URL. */
  readonly onListening?: ((url: string) => void) | undefined
  /** The JSON report (the suite's shape plus `traffic`). */
  readonly json?: string | undefined
  /** The JUnit XML report. */
  readonly junit?: string | undefined
  /** How long in-flight exchanges may take to finish once stopping (default 10 seconds). */
  readonly drain?: Duration.DurationInput | undefined
  /** Stop on this effect as well (default: SIGINT/SIGTERM). */
  readonly until?: Effect.Effect<unknown> | undefined
}

/**
 * Runs a proxy session to its end: listen, judge, stop on SIGINT/SIGTERM
 * (or `until`) or after `maxRequests`, drain, write the reports, return the
 * report. The report is written even when the run is interrupted.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (options: RunOptions): Effect.Effect<TrafficReport, ContractProxyError> =>
  Effect.scoped(
    Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        const proxy = yield* make(options)
        options.onListening?.(proxy.url)
        // An interruption (e.g. the CLI runtime's own signal handling) ends the wait like a signal does.
        // The waits are interruptible even inside an uninterruptible caller (the
        // CLI), so that the race can cancel the one that lost.
        yield* Effect.exit(
          restore(
            Effect.raceFirst(Effect.interruptible(proxy.limitReached), Effect.interruptible(options.until ?? signal))
          )
        )
        const report = yield* proxy.stop(options.drain)
        yield* writeReports(report, options)
        return report
      })
    )
  )

/**
 * Writes the JSON and JUnit reports that were asked for.
 *
 * @since 0.1.0
 * @category running
 */
export const writeReports = (
  report: TrafficReport,
  files: { readonly json?: string | undefined; readonly junit?: string | undefined }
): Effect.Effect<void, ContractProxyError> =>
  Effect.forEach(
    [
      [files.json, () => toJson(report)],
      [files.junit, () => toJunitXml(report)]
    ] as const,
    ([path, render]) =>
      path === undefined
        ? Effect.void
        : Effect.tryPromise({
            try: () => Fs.writeFile(path, render()),
            catch: (error) =>
              new ContractProxyError({ reason: "Report", message: `cannot write ${path}: ${messageOf(error)}` })
          }),
    { discard: true }
  )
