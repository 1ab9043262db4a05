/**
 * The mock's options as ONE Schema, decoded once by every entry point
 * (`MockServer.make`, `layer`, `layerConfig`, `startMockServer`, and the
 * CLI's `postpress mock`, which decodes its flags into it): a rule and its
 * message are written here only. Encoded it is what callers write
 * ({@link Options}); decoded ({@link Config}) it carries the defaults and a
 * `Duration` for the latency.
 *
 * Each rule's message says what the value must be and what it was, without
 * the option's name (`must be 0–65535, got 70000`): the library puts the
 * option's name before it, the CLI the flag's.
 *
 * @since 0.1.0
 */
import { ErrorCatalogue } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { MockInvalidOptions, type OptionIssue } from "./errors.js"
import type { Tamper } from "./server.js"

/** How a refused value is shown in a message: numbers as typed, anything else as JSON (or its type). */
const show = (u: unknown): string => {
  if (typeof u === "number") return String(u)
  if (typeof u === "function") return "a function"
  if (u === undefined) return "undefined"
  try {
    return JSON.stringify(u) ?? typeof u
  } catch {
    return typeof u
  }
}

/**
 * A value checked by one guard, refused with one message whatever is wrong
 * with it (its type included): `${rule}, got ${value}`.
 */
const rule = <A>(identifier: string, is: (u: unknown) => u is A, must: string, jsonSchema: object = {}) =>
  Schema.declare(is, {
    identifier,
    jsonSchema,
    message: (issue) => ({ message: `${must}, got ${show(issue.actual)}`, override: true })
  })

const integerIn =
  (min: number, max: number) =>
  (u: unknown): u is number =>
    typeof u === "number" && Number.isInteger(u) && u >= min && u <= max

const Port = rule("Port", integerIn(0, 65535), "must be 0–65535", { type: "integer", minimum: 0, maximum: 65535 })

const Seed = rule("Seed", (u): u is number => Number.isSafeInteger(u), "must be a whole number", { type: "integer" })

const Workspaces = rule("Workspaces", integerIn(2, 8), "must be 2–8", { type: "integer", minimum: 2, maximum: 8 })

const Probability = rule("Probability", (u): u is number => typeof u === "number" && u >= 0 && u <= 1, "must be 0–1", {
  type: "number",
  minimum: 0,
  maximum: 1
})

const isStatusList = (u: unknown): u is ReadonlyArray<ErrorCatalogue.ErrorStatus> =>
  Array.isArray(u) && u.every((s) => typeof s === "number" && ErrorCatalogue.isErrorStatus(s))

const FaultStatuses = rule(
  "FaultStatuses",
  isStatusList,
  `must be documented error statuses (${ErrorCatalogue.errorStatuses.join(", ")})`,
  { type: "array", items: { enum: ErrorCatalogue.errorStatuses } }
)

const Seconds = rule("Seconds", integerIn(0, Number.MAX_SAFE_INTEGER), "must be a whole number of seconds ≥ 0", {
  type: "integer",
  minimum: 0
})

const Flag = rule("Flag", (u): u is boolean => typeof u === "boolean", "must be true or false", { type: "boolean" })

const FilePath = rule("FilePath", (u): u is string => typeof u === "string" && u !== "", "must be a file path", {
  type: "string",
  minLength: 1
})

const TamperHook = rule("Tamper", (u): u is Tamper => typeof u === "function", "must be a function")

const mustBeDuration = 'must be a finite duration, e.g. "50 millis" or 50 (milliseconds)'

/** Any `Duration.DurationInput` in, a finite `Duration` out (encoded back as the `Duration` itself). */
const Latency = Schema.declare<Duration.Duration, Duration.DurationInput, readonly []>(
  [],
  {
    decode: () => (input, _, ast) =>
      Option.match(Option.filter(Duration.decodeUnknown(input), Duration.isFinite), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, input, `${mustBeDuration}, got ${show(input)}`)),
        onSome: ParseResult.succeed
      }),
    encode: () => (duration) => ParseResult.succeed(duration as Duration.Duration)
  },
  { identifier: "Latency", jsonSchema: { type: "number", minimum: 0 } }
)

/**
 * The mock's options, decoded: defaults applied, every value checked.
 *
 * @internal
 */
export const Config = Schema.Struct({
  port: Schema.optionalWith(Port, { default: () => 0 }).annotations({
    description: "Port on 127.0.0.1; 0 (the default) picks a free one."
  }),
  seed: Schema.optionalWith(Seed, { default: () => 42 }).annotations({
    description: "Fixtures (workspaces, keys, accounts) and random faults derive from it; default 42."
  }),
  workspaces: Schema.optionalWith(Workspaces, { default: () => 2 }).annotations({
    description: "Number of workspaces, 2–8 (default 2)."
  }),
  faultRate: Schema.optionalWith(Probability, { default: () => 0 }).annotations({
    description: "Probability (0–1) that an API request gets a random fault; default 0."
  }),
  faults: Schema.optionalWith(FaultStatuses, { default: () => [503, 504] }).annotations({
    description: "Statuses random faults draw from; default [503, 504]."
  }),
  latency: Schema.optionalWith(Latency, { default: () => Duration.zero }).annotations({
    description: 'Added before every API answer: any Duration input, e.g. "50 millis" or 50 (milliseconds).'
  }),
  retryAfter: Schema.optional(Seconds).annotations({
    description: "Seconds for a Retry-After header on fault responses."
  }),
  tamper: Schema.optional(TamperHook).annotations({
    description: "Rewrites responses after the mock computed them (deliberately broken servers)."
  }),
  coverage: Schema.optionalWith(Flag, { default: () => false }).annotations({
    description: "Count what is served, per workspace key (default off)."
  }),
  coverageFile: Schema.optional(FilePath).annotations({
    description:
      "Write the coverage report to this file when the mock stops; implies coverage. Its directory must exist and be writable when the mock starts."
  })
}).annotations({ identifier: "MockServer.Config" })

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
 * Whether the mock counts what it serves.
 *
 * @internal
 */
export const records = (config: Config): boolean => config.coverage || config.coverageFile !== undefined

const decodeConfig = Schema.decodeUnknown(Config, { errors: "all" })

/**
 * A decoding failure as `MockInvalidOptions`: one issue per refused option,
 * the first the Schema gives for it (an optional option is its rule or
 * `undefined`: the rule's message is the one that says something).
 *
 * @internal
 */
export const invalidOptions = (error: ParseResult.ParseError): MockInvalidOptions => {
  const byOption = new Map<string, OptionIssue>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)))
    const message = path.length === 0 ? "must be an object of options" : issue.message
    const key = JSON.stringify(path)
    if (!byOption.has(key)) byOption.set(key, { path, message })
  }
  const [first = { path: [], message: "must be an object of options" }, ...rest] = byOption.values()
  return new MockInvalidOptions({ issues: [first, ...rest] })
}

/**
 * Decodes options once, failing with `MockInvalidOptions`.
 *
 * @internal
 */
export const decode = (options: unknown): Effect.Effect<Config, MockInvalidOptions> =>
  Effect.mapError(decodeConfig(options), invalidOptions)
