/**
 * Recording tracer and logger, to look at what the client emits.
 */
import { inspect } from "node:util"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"

export interface RecordedSpan {
  readonly name: string
  readonly spanId: string
  /** The parent's spanId, when the parent is a span. */
  readonly parentSpanId: string | undefined
  readonly attributes: Map<string, unknown>
  readonly events: Array<{ name: string; attributes: unknown }>
  exit: Exit.Exit<unknown, unknown> | undefined
}

export const recorder = () => {
  const spans: Array<RecordedSpan> = []
  const logs: Array<string> = []
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const spanId = `span-${spans.length + 1}`
      const parentSpanId = parent._tag === "Some" ? parent.value.spanId : undefined
      const recorded: RecordedSpan = { name, spanId, parentSpanId, attributes: new Map(), events: [], exit: undefined }
      spans.push(recorded)
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      return {
        _tag: "Span",
        name,
        spanId,
        traceId: "trace",
        parent,
        context,
        links,
        sampled: true,
        kind,
        get status() {
          return status
        },
        attributes: recorded.attributes,
        end(endTime, exit) {
          status = { _tag: "Ended", startTime, endTime, exit }
          recorded.exit = exit
        },
        attribute(key, value) {
          recorded.attributes.set(key, value)
        },
        event(name, _startTime, attributes) {
          recorded.events.push({ name, attributes })
        },
        addLinks() {}
      }
    },
    context: (f) => f()
  })
  const logger = Logger.make((options) => {
    logs.push(inspect(options, { depth: 12 }))
  })
  /** Runs `effect` with everything recorded, debug logs included. */
  const observe = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.withTracer(tracer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
  return { spans, logs, observe }
}
