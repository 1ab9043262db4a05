/**
 * The Node transport behind `ContractTransport.layerNode`: `http.request`
 * sends the path exactly as written (the WHATWG URL parser behind `fetch`
 * rewrites `%2E%2E` into a dot segment). Keep-alive agents are acquired with
 * the layer's scope and destroyed when it closes, so a finished run leaves no
 * socket open.
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import * as Https from "node:https"
import { BodyLimit } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { ExchangeError } from "./errors.js"
import { ContractTransport, type TransportRequest, type TransportResponse } from "./transportService.js"

/**
 * Bodies beyond this are drained but not kept, unless the request says
 * otherwise (`TransportRequest.maxBodyBytes`): the one default of every tool.
 *
 * @internal
 */
export const maxBodyBytes = BodyLimit.defaultMaxBytes

const joinHeaders = (raw: Http.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(raw).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]]
    )
  )

const transportError = (error: NodeJS.ErrnoException, status?: number) =>
  new ExchangeError({
    message: error.message,
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(status === undefined ? {} : { status })
  })

const send =
  (agents: { readonly http: Http.Agent; readonly https: Https.Agent }) =>
  (request: TransportRequest): Effect.Effect<TransportResponse, ExchangeError> =>
    Effect.suspend(() => {
      const origin = URL.canParse(request.origin) ? new URL(request.origin) : undefined
      if (origin === undefined || (origin.protocol !== "http:" && origin.protocol !== "https:")) {
        return Effect.fail(new ExchangeError({ message: `not an http(s) origin: ${request.origin}` }))
      }
      const secure = origin.protocol === "https:"
      return Effect.async<TransportResponse, ExchangeError>((resume) => {
        const req = (secure ? Https : Http).request(
          {
            protocol: origin.protocol,
            hostname: origin.hostname.replace(/^\[|\]$/g, ""),
            port: origin.port === "" ? undefined : Number(origin.port),
            path: request.path,
            method: request.method,
            headers: request.headers,
            agent: secure ? agents.https : agents.http
          },
          (res) => {
            // Keep at most the limit in memory (nothing once over it), count every byte, and drain the rest so the socket stays reusable.
            const limit = request.maxBodyBytes ?? maxBodyBytes
            const chunks: Array<Buffer> = []
            let size = 0
            res.on("data", (chunk: Buffer) => {
              size += chunk.length
              // Over the limit: it will not be judged, so nothing of it is worth keeping.
              if (size > limit) chunks.length = 0
              else chunks.push(chunk)
            })
            // The status line arrived but the body did not: say so (a server that answered is not "unreachable").
            res.on("error", (error) => resume(Effect.fail(transportError(error, res.statusCode))))
            res.on("end", () =>
              resume(
                Effect.succeed({
                  status: res.statusCode ?? 0,
                  headers: joinHeaders(res.headers),
                  body: size > limit ? "" : Buffer.concat(chunks, size).toString("utf8"),
                  bodyBytes: size
                })
              )
            )
          }
        )
        req.on("error", (error) => resume(Effect.fail(transportError(error))))
        req.end()
        // Interruption (a timeout, Ctrl-C) aborts the request and frees its socket.
        return Effect.sync(() => req.destroy())
      })
    })

/**
 * Builds the Node transport in a scope: one keep-alive agent per protocol,
 * destroyed when the scope closes.
 *
 * @internal
 */
export const make: Effect.Effect<
  { readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, ExchangeError> },
  never,
  Scope.Scope
> = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => ({ http: new Http.Agent({ keepAlive: true }), https: new Https.Agent({ keepAlive: true }) })),
    (agents) =>
      Effect.sync(() => {
        agents.http.destroy()
        agents.https.destroy()
      })
  ),
  (agents) => ({ send: send(agents) })
)

/**
 * The Node transport as a layer: its agents live as long as the layer.
 *
 * @internal
 */
export const layer: Layer.Layer<ContractTransport> = Layer.scoped(ContractTransport, make)
