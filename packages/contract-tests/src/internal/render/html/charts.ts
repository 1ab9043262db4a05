/**
 * The latency histogram by answer status as inline SVG (no script, no
 * external file), and the status swatches the tables use. Each status is a
 * colour AND a fill pattern (./palette.ts) AND its label, so the chart reads
 * without telling colours apart; the chart has a `<title>`, each bar one
 * too, and a table beside it carries the same numbers.
 *
 * @since 0.1.0
 */
import type { LatencySamples } from "../../report/model.js"
import { type Html, html } from "./escape.js"
import { type Pattern, patternId, type StatusStyle, statusStyles } from "./palette.js"

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

const reasonPhrases: Readonly<Record<number, string>> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * A status with its reason phrase when it is one the API documents: `404 Not Found`.
 *
 * @since 0.1.0
 * @category charts
 */
export const statusName = (status: number | null): string => {
  const phrase = status === null ? undefined : reasonPhrases[status]
  return phrase === undefined ? statusLabel(status) : `${status} ${phrase}`
}

/** The lines of each pattern on an 8×8 tile. */
const patternShapes: Readonly<Record<Exclude<Pattern, "solid" | "dots">, string>> = {
  diagonal: "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4",
  backslash: "M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4",
  horizontal: "M0,4 h8",
  vertical: "M4,0 v8",
  cross: "M0,0 l8,8 M8,0 l-8,8",
  grid: "M0,4 h8 M4,0 v8"
}

const patternDef = (style: StatusStyle): Html => {
  const over =
    style.pattern === "solid"
      ? html``
      : style.pattern === "dots"
        ? html`<circle cx="4" cy="4" r="1.7" fill="${style.ink}" fill-opacity="0.75"/>`
        : html`<path d="${patternShapes[style.pattern]}" stroke="${style.ink}" stroke-opacity="0.75" stroke-width="1.6"/>`
  return html`<pattern id="${patternId(style)}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${style.color}"/>${over}</pattern>`
}

/**
 * The SVG patterns of these styles, in a hidden SVG: put it once on the page
 * before any {@link swatch} or chart uses them (they refer to them by id).
 *
 * @since 0.1.0
 * @category charts
 */
export const patternDefs = (styles: Iterable<StatusStyle>): Html => {
  const unique = new Map<string, StatusStyle>()
  for (const style of styles) unique.set(patternId(style), style)
  return html`<svg width="0" height="0" aria-hidden="true" style="position:absolute" xmlns="http://www.w3.org/2000/svg"><defs>${[...unique.values()].map(patternDef)}</defs></svg>`
}

/**
 * A 14×14 square in a status's colour and pattern (beside its label, never instead of it).
 *
 * @since 0.1.0
 * @category charts
 */
export const swatch = (style: StatusStyle): Html =>
  html`<svg class="swatch" width="14" height="14" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect x="0.5" y="0.5" width="13" height="13" fill="url(#${patternId(style)})" stroke="#333"/></svg>`

/**
 * Stacked bars: one bar per latency bucket, one colour and pattern per
 * answer status (the page must carry {@link patternDefs} of those statuses).
 *
 * @since 0.1.0
 * @category charts
 */
export const latencyHistogram = (
  groups: ReadonlyArray<LatencySamples>,
  styles: ReadonlyMap<number | null, StatusStyle> = statusStyles(groups.map((g) => g.status))
): Html => {
  const buckets = bucketBounds.length + 1
  const counts = groups.map((group) => {
    const perBucket = new Array<number>(buckets).fill(0)
    for (const ms of group.samplesMs) perBucket[bucketOf(ms)]!++
    return perBucket
  })
  const totals = Array.from({ length: buckets }, (_, b) => counts.reduce((sum, c) => sum + c[b]!, 0))
  const tallest = Math.max(1, ...totals)
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
        html`<rect x="${left + b * barWidth + 4}" y="${y.toFixed(1)}" width="${barWidth - 8}" height="${h.toFixed(1)}" fill="url(#${patternId(styles.get(group.status)!)})" stroke="#333" stroke-width="0.75"><title>${statusLabel(group.status)}: ${n} in ${bucketLabel(b)}</title></rect>`
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
      html`<span class="key">${swatch(styles.get(group.status)!)} ${statusName(group.status)} (${group.count})</span>`
  )
  return html`<svg class="histogram" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>Latency histogram by answer status</title>${axes}${bars}</svg><p class="legend">${legend}</p>`
}
