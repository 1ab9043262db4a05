/**
 * The `AccountsClient` service: `retrieve(id)` against
 * `{baseUrl}/v1/accounts/{id}`, decoded with `@postpress/schema`, failing
 * with the typed errors of {@link ClientError} and retrying as
 * {@link RetryPolicy} decides.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { type Account, AccountsApi } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as Tracer from "effect/Tracer"
import * as ClientError from "./ClientError.js"
import * as Response from "./internal/response.js"
import * as Transport from "./internal/transport.js"
import { accountsPrefix, encodeId } from "./internal/url.js"
import { userAgent } from "./internal/version.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * Client options. Everything but `apiKey` has a default: `baseUrl`
 * `https://api.postpress.ai/api`, `maxRedirects` 5 (same origin only), and the
 * retry and time limits of `RetryPolicy.defaults` (2 retries, 10 s per
 * attempt, 30 s overall).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Partial<RetryPolicy.Options> {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl?: string | URL | undefined
  /** Same-origin redirects followed per attempt; other origins are never followed. */
  readonly maxRedirects?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Retrieves one account. The id may be any string: it is percent-encoded as
   * one path segment. Empty, `.`, `..`, control characters and lone surrogates
   * fail with `InvalidArgument` before any request.
   */
  readonly retrieve: (id: string) => Effect.Effect<Account.Account, ClientError.RetrieveError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class AccountsClient extends Context.Tag("@postpress/client/AccountsClient")<AccountsClient, Service>() {}

/**
 * The span every call runs in.
 *
 * @since 0.1.0
 * @category observability
 */
export const spanName = "postpress.accounts.retrieve"

const REDIRECTS = new Set([301, 302, 303, 307, 308])
// Keys are tokens; anything else (controls, spaces, non-ASCII) would be
// rejected by the transport on every attempt, or split the request.
const KEY = /^[\x21-\x7e]+$/

const fetchInit: RequestInit = { redirect: "manual" }

// Every header value, in the platform's request span: ours include the key
// (redacted by name anyway), and a server may echo it in any response header.
const redactEveryHeader: ReadonlyArray<RegExp> = [/(?:)/]

/**
 * Builds the service on any `HttpClient`. The transport must not follow
 * redirects itself (undici and node:http do not; `fetch` must be given
 * `redirect: "manual"`, as {@link layer} does), so that the key never
 * travels to another origin.
 *
 * Each call runs in the span {@link spanName}, the parent of the platform's
 * per-request span, so the caller's trace propagates as `traceparent` (and
 * `b3`). That request span records the full URL, account id included, and
 * header names with every value redacted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ClientError.InvalidArgument, HttpClient.HttpClient> =>
  makeWith(options, "header")

/**
 * How the key reaches the transport: as a request header (any `HttpClient`),
 * or, on the platform's fetch client, through the `RequestInit` headers
 * `FetchHttpClient` merges in. Then the key is in no platform object at all:
 * not in the request the platform's span ends with, which a tracer or logger
 * rendering it outside a fiber would print with its headers unredacted.
 */
type KeyVia = "header" | "fetchInit"

