/**
 * The mock's error bodies, built from the catalogue and made by the schema
 * package's own tier envelope schemas (`ErrorEnvelope.envelopes[status]`,
 * whose constructor validates): the tier's title, the type's description as
 * `detail`, a request id as `instance`, and `status` equal to the HTTP
 * status. Types are typed against the catalogue, so a type the spec does not
 * document fails to compile; tier errors come from `ApiError.fromEnvelope`.
 *
 * @since 0.1.0
 */

import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { ApiError, ErrorCatalogue, ErrorEnvelope } from "@postpress/schema"

/**
 * The error types the mock answers with, per situation.
 *
 * @internal
 */
export const reasons = {
  missingKey: "errors/missing_credentials",
  unknownKey: "errors/invalid_credentials",
  unknownAccount: "errors/resource_not_found",
  unknownRoute: "errors/resource_not_found",
  badPercentEncoding: "errors/unescaped_characters",
  emptyId: "errors/missing_parameters",
  invalidParameters: "errors/invalid_parameters",
  malformed: "errors/malformed_request",
  headersTooLarge: "errors/content_too_large",
  defect: "errors/unexpected_error",
  fault500: "errors/unexpected_error",
  fault503: "errors/service_unavailable",
  fault504: "errors/request_timeout"
} as const satisfies Record<string, ErrorCatalogue.ErrorType>

let counter = 0

/**
 * A request id for `instance`; unique per process, never derived from input.
 *
 * @internal
 */
export const nextInstance = (): string => `req_mock_${(++counter).toString(36).padStart(6, "0")}`

/**
 * The envelope for a documented type; `detail` defaults to the spec's description of the type.
 *
 * @internal
 */
export const envelope = <T extends ErrorCatalogue.ErrorType>(
  type: T,
  detail?: string
): ErrorEnvelope.ErrorEnvelopeOf<StatusOf<T>> => {
  const entry = ErrorCatalogue.lookup(type)!
  const tier = ErrorEnvelope.envelopes[entry.status] as unknown as {
    readonly make: (fields: object) => ErrorEnvelope.ErrorEnvelopeOf<StatusOf<T>>
  }
  return tier.make({
    title: ErrorCatalogue.tierOf(entry.status).title,
    detail: detail ?? entry.description,
    instance: nextInstance(),
    type,
    status: entry.status
  })
}

/**
 * The status of an error type's tier.
 *
 * @internal
 */
export type StatusOf<T extends ErrorCatalogue.ErrorType> = {
  readonly [S in ErrorCatalogue.ErrorStatus]: T extends ErrorCatalogue.ErrorTypeOf<S> ? S : never
}[ErrorCatalogue.ErrorStatus]

/**
 * The tier error (for the `HttpApi` handler's error channel) of a documented type.
 *
 * @internal
 */
export const error = <T extends ErrorCatalogue.ErrorType>(type: T): ApiError.ApiErrorOf<StatusOf<T>> =>
  // The cast only narrows the union of tiers to the one `T` belongs to.
  ApiError.fromEnvelope(envelope(type) as ErrorEnvelope.DocumentedErrorEnvelope) as ApiError.ApiErrorOf<StatusOf<T>>

/**
 * The envelope as a JSON response with the matching status.
 *
 * @internal
 */
export const response = (
  type: ErrorCatalogue.ErrorType,
  options: { readonly detail?: string; readonly retryAfter?: number | undefined } = {}
): HttpServerResponse.HttpServerResponse => {
  const body = envelope(type, options.detail)
  return HttpServerResponse.text(JSON.stringify(body), {
    status: body.status,
    contentType: "application/json",
    ...(options.retryAfter === undefined ? {} : { headers: { "retry-after": String(options.retryAfter) } })
  })
}

/**
 * The raw HTTP/1.1 bytes of an envelope response, for the socket-level
 * `clientError` path where no request object exists.
 *
 * @internal
 */
export const rawResponse = (type: ErrorCatalogue.ErrorType, detail?: string): string => {
  const body = JSON.stringify(envelope(type, detail))
  const { status, title } = ErrorCatalogue.tierOf(ErrorCatalogue.lookup(type)!.status)
  return [
    `HTTP/1.1 ${status} ${title}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    body
  ].join("\r\n")
}
