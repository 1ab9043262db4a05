/**
 * What the validating proxy measures, as Effect `Metric`s: the one table of
 * names, kinds, units and attributes ({@link metricTable}), and the
 * recorders the tally and the proxy session update as they decide
 * outcomes. Effect core only: the CLI bridges Effect's metric registry to
 * OpenTelemetry (Prometheus pull, OTLP push); this module knows neither.
 *
 * Every attribute value is one of a bounded set written here (an outcome, a
 * not-judged reason, a check name, a documented status or a status class, a
 * kind): never an account id, a path, a key, a header or a body. Drift is
 * counted (distinct unknown fields), never named.
 *
 * The updates are `unsafeUpdate` calls on series built once per label set:
 * the proxy concludes exchanges on the sockets' own tick (see
 * `sources/proxy/slots.ts`), and a registry lookup per exchange would be
 * the cost of a hash of every label each time.
 *
 * @since 0.1.0
 */
import { ResponseRules } from "@postpress/schema"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricKey from "effect/MetricKey"
import * as MetricLabel from "effect/MetricLabel"
import { type CheckName, checkNames } from "../judge/checks.js"
import { type NotJudgedReason, notJudgedReasons } from "./model.js"

/**
 * The three words of the report, as the `outcome` attribute.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = "pass" | "violation" | "not_judged"

/**
 * The not-judged reasons that are the proxy's own errors (its 502, its 504, a refused upgrade).
 *
 * @since 0.1.0
 * @category models
 */
export const proxyErrorKinds = ["unreachable", "invalid_upstream", "timeout", "refused"] as const

/**
 * Why an export did not reach its endpoint: it `failed` (refused, an error
 * status, timed out), or it was `dropped` because the previous one was
 * still pending (the queue holds one).
 *
 * @since 0.1.0
 * @category models
 */
export const exportFailureReasons = ["failed", "dropped"] as const

/**
 * `http.client.request.duration`'s advised buckets, in seconds.
 *
 * @since 0.1.0
 * @category models
 */
export const durationBuckets: ReadonlyArray<number> = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
]

/** The status classes of the duration histogram; `error` when no valid answer came (502, 504). */
const statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "error"] as const

/**
 * At most this many distinct unknown fields are remembered per session
 * (and so counted): a server inventing a new field in every answer must not
 * grow the proxy's memory.
 *
 * @since 0.1.0
 * @category models
 */
export const MAX_DRIFT_FIELDS = 1024

/**
 * One row of the metric table: the OpenTelemetry name, the name Prometheus
 * shows (dots as underscores, `_total` on counters; histograms add
 * `_bucket`, `_sum`, `_count`), the kind, the unit and each attribute with
 * the values it takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface MetricRow {
  readonly name: string
  readonly prometheus: string
  readonly kind: "counter" | "gauge" | "histogram"
  readonly unit: string
  readonly description: string
  readonly attributes: Readonly<Record<string, ReadonlyArray<string>>>
}

const statusValues = [...[...ResponseRules.documentedStatuses].map(String), "1xx", "2xx", "3xx", "4xx", "5xx"]

/**
 * Every metric the proxy exports, in the order the docs list them.
 *
 * @since 0.1.0
 * @category models
 */
export const metricTable = {
  exchanges: {
    name: "postpress.exchanges",
    prometheus: "postpress_exchanges_total",
    kind: "counter",
    unit: "{exchange}",
    description: "Every exchange the proxy saw, by outcome (the report's words); reason for not judged ones.",
    attributes: { outcome: ["pass", "violation", "not_judged"], reason: notJudgedReasons }
  },
  violations: {
    name: "postpress.violations",
    prometheus: "postpress_violations_total",
    kind: "counter",
    unit: "{violation}",
    description: "Violations found, by check and status (a documented status, else its class).",
    attributes: { check: checkNames, "http.response.status_code": statusValues }
  },
  upstreamDuration: {
    name: "postpress.upstream.duration_seconds",
    prometheus: "postpress_upstream_duration_seconds",
    kind: "histogram",
    unit: "s",
    description: "How long the target took to answer (queue wait excluded), by status class; error: no valid answer.",
    attributes: { "http.response.status_class": statusClasses }
  },
  driftFields: {
    name: "postpress.drift.fields",
    prometheus: "postpress_drift_fields_total",
    kind: "counter",
    unit: "{field}",
    description: `Distinct unknown fields (drift) first seen by a session (at most ${MAX_DRIFT_FIELDS} per session).`,
    attributes: {}
  },
  inFlight: {
    name: "postpress.proxy.in_flight",
    prometheus: "postpress_proxy_in_flight",
    kind: "gauge",
    unit: "{exchange}",
    description: "Exchanges in flight or waiting for their turn.",
    attributes: {}
  },
  queueWait: {
    name: "postpress.proxy.queue.wait_seconds",
    prometheus: "postpress_proxy_queue_wait_seconds",
    kind: "histogram",
    unit: "s",
    description: "How long an exchange waited for its turn behind the in-flight limit.",
    attributes: {}
  },
  proxyErrors: {
    name: "postpress.proxy.errors",
    prometheus: "postpress_proxy_errors_total",
    kind: "counter",
    unit: "{error}",
    description: "The proxy's own answers: 502 (unreachable, invalid_upstream), 504 (timeout), refused upgrades.",
    attributes: { kind: proxyErrorKinds }
  },
  exportFailures: {
    name: "postpress.metrics.export.failures",
    prometheus: "postpress_metrics_export_failures_total",
    kind: "counter",
    unit: "{export}",
    description: "Metric exports that did not reach their endpoint: failed, or dropped (the previous still pending).",
    attributes: { reason: exportFailureReasons }
  }
} as const satisfies Record<string, MetricRow>

