/**
 * The mock as layers: the `HttpApi` contract from `@postpress/schema`
 * implemented with `HttpApiBuilder` (auth middleware, handler, error
 * encoding, OpenAPI), wrapped by a front middleware that does what the
 * contract cannot express: strict path reading, fault injection, latency,
 * mapping the platform's own failures (decode errors, unknown routes,
 * defects) to documented envelopes, and an optional tamper hook.
 *
 * The served API is the contract's endpoint behind the mock's own key
 * middleware: the same security, failure schema and OpenAPI annotations as
 * the contract's `ApiKeyAuth`, plus the workspace it found as a service, so
 * the handler reads it instead of looking the key up again.
 *
 * @since 0.1.0
 */
import { timingSafeEqual } from "node:crypto"
import type { IncomingMessage, Server } from "node:http"
import type { Duplex } from "node:stream"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import { RouteNotFound } from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { AccountsApi, ApiError, type ErrorCatalogue } from "@postpress/schema"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Recorder } from "./coverage.js"
import * as Envelopes from "./envelopes.js"
import {
  type FaultConfig,
  headers as faultHeaders,
  makeInjector,
  parseCount,
  switchProblem,
  throttleBody,
  throttleStatus
} from "./faults.js"
import { asUnknownType, digest, type Workspace } from "./fixtures.js"
import * as RequestPath from "./requestPath.js"

/**
 * What a tamper hook sees and may replace.
 *
 * @since 0.1.0
 * @category models
 */
export interface Exchange {
  readonly request: {
    readonly method: string
    readonly url: string
    readonly headers: Readonly<Record<string, string | undefined>>
  }
  readonly response: {
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
  }
}

/**
 * A replacement for (parts of) the response; `undefined` keeps it.
 *
 * @since 0.1.0
 * @category models
 */
export type Tamper = (exchange: Exchange) =>
  | {
      readonly status?: number
      readonly headers?: Readonly<Record<string, string>>
      readonly body?: string
    }
  | undefined

/**
 * @internal
 */
export interface ServerConfig {
  readonly workspaces: ReadonlyArray<Workspace>
  readonly faults: FaultConfig
  readonly latency: Duration.Duration
  readonly tamper: Tamper | undefined
  /** Counts what is served (consumer-side coverage); `undefined` records nothing. */
  readonly recorder: Recorder | undefined
}

/**
 * The workspace of a presented key. Every workspace is compared (no early
 * exit) on fixed-length digests, so timing reveals neither a key nor a prefix.
 *
 * @internal
 */
export const workspaceOf = (workspaces: ReadonlyArray<Workspace>, key: string): Workspace | undefined => {
  const presented = digest(key)
  let found: Workspace | undefined
  for (const ws of workspaces) {
    if (timingSafeEqual(presented, ws.keyDigest) && found === undefined) found = ws
  }
  return found
}

/**
 * The workspace whose key the request presented, provided by the key
 * middleware to the handler.
 *
 * @internal
 */
export class CurrentWorkspace extends Context.Tag("@postpress/testkit/mock/CurrentWorkspace")<
  CurrentWorkspace,
  Workspace
>() {}

/**
 * The contract's key middleware, as the mock implements it: same security
 * scheme and failure schema as `AccountsApi.ApiKeyAuth`, and it provides the
 * workspace it found.
 *
 * @internal
 */
export class MockKeyAuth extends HttpApiMiddleware.Tag<MockKeyAuth>()("@postpress/testkit/mock/MockKeyAuth", {
  failure: ApiError.wire[ApiError.Unauthorized.status],
  provides: CurrentWorkspace,
  security: { apiKey: AccountsApi.apiKeySecurity }
}) {}

/**
 * The API the mock serves: the contract's endpoint (paths, success and error
 * schemas, OpenAPI annotations) behind {@link MockKeyAuth}.
 *
 * @internal
 */
export class MockApi extends HttpApi.make(AccountsApi.PostpressApi.identifier)
  .add(
    HttpApiGroup.make("accounts")
      .add(AccountsApi.retrieveAccount)
      .middleware(MockKeyAuth)
      .annotateContext(AccountsApi.AccountsGroup.annotations)
  )
  .annotateContext(AccountsApi.PostpressApi.annotations) {}

const authLayer = (config: ServerConfig) =>
  Layer.succeed(MockKeyAuth, {
    apiKey: (key) => {
      const value = Redacted.value(key)
      if (value === "") return Effect.fail(Envelopes.error(Envelopes.reasons.missingKey))
      const workspace = workspaceOf(config.workspaces, value)
      return workspace === undefined
        ? Effect.fail(Envelopes.error(Envelopes.reasons.unknownKey))
        : Effect.succeed(workspace)
    }
  })

