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
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { type Account, type AccountDecoder, AccountsApi, type BaseUrl, Redaction } from "@postpress/schema"
import type * as EffectConfig from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import type * as ClientError from "./ClientError.js"
import * as ClientConfig from "./internal/config.js"
import * as Environment from "./internal/environment.js"
import type * as Exchange from "./internal/exchange.js"
import * as Response from "./internal/response.js"
import * as Retry from "./internal/retry.js"
import { accountsPrefix, encodeId } from "./internal/url.js"
import { userAgent } from "./internal/version.js"
/**
 * The client's options as ONE Schema, decoded once by every entry point
 * ({@link make}, {@link layer}, {@link layerConfig}; the CLI's
 * `accounts get` decodes its flags into it too), so a rule and its message
 * are the same wherever an option comes from. Decoding applies the defaults
 * and checks every value: `baseUrl` with `BaseUrl` of `@postpress/schema`
 * (default `https://api.postpress.ai/api`), the retry knobs with
 * `RetryPolicy.make` (2 retries, 10 s per attempt, 30 s overall, …), the
 * key's characters, `maxRedirects` (5, same origin only) and
 * `maxResponseBytes` (16 MiB). Encoded, it is {@link Options}; a value it
 * refuses becomes `InvalidArgument` naming the option, with the rule's message.
 * A decoded `Config` is taken by every entry point as it is (never decoded
 * again): narrowed to {@link KeepingConfig} or {@link FailingConfig} by its
 * `unknownTypes`, it types the client like the options do.
 *
 * ```ts
 * import { AccountsClient } from "@postpress/client"
 * import { Redacted, Schema } from "effect"
 *
 * const config = Schema.decodeUnknownSync(AccountsClient.Config)({ apiKey: Redacted.make("pp_live_…"), timeout: "5 seconds" })
 * config.timeout // Duration: 5 seconds
 * config.baseUrl // "https://api.postpress.ai/api"
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const Config: Schema.Schema<Config, Options | KeepingOptions> = ClientConfig.Config

/**
 * Decoded options: defaults applied, durations as `Duration`s.
 *
 * @since 0.1.0
 * @category config
 */
export interface Config extends ClientConfig.Config {}

/**
 * A decoded {@link Config} that keeps unknown types: {@link make} and the
 * layers take it as it is and build a {@link TolerantAccountsClient}.
 *
 * @since 0.2.0
 * @category config
 */
export interface KeepingConfig extends Config {
  readonly unknownTypes: "keep"
}

/**
 * A decoded {@link Config} that fails on unknown types: {@link make} and the
 * layers take it as it is and build an {@link AccountsClient}.
 *
 * @since 0.2.0
 * @category config
 */
export interface FailingConfig extends Config {
  readonly unknownTypes: "fail"
}

/**
 * Client options, as {@link Config} takes them: everything but `apiKey` has a
 * default. Durations are any `Duration.DurationInput` (`"5 seconds"`, a
 * `Duration`, milliseconds).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Omit<ClientConfig.Options, "unknownTypes"> {
  /**
   * An account whose `type` is none of the 14 fails with `ContractViolation`
   * (`"fail"`, the default). To keep it, see {@link KeepingOptions}.
   *
   * @since 0.2.0
   */
  readonly unknownTypes?: "fail" | undefined
}

/**
 * The client. `A` is what `retrieve` returns: `Account`, or with
 * `unknownTypes: "keep"` `Account | UnknownAccount` (see {@link Retrieved}).
 *
 * @since 0.1.0
 * @category models
 */
export interface Service<A extends Account.AccountOrUnknown = Account.Account> {
  /**
   * Retrieves one account. The id may be any string: it is percent-encoded as
   * one path segment. Empty, `.`, `..`, control characters and lone surrogates
   * fail with `InvalidArgument` before any request.
   */
  readonly retrieve: (id: string) => Effect.Effect<A, ClientError.RetrieveError>
}

/**
 * What a client built from options `O` retrieves: `Account`, or
 * `Account | UnknownAccount` when `O` may keep unknown types.
 *
 * @since 0.2.0
 * @category models
 */
export type Retrieved<O> = AccountDecoder.Decoded<O>

