/**
 * The error envelope `{ title, detail?, instance?, type, status }` every error
 * response carries, generically and per documented status. The per-status
 * schemas are derived from the {@link ErrorCatalogue} table: `type` must be one
 * of that tier's types and `status` must equal the tier's HTTP status.
 * {@link decodeResponse} is the one check of an error response's body.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as DecodeIssue from "./DecodeIssue.js"
import { type ErrorStatus, type ErrorTypeOf, errorStatuses, isErrorStatus, lookup, typesOf } from "./ErrorCatalogue.js"
import { optional } from "./Fields.js"

const commonFields = {
  title: Schema.String.annotations({ description: "Short error title." }),
  detail: optional(Schema.String.annotations({ description: "Human-readable explanation." })),
  instance: optional(Schema.String.annotations({ description: "Request identifier for support." }))
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

/**
 * What {@link decodeResponse} found in an error response:
 *
 * - `Documented`: a documented status (400, 401, 404, 500, 503, 504) whose
 *   body is that tier's envelope, `status` equal to the HTTP status;
 * - `Undocumented`: a status the spec does not document (403, 429, 502, ...)
 *   whose body is a well-formed envelope with `status` equal to the HTTP status;
 * - `Violation`: anything else: not an envelope, `status` not the HTTP status,
 *   a `type` the catalogue does not know or that belongs to another tier.
 *   `issues` lists every problem (path, expected, actual, message, as
 *   `DecodeIssue.formatIssue` renders them); `envelope` is the body when it
 *   at least decoded as a generic envelope, so callers can still show its
 *   `type` and `title`.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseEnvelope =
  | { readonly _tag: "Documented"; readonly status: ErrorStatus; readonly envelope: DocumentedErrorEnvelope }
  | { readonly _tag: "Undocumented"; readonly status: number; readonly envelope: ErrorEnvelope }
  | {
      readonly _tag: "Violation"
      readonly status: number
      readonly issues: ReadonlyArray<DecodeIssue.DecodeIssue>
      readonly envelope: ErrorEnvelope | undefined
    }

/**
 * Options of {@link decodeResponse}: `strict` rejects envelope properties
 * the spec does not define (the default drops them).
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeResponseOptions {
  readonly strict?: boolean | undefined
}

const decodeLenient = Schema.decodeUnknownEither(ErrorEnvelope, { errors: "all" })
const decodeStrict = Schema.decodeUnknownEither(ErrorEnvelope, { errors: "all", onExcessProperty: "error" })

const issue = (key: string, expected: string, actual: unknown): DecodeIssue.DecodeIssue => {
  const shown = DecodeIssue.describeActual(actual)
  return { path: [key], expected, actual: shown, message: `expected ${expected}, got ${shown}` }
}

/**
 * THE check of an error response (READING.md rows 9, 12–13): the body of a
 * non-2xx response, already parsed from JSON, against the HTTP `status` it
 * came with. The client, the contract suite and the mock all read error
 * bodies through this one function.
 *
 * ```ts
 * import { ErrorEnvelope } from "@postpress/schema"
 *
 * const text = '{"title":"Not found","type":"errors/resource_not_found","status":404}'
 * const found = ErrorEnvelope.decodeResponse(404, JSON.parse(text))
 * if (found._tag === "Documented") found.envelope.type // "errors/resource_not_found" | ...
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeResponse = (
  status: number,
  body: unknown,
  options: DecodeResponseOptions = {}
): ResponseEnvelope => {
  const decoded = (options.strict === true ? decodeStrict : decodeLenient)(body)
  if (Either.isLeft(decoded)) {
    return { _tag: "Violation", status, issues: DecodeIssue.fromParseError(decoded.left), envelope: undefined }
  }
  const envelope = decoded.right
  const issues: Array<DecodeIssue.DecodeIssue> = []
  if (envelope.status !== status) issues.push(issue("status", `${status} (the HTTP status)`, envelope.status))
  if (isErrorStatus(status)) {
    if (lookup(envelope.type)?.status !== status) {
      issues.push(issue("type", `one of ${typesOf(status).join(" | ")}`, envelope.type))
    }
    if (issues.length === 0) {
      return { _tag: "Documented", status, envelope: envelope as DocumentedErrorEnvelope }
    }
  } else if (issues.length === 0) {
    return { _tag: "Undocumented", status, envelope }
  }
  return { _tag: "Violation", status, issues, envelope }
}