const accountsLayer = HttpApiBuilder.group(MockApi, "accounts", (handlers) =>
  handlers.handleRaw("retrieve", ({ request }) =>
    Effect.flatMap(CurrentWorkspace, (workspace) => {
      const target = RequestPath.parse(request.url)
      const bodies = request.headers[faultHeaders.extraFields] === "1" ? workspace.extendedBodies : workspace.bodies
      const body = target._tag === "Account" ? bodies.get(target.id) : undefined
      if (body === undefined) return Effect.fail(Envelopes.error(Envelopes.reasons.unknownAccount))
      const served = request.headers[faultHeaders.unknownType] === "1" ? asUnknownType(body) : body
      return Effect.succeed(HttpServerResponse.uint8Array(served, { contentType: "application/json" }))
    })
  )
)

const isTierError = (u: unknown): boolean => Object.values(ApiError.byStatus).some((cls) => u instanceof cls)

/**
 * Inside the API (before error encoding): the platform's decode errors and
 * unknown routes become our envelopes instead of its default bodies; our own
 * tier errors pass through to be encoded by the contract's error schemas.
 */
const mapPlatformErrors = HttpApiBuilder.middleware((app) =>
  Effect.catchAllCause(app, (cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
    const failure: unknown = Option.getOrUndefined(Cause.failureOption(cause))
    if (isTierError(failure)) return Effect.failCause(cause)
    if (failure instanceof HttpApiDecodeError) {
      return Effect.succeed(Envelopes.response(Envelopes.reasons.invalidParameters))
    }
    if (failure instanceof RouteNotFound) return Effect.succeed(Envelopes.response(Envelopes.reasons.unknownRoute))
    return Effect.logError("mock: unexpected failure", cause).pipe(
      Effect.as(Envelopes.response(Envelopes.reasons.defect))
    )
  })
)

const decoder = new TextDecoder()

const applyTamper = (
  tamper: Tamper,
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  const body = response.body._tag === "Uint8Array" ? decoder.decode(response.body.body) : ""
  const responseHeaders: Record<string, string> = { ...response.headers }
  if (response.body._tag === "Uint8Array") responseHeaders["content-type"] = response.body.contentType
  const change = tamper({
    request: { method: request.method, url: request.url, headers: request.headers },
    response: { status: response.status, headers: responseHeaders, body }
  })
  if (change === undefined) return response
  const headers = change.headers ?? responseHeaders
  const { "content-type": contentType, ...rest } = headers
  return HttpServerResponse.text(change.body ?? body, {
    status: change.status ?? response.status,
    headers: rest,
    ...(contentType === undefined ? {} : { contentType })
  })
}

type Plan =
  | { readonly _tag: "Respond"; readonly response: HttpServerResponse.HttpServerResponse }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Pass" }

const passPlan: Plan = { _tag: "Pass" }

/** What the front does with a request, decided synchronously (no per-request fiber work in the common case). */
const plan = (
  request: HttpServerRequest.HttpServerRequest,
  target: RequestPath.Target,
  injector: ReturnType<typeof makeInjector>,
  delay: number | string | undefined
): Plan => {
  const step = typeof delay === "string" ? `${faultHeaders.delay}: ${delay}` : injector.next((n) => request.headers[n])
  if (typeof step === "string") {
    return { _tag: "Respond", response: Envelopes.response(Envelopes.reasons.invalidParameters, { detail: step }) }
  }
  if (step._tag === "Reset") return step
  if (step._tag === "Throttle") {
    return {
      _tag: "Respond",
      response: HttpServerResponse.text(throttleBody(), {
        status: throttleStatus,
        contentType: "application/json",
        headers: { "retry-after": String(step.retryAfter) }
      })
    }
  }
  const switches =
    switchProblem(faultHeaders.extraFields, request.headers[faultHeaders.extraFields]) ??
    switchProblem(faultHeaders.unknownType, request.headers[faultHeaders.unknownType])
  if (switches !== undefined) {
    return {
      _tag: "Respond",
      response: Envelopes.response(Envelopes.reasons.invalidParameters, { detail: switches })
    }
  }
  if (step._tag === "Error") {
    return { _tag: "Respond", response: Envelopes.response(step.type, { retryAfter: step.retryAfter }) }
  }
  return target._tag === "Invalid"
    ? { _tag: "Respond", response: Envelopes.response(target.type, { detail: target.detail }) }
    : passPlan
}

const keyHeader = AccountsApi.apiKeyHeader.toLowerCase()

/** An answer body that names a `type` (a tamper hook may have written anything, so it is decoded). */
const typedBody = Schema.decodeUnknownOption(Schema.parseJson(Schema.Struct({ type: Schema.String })))