const makeWith = (
  options: Options,
  keyVia: KeyVia
): Effect.Effect<Service, ClientError.InvalidArgument, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const policy = yield* RetryPolicy.make(options)
    const { prefix, origin } = yield* accountsPrefix(options.baseUrl ?? AccountsApi.defaultBaseUrl)
    const maxRedirects = options.maxRedirects ?? 5
    if (!Number.isSafeInteger(maxRedirects) || maxRedirects < 0) {
      return yield* new ClientError.InvalidArgument({ argument: "maxRedirects", reason: "expected an integer ≥ 0" })
    }
    const key = Redacted.value(options.apiKey)
    if (!KEY.test(key)) {
      return yield* new ClientError.InvalidArgument({
        argument: "apiKey",
        reason: "expected non-empty printable ASCII without spaces"
      })
    }
    const http = yield* HttpClient.HttpClient
    const template = HttpClientRequest.get("").pipe(
      HttpClientRequest.setHeaders({
        ...(keyVia === "header" ? { [AccountsApi.apiKeyHeader]: key } : {}),
        accept: "application/json",
        "user-agent": userAgent
      })
    )
    // Built once: the platform reads it from the context of every request.
    const keyedInit: RequestInit = { ...fetchInit, headers: { [AccountsApi.apiKeyHeader]: key } }
    const execute =
      keyVia === "header"
        ? http.execute
        : (request: HttpClientRequest.HttpClientRequest) =>
            Effect.provideService(http.execute(request), FetchHttpClient.RequestInit, keyedInit)
    const scrub = (s: string): string => (s.includes(key) ? s.split(key).join("<redacted>") : s)

    interface CallState {
      attempts: number
      status: number | undefined
    }

    const transportError = (state: CallState, cause: HttpClientError.HttpClientError) => {
      const { reason, code, detail } = Transport.classify(cause)
      return Effect.fail(
        new ClientError.TransportError({
          reason,
          detail: scrub(detail),
          attempts: state.attempts,
          ...(code === undefined ? {} : { code })
        })
      )
    }

    const handle = (
      state: CallState,
      response: HttpClientResponse.HttpClientResponse,
      text: string,
      url: string,
      hops: number
    ): Effect.Effect<Account.Account, ClientError.RetrieveError> => {
      const status = response.status
      state.status = status
      if (status >= 200 && status < 300) {
        // Headers are only read if the body turns out to be a violation.
        const meta = {
          status,
          get headers() {
            return response.headers
          },
          attempts: state.attempts,
          nowMs: 0,
          scrub
        }
        return Response.success(meta, text)
      }
      return Effect.flatMap(Clock.currentTimeMillis, (nowMs) => {
        const headers = response.headers
        const meta = { status, headers, attempts: state.attempts, nowMs, scrub }
        const location = headers.location
        if (REDIRECTS.has(status) && location !== undefined) {
          let target: URL | undefined
          try {
            target = new URL(location, url)
          } catch {
            target = undefined
          }
          if (target !== undefined && target.origin === origin && hops < maxRedirects) {
            return send(state, target.href, hops + 1)
          }
          const reason =
            target === undefined
              ? "redirect with an invalid location not followed"
              : target.origin === origin
                ? `more than ${maxRedirects} redirects`
                : `redirect to another origin (${target.origin}) not followed`
          return Effect.fail(Response.failure(meta, text, scrub(reason)))
        }
        return Effect.fail(Response.failure(meta, text))
      })
    }

    /** One HTTP exchange, body included (always read, so the connection is reused). */
    const send = (
      state: CallState,
      url: string,
      hops: number
    ): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.matchEffect(execute(HttpClientRequest.setUrl(template, url)), {
        onFailure: (cause) => transportError(state, cause),
        onSuccess: (response) =>
          Effect.matchEffect(response.text, {
            onFailure: (cause) => transportError(state, cause),
            onSuccess: (text) => handle(state, response, text, url, hops)
          })
      })

    /** Attempt `n`: the exchange under the per-attempt limit, or what is left of the deadline. */
    const attempt = (state: CallState, url: string, n: number, deadlineAtMs: number, nowMs: number) => {
      state.attempts = n
      const remaining = deadlineAtMs - nowMs
      const scope = policy.timeoutMs < remaining ? "attempt" : "deadline"
      return Effect.timeoutFail(send(state, url, 0), {
        duration: Duration.millis(Math.min(policy.timeoutMs, remaining)),
        onTimeout: () =>
          new ClientError.TimeoutError({
            scope,
            limit: Duration.millis(scope === "attempt" ? policy.timeoutMs : policy.deadlineMs),
            attempts: n
          })
      })
    }

    /** Attempts until success or until {@link RetryPolicy.decide} says stop. */
    const call = (state: CallState, url: string): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.flatMap(Clock.currentTimeMillis, (startMs) => {
        const deadlineAtMs = startMs + policy.deadlineMs
        // The first attempt starts at `startMs`; later ones read the clock after their delay.
        const loop = (n: number, nowMs: number): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
          Effect.catchAll(attempt(state, url, n, deadlineAtMs, nowMs), (error) =>
            Effect.flatMap(Clock.currentTimeMillis, (failedAtMs) =>
              Effect.flatMap(Random.next, (uniform) => {
                const decision = RetryPolicy.decide(policy, error, n, failedAtMs, deadlineAtMs, uniform)
                if (decision._tag === "Stop") return Effect.fail(error)
                return Effect.logDebug("postpress: retrying").pipe(
                  Effect.annotateLogs({ attempt: n, error: error._tag, delay_ms: Math.round(decision.delayMs) }),
                  Effect.zipRight(Effect.sleep(Duration.millis(decision.delayMs))),
                  Effect.zipRight(Effect.flatMap(Clock.currentTimeMillis, (next) => loop(n + 1, next)))
                )
              })
            )
          )
        return loop(1, startMs)
      })

    const spanOptions: Tracer.SpanOptions = {
      kind: "client",
      captureStackTrace: false,
      attributes: {
        "http.request.method": "GET",
        "url.template": AccountsApi.pathTemplate,
        "server.address": origin
      }
    }

    const retrieve = (id: string): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.useSpan(spanName, spanOptions, (span) => {
        const state: CallState = { attempts: 0, status: undefined }
        const encoded = encodeId(id)
        const body = Either.isLeft(encoded) ? Effect.fail(encoded.left) : call(state, prefix + encoded.right)
        return body.pipe(
          Effect.withParentSpan(span),
          Effect.locally(Headers.currentRedactedNames, redactEveryHeader),
          Effect.onExit((exit) =>
            Effect.sync(() => {
              span.attribute("postpress.attempts", state.attempts)
              if (state.status !== undefined) span.attribute("http.response.status_code", state.status)
              if (Exit.isFailure(exit)) {
                const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
                span.attribute("error.type", failure?._tag ?? "interrupted")
              }
            })
          )
        )
      })

    return AccountsClient.of({ retrieve })
  })

