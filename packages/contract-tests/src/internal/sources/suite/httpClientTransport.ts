/**
 * `ContractTransport` over an `HttpClient`: one GET per request, no retries
 * (the engine does those), the body read as a stream and kept up to the
 * request's `maxBodyBytes` (`BodyLimit.read`: the rest is drained and
 * counted), failures of any kind as a
 * `ExchangeError`. Interruption aborts the request through the client.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { BodyLimit } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ExchangeError } from "./errors.js"
import { maxBodyBytes } from "./transport.js"
import { ContractTransport, type TransportRequest, type TransportResponse } from "./transportService.js"

const decoder = new TextDecoder()

/**
 * The transport, built from the `HttpClient` in context.
 *
 * @internal
 */
export const make: Effect.Effect<
  { readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, ExchangeError> },
  never,
  HttpClient.HttpClient
> = Effect.map(HttpClient.HttpClient, (client) => ({
  send: (request) =>
    client.execute(HttpClientRequest.get(`${request.origin}${request.path}`, { headers: request.headers })).pipe(
      Effect.flatMap((response) =>
        BodyLimit.read(response.stream, { limit: request.maxBodyBytes ?? maxBodyBytes, overflow: "drain" }).pipe(
          Effect.map(
            (read): TransportResponse => ({
              status: response.status,
              headers: { ...response.headers },
              // Over the limit: it will not be judged, so it is not decoded either.
              body: read.over ? "" : decoder.decode(read.bytes),
              bodyBytes: read.total
            })
          ),
          // The status line arrived but the body did not.
          Effect.mapError((error) => new ExchangeError({ message: error.message, status: response.status }))
        )
      ),
      Effect.scoped,
      Effect.catchIf(
        (error) => error._tag !== "ExchangeError",
        (error) => Effect.fail(new ExchangeError({ message: error.message }))
      )
    )
}))

/**
 * The transport over the `HttpClient` in context, as a layer.
 *
 * @internal
 */
export const layer: Layer.Layer<ContractTransport, never, HttpClient.HttpClient> = Layer.effect(ContractTransport, make)
