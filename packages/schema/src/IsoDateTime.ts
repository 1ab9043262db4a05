/**
 * The spec's datetime: an ISO 8601 UTC instant written exactly as
 * `YYYY-MM-DDTHH:MM:SS.sssZ` that names a real calendar instant.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The textual form. Month, day, hour, minute and second ranges are part of the
 * pattern so that non-Effect validators (JSON Schema `pattern`) reject the same
 * strings; second 60 is excluded because `Date` has no leap seconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const pattern = "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z$"

const regex = new RegExp(pattern)

/** Days in `month` (1–12) of `year`, proleptic Gregorian as `Date` counts them (year 0 is a leap year). */
const daysIn = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31

/**
 * `true` when `s` has the exact form and is a real calendar instant
 * (`2025-02-30T00:00:00.000Z` is not: `Date` would roll it over to March).
 * The pattern already fixes every field's range, so only the day of the
 * month is left to check; this gives `new Date(s).toISOString() === s`'s
 * answer (a test compares both over four centuries of dates) without
 * building a `Date`, which matters on the decoder's hot path.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isIsoDateTime = (s: string): boolean =>
  regex.test(s) && Number(s.slice(8, 10)) <= daysIn(Number(s.slice(0, 4)), Number(s.slice(5, 7)))

/**
 * A string holding an ISO 8601 UTC datetime (`2025-12-31T23:59:59.999Z`).
 * Decoding keeps the string as is, so `encode(decode(x))` is `x`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IsoDateTime = Schema.String.pipe(
  Schema.filter(isIsoDateTime, {
    identifier: "IsoDateTime",
    description: "An ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ)",
    message: () => "expected an ISO 8601 UTC datetime YYYY-MM-DDTHH:MM:SS.sssZ naming a real calendar instant",
    examples: ["2025-12-31T23:59:59.999Z"],
    jsonSchema: { format: "date-time", pattern },
    arbitrary: () => (fc) =>
      fc
        .date({
          min: new Date("2000-01-01T00:00:00.000Z"),
          max: new Date("2099-12-31T23:59:59.999Z"),
          noInvalidDate: true
        })
        .map((d) => d.toISOString())
  })
)
