/**
 * Why answers were not judged, counted and said in one phrase per reason:
 * `12 answers were gateway pages: 503 text/html`, `2 requests got no answer
 * (ECONNREFUSED)`, `1 answer with a body over the 16 MiB limit (N bytes)`.
 * The builder keeps the counts; every rendering (human, JSON notes, JUnit,
 * HTML) reads the phrases from here, so a reason reads the same everywhere.
 *
 * @since 0.1.0
 */

import type { NotJudged, Unit } from "./checkResult.js"

/**
 * What a check's numbers count (the report model's `Unit`).
 *
 * @since 0.1.0
 * @category models
 */
export type CheckUnit = Unit

/**
 * One reason things were not judged, and how many (the report model's `NotJudged`).
 *
 * @since 0.1.0
 * @category models
 */
export type ReasonCount = NotJudged

/** At most this many distinct reasons in one phrase. */
const MAX_REASONS = 3

/**
 * Adds `by` to the count of `reason`.
 *
 * @since 0.1.0
 * @category counting
 */
export const bump = (counts: Map<string, number>, reason: string, by: number): void => {
  counts.set(reason, (counts.get(reason) ?? 0) + by)
}

/**
 * The counts, most frequent first.
 *
 * @since 0.1.0
 * @category counting
 */
export const sorted = (counts: ReadonlyMap<string, number>): ReadonlyArray<ReasonCount> =>
  [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count)

// The kinds `ResponseRules.notTheApi` names ("gateway page: 503 text/html"), with their plural.
const kinds: ReadonlyArray<readonly [string, string]> = [
  ["gateway page", "gateway pages"],
  ["cache answer", "cache answers"],
  ["partial answer", "partial answers"]
]

/**
 * One reason with its count as a phrase: `1 answer was a gateway page: 503
 * text/html`, `3 requests got no answer (ECONNRESET)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const describeCount = (n: number, reason: string): string => {
  const one = n === 1
  if (reason.startsWith("no answer")) return `${n} ${one ? "request" : "requests"} got ${reason}`
  if (reason.startsWith("body ")) return `${n} ${one ? "answer" : "answers"} with a ${reason}`
  const kind = kinds.find(([singular]) => reason.startsWith(`${singular}:`))
  if (kind !== undefined) {
    const rest = reason.slice(kind[0].length)
    return one ? `1 answer was a ${kind[0]}${rest}` : `${n} answers were ${kind[1]}${rest}`
  }
  return `${n} ${one ? "answer was" : "answers were"} ${reason}`
}

/**
 * Every reason in one phrase (the three most frequent, then how many more
 * kinds); `undefined` when there is none.
 *
 * @since 0.1.0
 * @category rendering
 */
export const describeReasons = (counts: ReadonlyArray<ReasonCount>): string | undefined => {
  if (counts.length === 0) return undefined
  const shown = counts.slice(0, MAX_REASONS).map(({ reason, count }) => describeCount(count, reason))
  if (counts.length > MAX_REASONS) shown.push(`${counts.length - MAX_REASONS} more kinds`)
  return shown.join(", ")
}
