/**
 * One proxy session: the listener, the bound on exchanges in flight, the
 * tally, the limit, and the events, as Effect resources: the listener and
 * the target's agent live in the session's `Scope`, the limit is a
 * `Deferred`, "idle" an Effect, what exchanges wait on runs on fibers of a
 * `FiberSet` (interrupted when the scope closes), and stopping is an Effect.
 *
 * Each exchange waits for its turn (one of `maxConcurrent`, in arrival
 * order: `slots.ts`) and gives it back exactly once, whatever happens
 * (answered, unreachable, not valid HTTP, timed out, upgraded, abandoned, or
 * a bug while judging). Latency is measured from the request's arrival, so
 * time spent waiting for a turn counts (what the client waited, not what the
 * target took).
 *
 * @since 0.1.0
 */
import { type AccountDecoder, Printable } from "@postpress/schema"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import type { Secrets } from "../../judge/secrets.js"
import { ContractEvent, type ProxyEvent } from "../../report/events.js"
import { makeProxyMetrics } from "../../report/metrics.js"
import type { Invocation } from "../../report/model.js"
import { makeTrafficTally } from "../../report/tally.js"
import type { TrafficReport } from "../../report/trafficModel.js"
import type { CannotListen } from "./errors.js"
import * as Exchange from "./exchange.js"
import type { HarWriter } from "./harWriter.js"
import * as Listener from "./listener.js"
import * as Slots from "./slots.js"
import { makeTarget } from "./wire.js"

/**
 * @internal
 */
export interface SessionOptions {
  readonly target: URL
  readonly host: string
  readonly port: number
  readonly strict: boolean
  readonly unknownTypes: AccountDecoder.UnknownTypes
  readonly secrets: Secrets
  readonly failOnDrift: boolean
  readonly maxRequests: number | undefined
  readonly maxConcurrent: number
  readonly maxBodyBytes: number
  readonly upstreamTimeout: Duration.Duration
  readonly har: HarWriter | undefined
  readonly invocation: Invocation | undefined
  /** Never blocks (each event is masked and escaped already). */
  readonly emit: (event: ProxyEvent) => void
}

/**
 * @internal
 */
export interface Session {
  /** `http://127.0.0.1:PORT`: `{url}/anything` goes to `{target}/anything`. */
  readonly url: string
  /** Exchanges in flight or waiting for their turn. */
  readonly inFlight: Effect.Effect<number>
  /** Completes once `maxRequests` exchanges have been counted (never without it). */
  readonly limitReached: Effect.Effect<void>
  /** Stops accepting connections; in-flight and waiting exchanges go on. */
  readonly stopAccepting: Effect.Effect<void>
  /** Completes when nothing is in flight or waiting. */
  readonly idle: Effect.Effect<void>
  /** Cuts whatever is still open; the exchanges cut are counted (briefly awaited) before it completes. */
  readonly destroy: Effect.Effect<void>
  readonly report: Effect.Effect<TrafficReport>
}

/** How long cut exchanges get to end (on the next ticks) so the report counts them. */
const CUT_GRACE = Duration.seconds(1)

/**
 * `effect`, or nothing once `limit` has passed: in a fiber of its own, so
 * that it can time out even inside a release (which is uninterruptible).
 *
 * @internal
 */
export const atMost = (effect: Effect.Effect<void>, limit: Duration.DurationInput): Effect.Effect<void> =>
  Effect.forkDaemon(Effect.interruptible(Effect.timeoutOption(effect, limit))).pipe(
    Effect.flatMap((fiber) => fiber.await),
    Effect.asVoid
  )

/** Counts exchanges toward `maxRequests`; the limit completes once, and says so once. */
const limitCounter = (
  maxRequests: number | undefined,
  limit: Deferred.Deferred<void>,
  emit: SessionOptions["emit"]
) => {
  let counted = 0
  return () => {
    counted++
    if (counted === maxRequests) {
      Deferred.unsafeDone(limit, Exit.void)
      emit(ContractEvent.LimitReached())
    }
  }
}

/**
 * Starts listening; the session lives while the scope is open (closing it
 * cuts every connection and interrupts every exchange).
 *
 * @internal
 */
export const start = (options: SessionOptions): Effect.Effect<Session, CannotListen, Scope.Scope> =>
  Effect.gen(function* () {
    const began = performance.now()
    const target = makeTarget(options.target, options.maxConcurrent)
    yield* Effect.addFinalizer(() => Effect.sync(() => target.agent.destroy()))
    const metrics = makeProxyMetrics()
    const tally = makeTrafficTally({
      baseUrl: target.baseUrl,
      strict: options.strict,
      failOnDrift: options.failOnDrift,
      startedAt: new Date().toISOString(),
      source: "proxy",
      secrets: options.secrets,
      maxBodyBytes: options.maxBodyBytes,
      invocation: options.invocation,
      metrics
    })
    const limit = yield* Deferred.make<void>()
    const fibers = yield* FiberSet.make<void>()
    const fork = yield* FiberSet.runtime(fibers)<never>()
    const session: Exchange.Session = {
      target,
      strict: options.strict,
      unknownTypes: options.unknownTypes,
      maxBodyBytes: options.maxBodyBytes,
      upstreamTimeoutMs: Duration.toMillis(options.upstreamTimeout),
      secrets: options.secrets,
      tally,
      har: options.har,
      emit: options.emit,
      counted: limitCounter(options.maxRequests, limit, options.emit),
      fork: (effect) => void fork(effect),
      metrics
    }
    const slots = Slots.make(options.maxConcurrent)
    const release = () => {
      slots.release()
      metrics.inFlight(slots.inFlight())
    }
    const listener = yield* Listener.listen({
      host: options.host,
      port: options.port,
      onRequest: (req, res) => {
        const startedAt = new Date()
        const arrivedAt = performance.now()
        slots.admit(() => Exchange.handle(session, req, res, startedAt, arrivedAt, release))
        metrics.inFlight(slots.inFlight())
      },
      onRefused: (status, line) => {
        tally.notJudged("refused", status, 0)
        options.emit(ContractEvent.Finding({ line: Printable.text(`finding: ${options.secrets.mask(line)}`) }))
      }
    })
    return {
      url: listener.url,
      inFlight: Effect.sync(slots.inFlight),
      limitReached: Deferred.await(limit),
      stopAccepting: listener.stopAccepting,
      idle: slots.idle,
      destroy: Effect.gen(function* () {
        yield* listener.cut
        yield* Effect.sync(() => {
          target.agent.destroy()
          // Waiting exchanges whose sockets were just cut: each still ends once (as abandoned).
          slots.flush()
        })
        // Cut sockets end their exchanges on the next ticks: wait for them (briefly) so the report counts them.
        yield* atMost(slots.idle, CUT_GRACE)
        yield* listener.closed
      }),
      report: Effect.sync(() => tally.finish(performance.now() - began))
    }
  })
