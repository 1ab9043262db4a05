/**
 * The client's options as ONE Schema: every entry point (`make`, `layer`,
 * `layerConfig`, and the CLI's `accounts get` with its flags) decodes into
 * it, so each rule and its message are written once. The rules are the
 * shared ones of `@postpress/schema`: `ConfigRules` (the base URL, the key,
 * counts, sizes, flags: the contract tests' and the mock's too) and
 * `RetryPolicy.make` for every retry knob.
 *
 * @internal
 */
import { AccountsApi, BaseUrl, BodyLimit, ConfigRules, RetryPolicy as Policy } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as ClientError from "../ClientError.js"

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
  retryNoClientSession: Schema.optionalWith(ConfigRules.Flag, {
    default: () => Policy.defaults.retryNoClientSession
  }).annotations({
    description: "Retry 503 `errors/no_client_session` too (off: it usually means a wrong base URL)."
  }),
  retryRateLimited: Schema.optionalWith(ConfigRules.Flag, {
    default: () => Policy.defaults.retryRateLimited
  }).annotations({
    description: "Retry 429 Too Many Requests, honouring `Retry-After` (on)."
  })
} satisfies { readonly [K in keyof Policy.Options]: Schema.Struct.Field }

/**
 * The client's options, decoded: defaults applied, every value checked.
 * Encoded, it is {@link Options}. A class, so that a decoded config is told
 * from options by `instanceof`: every entry point takes either, and decodes
 * options only.
 *
 * @internal
 */
export class Config extends Schema.Class<Config>("AccountsClient.Config")(
  ConfigRules.Struct({
    // The retry knobs first: with several bad options, the first one named is the one named before.
    ...retryKnobs,
    baseUrl: Schema.optionalWith(ConfigRules.BaseUrlInput, {
      default: () => Schema.decodeSync(BaseUrl.BaseUrl)(AccountsApi.defaultBaseUrl)
    }).annotations({ description: "Where the API lives (default `https://api.postpress.ai/api`)." }),
    maxRedirects: Schema.optionalWith(ConfigRules.Integer({ minimum: 0 }), { default: () => 5 }).annotations({
      description: "Same-origin redirects followed per attempt; other origins are never followed."
    }),
    maxResponseBytes: Schema.optionalWith(ConfigRules.ByteSize, {
      default: () => BodyLimit.defaultMaxBytes
    }).annotations({
      description:
        "Largest response body read, in bytes (a number, or text as `16MiB`), counted while streaming on the bytes the transport delivers " +
        "(decompressed by fetch). Over it the call fails with `ResponseTooLarge`, unretried."
    }),
    apiKey: ConfigRules.RedactedApiKey.annotations({ description: "The API key, sent as `X-API-KEY`." }),
    unknownTypes: Schema.optionalWith(ConfigRules.UnknownTypes, { default: () => "fail" as const }).annotations({
      description:
        "An account whose `type` is none of the 14: `fail` (a `ContractViolation`, the default) or `keep` it as an `UnknownAccount` (`retrieve` then returns `Account | UnknownAccount`)."
    })
  })
) {}

/**
 * The options as callers write them.
 *
 * @internal
 */
export type Options = Schema.Schema.Encoded<typeof Config>

const decodeOptions: (options: unknown) => Effect.Effect<Config, ClientError.InvalidArgument> = ConfigRules.decode(
  Config,
  ([first]) =>
    new ClientError.InvalidArgument({
      argument: first.path.length === 0 ? "options" : String(first.path[0]),
      reason: first.message
    })
)

/**
 * Decodes options once, failing with `InvalidArgument`: the option the
 * first issue is about (`options` for the whole input) and its rule's
 * message. A config decoded already is taken as it is.
 *
 * @internal
 */
export const decode = (options: unknown): Effect.Effect<Config, ClientError.InvalidArgument> =>
  options instanceof Config ? Effect.succeed(options) : decodeOptions(options)

/**
 * THE retry policy of decoded options (every knob was judged by
 * `RetryPolicy.make` while decoding, so this cannot fail).
 *
 * @internal
 */
export const retryPolicy = (config: Config): Effect.Effect<Policy.RetryPolicy, ClientError.InvalidArgument> =>
  Either.mapLeft(Policy.make(config), (e) => new ClientError.InvalidArgument({ argument: e.option, reason: e.reason }))