/**
 * @since 0.1.0
 * @category tags
 */
export class AccountsClient extends Context.Tag("@postpress/client/AccountsClient")<AccountsClient, Service>() {}

/**
 * The client of a reader that survives the API's next provider: built with
 * `unknownTypes: "keep"`, its `retrieve` returns `Account | UnknownAccount`
 * (an account of a type none of the 14 is kept, not a `ContractViolation`).
 * A tag of its own, so a program written for {@link AccountsClient} never
 * meets an `UnknownAccount` it was not typed for.
 *
 * @since 0.2.0
 * @category tags
 */
export class TolerantAccountsClient extends Context.Tag("@postpress/client/TolerantAccountsClient")<
  TolerantAccountsClient,
  Service<Account.AccountOrUnknown>
>() {}

/**
 * The options of a client that keeps an account of a type none of the 14 as
 * an `UnknownAccount` ({@link TolerantAccountsClient}; `make` then builds a
 * `Service<Account | UnknownAccount>`). A type of its own, so that what a
 * client returns is always known from its options' type.
 *
 * @since 0.2.0
 * @category models
 */
export interface KeepingOptions extends Omit<ClientConfig.Options, "unknownTypes"> {
  readonly unknownTypes: "keep"
}

/**
 * The span every call runs in.
 *
 * @since 0.1.0
 * @category observability
 */
export const spanName = "postpress.accounts.retrieve"

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
export const make: {
  (
    options: KeepingOptions | KeepingConfig
  ): Effect.Effect<Service<Account.AccountOrUnknown>, ClientError.InvalidArgument, HttpClient.HttpClient>
  (options: Options | FailingConfig): Effect.Effect<Service, ClientError.InvalidArgument, HttpClient.HttpClient>
} = (options: Options | KeepingOptions | Config) =>
  // The overloads narrow the account type by the option; the value is the same service.
  Effect.flatMap(ClientConfig.decode(options), (config) => makeWith(config, "header")) as never

/**
 * How the key reaches the transport: as a request header (any `HttpClient`),
 * or, on the platform's fetch client, through the `RequestInit` headers
 * `FetchHttpClient` merges in. Then the key is in no platform object at all:
 * not in the request the platform's span ends with, which a tracer or logger
 * rendering it outside a fiber would print with its headers unredacted.
 */
type KeyVia = "header" | "fetchInit"

/** What every request of a client carries: its headers, and the `RequestInit` fetch-based transports read. */
const requestParts = (apiKey: Redacted.Redacted<string>, keyVia: KeyVia) => {
  const key = Redacted.value(apiKey)
  const keyHeader = { [AccountsApi.apiKeyHeader]: key }
  return {
    template: HttpClientRequest.get("").pipe(
      HttpClientRequest.setHeaders({
        ...(keyVia === "header" ? keyHeader : {}),
        accept: "application/json",
        "user-agent": userAgent
      })
    ),
    init: keyVia === "header" ? fetchInit : { ...fetchInit, headers: keyHeader }
  }
}

const makeWith = (
  config: Config,
  keyVia: KeyVia
): Effect.Effect<Service<Account.AccountOrUnknown>, ClientError.InvalidArgument, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const policy = yield* ClientConfig.retryPolicy(config)
    const { prefix, origin } = accountsPrefix(config.baseUrl)
    const { template, init } = requestParts(config.apiKey, keyVia)
    const secrets = [Redacted.value(config.apiKey)]
    const exchange: Exchange.Exchange = {
      execute: (yield* HttpClient.HttpClient).execute,
      template,
      origin,
      maxRedirects: config.maxRedirects,
      maxResponseBytes: config.maxResponseBytes,
      // THE masking function of every postpress tool (raw, escaped, encoded, any case, cut short).
      scrub: (text) => Redaction.scrub(text, secrets),
      decode: Response.accountDecode(config.unknownTypes)
    }
    const spanOptions: Tracer.SpanOptions = {
      kind: "client",
      captureStackTrace: false,
      attributes: { "http.request.method": "GET", "url.template": AccountsApi.pathTemplate, "server.address": origin }
    }
    const retrieve = (id: string): Effect.Effect<Account.AccountOrUnknown, ClientError.RetrieveError> =>
      Effect.useSpan(spanName, spanOptions, (span) =>
        Either.match(encodeId(id), {
          onLeft: Effect.fail,
          onRight: (segment) => Retry.call(policy, exchange, id, prefix + segment)
        }).pipe(
          // One context change per call: our span as the parent of the
          // platform's, and `redirect: "manual"` for fetch-based transports.
          Effect.provide(Context.make(Tracer.ParentSpan, span).pipe(Context.add(FetchHttpClient.RequestInit, init))),
          Effect.locally(Headers.currentRedactedNames, redactEveryHeader),
          Effect.onExit((exit) =>
            Effect.sync(() => {
              if (Exit.isFailure(exit)) {
                const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
                span.attribute("error.type", failure?._tag ?? "interrupted")
              }
            })
          )
        )
      )
    return { retrieve }
  })

