/**
 * The validating proxy's options as ONE Schema (`ContractProxy.Config`):
 * `make`, `events` and `run` decode them once, and the CLI decodes its flags
 * into the same Schema, so each rule and its message are the ones of
 * `ConfigRules` of `@postpress/schema` (the target, counts, durations,
 * sizes, the key: the suite's, the client's and the mock's rules too),
 * whoever passes the value.
 *
 * @since 0.1.0
 */
import { BodyLimit, ConfigRules } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { decodeWith, type InvalidConfig } from "../../invalidConfig.js"
import { trafficJudging } from "../../judge/options.js"
import { Invocation } from "../../report/model.js"

/**
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  host: "127.0.0.1",
  port: 0,
  maxConcurrent: 64,
  maxBodyBytes: BodyLimit.defaultMaxBytes,
  upstreamTimeout: Duration.seconds(30),
  drain: Duration.seconds(10)
} as const

/**
 * The proxy's options, decoded: defaults applied, every value checked. A
 * class, so that a decoded config is told from options by `instanceof`:
 * `make` and `run` take either, and decode options only.
 *
 * @since 0.1.0
 * @category config
 */
export class Config extends Schema.Class<Config>("ContractProxy.Config")(
  ConfigRules.Struct({
    target: ConfigRules.BaseUrlInput.annotations({
      description:
        "Where requests go, with its base path (`https://staging.example.com/api`); no query, fragment or credentials."
    }),
    host: Schema.optionalWith(ConfigRules.Host, { default: () => defaults.host }).annotations({
      description: "Address to listen on (default `127.0.0.1`)."
    }),
    port: Schema.optionalWith(ConfigRules.Port, { default: () => defaults.port }).annotations({
      description: "Port to listen on (default `0`: a free one)."
    }),
    // The judge's knobs, shared with the HAR reader (named one by one: the order is the order issues are named in).
    strict: trafficJudging.strict,
    failOnDrift: trafficJudging.failOnDrift,
    unknownTypes: trafficJudging.unknownTypes,
    apiKey: trafficJudging.apiKey,
    maxRequests: Schema.optional(ConfigRules.Integer({ minimum: 1 })).annotations({
      description: "Stop after this many exchanges judged or failed to reach the target."
    }),
    har: Schema.optional(ConfigRules.FilePath).annotations({
      description:
        "Write every exchange as HAR 1.2, every key masked, bodies decoded as HAR 1.2 says (`Content-Encoding` kept)."
    }),
    maxConcurrent: Schema.optionalWith(ConfigRules.Integer({ minimum: 1 }), {
      default: () => defaults.maxConcurrent
    }).annotations({
      description: "Exchanges in flight at most (default 64); more wait their turn (and their wait counts in latency)."
    }),
    maxBodyBytes: trafficJudging.maxBodyBytes.annotations({
      description: "Larger bodies are streamed but not kept, hence not judged (default 16 MiB; `16MiB` as text too)."
    }),
    upstreamTimeout: Schema.optionalWith(ConfigRules.Duration({ infinity: true }), {
      default: () => defaults.upstreamTimeout
    }).annotations({
      description:
        "How long the target may stay silent before the client gets a 504 (default 30 seconds; `Duration.infinity`: no bound)."
    }),
    drain: Schema.optionalWith(ConfigRules.Duration({ zero: true, infinity: true }), {
      default: () => defaults.drain
    }).annotations({
      description: "How long in-flight exchanges may take to finish once stopping (default 10 seconds)."
    }),
    json: Schema.optional(ConfigRules.FilePath).annotations({
      description: "Write the JSON report here when the session ends."
    }),
    junit: Schema.optional(ConfigRules.FilePath).annotations({ description: "Write the JUnit XML report here." }),
    html: Schema.optional(ConfigRules.FilePath).annotations({ description: "Write the HTML report here." }),
    invocation: Schema.optional(Invocation).annotations({
      description: "How the session was started (the CLI passes its tool, version and argv), shown by the reports."
    })
  })
) {}

/**
 * The options as callers write them: `target` is required, the rest has a
 * default; durations are any `Duration.DurationInput`, `maxBodyBytes` a
 * number of bytes or a size as text (`16MiB`).
 *
 * @since 0.1.0
 * @category config
 */
export type Options = typeof Config.Encoded

const decodeOptions = decodeWith(Config)

/**
 * Decodes options once, failing with `InvalidConfig`; a config decoded
 * already is taken as it is.
 *
 * @internal
 */
export const decode = (options: Options | Config): Effect.Effect<Config, InvalidConfig> =>
  options instanceof Config ? Effect.succeed(options) : decodeOptions(options)
