/**
 * `ContractTransport` over an `HttpClient`: one GET per request, no retries
 * (the engine does those), the body read as a stream and kept up to
 * `maxBodyBytes` (the rest is drained), failures of any kind as a
 * `TransportError`. Interruption aborts the request through the client.
 *
 * @since 0.2.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { TransportError } from "../../ContractError.js"
import type { TransportRequest, TransportResponse } from "../../ContractTransport.js"
import { maxBodyBytes } from "./transport.js"

const decoder = new TextDecoder()

const concat = (chunks: ReadonlyArray<Uint8Array>, limit: number): Uint8Array => {
  const out = new Uint8Array(
    Math.min(
      limit,
      chunks.reduce((n, c) => n + c.length, 0)
    )
  )
  let at = 0
  for (const chunk of chunks) {
    if (at >= out.length) break
    const part = chunk.subarray(0, out.length - at)
    out.set(part, at)
    at += part.length
  }
  return out
}

/**
 * The transport, built from the `HttpClient` in context.
 *
 * @internal
 */
export const make: Effect.Effect<
  { readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, TransportError> },
  never,
  HttpClient.HttpClient
> = Effect.map(HttpClient.HttpClient, (client) => ({
  send: (request) =>
    client.execute(HttpClientRequest.get(`${request.origin}${request.path}`, { headers: request.headers })).pipe(
      Effect.flatMap((response) =>
        Stream.runFold(response.stream, { chunks: [] as Array<Uint8Array>, size: 0 }, (acc, chunk) => {
          if (acc.size < maxBodyBytes) acc.chunks.push(chunk)
          acc.size += chunk.length
          return acc
        }).pipe(
          Effect.map(
            ({ chunks }): TransportResponse => ({
              status: response.status,
              headers: { ...response.headers },
              body: decoder.decode(concat(chunks, maxBodyBytes))
            })
          )
        )
      ),
      Effect.scoped,
      Effect.mapError((error) => new TransportError({ message: error.message }))
    )
}))
