/**
 * SIGINT and SIGTERM as a service: `received` completes with the first one.
 * `main.ts` provides it from the process (`process.once`); a test provides
 * its own (`make`, then `send`), so every command's answer to a signal runs
 * in-process too.
 *
 * A command that is interrupted by a signal (`accounts get`, `contract`)
 * races its work against `received` and returns 130/143; a command whose
 * normal end is the signal (`contract proxy`, `mock`) stops on it, finishes
 * (drain, reports, summary) and returns its verdict's code. Nothing is
 * interrupted from outside, and no cell remembers which signal came.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type ExitCode, type Signal, signalCode } from "./exitCode.js"

export interface SignalsService {
  /** Completes with the first SIGINT or SIGTERM (never, if none comes). */
  readonly received: Effect.Effect<Signal>
}

/** The signals the program stops on. */
export class Signals extends Context.Tag("@postpress/cli/Signals")<Signals, SignalsService>() {}

/** Signals that come from `send` (main.ts sends the process's; a test sends its own). */
export interface Source {
  readonly layer: Layer.Layer<Signals>
  /** Delivers `signal` (only the first one counts). */
  readonly send: (signal: Signal) => Effect.Effect<void>
}

/** A source of signals, for `main.ts` and for tests. */
export const make: Effect.Effect<Source> = Effect.map(Deferred.make<Signal>(), (first) => ({
  layer: Layer.succeed(Signals, { received: Deferred.await(first) }),
  send: (signal) => Effect.asVoid(Deferred.succeed(first, signal))
}))

/** No signal ever comes (help, version, tests that never signal). */
export const none: Layer.Layer<Signals> = Layer.succeed(Signals, { received: Effect.never })

/**
 * Runs `work` unless a signal comes first: then `work` is interrupted (its
 * in-flight requests aborted, its finalizers run) and the result is 130/143.
 */
export const orInterrupted = <R>(
  work: Effect.Effect<ExitCode, never, R>
): Effect.Effect<ExitCode, never, R | Signals> =>
  Effect.flatMap(Signals, (signals) => Effect.race(work, Effect.map(signals.received, signalCode)))