/** The `type` of an error answer's JSON body; only read for answers that are not a 200. */
const typeOf = (response: HttpServerResponse.HttpServerResponse): string | undefined =>
  response.body._tag === "Uint8Array"
    ? Option.getOrUndefined(Option.map(typedBody(decoder.decode(response.body.body)), (body) => body.type))
    : undefined

/** Counts one answer: the account served, or the status, type and `Retry-After` of anything else. */
const record = (
  recorder: Recorder,
  workspaces: ServerConfig["workspaces"],
  request: HttpServerRequest.HttpServerRequest,
  target: RequestPath.Target,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  if (response.status === 200 && target._tag === "Account") {
    recorder.account(target.id, request.url, {
      unknownFields: request.headers[faultHeaders.extraFields] === "1",
      unknownType: request.headers[faultHeaders.unknownType] === "1"
    })
    return response
  }
  const key = request.headers[keyHeader]
  const workspace = key === undefined ? undefined : workspaceOf(workspaces, key)
  recorder.answer(
    workspace === undefined ? -1 : workspaces.indexOf(workspace),
    request.url,
    response.status,
    typeOf(response),
    response.headers["retry-after"] !== undefined
  )
  return response
}

/**
 * Outermost middleware: strict path checks, latency and faults, coverage
 * recording and the tamper hook. Failures inside the app never reach it: the
 * app writes its own response, and `mapPlatformErrors` has turned every
 * failure into an envelope.
 */
const front = (config: ServerConfig, injector: ReturnType<typeof makeInjector>) => {
  const latency = Duration.toMillis(config.latency)
  const tamper = config.tamper
  const recorder = config.recorder
  // The app writes its own response; a pre-response handler is the only place to rewrite it.
  const rewrite =
    tamper === undefined
      ? undefined
      : HttpApp.appendPreResponseHandler((req, res) => Effect.sync(() => applyTamper(tamper, req, res)))
  return (app: HttpApp.Default): HttpApp.Default => {
    const pass = rewrite === undefined ? app : Effect.zipRight(rewrite, app)
    return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      if (RequestPath.isOpenApi(request.url)) return app
      const delay = parseCount(request.headers[faultHeaders.delay], 60_000)
      const wait = latency + (typeof delay === "number" ? delay : 0)
      const answer = Effect.suspend((): HttpApp.Default => {
        const target = RequestPath.parse(request.url)
        const decided = plan(request, target, injector, delay)
        switch (decided._tag) {
          case "Pass":
            return recorder === undefined
              ? pass
              : Effect.map(pass, (response) => record(recorder, config.workspaces, request, target, response))
          case "Reset":
            ;(request.source as IncomingMessage).socket?.destroy()
            return Effect.interrupt
          case "Respond": {
            const response = tamper === undefined ? decided.response : applyTamper(tamper, request, decided.response)
            return Effect.succeed(
              recorder === undefined ? response : record(recorder, config.workspaces, request, target, response)
            )
          }
        }
      })
      return wait > 0 ? Effect.zipRight(Effect.sleep(Duration.millis(wait)), answer) : answer
    })
  }
}

/**
 * The HttpApi served with the front middleware; needs an `HttpServer`.
 *
 * @internal
 */
export const serveLayer = (config: ServerConfig) =>
  HttpApiBuilder.serve(front(config, makeInjector(config.faults))).pipe(
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ additionalPropertiesStrategy: "allow" })),
    Layer.provide(mapPlatformErrors),
    Layer.provide(HttpApiBuilder.api(MockApi)),
    Layer.provide(accountsLayer),
    Layer.provide(authLayer(config)),
    // Per-request spans (URL parsing, header attributes) cost more than the rest of the mock; nobody reads them here.
    HttpMiddleware.withTracerDisabledWhen(() => true)
  )

/**
 * Answers what Node's HTTP parser rejects before any request exists (headers
 * over the size limit, broken request lines) with a documented 400 envelope
 * instead of Node's bodyless 400/431.
 *
 * @internal
 */
export const onClientError = (
  error: Error & { code?: string },
  socket: Duplex
): ErrorCatalogue.ErrorType | undefined => {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy()
    return undefined
  }
  const type = error.code === "HPE_HEADER_OVERFLOW" ? Envelopes.reasons.headersTooLarge : Envelopes.reasons.malformed
  socket.end(Envelopes.rawResponse(type))
  return type
}

/**
 * Attaches the socket-level handlers to a Node server; answers given there
 * are counted too when a recorder is passed.
 *
 * @internal
 */
export const prepare = (server: Server, recorder?: Recorder): Server =>
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    const type = onClientError(error, socket)
    if (type !== undefined) recorder?.rejected(type)
  })
