/**
 * The `AccountsClient` service: `retrieve(id)` against
 * `{baseUrl}/v1/accounts/{id}`, decoded with `@postpress/schema`, failing
 * with the typed errors of {@link ClientError} and retrying as
 * {@link RetryPolicy} decides.
 *
 * @since 0.1.0
 */
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
import * as Deadlines from "./internal/deadlines.js"
import * as Response from "./internal/response.js"
import { liveClock, timeoutFail } from "./internal/timeout.js"
import * as Transport from "./internal/transport.js"
import * as Undici from "./internal/undici.js"
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

/**
 * Builds the service on any `HttpClient`. The transport must not follow
 * redirects itself (undici and node:http do not; for `fetch` set
 * `redirect: "manual"`), so that the key never travels to another origin.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ClientError.InvalidArgument, HttpClient.HttpClient> =>
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
    // Our own span covers the call; the platform's per-request span would
    // duplicate it and record the full URL.
    const transport = yield* HttpClient.HttpClient
    const http = HttpClient.withTracerDisabledWhen(transport, () => true)
    const transportTimer = Deadlines.enforcesDeadlines(transport)
    const template = HttpClientRequest.get("").pipe(
      HttpClientRequest.setHeaders({
        [AccountsApi.apiKeyHeader]: key,
        accept: "application/json",
        "user-agent": userAgent
      })
    )
    const scrub = (s: string): string => (s.includes(key) ? s.split(key).join("<redacted>") : s)

    const transportError = (cause: HttpClientError.HttpClientError, attempts: number) => {
      const { reason, code, detail } = Transport.classify(cause)
      return new ClientError.TransportError({
        reason,
        detail: scrub(detail),
        attempts,
        ...(code === undefined ? {} : { code })
      })
    }

    interface CallState {
      attempts: number
      status: number | undefined
      /** Set when the transport enforces the attempt's time limit itself. */
      limit: { readonly atMs: number; readonly error: () => ClientError.TimeoutError } | undefined
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
          return Effect.fail(Response.failure(meta, scrub(text), scrub(reason)))
        }
        return Effect.fail(Response.failure(meta, scrub(text)))
      })
    }

    const failure = (state: CallState, cause: HttpClientError.HttpClientError) =>
      Effect.fail(
        state.limit !== undefined && Deadlines.isTimedOut(cause)
          ? state.limit.error()
          : transportError(cause, state.attempts)
      )

    const send = (
      state: CallState,
      url: string,
      hops: number
    ): Effect.Effect<Account.Account, ClientError.RetrieveError> => {
      const request = HttpClientRequest.setUrl(template, url)
      if (state.limit !== undefined) Deadlines.deadlines.set(request, state.limit.atMs)
      return Effect.matchEffect(http.execute(request), {
        onFailure: (cause) => failure(state, cause),
        // The body is always read, redirects and errors included, so the
        // connection goes back to the pool.
        onSuccess: (response) =>
          Effect.matchEffect(response.text, {
            onFailure: (cause) => failure(state, cause),
            onSuccess: (text) => handle(state, response, text, url, hops)
          })
      })
    }

    const call = (state: CallState, url: string): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.flatMap(Clock.currentTimeMillis, (startMs) => {
        const deadlineAtMs = startMs + policy.deadlineMs
        const attempt = (n: number): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
          Effect.flatMap(Clock.currentTimeMillis, (nowMs) => {
            state.attempts = n
            const remaining = deadlineAtMs - nowMs
            const scope = policy.timeoutMs < remaining ? "attempt" : "deadline"
            const limit = Duration.millis(scope === "attempt" ? policy.timeoutMs : policy.deadlineMs)
            const limitMs = Math.min(policy.timeoutMs, remaining)
            const onTimeout = () => new ClientError.TimeoutError({ scope, limit, attempts: n })
            return Effect.clockWith((clock) => {
              if (transportTimer && clock === liveClock) {
                state.limit = { atMs: Date.now() + limitMs, error: onTimeout }
                return send(state, url, 0)
              }
              state.limit = undefined
              return timeoutFail(send(state, url, 0), limitMs, onTimeout)
            }).pipe(Effect.catchAll((error) => retryOrFail(error, n)))
          })
        const retryOrFail = (error: ClientError.RetrieveError, n: number) =>
          Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
            Effect.flatMap(Random.next, (uniform) => {
              const decision = RetryPolicy.decide(policy, error, n, nowMs, deadlineAtMs, uniform)
              if (decision._tag === "Stop") return Effect.fail(error)
              return Effect.logDebug("postpress: retrying").pipe(
                Effect.annotateLogs({ attempt: n, error: error._tag, delay_ms: Math.round(decision.delayMs) }),
                Effect.zipRight(Effect.sleep(Duration.millis(decision.delayMs))),
                Effect.zipRight(attempt(n + 1))
              )
            })
          )
        return attempt(1)
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

    // The span is not made the parent of the call's effects: nothing nested
    // needs it, and providing it costs ~10% of a loopback request.
    const retrieve = (id: string): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.useSpan(spanName, spanOptions, (span) => {
        const state: CallState = { attempts: 0, status: undefined, limit: undefined }
        const encoded = encodeId(id)
        const body = Either.isLeft(encoded) ? Effect.fail(encoded.left) : call(state, prefix + encoded.right)
        return body.pipe(
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
 * The service with its own undici connection pool (closed with the layer).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<AccountsClient, ClientError.InvalidArgument> =>
  layerWithoutHttpClient(options).pipe(Layer.provide(Undici.layer))

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
