/**
 * The validating proxy as a scoped resource: `make` listens, judges every
 * exchange through the session and stops on `stop` (draining, then closing
 * the HAR). The `ContractProxy` face documents it and adds `run`, which also
 * writes the reports.
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
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
import * as Secrets from "../../judge/secrets.js"
import { messageOf } from "../../messageOf.js"
import { version as packageVersion } from "../../packageVersion.js"
import type { Invocation } from "../../report/model.js"
import type { TrafficCounts, TrafficReport } from "../../report/trafficModel.js"
import * as HarWriter from "./harWriter.js"
import * as Session from "./session.js"

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
 * The reports could not be written: a `ContractProxyError` of reason
 * `Report`, with what could not be written and why.
 *
 * @internal
 */
export const reportsNotWritten = (error: { readonly message: string }): ContractProxyError =>
  new ContractProxyError({ reason: "Report", message: error.message })

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