/**
 * The service for a decoded config, under the tag it is typed for:
 * {@link TolerantAccountsClient} when it keeps unknown types, else
 * {@link AccountsClient} (the overloads of the layers say which).
 */
type AnyClientLayer = Layer.Layer<AccountsClient, ClientError.InvalidArgument, HttpClient.HttpClient>

const serviceLayer = <E, R>(config: Effect.Effect<Config, E, R>, keyVia: KeyVia) =>
  Layer.unwrapEffect(
    Effect.map(config, (decoded): AnyClientLayer => {
      const service = makeWith(decoded, keyVia)
      return decoded.unknownTypes === "keep"
        ? (Layer.effect(TolerantAccountsClient, service) as unknown as AnyClientLayer)
        : // A client that fails on unknown types never returns one.
          Layer.effect(
            AccountsClient,
            service as Effect.Effect<Service, ClientError.InvalidArgument, HttpClient.HttpClient>
          )
    })
  )

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
export const layerWithoutHttpClient: {
  (
    options: KeepingOptions | KeepingConfig
  ): Layer.Layer<TolerantAccountsClient, ClientError.InvalidArgument, HttpClient.HttpClient>
  (options: Options | FailingConfig): Layer.Layer<AccountsClient, ClientError.InvalidArgument, HttpClient.HttpClient>
} = (options: Options | KeepingOptions | Config) => serviceLayer(ClientConfig.decode(options), "header") as never

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
export const layer: {
  (options: KeepingOptions | KeepingConfig): Layer.Layer<TolerantAccountsClient, ClientError.InvalidArgument>
  (options: Options | FailingConfig): Layer.Layer<AccountsClient, ClientError.InvalidArgument>
} = (options: Options | KeepingOptions | Config) =>
  serviceLayer(ClientConfig.decode(options), "fetchInit").pipe(Layer.provide(FetchHttpClient.layer)) as never

/**
 * `POSTPRESS_API_KEY` (required, redacted) and `POSTPRESS_BASE_URL` (default
 * `https://api.postpress.ai/api`), decoded by `BaseUrl` of `@postpress/schema`
 * (a defect is `InvalidData` with `BaseUrl`'s one-line message). An empty
 * variable counts as not set, as in the CLI.
 *
 * @since 0.1.0
 * @category config
 */
export const config: EffectConfig.Config<{
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
export const layerConfig: {
  (
    options: Omit<KeepingOptions, "apiKey" | "baseUrl">
  ): Layer.Layer<
    TolerantAccountsClient,
    ClientError.InvalidArgument | ClientError.MissingConfig | ConfigError.ConfigError
  >
  (
    options?: Omit<Options, "apiKey" | "baseUrl">
  ): Layer.Layer<AccountsClient, ClientError.InvalidArgument | ClientError.MissingConfig | ConfigError.ConfigError>
} = (options: Omit<Options | KeepingOptions, "apiKey" | "baseUrl"> = {}) =>
  Layer.unwrapEffect(
    Effect.map(Environment.read, (fromEnv) =>
      serviceLayer(ClientConfig.decode({ ...options, ...fromEnv }), "fetchInit")
    )
  ).pipe(Layer.provide(FetchHttpClient.layer)) as never
