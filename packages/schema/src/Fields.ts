/**
 * Field helpers shared by every schema of the API (and by the client's
 * errors), so that what "optional" means is decided once.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * An optional property in the spec's sense: it may be absent, but when it is
 * present it must decode; `undefined` is not a value (the shape fits
 * `exactOptionalPropertyTypes`, and JSON has no `undefined` anyway).
 *
 * @since 0.1.0
 * @category fields
 */
export const optional = <S extends Schema.Schema.Any>(schema: S): Schema.optionalWith<S, { exact: true }> =>
  Schema.optionalWith(schema, { exact: true })
