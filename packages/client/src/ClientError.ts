/**
 * The typed error channel of the client. Everything a server or a network can
 * do ends up as one of these tagged errors, never as a defect:
 *
 * - one class per documented status tier (400, 401, 404, 500, 503, 504), built
 *   from the schema package's envelope fields so `type` is that tier's literal
 *   union;
 * - {@link UnexpectedStatus} for statuses the spec does not document;
 * - {@link ContractViolation} for bodies that do not match the schema;
 * - {@link TransportError} and {@link TimeoutError} for the network;
 * - {@link InvalidArgument} for input refused before any request is sent.
 *
 * None of them ever holds the API key: they are built from response data only,
 * and response text is scrubbed of the key before it is kept.
 *
 * @since 0.1.0
 */

import type { ErrorCatalogue } from "@postpress/schema"
import { ApiError, ErrorEnvelope } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"

const exact = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * What every error raised after at least one request carries besides its own
 * data. `attempts` counts HTTP attempts (redirect hops excluded).
 *
 * @since 0.1.0
 * @category fields
 */
export const attemptFields = {
  attempts: Schema.Int,
  /** The `x-request-id` response header, falling back to the envelope's `instance`. */
  requestId: exact(Schema.String),
  /** A `Retry-After` / `retry-after-ms` the server sent, parsed. */
  retryAfter: exact(Schema.DurationFromSelf)
}

const tierFields = <S extends ErrorCatalogue.ErrorStatus>(status: S) => ({
  ...ErrorEnvelope.envelopes[status].fields,
  ...attemptFields
})

const attemptSuffix = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : "")

/**
 * 400 tier.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()(ApiError.BadRequest._tag, tierFields(400)) {
  /** @since 0.1.0 */
  static readonly status = 400 as const
  override get message(): string {
    return ApiError.describe(this) + attemptSuffix(this.attempts)
  }
}

/**
 * 401 tier.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(ApiError.Unauthorized._tag, tierFields(401)) {
  /** @since 0.1.0 */
  static readonly status = 401 as const
  override get message(): string {
    return ApiError.describe(this) + attemptSuffix(this.attempts)
  }
}

/**
 * 404 tier.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()(ApiError.NotFound._tag, tierFields(404)) {
  /** @since 0.1.0 */
  static readonly status = 404 as const
  override get message(): string {
    return ApiError.describe(this) + attemptSuffix(this.attempts)
  }
}

/**
 * 500 tier.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError extends Schema.TaggedError<InternalServerError>()(
  ApiError.InternalServerError._tag,
  tierFields(500)
) {
  /** @since 0.1.0 */
  static readonly status = 500 as const
  override get message(): string {
    return ApiError.describe(this) + attemptSuffix(this.attempts)
  }
}

/**
 * 503 tier.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  ApiError.ServiceUnavailable._tag,
  tierFields(503)
) {
  /** @since 0.1.0 */
  static readonly status = 503 as const
  override get message(): string {
    return ApiError.describe(this) + attemptSuffix(this.attempts)
  }
}

/**
 * 504 tier.
 *
 * @since 0.1.0
 * @category errors
 */
export class GatewayTimeout extends Schema.TaggedError<GatewayTimeout>()(
  ApiError.GatewayTimeout._tag,
  tierFields(504)
) {
  /** @since 0.1.0 */
  static readonly status = 504 as const
  override get message(): string {
    return ApiError.describe(this) + attemptSuffix(this.attempts)
  }
}

/**
 * The tier classes keyed by status, mirroring `ApiError.byStatus`.
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
} as const satisfies { readonly [S in ErrorCatalogue.ErrorStatus]: { readonly status: S } }

/**
 * Any documented-tier error.
 *
 * @since 0.1.0
 * @category errors
 */
export type TierError = InstanceType<(typeof byStatus)[ErrorCatalogue.ErrorStatus]>

/**
 * A status the spec does not document (403, 429, 502, a redirect that was not
 * followed, ...). `type` and `title` are kept when the body happens to be an
 * envelope; `body` is truncated.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>()("UnexpectedStatus", {
  status: Schema.Int,
  type: exact(Schema.String),
  title: exact(Schema.String),
  body: Schema.String,
  /** Why this status was not handled, when there is more to say than the status. */
  reason: exact(Schema.String),
  ...attemptFields
}) {
  override get message(): string {
    const what = this.type === undefined ? "" : ` ${this.type}`
    const why = this.reason === undefined ? "" : ` (${this.reason})`
    return `unexpected status ${this.status}${what}${why}${attemptSuffix(this.attempts)}`
  }
}

/**
 * A response whose body does not match the contract: a 2xx that is not an
 * Account, or an error status whose body is not that tier's envelope.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractViolation extends Schema.TaggedError<ContractViolation>()("ContractViolation", {
  status: Schema.Int,
  /** One line per problem, `path: expected X, got Y` (see `DecodeIssue.format`). */
  issues: Schema.Array(Schema.String),
  body: Schema.String,
  ...attemptFields
}) {
  override get message(): string {
    const first = this.issues[0] ?? "invalid body"
    const more = this.issues.length > 1 ? ` (+${this.issues.length - 1} more)` : ""
    return `response ${this.status} does not match the contract: ${first}${more}`
  }
}

/**
 * Why a request did not get a response.
 *
 * @since 0.1.0
 * @category models
 */
export const TransportReason = Schema.Literal("ConnectionRefused", "ConnectionReset", "DnsFailure", "Other")

/**
 * @since 0.1.0
 * @category models
 */
export type TransportReason = typeof TransportReason.Type

/**
 * The request or the response body did not make it: refused, reset, DNS, ...
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: TransportReason,
  /** The system error code when there is one (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...). */
  code: exact(Schema.String),
  detail: Schema.String,
  attempts: Schema.Int
}) {
  override get message(): string {
    return `transport error (${this.reason}): ${this.detail}${attemptSuffix(this.attempts)}`
  }
}

/**
 * No response in time. `scope` says which limit fired: the per-attempt
 * `timeout`, or the overall `deadline`.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  scope: Schema.Literal("attempt", "deadline"),
  limit: Schema.DurationFromSelf,
  attempts: Schema.Int
}) {
  override get message(): string {
    const limit = Duration.format(this.limit)
    return `${this.scope === "attempt" ? "attempt timeout" : "deadline"} of ${limit} exceeded${attemptSuffix(this.attempts)}`
  }
}

/**
 * Input refused before any request: an id that cannot travel as one path
 * segment, a malformed base URL, a negative `maxRetries`, ...
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedError<InvalidArgument>()("InvalidArgument", {
  argument: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `invalid ${this.argument}: ${this.reason}`
  }
}

/**
 * Everything `AccountsClient.retrieve` can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type RetrieveError =
  | TierError
  | UnexpectedStatus
  | ContractViolation
  | TransportError
  | TimeoutError
  | InvalidArgument

/**
 * The tags of {@link RetrieveError}, for exhaustive handling.
 *
 * @since 0.1.0
 * @category errors
 */
export const tags = [
  BadRequest._tag,
  Unauthorized._tag,
  NotFound._tag,
  InternalServerError._tag,
  ServiceUnavailable._tag,
  GatewayTimeout._tag,
  UnexpectedStatus._tag,
  ContractViolation._tag,
  TransportError._tag,
  TimeoutError._tag,
  InvalidArgument._tag
] as const satisfies ReadonlyArray<RetrieveError["_tag"]>
