/**
 * The client's options as ONE Schema: every entry point (`make`, `layer`,
 * `layerConfig`, and the CLI's `accounts get` with its flags) decodes into
 * it, so each rule and its message are written once. The rules themselves
 * are the shared ones where they exist: `BaseUrl` for the base URL, the
 * schema package's `RetryPolicy.make` for every retry knob; the client's own
 * (the key's characters, the redirect and size limits) live here.
 *
 * @internal
 */
import { AccountsApi, BaseUrl, BodyLimit, RetryPolicy as Policy } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ClientError from "../ClientError.js"

// Keys are tokens; anything else (controls, spaces, non-ASCII) would be
// rejected by the transport on every attempt, or split the request.
const KEY = /^[\x21-\x7e]+$/

/** A message for every way a value can fail the schema it annotates (its type included). */
const says = (message: string) => ({ message: () => ({ message, override: true }) })

const ApiKey = Schema.RedactedFromSelf(Schema.String).pipe(
  Schema.filter((key) => KEY.test(Redacted.value(key)), says("expected non-empty printable ASCII without spaces"))
)

/** A base URL as text or a `URL`, decoded by THE base-URL rule (`BaseUrl` of `@postpress/schema`). */
const BaseUrlInput = Schema.Union(Schema.String, Schema.URLFromSelf).pipe(
  Schema.transform(Schema.String, {
    strict: true,
    decode: (url) => (typeof url === "string" ? url : url.href),
    encode: (text) => text
  }),
  Schema.compose(BaseUrl.BaseUrl)
)

const Count = (minimum: number) =>
  Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(minimum)).annotations(
    says(`expected an integer ≥ ${minimum}`)
  )

/**
 * One knob of the retry policy, judged by `RetryPolicy.make` of
 * `@postpress/schema` (THE rule, shared with the contract suite): the knob
 * alone over the defaults, failing with the policy's reason.
 */
const retryKnob = <K extends keyof Policy.Options, A>(
  option: K,
  decoded: (policy: Policy.RetryPolicy) => A,
  encoded: (value: A) => Policy.Options[K]
) =>
  Schema.declare<A, Policy.Options[K], readonly []>(
    [],
    {
      decode: () => (input, _, ast) =>
        // The policy judges any value (a bad type included), so its input is not narrowed first.
        Either.match(Policy.make({ [option]: input } as Partial<Policy.Options>), {
          onLeft: (invalid) => ParseResult.fail(new ParseResult.Type(ast, input, invalid.reason)),
          onRight: (policy) => ParseResult.succeed(decoded(policy))
        }),
      encode: () => (value) => ParseResult.succeed(encoded(value as A))
    },
    { identifier: option }
  )

const durationKnob = (option: "timeout" | "deadline" | "initialDelay" | "maxDelay" | "maxRetryAfter") => {
  const millis = `${option}Ms` as const
  return Schema.optionalWith(
    retryKnob(
      option,
      (policy) => Duration.millis(policy[millis]),
      (duration: Duration.Duration): Duration.DurationInput => duration
    ),
    { default: () => Duration.decode(Policy.defaults[option]) }
  )
}

const Flag = Schema.Boolean.annotations(says("expected true or false"))

/**
 * Every knob of the retry policy, each a field of {@link Config}: the
 * compiler checks that none of `RetryPolicy.Options` is left out.
 */
