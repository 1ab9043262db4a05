/**
 * One tagged error class per documented status tier, carrying the envelope
 * fields (`type` typed as that tier's literal union). {@link wire} holds, per
 * status, a schema that reads and writes the plain envelope (no `_tag` on the
 * wire); the HttpApi contract uses those.
 *
 * @since 0.1.0
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"
import type { ErrorStatus } from "./ErrorCatalogue.js"
import { envelopes, type TierEnvelopeSchema } from "./ErrorEnvelope.js"

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
}): string => `${e.status} ${e.type}: ${e.title}${e.detail === undefined ? "" : ` (${e.detail})`}`

/**
 * 400: malformed or invalid input.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", envelopes[400].fields) {
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
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", envelopes[401].fields) {
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
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", envelopes[404].fields) {
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
  envelopes[500].fields
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
  envelopes[503].fields
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
export class GatewayTimeout extends Schema.TaggedError<GatewayTimeout>()("GatewayTimeout", envelopes[504].fields) {
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

const wireOf = <S extends ErrorStatus>(status: S): Schema.Schema<ApiErrorOf<S>, TierEnvelopeSchema<S>["Encoded"]> => {
  const cls = byStatus[status] as unknown as Schema.Schema<ApiErrorOf<S>, { readonly _tag: string }>
  const tag = byStatus[status]._tag
  return Schema.transform(envelopes[status], cls, {
    strict: false,
    decode: (envelope) => ({ ...envelope, _tag: tag }),
    encode: ({ _tag, ...envelope }) => envelope
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
