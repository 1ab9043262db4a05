/**
 * The default transport: an `HttpClient` (built with `HttpClient.make`, so
 * interruption, abort signals and the rest of the platform contract apply)
 * over an undici Agent, with a lean response. @effect/platform-node's undici
 * response memoises every body accessor through `Effect.cached` +
 * `Effect.runSync`, which measured ~40 µs of CPU per request here (a sixth
 * of a loopback round trip); this one reads the body once, directly. Bodies
 * can therefore be read only once, which is all the client does.
 *
 * It can also enforce an attempt's time limit itself: the client registers
 * the attempt's deadline for the request in {@link deadlines}, and the
 * transport aborts the request (and its body) with a plain timer when it
 * passes. That spares the client a forked timer fiber per attempt (~30 µs
 * here); other transports get the generic timer. The transport uses its own
 * AbortController, aborted on interruption too, so the platform's signal is
 * not needed.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Undici from "@effect/platform-node/Undici"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import { deadlines, registerEnforcing, timedOut } from "./deadlines.js"

// Outside a fiber, Inspectable.redact cannot see the configured names; these
// defaults (x-api-key among them) then apply.
const defaultRedactedNames = Effect.runSync(FiberRef.get(Headers.currentRedactedNames))

const abortCause = (controller: AbortController, cause: unknown): unknown =>
  controller.signal.aborted && controller.signal.reason === timedOut ? timedOut : cause

class LeanResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Undici.Dispatcher.ResponseData,
    private readonly controller: AbortController,
    private readonly timer: ReturnType<typeof setTimeout> | undefined
  ) {
    super()
    // An unread body that errors must not become an unhandled 'error' event.
    source.body.on("error", () => {})
  }

  get status(): number {
    return this.source.statusCode
  }

  get headers(): Headers.Headers {
    this.cachedHeaders ??= Headers.fromInput(this.source.headers as Headers.Input)
    return this.cachedHeaders
  }

  get cookies(): Cookies.Cookies {
    const header = this.source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private read<A>(f: (body: Undici.Dispatcher.ResponseData["body"]) => Promise<A>) {
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      const fail = (cause: unknown) => {
        clearTimeout(this.timer)
        const error = abortCause(this.controller, cause)
        resume(
          Effect.fail(
            new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause: error })
          )
        )
      }
      let body: Promise<A>
      try {
        body = f(this.source.body)
      } catch (cause) {
        // undici throws synchronously for a body that was already consumed.
        fail(cause)
        return
      }
      body.then((a) => {
        clearTimeout(this.timer)
        resume(Effect.succeed(a))
      }, fail)
      return Effect.sync(() => {
        clearTimeout(this.timer)
        this.controller.abort()
      })
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.read((body) => body.text())
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return this.read((body) => body.json())
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.read((body) => body.arrayBuffer())
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return this.read((body) => body.formData() as Promise<FormData>)
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return NodeStream.fromReadable(
      () => this.source.body,
      (cause) => new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    )
  }

  toJSON(): unknown {
    return {
      _id: "@effect/platform/HttpClientResponse",
      status: this.status,
      headers: redactHeaders(this.headers)
    }
  }
}

const redactHeaders = (headers: Headers.Headers): unknown => {
  const redacted = Inspectable.redact(headers)
  return redacted === headers ? Headers.redact(headers, defaultRedactedNames) : redacted
}

/** @internal */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  const client = HttpClient.make((request, url) => {
    if (request.body._tag !== "Empty") {
      return Effect.fail(
        new HttpClientError.RequestError({ request, reason: "Encode", description: "request bodies are not supported" })
      )
    }
    return Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
      const controller = new AbortController()
      const deadlineAt = deadlines.get(request)
      const timer =
        deadlineAt === undefined
          ? undefined
          : setTimeout(() => controller.abort(timedOut), Math.max(0, deadlineAt - Date.now()))
      dispatcher
        .request({
          method: request.method,
          origin: url.origin,
          path: url.pathname + url.search,
          headers: request.headers,
          signal: controller.signal,
          // Time limits are the client's business.
          headersTimeout: 0,
          bodyTimeout: 0
        })
        .then(
          (source) => resume(Effect.succeed(new LeanResponse(request, source, controller, timer))),
          (cause) => {
            clearTimeout(timer)
            const error = abortCause(controller, cause)
            resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: error })))
          }
        )
      return Effect.sync(() => {
        clearTimeout(timer)
        controller.abort()
      })
    })
  })
  registerEnforcing(client)
  return client
}

/**
 * An `HttpClient` on its own undici Agent, destroyed with the layer.
 *
 * @internal
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Undici.Agent()),
      (agent) => Effect.promise(() => agent.destroy())
    ),
    make
  )
)