type Row = (typeof metricTable)[keyof typeof metricTable]

const labelsOf = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels).map(([key, value]) => MetricLabel.make(key, value))

/** One series per label set, built once: later updates hit a cached hook. */
const seriesOf = <K extends MetricKey.MetricKey.Untyped>(key: K) => {
  const made = new Map<string, Metric.Metric<K["keyType"]["_Type"], unknown, unknown>>()
  return (labels: Readonly<Record<string, string>> = {}) => {
    const id = JSON.stringify(labels)
    let series = made.get(id)
    if (series === undefined) {
      series = Metric.fromMetricKey(MetricKey.taggedWithLabels(key, labelsOf(labels))) as never
      made.set(id, series!)
    }
    return series!
  }
}

const counterOf = (row: Row) =>
  seriesOf(MetricKey.counter(row.name, { description: row.description, incremental: true }))
const histogramOf = (row: Row) =>
  seriesOf(
    MetricKey.histogram(row.name, MetricBoundaries.fromIterable(durationBuckets), row.description)
  ) as unknown as (labels?: Readonly<Record<string, string>>) => Metric.Metric<unknown, number, unknown>
const counter = {
  exchanges: counterOf(metricTable.exchanges),
  violations: counterOf(metricTable.violations),
  driftFields: counterOf(metricTable.driftFields),
  proxyErrors: counterOf(metricTable.proxyErrors),
  exportFailures: counterOf(metricTable.exportFailures)
}
const histogram = {
  upstreamDuration: histogramOf(metricTable.upstreamDuration),
  queueWait: histogramOf(metricTable.queueWait)
}
const inFlightGauge = Metric.fromMetricKey(
  MetricKey.gauge(metricTable.inFlight.name, { description: metricTable.inFlight.description })
)

const add = (series: Metric.Metric<unknown, number, unknown>, by = 1) => series.unsafeUpdate(by, [])

const isProxyError = (reason: NotJudgedReason): reason is (typeof proxyErrorKinds)[number] =>
  (proxyErrorKinds as ReadonlyArray<string>).includes(reason)

/**
 * A status as a bounded label: the documented ones as themselves, any other as its class.
 *
 * @since 0.1.0
 * @category labels
 */
export const statusLabel = (status: number): string =>
  ResponseRules.documentedStatuses.has(status) ? String(status) : statusClass(status)

/**
 * `2xx`, or `error` for a code outside 100–599.
 *
 * @since 0.1.0
 * @category labels
 */
export const statusClass = (status: number): (typeof statusClasses)[number] =>
  status >= 100 && status < 600 ? (`${Math.floor(status / 100)}xx` as (typeof statusClasses)[number]) : "error"

/**
 * What the tally tells the metrics: each exchange once, as it is counted in the report.
 *
 * @since 0.1.0
 * @category models
 */
export interface TrafficMetrics {
  /** A judged exchange: `pass`, or `violation` with each finding's check. */
  readonly judged: (
    status: number,
    findings: ReadonlyArray<{ readonly check: CheckName }>,
    unknownFields: ReadonlyArray<string>
  ) => void
  readonly notJudged: (reason: NotJudgedReason) => void
}

/**
 * What the proxy session tells the metrics besides the tally's outcomes.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProxyMetrics extends TrafficMetrics {
  /** An exchange's turn began after `seconds` in the queue. */
  readonly queued: (seconds: number) => void
  /** The target answered with `status` (or `undefined`: no valid answer) after `seconds`. */
  readonly upstream: (status: number | undefined, seconds: number) => void
  readonly inFlight: (count: number) => void
}

/**
 * A recorder for one proxy session: the series are the process's (Effect's
 * global registry, which the exporters read); the distinct drift fields are
 * the session's own, at most {@link MAX_DRIFT_FIELDS}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeProxyMetrics = (): ProxyMetrics => {
  const driftSeen = new Set<string>()
  const pass = counter.exchanges({ outcome: "pass" })
  const violation = counter.exchanges({ outcome: "violation" })
  // Registered at zero: a rate over the first minutes of a proxy's life has a series to start from.
  for (const series of [pass, violation]) series.register()
  for (const reason of notJudgedReasons) counter.exchanges({ outcome: "not_judged", reason }).register()
  for (const kind of proxyErrorKinds) counter.proxyErrors({ kind }).register()
  return {
    judged: (status, findings, unknownFields) => {
      add(findings.length === 0 ? pass : violation)
      for (const finding of findings) {
        add(counter.violations({ check: finding.check, "http.response.status_code": statusLabel(status) }))
      }
      for (const field of unknownFields) {
        if (driftSeen.size >= MAX_DRIFT_FIELDS || driftSeen.has(field)) continue
        driftSeen.add(field)
        add(counter.driftFields())
      }
    },
    notJudged: (reason) => {
      add(counter.exchanges({ outcome: "not_judged", reason }))
      if (isProxyError(reason)) add(counter.proxyErrors({ kind: reason }))
    },
    queued: (seconds) => add(histogram.queueWait(), seconds),
    upstream: (status, seconds) =>
      add(
        histogram.upstreamDuration({
          "http.response.status_class": status === undefined ? "error" : statusClass(status)
        }),
        seconds
      ),
    inFlight: (count) => inFlightGauge.unsafeUpdate(count, [])
  }
}

/**
 * One export that did not reach its endpoint (the CLI's exporters call it).
 *
 * @since 0.1.0
 * @category recording
 */
export const exportFailed = (reason: (typeof exportFailureReasons)[number]): void =>
  add(counter.exportFailures({ reason }))
