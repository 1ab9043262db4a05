/**
 * The `Retry-After` header as the retry policy reads it (`RetryPolicy`
 * re-exports these): `retry-after-ms`, delta-seconds, or an HTTP-date in any
 * of the three forms RFC 9110 makes recipients accept.
 */
import * as Duration from "effect/Duration"

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
// RFC 9110 §5.6.7: IMF-fixdate, then the two obsolete forms recipients must accept.
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i
const RFC_850 = /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i
const ASCTIME = /^[a-z]{3} ([a-z]{3}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i

const utc = (
  year: number,
  month: string,
  day: string,
  hours: string,
  minutes: string,
  seconds: string
): number | undefined => {
  const m = MONTHS.indexOf(month.toLowerCase())
  const [d, h, min, s] = [Number(day), Number(hours), Number(minutes), Number(seconds)]
  if (m < 0 || h > 23 || min > 59 || s > 60) return undefined
  const at = Date.UTC(year, m, d, h, min, Math.min(s, 59))
  // Date.UTC rolls 31 Feb over into March; an invalid date is no date.
  return new Date(at).getUTCDate() === d ? at : undefined
}

/**
 * Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime) to epoch
 * milliseconds; `undefined` when it is none of them. RFC 850's two-digit
 * years more than 50 years ahead of `nowMs` are read as the past century.
 *
 * @since 0.1.0
 * @category policy
 */
export const parseHttpDate = (value: string, nowMs: number): number | undefined => {
  let match = IMF_FIXDATE.exec(value)
  if (match !== null) return utc(Number(match[3]), match[2]!, match[1]!, match[4]!, match[5]!, match[6]!)
  match = RFC_850.exec(value)
  if (match !== null) {
    const thisYear = new Date(nowMs).getUTCFullYear()
    let year = Math.floor(thisYear / 100) * 100 + Number(match[3])
    if (year > thisYear + 50) year -= 100
    return utc(year, match[2]!, match[1]!, match[4]!, match[5]!, match[6]!)
  }
  match = ASCTIME.exec(value)
  if (match !== null) return utc(Number(match[6]), match[1]!, match[2]!.trim(), match[3]!, match[4]!, match[5]!)
  return undefined
}

/**
 * THE `Retry-After` parser: `retry-after-ms` (milliseconds, fractional
 * allowed) wins; else `Retry-After` as delta-seconds or an HTTP-date
 * (relative to `nowMs`; dates in the past read as 0). Header names are
 * lowercase. Unparseable values are `undefined`. Either way the policy waits
 * at least its normal backoff (`RetryPolicy.decideFailure`).
 *
 * @since 0.1.0
 * @category policy
 */
export const parseRetryAfterMillis = (
  headers: { readonly [name: string]: string | undefined },
  nowMs: number
): number | undefined => {
  const ms = headers["retry-after-ms"]?.trim()
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Number(ms)
  const value = headers["retry-after"]?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = parseHttpDate(value, nowMs)
  return at === undefined ? undefined : Math.max(0, at - nowMs)
}

/**
 * {@link parseRetryAfterMillis} as a `Duration`.
 *
 * @since 0.1.0
 * @category policy
 */
export const parseRetryAfter = (
  headers: { readonly [name: string]: string | undefined },
  nowMs: number
): Duration.Duration | undefined => {
  const ms = parseRetryAfterMillis(headers, nowMs)
  return ms === undefined ? undefined : Duration.millis(ms)
}
