/**
 * One tagged error class per documented status tier, carrying the envelope
 * fields (`type` typed as that tier's literal union) and, when a client
 * raised it, what it knows about the exchange ({@link exchangeFields}). These
 * are THE tier errors: `@postpress/client` re-exports the same classes, so
 * `instanceof` and `catchTag` agree everywhere. {@link wire} holds, per
 * status, a schema that reads and writes the plain envelope (no `_tag`, no
 * exchange facts on the wire); the HttpApi contract uses those.
 *
 * @since 0.1.0
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"
import type { ErrorStatus } from "./ErrorCatalogue.js"
import { type DocumentedErrorEnvelope, envelopes, type TierEnvelopeSchema } from "./ErrorEnvelope.js"
import { optional } from "./Fields.js"

/**
 * The `message` of every tier error: `404 errors/resource_not_found: Not found (detail)`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = (e: {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail?: string | undefined
  readonly attempts?: number | undefined
}): string =>
  `${e.status} ${e.type}: ${e.title}${e.detail === undefined ? "" : ` (${e.detail})`}` +
  (e.attempts !== undefined && e.attempts > 1 ? ` after ${e.attempts} attempts` : "")

/**
 * What a client knows about the exchange behind an error, besides the body.
 * All optional: a server building an error (the mock) sets none of them.
 *
 * @since 0.1.0
 * @category fields
 */
export const exchangeFields = {
  /** HTTP attempts made (redirect hops excluded). */
  attempts: optional(Schema.Int),
  /** The `x-request-id` response header, falling back to the envelope's `instance`. */
  requestId: optional(Schema.String),
  /** The `Retry-After` / `retry-after-ms` the server sent, parsed. */
  retryAfter: optional(Schema.DurationFromSelf)
}

/**
 * The exchange facts as values.
 *
 * @since 0.1.0
 * @category models
 */
export type ExchangeFacts = Schema.Struct.Type<typeof exchangeFields>

const tierFields = <S extends ErrorStatus>(status: S) => ({ ...envelopes[status].fields, ...exchangeFields })

/**
 * 400: malformed or invalid input.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", tierFields(400)) {
  /** @since 0.1.0 */
  static readonly status = 400 as const
  override get message(): string {
    return describe(this)
  }
}

/**
 * 401: credentials missing, expired or invalid.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", tierFields(401)) {
  /** @since 0.1.0 */
  static readonly status = 401 as const
  override get message(): string {
    return describe(this)
  }
}

/**
 * 404: the account does not exist or is not accessible with this key.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", tierFields(404)) {
  /** @since 0.1.0 */
  static readonly status = 404 as const
  override get message(): string {
    return describe(this)
  }
}

/**
 * 500: something went wrong server side or upstream.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError extends Schema.TaggedError<InternalServerError>()(
  "InternalServerError",
  tierFields(500)
) {
  /** @since 0.1.0 */
  static readonly status = 500 as const
  override get message(): string {
    return describe(this)
  }
}

/**
 * 503: temporarily unable to handle the request.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  "ServiceUnavailable",
  tierFields(503)
) {
  /** @since 0.1.0 */
  static readonly status = 503 as const
  override get message(): string {
    return describe(this)
  }
}

/**
 * 504: the upstream provider did not respond in time.
 *
 * @since 0.1.0
 * @category errors
 */
export class GatewayTimeout extends Schema.TaggedError<GatewayTimeout>()("GatewayTimeout", tierFields(504)) {
  /** @since 0.1.0 */
  static readonly status = 504 as const
  override get message(): string {
    return describe(this)
  }
}

/**
 * The tier classes keyed by status.
 *
 * @since 0.1.0
 * @category errors
 */
export const byStatus = {
  400: BadRequest,
  401: Unauthorized,
  404: NotFound,
  500: InternalServerError,
  503: ServiceUnavailable,
  504: GatewayTimeout
} as const satisfies { readonly [S in ErrorStatus]: { readonly status: S } }

/**
 * Any tier error.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiError = InstanceType<(typeof byStatus)[ErrorStatus]>

/**
 * The tier error class of status `S`.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiErrorOf<S extends ErrorStatus> = InstanceType<(typeof byStatus)[S]>

/**
 * The tier error of a documented envelope, with the exchange facts a client
 * adds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEnvelope = <E extends DocumentedErrorEnvelope>(
  envelope: E,
  facts: ExchangeFacts = {}
): ApiErrorOf<E["status"]> => {
  // One constructor per status; the cast only bridges the per-status literal types.
  const Tier = byStatus[envelope.status] as unknown as new (fields: object) => ApiErrorOf<E["status"]>
  return new Tier({ ...envelope, ...facts })
}

const wireOf = <S extends ErrorStatus>(status: S): Schema.Schema<ApiErrorOf<S>, TierEnvelopeSchema<S>["Encoded"]> => {
  type Encoded = { readonly _tag: string } & { readonly [K in keyof ExchangeFacts]?: unknown }
  const cls = byStatus[status] as unknown as Schema.Schema<ApiErrorOf<S>, Encoded>
  const tag = byStatus[status]._tag
  return Schema.transform(envelopes[status], cls, {
    strict: false,
    decode: (envelope) => ({ ...envelope, _tag: tag }),
    // Only the envelope travels: the tag and the exchange facts are ours.
    encode: ({ _tag, attempts, requestId, retryAfter, ...envelope }) => envelope
  }).annotations(HttpApiSchema.annotations({ status })) as never
}

/**
 * Per status, a schema between the plain wire envelope and the tier error.
 *
 * @since 0.1.0
 * @category schemas
 */
export const wire = {
  400: wireOf(400),
  401: wireOf(401),
  404: wireOf(404),
  500: wireOf(500),
  503: wireOf(503),
  504: wireOf(504)
} as const
