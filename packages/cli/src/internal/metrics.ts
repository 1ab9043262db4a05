/**
 * The proxy's metrics (`ContractMetrics`, Effect `Metric`s) leave the
 * process through OpenTelemetry: `@effect/opentelemetry`'s producer reads
 * Effect's metric registry, and two standard readers export it:
 *
 * - pull: `--metrics-port N` serves the Prometheus text at `/metrics` on
 *   `--metrics-host` (default 127.0.0.1), a listener of its own that
 *   answers nothing else (404; 405 for a method other than GET or HEAD);
 * - push: when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 *   `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is set, OTLP/HTTP every
 *   `OTEL_METRIC_EXPORT_INTERVAL` ms (default 60000), the exporter reading
 *   the other standard variables itself (headers, timeout); the resource
 *   carries `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`.
 *
 * Nothing here is on the exchanges' path: the proxy only updates counters;
 * exports run on timers and sockets of their own. A slow, failing or
 * hanging endpoint costs at most one pending export: the next one is
 * dropped while it is pending, and both cases are counted
 * (`postpress.metrics.export.failures`). Closing the scope makes a last
 * export (bounded by the export timeout) and closes the listener.
 *
 * @internal
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Metrics from "@effect/opentelemetry/Metrics"
import * as OtelResource from "@effect/opentelemetry/Resource"
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http"
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus"
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources"
import {
  type MetricProducer,
  type MetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics
} from "@opentelemetry/sdk-metrics"
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions"
import { exportFailed } from "@postpress/contract-tests/ContractMetrics"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"

/** The metrics listener could not listen (in use, not an address of this machine). */
export class MetricsNotServed extends Schema.TaggedError<MetricsNotServed>()("MetricsNotServed", {
  host: Schema.String,
  port: Schema.Number,
  detail: Schema.String
}) {
  override get message(): string {
    return `--metrics-port: cannot listen on ${this.host}:${this.port}: ${this.detail}`
  }
}

/** What the flags asked for; the push side is the environment's. */
export interface MetricsOptions {
  readonly port: number | undefined
  readonly host: string
  /** OTLP push (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is set). */
  readonly push: boolean
  readonly serviceVersion: string
}

/** Where the metrics go, once started: the `/metrics` URL when pulled, and whether OTLP pushes. */
export interface MetricsServed {
  readonly url: string | undefined
  readonly pushing: boolean
}

/** `ExportResultCode.SUCCESS` of `@opentelemetry/core` (a dependency of the exporters, not ours). */
const EXPORT_SUCCESS = 0

/**
 * An exporter that never queues: while an export is pending the next is
 * dropped (and counted), so a hanging endpoint holds one batch, never a
 * growing backlog; a failed export is counted too.
 */
export const boundedExporter = (inner: PushMetricExporter): PushMetricExporter => {
  let pending = false
  return {
    export: (metrics: ResourceMetrics, done) => {
      if (pending) {
        exportFailed("dropped")
        return done({ code: 1, error: new Error("dropped: the previous export is still pending") })
      }
      pending = true
      inner.export(metrics, (result) => {
        pending = false
        if (result.code !== EXPORT_SUCCESS) exportFailed("failed")
        done(result)
      })
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality === undefined
      ? {}
      : { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) }),
    ...(inner.selectAggregation === undefined ? {} : { selectAggregation: inner.selectAggregation.bind(inner) })
  }
}

/** The postpress series only: Effect's own runtime metrics (fiber counts) stay inside the process. */
const onlyOurs = (producer: MetricProducer): MetricProducer => ({
  collect: async (options) => {
    const collected = await producer.collect(options)
    const { scopeMetrics } = collected.resourceMetrics
    const ours = scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.filter((metric) => metric.descriptor.name.startsWith("postpress."))
    }))
    return { ...collected, resourceMetrics: { ...collected.resourceMetrics, scopeMetrics: ours } }
  }
})

/** The standard variables of the push side (milliseconds; the OpenTelemetry defaults). */
const pushConfig = Config.all({
  interval: Config.withDefault(Config.integer("OTEL_METRIC_EXPORT_INTERVAL"), 60_000),
  timeout: Config.withDefault(Config.integer("OTEL_METRIC_EXPORT_TIMEOUT"), 30_000)
})

/** The `/metrics` listener: GET or HEAD `/metrics` only. */
const listen = (exporter: PrometheusExporter, host: string, port: number) =>
  Effect.acquireRelease(
    Effect.async<Http.Server, MetricsNotServed>((resume) => {
      const server = Http.createServer((req, res) => {
        const path = (req.url ?? "").split("?")[0]
        if (path !== "/metrics") return void res.writeHead(404).end()
        if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end()
        exporter.getMetricsRequestHandler(req, res)
      })
      server.once("error", (error) => resume(Effect.fail(new MetricsNotServed({ host, port, detail: error.message }))))
      server.listen({ host, port }, () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )

/**
 * Starts what the options and the environment ask for (nothing when
 * neither does); it exports while the scope is open, and once more as it
 * closes.
 */
export const start = (options: MetricsOptions): Effect.Effect<MetricsServed, MetricsNotServed, Scope.Scope> =>
  Effect.gen(function* () {
    const push = yield* Effect.orDie(pushConfig)
    const pushing = options.push
    if (options.port === undefined && !pushing) return { url: undefined, pushing }
    const readers: Array<MetricReader> = []
    let url: string | undefined
    if (options.port !== undefined) {
      const prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true })
      const server = yield* listen(prometheus, options.host, options.port)
      const address = server.address() as AddressInfo
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address
      url = `http://${shownHost}:${address.port}/metrics`
      readers.push(prometheus)
    }
    if (pushing) {
      const timeout = Math.min(push.timeout, push.interval)
      readers.push(
        new PeriodicExportingMetricReader({
          exporter: boundedExporter(new OTLPMetricExporter()),
          exportIntervalMillis: push.interval,
          exportTimeoutMillis: timeout
        })
      )
    }
    // The environment's resource (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) over ours.
    const resource = resourceFromAttributes({
      [ATTR_SERVICE_NAME]: "postpress-proxy",
      [ATTR_SERVICE_VERSION]: options.serviceVersion
    }).merge(detectResources({ detectors: [envDetector] }))
    // A last export as the scope closes, bounded: a hanging endpoint delays the exit by this at most.
    const shutdownTimeout = Math.min(push.timeout, 10_000)
    const producer = onlyOurs(yield* Effect.provideService(Metrics.makeProducer, OtelResource.Resource, resource))
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        for (const reader of readers) reader.setMetricProducer(producer)
      }),
      () =>
        Effect.promise(() => Promise.all(readers.map((reader) => reader.shutdown()))).pipe(
          Effect.ignore,
          Effect.timeoutOption(shutdownTimeout)
        )
    )
    return { url, pushing }
  })
