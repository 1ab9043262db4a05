/**
 * The mock's options as ONE Schema, decoded once by every entry point
 * (`MockServer.make`, `layer`, `layerConfig`, `startMockServer`, and the
 * CLI's `postpress mock`, which decodes its flags into it): a rule and its
 * message are written here only. Encoded it is what callers write
 * ({@link Options}); decoded ({@link Config}) it carries the defaults and a
 * `Duration` for the latency.
 *
 * The rules are `ConfigRules` of `@postpress/schema` (the client's and the
 * contract tests' too), each message `expected X, got Y` without the
 * option's name: `MockInvalidOptions` puts the option's name before it
 * (`port: expected a port, …, got 70000`), the CLI the flag's.
 *
 * @since 0.1.0
 */
import { ConfigRules, ErrorCatalogue } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { MockInvalidOptions } from "./errors.js"
import type { Tamper } from "./server.js"

const Workspaces = ConfigRules.Integer({ minimum: 2, maximum: 8 })

const Probability = ConfigRules.rule({
  identifier: "Probability",
  is: (input): input is number => typeof input === "number" && input >= 0 && input <= 1,
  expected: "a probability from 0 to 1",
  jsonSchema: { type: "number", minimum: 0, maximum: 1 }
})

const FaultStatuses = ConfigRules.rule({
  identifier: "FaultStatuses",
  is: (input): input is ReadonlyArray<ErrorCatalogue.ErrorStatus> =>
    Array.isArray(input) && input.every((s) => typeof s === "number" && ErrorCatalogue.isErrorStatus(s)),
  expected: `documented error statuses (${ErrorCatalogue.errorStatuses.join(", ")})`,
  jsonSchema: { type: "array", items: { enum: ErrorCatalogue.errorStatuses } }
})

const TamperHook = ConfigRules.rule({
  identifier: "Tamper",
  is: (input): input is Tamper => typeof input === "function",
  expected: "a function"
})

/**
 * The mock's options, decoded: defaults applied, every value checked. A
 * class, so that a decoded config is told from options by `instanceof`:
 * `MockServer.make` takes either, and decodes options only.
 *
 * @internal
 */
export class Config extends Schema.Class<Config>("MockServer.Config")(
  ConfigRules.Struct({
    port: Schema.optionalWith(ConfigRules.Port, { default: () => 0 }).annotations({
      description: "Port on 127.0.0.1; 0 (the default) picks a free one."
    }),
    seed: Schema.optionalWith(ConfigRules.Integer(), { default: () => 42 }).annotations({
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
    latency: Schema.optionalWith(ConfigRules.Duration({ zero: true }), { default: () => Duration.zero }).annotations({
      description: 'Added before every API answer: any Duration input, e.g. "50 millis" or 50 (milliseconds).'
    }),
    retryAfter: Schema.optional(ConfigRules.Integer({ minimum: 0 })).annotations({
      description: "Seconds for a Retry-After header on fault responses."
    }),
    tamper: Schema.optional(TamperHook).annotations({
      description: "Rewrites responses after the mock computed them (deliberately broken servers)."
    }),
    coverage: Schema.optionalWith(ConfigRules.Flag, { default: () => false }).annotations({
      description: "Count what is served, per workspace key (default off)."
    }),
    coverageFile: Schema.optional(ConfigRules.FilePath).annotations({
      description:
        "Write the coverage report to this file when the mock stops; implies coverage. Its directory must exist and be writable when the mock starts."
    })
  })
) {}

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

const decodeOptions = ConfigRules.decode(Config, (issues) => new MockInvalidOptions({ issues }))

/**
 * Decodes options once (every refused option at once), failing with
 * `MockInvalidOptions`; a config decoded already is taken as it is.
 *
 * @internal
 */
export const decode = (options: Options | Config): Effect.Effect<Config, MockInvalidOptions> =>
  options instanceof Config ? Effect.succeed(options) : decodeOptions(options)
