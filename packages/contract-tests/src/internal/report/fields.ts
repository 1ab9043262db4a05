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
 * Milliseconds (a duration or a latency). Any number: a wall clock set back
 * mid-run measures a negative time, and a report must still be written.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Millis = Schema.Number
