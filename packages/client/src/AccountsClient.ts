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
import { type Account, AccountsApi, type BaseUrl, BodyLimit, Printable, Redaction } from "@postpress/schema"
import * as Clock from "effect/Clock"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Tracer from "effect/Tracer"
import * as ClientError from "./ClientError.js"
import * as Body from "./internal/body.js"
import * as Environment from "./internal/environment.js"
import * as Response from "./internal/response.js"
import * as Transport from "./internal/transport.js"
import { accountsPrefix, encodeId } from "./internal/url.js"
import { userAgent } from "./internal/version.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * Client options. Everything but `apiKey` has a default: `baseUrl`
 * `https://api.postpress.ai/api`, `maxRedirects` 5 (same origin only),
 * `maxResponseBytes` 16 MiB, and the retry and time limits of
 * `RetryPolicy.defaults` (2 retries, 10 s per attempt, 30 s overall).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Partial<RetryPolicy.Options> {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl?: string | URL | undefined
  /** Same-origin redirects followed per attempt; other origins are never followed. */
  readonly maxRedirects?: number | undefined
  /**
   * Largest response body read, in bytes, counted while streaming on the
   * bytes the transport delivers (decompressed by fetch). Over it the call
   * fails with `ResponseTooLarge`, unretried. Default `BodyLimit.defaultMaxBytes`
   * (16 MiB, the contract suite's limit).
   */
  readonly maxResponseBytes?: number | undefined
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
/** A transport error's detail is the transport's words: a sentence, not a page. */
const maxDetailChars = 300
// Keys are tokens; anything else (controls, spaces, non-ASCII) would be
// rejected by the transport on every attempt, or split the request.
const KEY = /^[\x21-\x7e]+$/

// Every request carries this through the platform's `FetchHttpClient.RequestInit`
// (only fetch-based transports read it): fetch must hand redirects back to us
// rather than follow them, carrying the key, to wherever they point.
const fetchInit: RequestInit = { redirect: "manual" }

// Every header value, in the platform's request span: ours include the key
// (redacted by name anyway), and a server may echo it in any response header.
const redactEveryHeader: ReadonlyArray<RegExp> = [/(?:)/]

/**
 * Builds the service on any `HttpClient`. Redirects are followed by the
 * client itself, same origin only: every request asks fetch-based transports
 * for `redirect: "manual"` (through `FetchHttpClient.RequestInit`, so the
 * stock `FetchHttpClient.layer` is safe too), and undici and node:http do not
 * follow redirects. Do not wrap the `HttpClient` in `HttpClient.followRedirects`:
 * that would follow them, key included, before the client sees them.
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
    const maxResponseBytes = options.maxResponseBytes ?? BodyLimit.defaultMaxBytes
    if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
      return yield* new ClientError.InvalidArgument({ argument: "maxResponseBytes", reason: "expected an integer ≥ 1" })
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
    const init: RequestInit =
      keyVia === "header" ? fetchInit : { ...fetchInit, headers: { [AccountsApi.apiKeyHeader]: key } }
    const execute = http.execute
    // THE masking function of every postpress tool (raw, escaped, encoded, any case, cut short).
    const secrets = [key]
    const scrub = (s: string): string => Redaction.scrub(s, secrets)

    interface CallState {
      attempts: number
      status: number | undefined
      lastError: string | undefined
    }

    const transportError = (state: CallState, cause: HttpClientError.HttpClientError) => {
      const { reason, code, detail } = Transport.classify(cause)
      return Effect.fail(
        new ClientError.TransportError({
          reason,
          // The transport's words may quote the server's bytes (a bad status line): no key, no control byte.
          detail: Printable.text(Response.truncate(scrub(detail), maxDetailChars)),
          attempts: state.attempts,
          ...(code === undefined ? {} : { code })
        })
      )
    }

    const handle = (
      state: CallState,
      response: HttpClientResponse.HttpClientResponse,
      headers: Headers.Headers,
      body: Body.Body,
      id: string,
      url: string,
      hops: number
    ): Effect.Effect<Account.Account, ClientError.RetrieveError> => {
      const status = response.status
      state.status = status
      if (body._tag === "Text" && status >= 200 && status < 300) {
        return Response.success({ status, headers, attempts: state.attempts, nowMs: 0, scrub }, body.text, id)
      }
      return Effect.flatMap(Clock.currentTimeMillis, (nowMs) => {
        const meta = { status, headers, attempts: state.attempts, nowMs, scrub }
        if (body._tag === "TooLarge") {
          return Effect.fail(Response.tooLarge(meta, maxResponseBytes, body.received, body.complete))
        }
        const text = body.text
        const location = headers.location
        if (REDIRECTS.has(status) && location !== undefined) {
          let target: URL | undefined
          try {
            target = new URL(location, url)
          } catch {
            target = undefined
          }
          if (target !== undefined && target.origin === origin && hops < maxRedirects) {
            return send(state, id, target.href, hops + 1)
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

    /** One HTTP exchange, body included (read within the limit, so the connection is reused). */
    const send = (
      state: CallState,
      id: string,
      url: string,
      hops: number
    ): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.matchEffect(execute(HttpClientRequest.setUrl(template, url)), {
        onFailure: (cause) => transportError(state, cause),
        onSuccess: (response) => {
          const headers = response.headers
          return Effect.matchEffect(Body.read(response, headers, maxResponseBytes), {
            onFailure: (cause) => transportError(state, cause),
            onSuccess: (body) => handle(state, response, headers, body, id, url, hops)
          })
        }
      })

    /** The next attempt: the exchange under the per-attempt limit, or what is left of the deadline. */
    const attempt = (state: CallState, id: string, url: string, deadlineAtMs: number, nowMs: number) => {
      const n = ++state.attempts
      const remaining = deadlineAtMs - nowMs
      const scope = policy.timeoutMs < remaining ? "attempt" : "deadline"
      return Effect.timeoutFail(send(state, id, url, 0), {
        duration: Duration.millis(Math.min(policy.timeoutMs, remaining)),
        onTimeout: () =>
          new ClientError.TimeoutError({
            scope,
            limit: Duration.millis(scope === "attempt" ? policy.timeoutMs : policy.deadlineMs),
            attempts: n
          })
      })
    }

    /**
     * Attempts until success or until the policy's `Schedule` says stop; the
     * final error is the last attempt's. The first attempt runs outside
     * `Effect.retry` (most calls succeed at once); its failure is replayed
     * as the retried effect's first result, so the schedule sees every failure.
     */
    const call = (
      state: CallState,
      id: string,
      url: string
    ): Effect.Effect<Account.Account, ClientError.RetrieveError> =>
      Effect.flatMap(Clock.currentTimeMillis, (startMs) => {
        const deadlineAtMs = startMs + policy.deadlineMs
        return Effect.catchAll(attempt(state, id, url, deadlineAtMs, startMs), (first) => {
          if (!RetryPolicy.isRetryable(policy, first)) return Effect.fail(first)
          const again = Effect.flatMap(Clock.currentTimeMillis, (nowMs) => attempt(state, id, url, deadlineAtMs, nowMs))
          const schedule = RetryPolicy.schedule(policy, { startedAtMs: startMs }).pipe(
            Schedule.mapInput((error: ClientError.RetrieveError) => {
              state.lastError = error._tag
              return RetryPolicy.failureOf(error)
            }),
            Schedule.tapOutput((decision) =>
              decision._tag === "Retry"
                ? Effect.logDebug("postpress: retrying").pipe(
                    Effect.annotateLogs({
                      attempt: state.attempts,
                      error: state.lastError,
                      delay_ms: Math.round(decision.delayMs)
                    })
                  )
                : Effect.void
            )
          )
          let replayed = false
          const next = Effect.suspend(() => {
            if (replayed) return again
            replayed = true
            return Effect.fail(first)
          })
          return Effect.retry(next, schedule)
        })
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
        const state: CallState = { attempts: 0, status: undefined, lastError: undefined }
        const encoded = encodeId(id)
        const body = Either.isLeft(encoded) ? Effect.fail(encoded.left) : call(state, id, prefix + encoded.right)
        return body.pipe(
          // One context change for the call: our span as the parent of the
          // platform's, and `redirect: "manual"` for fetch-based transports.
          // (One copy of the caller's context: this runs on every call.)
          Effect.mapInputContext((context: Context.Context<never>) => {
            const services = new Map(context.unsafeMap)
            services.set(Tracer.ParentSpan.key, span)
            services.set(FetchHttpClient.RequestInit.key, init)
            return Context.unsafeMake<Tracer.ParentSpan | FetchHttpClient.RequestInit>(services)
          }),
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
 * `https://api.postpress.ai/api`), decoded by `BaseUrl` of `@postpress/schema`
 * (a defect is `InvalidData` with `BaseUrl`'s one-line message). An empty
 * variable counts as not set, as in the CLI.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: BaseUrl.BaseUrl
}> = Environment.config

/**
 * {@link layer} with the key and base URL read from {@link config}; the
 * remaining options may be given here. A missing or empty
 * `POSTPRESS_API_KEY` fails with `MissingConfig`, whose message is one line
 * naming the variable; a `POSTPRESS_BASE_URL` that is no base URL with
 * `InvalidArgument` naming it, with `BaseUrl`'s message.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "apiKey" | "baseUrl"> = {}
): Layer.Layer<AccountsClient, ClientError.InvalidArgument | ClientError.MissingConfig | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Environment.read, (fromEnv) => layer({ ...options, ...fromEnv })))
