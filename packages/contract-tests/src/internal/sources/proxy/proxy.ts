/**
 * The validating proxy as a scoped resource: `make` takes a decoded
 * `Config`, listens, judges every exchange through the session, emits its
 * events, and stops on `stop` (draining, then closing the HAR). The
 * `ContractProxy` face decodes the options and adds `run`, which also writes
 * the reports.
 *
 * Events go through a bounded mailbox ({@link EVENTS_BUFFERED} events):
 * offering never waits, so a consumer that falls behind never slows the
 * traffic; what does not fit is dropped and counted, and the stream says
 * how many at its end (every violation is in the report all the same).
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Mailbox from "effect/Mailbox"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Secrets from "../../judge/secrets.js"
import { messageOf } from "../../messageOf.js"
import { version as packageVersion } from "../../packageVersion.js"
import { ContractEvent, type ProxyEvent } from "../../report/events.js"
import type { TrafficCounts, TrafficReport } from "../../report/trafficModel.js"
import type { Config } from "./config.js"
import { type CannotListen, HarNotWritten } from "./errors.js"
import * as HarWriter from "./harWriter.js"
import * as Session from "./session.js"

/**
 * Events kept for a consumer at most; more are dropped (and counted) rather than slow the traffic.
 *
 * @internal
 */
export const EVENTS_BUFFERED = 4096

/**
 * A listening proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractProxy extends Pick<Session.Session, "url" | "limitReached" | "inFlight"> {
  /**
   * What happens, as it happens: `Listening` first, then each `Violation`
   * and `Finding`, and `LimitReached`; it ends once the proxy is stopped.
   * One consumer. A consumer that falls behind loses events, never traffic:
   * at most {@link EVENTS_BUFFERED} wait, and a last `Finding` counts the
   * ones dropped.
   */
  readonly events: Stream.Stream<ProxyEvent>
  readonly counts: Effect.Effect<TrafficCounts>
  /**
   * Stops accepting, lets in-flight exchanges finish (at most `drain`,
   * default the config's), cuts the rest, closes the HAR, ends `events`
   * and returns the report (a HAR that could not be finished makes it
   * inconclusive at best, and says why).
   */
  readonly stop: (drain?: Duration.DurationInput) => Effect.Effect<TrafficReport>
}

/** A HAR that could not be finished is a run that could not keep its promise: never a pass, and it says why. */
const harNotFinished = (report: TrafficReport, error: HarNotWritten): TrafficReport => ({
  ...report,
  verdict: report.verdict === "fail" ? "fail" : "inconclusive",
  passed: false,
  inconclusiveReasons: [...report.inconclusiveReasons, `the HAR could not be written: ${error.message}`]
})

/**
 * The events' mailbox, the never-blocking `emit` that fills it (at most
 * `capacity` wait; the rest are dropped and counted), and the stream that
 * drains it, then says how many were dropped.
 *
 * @internal
 */
export const eventChannel = (capacity: number) =>
  Effect.gen(function* () {
    const mailbox = yield* Mailbox.make<ProxyEvent>({ capacity, strategy: "dropping" })
    let dropped = 0
    const emit = (event: ProxyEvent) => {
      if (!mailbox.unsafeOffer(event) && mailbox.unsafeSize()._tag === "Some") dropped++
    }
    const droppedNote = Stream.suspend(() =>
      dropped === 0
        ? Stream.empty
        : Stream.make(
            ContractEvent.Finding({
              line: `finding: ${dropped} event(s) dropped: their consumer fell behind (every violation is in the report)`
            })
          )
    )
    return { mailbox, emit, events: Stream.concat(Mailbox.toStream(mailbox), droppedNote) }
  })

/**
 * Starts the proxy; it listens while the scope is open (closing the scope
 * cuts it without a report; call `stop` for an orderly end).
 *
 * @internal
 */
export const make = (
  config: Config
): Effect.Effect<ContractProxy, CannotListen | HarNotWritten, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function* () {
    const secrets = Secrets.make(config.apiKey === undefined ? undefined : Redacted.value(config.apiKey))
    const harPath = config.har
    const har =
      harPath === undefined
        ? undefined
        : yield* HarWriter.open(harPath, packageVersion).pipe(
            Effect.mapError((error) => new HarNotWritten({ path: harPath, detail: messageOf(error) }))
          )
    const { mailbox, emit, events } = yield* eventChannel(EVENTS_BUFFERED)
    yield* Effect.addFinalizer(() => mailbox.end)
    const session = yield* Session.start({
      target: new URL(config.target),
      host: config.host,
      port: config.port,
      strict: config.strict,
      unknownTypes: config.unknownTypes,
      secrets,
      failOnDrift: config.failOnDrift,
      maxRequests: config.maxRequests,
      maxConcurrent: config.maxConcurrent,
      maxBodyBytes: config.maxBodyBytes,
      upstreamTimeout: config.upstreamTimeout,
      har,
      invocation: config.invocation,
      emit
    })
    emit(ContractEvent.Listening({ url: session.url }))
    const stop = (drain: Duration.DurationInput = config.drain) =>
      Effect.gen(function* () {
        yield* session.stopAccepting
        yield* Session.atMost(session.idle, drain)
        yield* session.destroy
        const report = yield* session.report
        yield* mailbox.end
        if (har === undefined || harPath === undefined) return report
        const closed = yield* Effect.either(har.close)
        return closed._tag === "Right"
          ? report
          : harNotFinished(report, new HarNotWritten({ path: harPath, detail: messageOf(closed.left) }))
      })
    return {
      url: session.url,
      events,
      limitReached: session.limitReached,
      inFlight: session.inFlight,
      counts: Effect.map(session.report, (report) => report.traffic),
      stop
    }
  })
