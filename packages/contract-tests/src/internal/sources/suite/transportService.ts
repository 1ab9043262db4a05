/**
 * The transport service the suite sends its requests through, and what it
 * carries: one GET with its path exactly as written, one answer. The Node and
 * `HttpClient` implementations live beside it; the `ContractTransport` face
 * exports them with their layers.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { ExchangeError } from "./errors.js"

/**
 * One request: `origin` is `protocol://host[:port]` (no path), `path` the
 * request target exactly as it must appear on the request line. The API key
 * header carries the key in clear, so a transport must never log header
 * values.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportRequest {
  readonly method: "GET"
  readonly origin: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /**
   * Keep at most this many body bytes in memory (default
   * `maxBodyBytes`); count the rest in `bodyBytes` and drain it.
   */
  readonly maxBodyBytes?: number | undefined
}

/**
 * One answer: lower-cased header names (repeated headers joined with `, `) and
 * the body as text (empty when over the request's `maxBodyBytes`: such an
 * answer is not judged, so nothing of it is kept). `bodyBytes` is the
 * size of the whole body as received; when it is over the limit the engine
 * judges nothing of that answer (`body over the 16 MiB limit (N bytes)`).
 * A transport that leaves it out is trusted to have sent a whole body.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly bodyBytes?: number | undefined
}

/**
 * The transport service. `send` fails with a `ExchangeError` (from
 * `ContractError`) when there is no whole answer (with its `status` when the
 * status line arrived and the body was cut short); it never retries and enforces no
 * time limit (the engine does both), and interrupting it must abort the
 * request.
 *
 * @since 0.1.0
 * @category tags
 */
export class ContractTransport extends Context.Tag("@postpress/contract-tests/ContractTransport")<
  ContractTransport,
  { readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, ExchangeError> }
>() {}
