/**
 * Latency statistics: nearest-rank percentiles and a bounded, uniform sample
 * of the measured latencies (so a proxy judging traffic for hours keeps a
 * fixed amount of memory).
 *
 * @since 0.1.0
 */
import type { LatencySummary } from "./model.js"

/** Two decimals: microsecond noise is not information on a network. */
const round = (ms: number): number => Math.round(ms * 100) / 100

/**
 * The nearest-rank percentile `p` (0–100) of ascending `sorted` samples.
 *
 * @since 0.1.0
 * @category statistics
 */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number => {
  if (sorted.length === 0) return 0
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]!
}

/**
 * p50/p95/p99/max of the samples; `max` may be given when the samples are a
 * subset of what was measured (the true maximum is always tracked).
 *
 * @since 0.1.0
 * @category statistics
 */
export const summarize = (
  samples: ReadonlyArray<number>,
  exact?: { readonly count: number; readonly max: number }
): LatencySummary => {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    count: exact?.count ?? sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(exact?.max ?? sorted[sorted.length - 1] ?? 0)
  }
}

/**
 * A uniform sample of at most `capacity` values (Vitter's algorithm R) with
 * the exact count and maximum. The replacement draws come from a fixed-seed
 * generator, so the same latencies always keep the same sample.
 *
 * @since 0.1.0
 * @category models
 */
export class Reservoir {
  readonly values: Array<number> = []
  count = 0
  max = 0
  private state = 0x9e3779b9

  constructor(readonly capacity: number) {}

  add(ms: number): void {
    const value = round(ms)
    this.count++
    if (value > this.max) this.max = value
    if (this.values.length < this.capacity) {
      this.values.push(value)
      return
    }
    const slot = this.next() % this.count
    if (slot < this.capacity) this.values[slot] = value
  }

  summary(): LatencySummary {
    return summarize(this.values, { count: this.count, max: this.max })
  }

  // xorshift32: enough to spread replacements, independent of Math.random.
  private next(): number {
    let x = this.state
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.state = x >>> 0
    return this.state
  }
}
