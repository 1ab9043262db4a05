/**
 * The error envelope `{ title, detail?, instance?, type, status }` every error
 * response carries, generically and per documented status. The per-status
 * schemas are derived from the {@link ErrorCatalogue} table: `type` must be one
 * of that tier's types and `status` must equal the tier's HTTP status.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { type ErrorStatus, type ErrorTypeOf, errorStatuses, typesOf } from "./ErrorCatalogue.js"

const exact = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

const commonFields = {
  title: Schema.String.annotations({ description: "Short error title." }),
  detail: exact(Schema.String.annotations({ description: "Human-readable explanation." })),
  instance: exact(Schema.String.annotations({ description: "Request identifier for support." }))
}

/**
 * Any error envelope: `type` is any string and `status` any number. Use it
 * for statuses the spec does not document (403, 429, 502, ...).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorEnvelope = Schema.Struct({
  ...commonFields,
  type: Schema.String.annotations({ description: "Error type identifier, e.g. `errors/resource_not_found`." }),
  status: Schema.Number.annotations({ description: "HTTP status code." })
}).annotations({ identifier: "ErrorEnvelope" })

/**
 * @since 0.1.0
 * @category models
 */
export type ErrorEnvelope = typeof ErrorEnvelope.Type

/**
 * The schema of one tier's envelope.
 *
 * @since 0.1.0
 * @category models
 */
export type TierEnvelopeSchema<S extends ErrorStatus> = Schema.Struct<
  typeof commonFields & {
    type: Schema.Literal<[ErrorTypeOf<S>]>
    status: Schema.Literal<[S]>
  }
>

/**
 * The envelope of one tier: `ErrorEnvelopeOf<404>` has
 * `type: "errors/resource_not_found" | "errors/invalid_resource_identifier"` and `status: 404`.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorEnvelopeOf<S extends ErrorStatus> = TierEnvelopeSchema<S>["Type"]

const tierEnvelope = <S extends ErrorStatus>(status: S): TierEnvelopeSchema<S> =>
  Schema.Struct({
    ...commonFields,
    type: Schema.Literal(...(typesOf(status) as [ErrorTypeOf<S>])),
    status: Schema.Literal(status)
  }).annotations({ identifier: `ErrorEnvelope${status}` })

/**
 * The per-status envelope schemas, keyed by status.
 *
 * @since 0.1.0
 * @category schemas
 */
export const envelopes = Object.fromEntries(errorStatuses.map((status) => [status, tierEnvelope(status)])) as {
  readonly [S in ErrorStatus]: TierEnvelopeSchema<S>
}

/**
 * An envelope of any documented tier, with `type` and `status` consistent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DocumentedErrorEnvelope = Schema.Union(...errorStatuses.map((status) => envelopes[status])).annotations({
  identifier: "DocumentedErrorEnvelope"
}) as unknown as Schema.Schema<{ readonly [S in ErrorStatus]: ErrorEnvelopeOf<S> }[ErrorStatus]>

/**
 * @since 0.1.0
 * @category models
 */
export type DocumentedErrorEnvelope = typeof DocumentedErrorEnvelope.Type
