/**
 * The typed error channel of the client. Everything a server or a network can
 * do ends up as one of these tagged errors, never as a defect:
 *
 * - the documented status tiers (400, 401, 404, 500, 503, 504): the SAME
 *   classes as `@postpress/schema`'s `ApiError` (re-exported here), so
 *   `instanceof` and `catchTag` agree across packages; the client fills their
 *   exchange facts (`attempts`, `requestId`, `retryAfter`);
 * - {@link RateLimited} for 429, once the retry policy gives up on it;
 * - {@link Outage} for a gateway's page (a 502/503/504 that is not JSON),
 *   once the retry policy gives up on it: the API never answered;
 * - {@link UnexpectedStatus} for other statuses the spec does not document;
 * - {@link ContractViolation} for bodies that do not match the schema;
 * - {@link ResponseTooLarge} for bodies over `maxResponseBytes`;
 * - {@link TransportError} and {@link TimeoutError} for the network;
 * - {@link InvalidArgument} for input refused before any request is sent.
 *
 * None of them ever holds the API key: they are built from response data only,
 * and response text is scrubbed of the key before it is kept. Their messages
 * are one line with every control character shown (`Printable.text`): text a
 * server sent never drives the terminal that prints them.
 *
 * @since 0.1.0
 */

import { ApiError, BodyLimit, Fields, Printable } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"

const optional = Fields.optional

/**
 * What every error raised after at least one request carries besides its own
 * data: the tier errors' exchange facts, with `attempts` (HTTP attempts,
 * redirect hops excluded) always set.
 *
 * @since 0.1.0
 * @category fields
 */
export const attemptFields = {
  ...ApiError.exchangeFields,
  attempts: Schema.Int
}

const attemptSuffix = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : "")

/**
 * 400 tier (`ApiError.BadRequest` of `@postpress/schema`).
 *
 * @since 0.1.0
 * @category errors
 */
export const BadRequest = ApiError.BadRequest
/** @since 0.1.0 */
export type BadRequest = ApiError.BadRequest

/**
 * 401 tier (`ApiError.Unauthorized` of `@postpress/schema`).
 *
 * @since 0.1.0
 * @category errors
 */
export const Unauthorized = ApiError.Unauthorized
/** @since 0.1.0 */
export type Unauthorized = ApiError.Unauthorized

/**
 * 404 tier (`ApiError.NotFound` of `@postpress/schema`).
 *
 * @since 0.1.0
 * @category errors
 */
export const NotFound = ApiError.NotFound
/** @since 0.1.0 */
export type NotFound = ApiError.NotFound

/**
 * 500 tier (`ApiError.InternalServerError` of `@postpress/schema`).
 *
 * @since 0.1.0
 * @category errors
 */
export const InternalServerError = ApiError.InternalServerError
/** @since 0.1.0 */
export type InternalServerError = ApiError.InternalServerError

/**
 * 503 tier (`ApiError.ServiceUnavailable` of `@postpress/schema`).
 *
 * @since 0.1.0
 * @category errors
 */
export const ServiceUnavailable = ApiError.ServiceUnavailable
/** @since 0.1.0 */
export type ServiceUnavailable = ApiError.ServiceUnavailable

/**
 * 504 tier (`ApiError.GatewayTimeout` of `@postpress/schema`).
 *
 * @since 0.1.0
 * @category errors
 */
export const GatewayTimeout = ApiError.GatewayTimeout
/** @since 0.1.0 */
export type GatewayTimeout = ApiError.GatewayTimeout

/**
 * The tier classes keyed by status: `ApiError.byStatus`.
 *
 * @since 0.1.0
 * @category errors
 */
export const byStatus: typeof ApiError.byStatus = ApiError.byStatus

/**
 * Any documented-tier error.
 *
 * @since 0.1.0
 * @category errors
 */
export type TierError = ApiError.ApiError

/**
 * 429 Too Many Requests, after the retry policy gave up: retries spent, the
 * server's `Retry-After` longer than `maxRetryAfter`, or past the deadline.
 * The spec does not document 429; the envelope fields are kept when the body
 * happens to be an envelope.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  status: Schema.Literal(429),
  type: optional(Schema.String),
  title: optional(Schema.String),
  detail: optional(Schema.String),
  instance: optional(Schema.String),
  body: Schema.String,
  ...attemptFields
}) {
  /** @since 0.1.0 */
  static readonly status = 429 as const
  override get message(): string {
    const what = this.type === undefined ? "" : ` ${this.type}`
    const wait = this.retryAfter === undefined ? "" : ` (retry after ${Duration.format(this.retryAfter)})`
    return Printable.text(`429 rate limited${what}${wait}${attemptSuffix(this.attempts)}`)
  }
}

