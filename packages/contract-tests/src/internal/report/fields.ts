/**
 * How the report model's Schemas declare a field: every field carries the
 * description the generated `report.schema.json` shows a reader of the JSON
 * report, and an optional field is absent (never `undefined`), as in the
 * TypeScript shape with `exactOptionalPropertyTypes`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A field always present, with its description.
 *
 * @since 0.1.0
 * @category constructors
 */
export const required = <S extends Schema.Schema.All>(schema: S, description: string) =>
  Schema.propertySignature(schema).annotations({ description })

/**
 * A field that may be absent (never present as `undefined`), with its description.
 *
 * @since 0.1.0
 * @category constructors
 */
export const optional = <S extends Schema.Schema.All>(schema: S, description: string) =>
  Schema.optionalWith(schema, { exact: true }).annotations({ description })

/**
 * A count of things (requests, answers, exchanges, occurrences).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Count = Schema.NonNegativeInt.annotations({
  identifier: "Count",
  title: "Count",
  description: "A count: an integer, 0 or more."
})

/**
 * A number as measured or as given (a status, a seed, a rate). Any number:
 * a wall clock set back mid-run measures a negative time, and a report must
 * still be written. The sources produce finite numbers (JSON carries no
 * other), which is what the model's `Arbitrary` generates.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Measured = Schema.Number.annotations({
  // `+ 0`: JSON has no -0 (it reads back as 0).
  arbitrary: () => (fc) => fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n + 0)
})

/**
 * Milliseconds (a duration or a latency).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Millis = Measured
