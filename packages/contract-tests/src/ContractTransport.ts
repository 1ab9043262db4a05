/**
 * How the contract suite sends its requests: a service, so the engine can run
 * over Node's `http`/`https` (the default), over a recording or replaying
 * transport in tests, or over anything else that can send a GET with a path
 * exactly as written.
 *
 * The path must travel verbatim: the suite sends ids such as `.` and `..` as
 * `%2E`/`%2E%2E`, and a WHATWG URL parser (the one behind `fetch`) resolves
 * those as dot segments. The default layer therefore uses `node:http`, never
 * `fetch`.
 *
 * @example
 * ```ts
 * import { Contract, ContractTransport } from "@postpress/contract-tests"
 * import { Effect, Layer } from "effect"
 *
 * declare const config: Contract.ContractConfig
 *
 * // Log every request path, then send it with the Node transport.
 * const logging = Layer.effect(
 *   ContractTransport.ContractTransport,
 *   Effect.map(ContractTransport.ContractTransport, (node) => ({
 *     send: (request) => Effect.zipRight(Effect.log(request.path), node.send(request))
 *   }))
 * ).pipe(Layer.provide(ContractTransport.layerNode))
 *
 * const report = Contract.run(config).pipe(Effect.provide(logging))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { ExchangeError } from "./ContractError.js"
import * as Client from "./internal/contract/httpClientTransport.js"
import * as Node from "./internal/contract/transport.js"

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
   * {@link maxBodyBytes}); count the rest in `bodyBytes` and drain it.
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
 * Bodies beyond this many bytes (`BodyLimit.defaultMaxBytes`, 16 MiB) are
 * drained but not kept, and the answer is not judged.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxBodyBytes: number = Node.maxBodyBytes

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

/**
 * The default transport: `node:http`/`node:https` with keep-alive agents that
 * live as long as the layer (acquired on build, destroyed on release).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode: Layer.Layer<ContractTransport> = Layer.scoped(ContractTransport, Node.make)

/**
 * A transport over any `HttpClient` (fetch, undici, a client with your own
 * middleware). Such clients parse the URL, which resolves dot segments: the
 * ids `.` and `..` (sent as `%2E`/`%2E%2E`) cannot travel through them, so
 * prefer {@link layerNode} unless you need the client's features.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Contract, ContractTransport } from "@postpress/contract-tests"
 * import { Effect, Layer } from "effect"
 *
 * declare const config: Contract.ContractConfig
 * const overFetch = ContractTransport.layerHttpClient.pipe(Layer.provide(FetchHttpClient.layer))
 * const report = Contract.run(config).pipe(Effect.provide(overFetch))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<ContractTransport, never, HttpClient.HttpClient> = Layer.effect(
  ContractTransport,
  Client.make
)
