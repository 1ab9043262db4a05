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
import type * as Layer from "effect/Layer"
import * as Client from "./internal/sources/suite/httpClientTransport.js"
import * as Node from "./internal/sources/suite/transport.js"
import type { ContractTransport } from "./internal/sources/suite/transportService.js"

export type {
  /**
   * @since 0.1.0
   * @category models
   */
  TransportRequest,
  /**
   * @since 0.1.0
   * @category models
   */
  TransportResponse
} from "./internal/sources/suite/transportService.js"
export {
  /**
   * @since 0.1.0
   * @category tags
   */
  ContractTransport
} from "./internal/sources/suite/transportService.js"

/**
 * Bodies beyond this many bytes (`BodyLimit.defaultMaxBytes`, 16 MiB) are
 * drained but not kept, and the answer is not judged.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxBodyBytes: number = Node.maxBodyBytes

/**
 * The default transport: `node:http`/`node:https` with keep-alive agents that
 * live as long as the layer (acquired on build, destroyed on release).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode: Layer.Layer<ContractTransport> = Node.layer

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
export const layerHttpClient: Layer.Layer<ContractTransport, never, HttpClient.HttpClient> = Client.layer
