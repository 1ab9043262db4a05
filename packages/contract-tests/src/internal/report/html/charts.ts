/**
 * The report's two charts as inline SVG (no script, no external file): the
 * account types seen, and the latency histogram by answer status. Each chart
 * has a `<title>` and a table beside it carries the same numbers, so the
 * page reads without the pictures too.
 *
 * @since 0.1.0
 */
import type { LatencySamples } from "../../../ContractReport.js"
import { type Html, html } from "./escape.js"

/**
 * One cell per account type of the spec, filled when seen.
 *
 * @since 0.1.0
 * @category charts
 */
export const variantChart = (types: ReadonlyArray<string>, seen: ReadonlySet<string>): Html => {
  const columns = 7
  const cellWidth = 150
  const cellHeight = 40
  const rows = Math.ceil(types.length / columns)
  const width = columns * cellWidth
  const height = rows * cellHeight
  const cells = types.map((type, i) => {
    const x = (i % columns) * cellWidth
    const y = Math.floor(i / columns) * cellHeight
    const isSeen = seen.has(type)
    return html`<g class="${isSeen ? "seen" : "missing"}"><title>${type}: ${isSeen ? "seen" : "not seen"}</title><rect x="${x + 2}" y="${y + 2}" width="${cellWidth - 4}" height="${cellHeight - 4}" rx="4"/><text x="${x + cellWidth / 2}" y="${y + cellHeight / 2 + 4}" text-anchor="middle">${isSeen ? "✓ " : ""}${type}</text></g>`
  })
  return html`<svg class="variants" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>Account types seen: ${seen.size} of ${types.length}</title>${cells}</svg>`
}

/**
 * Bucket upper bounds in milliseconds (the last bucket is open-ended): a
 * 1-2-5 scale, because latencies spread over orders of magnitude.
 *
 * @since 0.1.0
 * @category charts
 */
export const bucketBounds: ReadonlyArray<number> = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]

const bucketLabel = (i: number): string => {
  const upper = bucketBounds[i]
  const lower = i === 0 ? 0 : bucketBounds[i - 1]!
  const ms = (n: number) => (n >= 1000 ? `${n / 1000}s` : `${n}ms`)
  return upper === undefined ? `≥${ms(lower)}` : `<${ms(upper)}`
}

/**
 * Which bucket a latency falls into.
 *
 * @since 0.1.0
 * @category charts
 */
export const bucketOf = (ms: number): number => {
  const i = bucketBounds.findIndex((upper) => ms < upper)
  return i === -1 ? bucketBounds.length : i
}

/**
 * The label of an answer status (`null`: no answer).
 *
 * @since 0.1.0
 * @category charts
 */
export const statusLabel = (status: number | null): string => (status === null ? "no answer" : String(status))

const palette: Record<string, ReadonlyArray<string>> = {
  "2": ["#2e7d32", "#66bb6a"],
  "4": ["#1565c0", "#42a5f5", "#5c6bc0", "#26a69a", "#7e57c2"],
  "5": ["#c62828", "#ef6c00", "#ad1457"],
  other: ["#757575", "#8d6e63"]
}

/**
 * A colour per status: green 2xx, blues 4xx, orange 429, reds 5xx, grey otherwise.
 *
 * @since 0.1.0
 * @category charts
 */
export const colorsFor = (statuses: ReadonlyArray<number | null>): ReadonlyMap<number | null, string> => {
  const used: Record<string, number> = {}
  const out = new Map<number | null, string>()
  for (const status of statuses) {
    if (status === 429) {
      out.set(status, "#f9a825")
      continue
    }
    const family = status === null ? "other" : palette[String(status)[0]!] ? String(status)[0]! : "other"
    const colors = palette[family]!
    const n = used[family] ?? 0
    used[family] = n + 1
    out.set(status, colors[n % colors.length]!)
  }
  return out
}

/**
 * Stacked bars: one bar per latency bucket, one colour per answer status.
 *
 * @since 0.1.0
 * @category charts
 */
export const latencyHistogram = (groups: ReadonlyArray<LatencySamples>): Html => {
  const buckets = bucketBounds.length + 1
  const counts = groups.map((group) => {
    const perBucket = new Array<number>(buckets).fill(0)
    for (const ms of group.samplesMs) perBucket[bucketOf(ms)]!++
    return perBucket
  })
  const totals = Array.from({ length: buckets }, (_, b) => counts.reduce((sum, c) => sum + c[b]!, 0))
  const tallest = Math.max(1, ...totals)
  const colors = colorsFor(groups.map((g) => g.status))
  const left = 48
  const barWidth = 52
  const plotHeight = 200
  const top = 12
  const width = left + buckets * barWidth + 8
  const height = top + plotHeight + 40
  const bars: Array<Html> = []
  for (let b = 0; b < buckets; b++) {
    let y = top + plotHeight
    groups.forEach((group, g) => {
      const n = counts[g]![b]!
      if (n === 0) return
      const h = (n / tallest) * plotHeight
      y -= h
      bars.push(
        html`<rect x="${left + b * barWidth + 4}" y="${y.toFixed(1)}" width="${barWidth - 8}" height="${h.toFixed(1)}" fill="${colors.get(group.status)!}"><title>${statusLabel(group.status)}: ${n} in ${bucketLabel(b)}</title></rect>`
      )
    })
    bars.push(
      html`<text class="axis" x="${left + b * barWidth + barWidth / 2}" y="${top + plotHeight + 16}" text-anchor="middle">${bucketLabel(b)}</text>`
    )
    if (totals[b]! > 0) {
      bars.push(
        html`<text class="axis" x="${left + b * barWidth + barWidth / 2}" y="${(top + plotHeight - (totals[b]! / tallest) * plotHeight - 4).toFixed(1)}" text-anchor="middle">${totals[b]!}</text>`
      )
    }
  }
  const axes = html`<line x1="${left}" y1="${top + plotHeight}" x2="${width - 8}" y2="${top + plotHeight}" class="rule"/><text class="axis" x="${left - 6}" y="${top + 8}" text-anchor="end">${tallest}</text><text class="axis" x="${left - 6}" y="${top + plotHeight}" text-anchor="end">0</text><text class="axis" x="${left + (buckets * barWidth) / 2}" y="${height - 4}" text-anchor="middle">latency (sampled exchanges per bucket)</text>`
  const legend = groups.map(
    (group) =>
      html`<span class="key"><svg width="12" height="12" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect width="12" height="12" fill="${colors.get(group.status)!}"/></svg> ${statusLabel(group.status)} (${group.count})</span>`
  )
  return html`<svg class="histogram" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>Latency histogram by answer status</title>${axes}${bars}</svg><p class="legend">${legend}</p>`
}