/**
 * An outage in front of the API: a 502, 503 or 504 whose body is not JSON
 * (a load balancer's HTML or text page, an empty 504), as
 * `ResponseRules.notTheApi` classifies it, still there when the retries are
 * spent. The API never answered, so this is not a {@link ContractViolation}
 * (alerts keyed on that tag stay quiet during an outage). A JSON body on those
 * statuses is the API's: a valid envelope is the tier error
 * (`ServiceUnavailable`, `GatewayTimeout`), any other JSON a `ContractViolation`.
 *
 * @since 0.1.0
 * @category errors
 */
export class Outage extends Schema.TaggedError<Outage>()("Outage", {
  status: Schema.Int,
  /** The media type as sent (lowercase, no parameters), or `none`. */
  contentType: Schema.String,
  /** `ResponseRules.notTheApi`'s phrase, the same in every postpress tool: `gateway page: 503 text/html`. */
  reason: Schema.String,
  /** The page's first characters, scrubbed of the key (truncated to 256 chars). */
  body: Schema.String,
  ...attemptFields
}) {
  override get message(): string {
    // The page's start, on one line: enough to tell a maintenance page from a proxy error.
    const page = this.body.replace(/\s+/g, " ").trim()
    const excerpt = page === "" ? "" : `: ${page.length > 80 ? `${page.slice(0, 80)}…` : page}`
    return Printable.text(`outage in front of the API (${this.reason})${attemptSuffix(this.attempts)}${excerpt}`)
  }
}

/**
 * A status the spec does not document (403, a JSON 502, a redirect that was
 * not followed, ...; 429 is {@link RateLimited}). `type` and `title` are kept
 * when the body happens to be an envelope; `body` is truncated.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>()("UnexpectedStatus", {
  status: Schema.Int,
  type: optional(Schema.String),
  title: optional(Schema.String),
  body: Schema.String,
  /** Why this status was not handled, when there is more to say than the status. */
  reason: optional(Schema.String),
  ...attemptFields
}) {
  override get message(): string {
    const what = this.type === undefined ? "" : ` ${this.type}`
    const why = this.reason === undefined ? "" : ` (${this.reason})`
    return Printable.text(`unexpected status ${this.status}${what}${why}${attemptSuffix(this.attempts)}`)
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
    return Printable.text(`response ${this.status} does not match the contract: ${first}${more}`)
  }
}

/**
 * A response body over the client's `maxResponseBytes` (default 16 MiB,
 * `BodyLimit.defaultMaxBytes`): reading stopped at the limit, the body was
 * not judged, and the call is not retried (the next answer would be as big).
 * `received` is the body's size when the server declared it, else the bytes
 * read before stopping (`complete` false: the body was bigger still).
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseTooLarge extends Schema.TaggedError<ResponseTooLarge>()("ResponseTooLarge", {
  status: Schema.Int,
  /** The limit, in bytes. */
  limit: Schema.Int,
  /** Bytes received (decoded), or declared by `Content-Length`. */
  received: Schema.Number,
  complete: Schema.Boolean,
  ...attemptFields
}) {
  override get message(): string {
    return `response ${this.status}: ${BodyLimit.describe(this.limit, this.received, { complete: this.complete })}`
  }
}

/**
 * A configuration variable the client needs is not set (or empty), e.g.
 * `POSTPRESS_API_KEY` for `AccountsClient.layerConfig`.
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingConfig extends Schema.TaggedError<MissingConfig>()("MissingConfig", {
  variable: Schema.String,
  /** What the variable holds, for the message. */
  what: Schema.String
}) {
  override get message(): string {
    return `${this.variable} is not set: export it with ${this.what}`
  }
}

/**
 * Why a request did not get a response.
 *
 * @since 0.1.0
 * @category models
 */
export const TransportReason = Schema.Literal(
  "ConnectionRefused",
  "ConnectionReset",
  "DnsFailure",
  /** The server answered, but not in HTTP the transport could read (a status line such as `HTTP/1.1 099`). */
  "InvalidResponse",
  "Other"
)

/**
 * @since 0.1.0
 * @category models
 */
export type TransportReason = typeof TransportReason.Type

/**
 * The request or the response body did not make it: refused, reset, DNS, an
 * answer that is not valid HTTP, ... `detail` is the transport's words, control
 * characters shown (`Printable.text`) and truncated.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: TransportReason,
  /** The system error code when there is one (`ECONNREFUSED`, `UND_ERR_SOCKET`, ...). */
  code: optional(Schema.String),
  detail: Schema.String,
  attempts: Schema.Int
}) {
  override get message(): string {
    return Printable.text(`transport error (${this.reason}): ${this.detail}${attemptSuffix(this.attempts)}`)
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
    return Printable.text(`invalid ${this.argument}: ${this.reason}`)
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
  | RateLimited
  | Outage
  | UnexpectedStatus
  | ContractViolation
  | ResponseTooLarge
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
  RateLimited._tag,
  Outage._tag,
  UnexpectedStatus._tag,
  ContractViolation._tag,
  ResponseTooLarge._tag,
  TransportError._tag,
  TimeoutError._tag,
  InvalidArgument._tag
] as const satisfies ReadonlyArray<RetrieveError["_tag"]>