/**
 * Retrieves one account through the service in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const retrieve = (id: string): Effect.Effect<Account.Account, ClientError.RetrieveError, AccountsClient> =>
  Effect.flatMap(AccountsClient, (client) => client.retrieve(id))

/**
 * The service on any `HttpClient` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutHttpClient = (
  options: Options
): Layer.Layer<AccountsClient, ClientError.InvalidArgument, HttpClient.HttpClient> =>
  Layer.effect(AccountsClient, make(options))

/**
 * The platform's `fetch` client with `redirect: "manual"`: redirects come
 * back to the client, which follows same-origin ones only, so the key never
 * travels to another origin. Works wherever `fetch` does (Node, Bun, Deno,
 * edge runtimes).
 *
 * @since 0.1.0
 * @category layers
 */
export const fetchLayer: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer.pipe(
  Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, fetchInit))
)

/**
 * The service on the platform's `fetch` client (redirects handled as in
 * {@link fetchLayer}). The key travels in the `RequestInit` headers rather
 * than in the request object, so no platform object (request, span exit,
 * HTTP error) ever holds it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<AccountsClient, ClientError.InvalidArgument> =>
  Layer.effect(AccountsClient, makeWith(options, "fetchInit")).pipe(Layer.provide(FetchHttpClient.layer))

/**
 * `POSTPRESS_API_KEY` (required, redacted) and `POSTPRESS_BASE_URL` (default
 * `https://api.postpress.ai/api`).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{ readonly apiKey: Redacted.Redacted<string>; readonly baseUrl: string }> =
  Config.all({
    apiKey: Config.redacted("POSTPRESS_API_KEY"),
    baseUrl: Config.string("POSTPRESS_BASE_URL").pipe(Config.withDefault(AccountsApi.defaultBaseUrl))
  })

/**
 * {@link layer} with the key and base URL read from {@link config}; the
 * remaining options may be given here.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "apiKey" | "baseUrl"> = {}
): Layer.Layer<AccountsClient, ClientError.InvalidArgument | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(config, (fromEnv) => layer({ ...options, ...fromEnv })))
