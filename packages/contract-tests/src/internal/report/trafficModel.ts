/**
 * What the traffic tally is fed: the settings of a proxy session or HAR run
 * and each observed exchange (the traffic report's Schemas are in `model.ts`,
 * re-exported here for the sources).
 *
 * @since 0.1.0
 */

import type { Secrets } from "../judge/secrets.js"
import type { TrafficMetrics } from "./metrics.js"
import type { Invocation } from "./model.js"

export {
  NotJudgedReason,
  notJudgedReasons,
  TrafficCounts,
  TrafficReport,
  type TrafficVerdict
} from "./model.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface TrafficSettings {
  readonly baseUrl: string
  readonly strict: boolean
  readonly failOnDrift?: boolean | undefined
  readonly startedAt: string
  readonly source: "proxy" | "har"
  /** The secrets to mask in every text of the report (they grow as traffic is seen). */
  readonly secrets: Secrets
  /** Default {@link BodyLimit.defaultMaxBytes}. */
  readonly maxBodyBytes?: number | undefined
  /** How the run was started (the CLI's tool, version and argv), for the reports. */
  readonly invocation?: Invocation | undefined
  /** Told each exchange's outcome as it is counted (the proxy's metrics; none for HAR files). */
  readonly metrics?: TrafficMetrics | undefined
}

/**
 * One exchange as the recorder needs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Observed {
  /** This exchange's own secrets (masked in what it leaves in the report, even beyond the bounded set). */
  readonly secrets?: ReadonlyArray<string> | undefined
  readonly url: string
  readonly status: number
  readonly body: string
  readonly latencyMs: number
}