const retryKnobs = {
  maxRetries: Schema.optionalWith(
    retryKnob(
      "maxRetries",
      (policy) => policy.maxRetries,
      (n: number) => n
    ),
    { default: () => Policy.defaults.maxRetries }
  ).annotations({ description: "Retries after the first attempt (so `maxRetries + 1` attempts at most)." }),
  timeout: durationKnob("timeout").annotations({ description: "Per-attempt limit, body included." }),
  deadline: durationKnob("deadline").annotations({
    description: "Overall limit for the whole call; no retry sleep is allowed to overrun it."
  }),
  initialDelay: durationKnob("initialDelay").annotations({
    description: "First backoff delay, doubled on every retry."
  }),
  maxDelay: durationKnob("maxDelay").annotations({ description: "Cap of the exponential backoff (before jitter)." }),
  maxRetryAfter: durationKnob("maxRetryAfter").annotations({
    description: "The longest `Retry-After` waited for."
  }),
  retryAfterOverMax: Schema.optionalWith(
    retryKnob(
      "retryAfterOverMax",
      (policy) => policy.retryAfterOverMax,
      (choice: Policy.Options["retryAfterOverMax"]) => choice
    ),
    { default: () => Policy.defaults.retryAfterOverMax }
  ).annotations({
    description: "A longer `Retry-After`: `stop` retrying at once (default), or `cap` it at `maxRetryAfter`."
  }),
  retryNoClientSession: Schema.optionalWith(Flag, { default: () => Policy.defaults.retryNoClientSession }).annotations({
    description: "Retry 503 `errors/no_client_session` too (off: it usually means a wrong base URL)."
  }),
  retryRateLimited: Schema.optionalWith(Flag, { default: () => Policy.defaults.retryRateLimited }).annotations({
    description: "Retry 429 Too Many Requests, honouring `Retry-After` (on)."
  })
} satisfies { readonly [K in keyof Policy.Options]: Schema.Struct.Field }

/**
 * The client's options, decoded: defaults applied, every value checked.
 * Encoded, it is {@link Options}.
 *
 * @internal
 */
export const Config = Schema.Struct({
  // The retry knobs first: with several bad options, the first one named is the one named before.
  ...retryKnobs,
  baseUrl: Schema.optionalWith(BaseUrlInput, {
    default: () => Schema.decodeSync(BaseUrl.BaseUrl)(AccountsApi.defaultBaseUrl)
  }).annotations({ description: "Where the API lives (default `https://api.postpress.ai/api`)." }),
  maxRedirects: Schema.optionalWith(Count(0), { default: () => 5 }).annotations({
    description: "Same-origin redirects followed per attempt; other origins are never followed."
  }),
  maxResponseBytes: Schema.optionalWith(Count(1), { default: () => BodyLimit.defaultMaxBytes }).annotations({
    description:
      "Largest response body read, in bytes, counted while streaming on the bytes the transport delivers " +
      "(decompressed by fetch). Over it the call fails with `ResponseTooLarge`, unretried."
  }),
  apiKey: ApiKey.annotations({ description: "The API key, sent as `X-API-KEY`." })
}).annotations({ identifier: "AccountsClient.Config" })

/**
 * The decoded options.
 *
 * @internal
 */
export type Config = Schema.Schema.Type<typeof Config>

/**
 * The options as callers write them.
 *
 * @internal
 */
export type Options = Schema.Schema.Encoded<typeof Config>

/**
 * A decoding failure as the client's `InvalidArgument`: the option it is
 * about (the first path segment) and the rule's own message.
 *
 * @internal
 */
export const invalidArgument = (error: ParseResult.ParseError): ClientError.InvalidArgument => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
  return new ClientError.InvalidArgument({
    argument: first === undefined || first.path.length === 0 ? "options" : String(first.path[0]),
    reason: first?.message ?? "invalid options"
  })
}

const decodeConfig = Schema.decodeUnknown(Config)

/**
 * Decodes options once, failing with `InvalidArgument`.
 *
 * @internal
 */
export const decode = (options: unknown): Effect.Effect<Config, ClientError.InvalidArgument> =>
  Effect.mapError(decodeConfig(options), invalidArgument)

/**
 * THE retry policy of decoded options (every knob was judged by
 * `RetryPolicy.make` while decoding, so this cannot fail).
 *
 * @internal
 */
export const retryPolicy = (config: Config): Effect.Effect<Policy.RetryPolicy, ClientError.InvalidArgument> =>
  Either.mapLeft(Policy.make(config), (e) => new ClientError.InvalidArgument({ argument: e.option, reason: e.reason }))
