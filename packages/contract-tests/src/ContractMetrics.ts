/**
 * What the validating proxy measures, as Effect `Metric`s in Effect's
 * metric registry: every exchange by outcome (`pass`, `violation`,
 * `not_judged`, the report's words, with the not-judged reason),
 * violations by check and status, the target's answer time by status
 * class, distinct drift fields, exchanges in flight and their queue wait,
 * the proxy's own 502/504/refusals, and exports that failed. The
 * `postpress contract proxy` CLI exports them to Prometheus (`--metrics-port`)
 * and over OTLP (`OTEL_EXPORTER_OTLP_ENDPOINT`); a program running the
 * proxy itself can read them with `Metric.snapshot` or any Effect metrics
 * bridge (`@effect/opentelemetry`'s `Metrics`).
 *
 * Attribute values are bounded sets (listed in {@link metricTable}): never an
 * account id, a path, a key or a body.
 *
 * @example
 * ```ts
 * import { ContractMetrics } from "@postpress/contract-tests"
 *
 * for (const row of Object.values(ContractMetrics.metricTable)) {
 *   console.log(`${row.prometheus} (${row.kind}, ${row.unit}): ${Object.keys(row.attributes).join(", ")}`)
 * }
 * ```
 *
 * @since 0.1.0
 */
export {
  /**
   * @since 0.1.0
   * @category models
   */
  durationBuckets,
  /**
   * @since 0.1.0
   * @category recording
   */
  exportFailed,
  /**
   * @since 0.1.0
   * @category models
   */
  exportFailureReasons,
  /**
   * @since 0.1.0
   * @category models
   */
  MAX_DRIFT_FIELDS,
  /**
   * @since 0.1.0
   * @category models
   */
  type MetricRow,
  /**
   * @since 0.1.0
   * @category models
   */
  metricTable,
  /**
   * @since 0.1.0
   * @category models
   */
  type Outcome,
  /**
   * @since 0.1.0
   * @category models
   */
  proxyErrorKinds,
  /**
   * @since 0.1.0
   * @category labels
   */
  statusClass,
  /**
   * @since 0.1.0
   * @category labels
   */
  statusLabel
} from "./internal/report/metrics.js"
