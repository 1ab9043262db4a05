/**
 * Why exchanges were not judged, in words: one grouped phrase per reason
 * (the tally's inconclusive reasons say it, and the renderers show it), with
 * every byte from the traffic shown escaped.
 *
 * @since 0.1.0
 */
import { BodyLimit, Printable } from "@postpress/schema"
import { describeCount } from "./reasons.js"
import { type NotJudgedReason, notJudgedReasons, type TrafficCounts } from "./trafficModel.js"

const { plural } = Printable

/** `503 text/html`, or `503 text/html ×3, 504 none ×1` when several were seen (most seen first). */
const listDetails = (details: Readonly<Record<string, number>> | undefined, fallback: string): string => {
  const entries = Object.entries(details ?? {})
  if (entries.length === 0) return fallback
  if (entries.length === 1) return entries[0]![0]
  // Most seen first, then by name: the same traffic gives the same line whatever order answers ended in.
  entries.sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
  return entries.map(([detail, count]) => `${detail} ×${count}`).join(", ")
}

const overLimitPhrase = (count: number, t: Omit<TrafficCounts, "notJudgedBy">): string => {
  const decoded = t.notJudgedDetails.over_limit
  const onceDecoded = Object.values(decoded ?? {}).reduce((sum, n) => sum + n, 0)
  const asSent = count - onceDecoded
  const largest = BodyLimit.describe(t.maxBodyBytes, t.largestOverLimitBytes ?? 0)
  const parts: Array<string> = []
  if (asSent === 1) parts.push(`1 ${largest}`)
  if (asSent > 1) parts.push(`${asSent} bodies over the limit (the largest: ${largest})`)
  if (onceDecoded > 0) {
    parts.push(
      `${plural(onceDecoded, "body", "bodies")} over the ${BodyLimit.formatBytes(t.maxBodyBytes)} limit once decoded (${listDetails(decoded, "")})`
    )
  }
  return parts.join(", ")
}

const describeReason = (reason: NotJudgedReason, count: number, t: Omit<TrafficCounts, "notJudgedBy">): string => {
  const details = t.notJudgedDetails[reason]
  switch (reason) {
    case "not_operation":
      return `${count} not the operation (method or path)`
    case "outside_base_url":
      return `${count} outside --base-url (seen: ${t.otherOrigins.join(", ")})`
    case "unreachable":
      return `${count} target unreachable (502)`
    case "invalid_upstream":
      return `${count} not valid HTTP from the target (502)`
    case "timeout":
      return `${count} upstream timeout (504)`
    case "refused":
      return `${count} upgrade or CONNECT refused`
    case "gateway_page":
      return describeCount(count, `gateway page: ${listDetails(details, "502/503/504 without JSON")}`)
    case "throttled":
      return `${count} throttled (429)`
    case "cache_answer":
      return describeCount(count, `cache answer: ${listDetails(details, "304 Not Modified")}`)
    case "partial_answer":
      return describeCount(count, `partial answer: ${listDetails(details, "206 to a Range request")}`)
    case "over_limit":
      return overLimitPhrase(count, t)
    case "undecodable":
      return `${plural(count, "body", "bodies")} not decodable: ${listDetails(details, "cannot decode")}`
    case "undecodable_recording":
      return `${plural(count, "undecodable recording")} (${listDetails(details, "base64 text that does not decode")})`
    case "no_body":
      return `${count} without a recorded body`
    case "incomplete":
      return `${count} cut off before the end`
  }
}

/**
 * Why exchanges were not judged, one entry per reason seen (in the order of
 * `notJudgedReasons`): the reason, its count and its phrase
 * (`3 not the operation (method or path)`), for a renderer that lists them.
 *
 * @since 0.1.0
 * @category rendering
 */
export const notJudgedPhrases = (
  t: TrafficCounts
): ReadonlyArray<{ readonly reason: NotJudgedReason; readonly count: number; readonly phrase: string }> =>
  notJudgedReasons
    .filter((reason) => (t.notJudgedBy[reason] ?? 0) > 0)
    .map((reason) => ({
      reason,
      count: t.notJudgedBy[reason]!,
      phrase: describeReason(reason, t.notJudgedBy[reason]!, t)
    }))

/**
 * Why exchanges were not judged, grouped, one phrase per reason:
 * `3 not the operation (method or path), 2 target unreachable (502)`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const notJudgedSummary = (t: TrafficCounts): string =>
  notJudgedPhrases(t)
    .map((entry) => entry.phrase)
    .join(", ")

/**
 * The one reason a traffic report that judged no exchange gives:
 * `0 exchanges judged: ` and why (the renderers that list the reasons
 * themselves recognise it by this form).
 *
 * @since 0.1.0
 * @category rendering
 */
export const nothingJudgedReason = (why: string): string => `0 exchanges judged: ${why}`
