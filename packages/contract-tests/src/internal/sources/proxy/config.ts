/**
 * The validating proxy's options as ONE Schema (`ContractProxy.Config`):
 * `make`, `events` and `run` decode them once, and the CLI decodes its flags
 * into the same Schema, so each rule and its message are the ones of
 * `configRules` (counts, durations, sizes, the key) and `BaseUrl` (the
 * target), whoever passes the value.
 *
 * @since 0.1.0
 */
import { BaseUrl, BodyLimit } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"
import { ApiKey, ByteSize, Count, DurationFrom, FilePath, Flag, Host, Port } from "../../configRules.js"
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
 * The proxy's options, decoded: defaults applied, every value checked.
 *
 * @since 0.1.0
 * @category config
 */
export const Config = Schema.Struct({
  target: BaseUrl.BaseUrl.annotations({
    description:
      "Where requests go, with its base path (`https://staging.example.com/api`); no query, fragment or credentials."
  }),
  host: Schema.optionalWith(Host, { default: () => defaults.host }).annotations({
    description: "Address to listen on (default `127.0.0.1`)."
  }),
  port: Schema.optionalWith(Port, { default: () => defaults.port }).annotations({
    description: "Port to listen on (default `0`: a free one)."
  }),
  strict: Schema.optionalWith(Flag, { default: () => false }).annotations({
    description: "Reject unknown fields (default: accept them and report them as drift)."
  }),
  failOnDrift: Schema.optionalWith(Flag, { default: () => false }).annotations({
    description: "Unknown fields fail the verdict."
  }),
  apiKey: Schema.optional(ApiKey).annotations({
    description: "A key to look for in responses and to mask, besides every key seen in traffic."
  }),
  maxRequests: Schema.optional(Count(1)).annotations({
    description: "Stop after this many exchanges judged or failed to reach the target."
  }),
  har: Schema.optional(FilePath).annotations({
    description:
      "Write every exchange as HAR 1.2, every key masked, bodies decoded as HAR 1.2 says (`Content-Encoding` kept)."
  }),
  maxConcurrent: Schema.optionalWith(Count(1), { default: () => defaults.maxConcurrent }).annotations({
    description: "Exchanges in flight at most (default 64); more wait their turn (and their wait counts in latency)."
  }),
  maxBodyBytes: Schema.optionalWith(ByteSize, { default: () => defaults.maxBodyBytes }).annotations({
    description: "Larger bodies are streamed but not kept, hence not judged (default 16 MiB; `16MiB` as text too)."
  }),
  upstreamTimeout: Schema.optionalWith(DurationFrom({ positive: true }), {
    default: () => defaults.upstreamTimeout
  }).annotations({
    description:
      "How long the target may stay silent before the client gets a 504 (default 30 seconds; `Duration.infinity`: no bound)."
  }),
  drain: Schema.optionalWith(DurationFrom({ positive: false }), { default: () => defaults.drain }).annotations({
    description: "How long in-flight exchanges may take to finish once stopping (default 10 seconds)."
  }),
  json: Schema.optional(FilePath).annotations({ description: "Write the JSON report here when the session ends." }),
  junit: Schema.optional(FilePath).annotations({ description: "Write the JUnit XML report here." }),
  html: Schema.optional(FilePath).annotations({ description: "Write the HTML report here." }),
  invocation: Schema.optional(Invocation).annotations({
    description: "How the session was started (the CLI passes its tool, version and argv), shown by the reports."
  })
}).annotations({ identifier: "ContractProxy.Config" })

/**
 * The decoded options.
 *
 * @since 0.1.0
 * @category config
 */
export type Config = typeof Config.Type

/**
 * The options as callers write them: `target` is required, the rest has a
 * default; durations are any `Duration.DurationInput`, `maxBodyBytes` a
 * number of bytes or a size as text (`16MiB`).
 *
 * @since 0.1.0
 * @category config
 */
export type Options = typeof Config.Encoded
