/**
 * What to check and how, as ONE Schema: `Contract.Config`. Every entry
 * (`Contract.run`, `Contract.events`, the mock run, `describeContract`, the
 * CLI's flags) decodes into it once, so each rule and its message are
 * written once: `ConfigRules` of `@postpress/schema` (the base URL, the
 * key, counts, durations, sizes, flags: the client's, the proxy's, the HAR
 * reader's and the mock's rules too), check selectors the catalogue's
 * (`judge/checks.ts`), account ids the request's. A decode failure is
 * `InvalidConfig` naming each field.
 *
 * @since 0.1.0
 */
import { BodyLimit, ConfigRules } from "@postpress/schema"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { decodeWith, InvalidConfig } from "../../invalidConfig.js"
import { CheckSelectors, nothingSelectedMessage, selectsSomething } from "../../judge/checks.js"
import { Invocation } from "../../report/model.js"
import { isSendable } from "./request.js"

/** Account ids: any characters the request can carry, each asked for once. */
const AccountIds = ConfigRules.rule({
  identifier: "AccountIds",
  is: (input): input is ReadonlyArray<string> => Array.isArray(input) && input.every((id) => typeof id === "string"),
  expected: "a list of account ids"
}).pipe(
  Schema.filter((ids) => {
    const unsendable = ids.filter((id) => !isSendable(id))
    return unsendable.length === 0 || `expected non-empty well-formed account ids, got ${ConfigRules.shown(unsendable)}`
  }),
  Schema.transform(Schema.Array(Schema.String), {
    strict: true,
    decode: (ids) => [...new Set(ids)],
    encode: (ids) => ids
  })
)

/**
 * The fields of {@link Config}, for schemas that take some of them (the
 * mock run takes all but `baseUrl` and `apiKey`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const fields = {
  baseUrl: ConfigRules.BaseUrlInput.annotations({
    description:
      "The base URL to which `/v1/accounts/{id}` is appended: THE `BaseUrl` rule (http(s), no query, fragment or credentials)."
  }),
  apiKey: ConfigRules.ApiKey.annotations({
    description: "The key sent as `X-API-KEY`: a `Redacted` (e.g. `Config.redacted`) or a string."
  }),
  accountIds: Schema.optionalWith(AccountIds, { default: () => [] }).annotations({
    description: "Ids of accounts the key can read (any characters)."
  }),
  foreignAccountIds: Schema.optionalWith(AccountIds, { default: () => [] }).annotations({
    description: "Ids that exist in ANOTHER workspace."
  }),
  seed: Schema.optional(ConfigRules.Integer()).annotations({
    description: "Seed of every generated input; random (and reported) when absent."
  }),
  runs: Schema.optionalWith(ConfigRules.Integer({ minimum: 0 }), { default: () => 50 }).annotations({
    description: "Hostile ids to send (default 50)."
  }),
  checks: Schema.optional(CheckSelectors).annotations({
    description: "Only these checks or groups (`spec`, `security`; default: all)."
  }),
  excludeChecks: Schema.optional(CheckSelectors).annotations({ description: "Skip these checks or groups." }),
  strict: Schema.optionalWith(ConfigRules.Flag, { default: () => false }).annotations({
    description: "Report unknown extra fields (default false: they are allowed)."
  }),
  unknownTypes: Schema.optionalWith(ConfigRules.UnknownTypes, { default: () => "fail" as const }).annotations({
    description:
      "An account type none of the 14: a `response_schema` violation (`fail`, the default: the spec has 14), or drift, named (`keep`), failing only with `failOnDrift`."
  }),
  requireVariants: Schema.optionalWith(ConfigRules.Flag, { default: () => false }).annotations({
    description: "Fail `variant_coverage` unless all 14 account types were seen."
  }),
  timeout: Schema.optionalWith(ConfigRules.Duration(), { default: () => Duration.seconds(10) }).annotations({
    description: "Per-request (per-attempt) time limit (default 10 seconds)."
  }),
  concurrency: Schema.optionalWith(ConfigRules.Integer({ minimum: 1 }), { default: () => 8 }).annotations({
    description: "Requests in flight (default 8)."
  }),
  maxAttempts: Schema.optionalWith(ConfigRules.Integer({ minimum: 1 }), { default: () => 3 }).annotations({
    description:
      "Attempts per request when THE retry policy (`RetryPolicy`) says to try again: 503/504/429, no answer (default 3). A request still without an answer from the API after them is not judged, with its reason."
  }),
  rateLimit: Schema.optional(ConfigRules.Integer({ minimum: 1 })).annotations({
    description:
      "Requests per second over the whole run (every check, retries included): never more than this many in any one-second window. Default: no limit."
  }),
  maxResponseTime: Schema.optional(ConfigRules.Duration()).annotations({
    description: "Answers slower than this are `response_time` violations (default: not checked)."
  }),
  failOnDrift: Schema.optionalWith(ConfigRules.Flag, { default: () => false }).annotations({
    description: "Fields outside the spec (drift) fail the run, each named (default false: recorded only)."
  }),
  maxBodyBytes: Schema.optionalWith(ConfigRules.ByteSize, { default: () => BodyLimit.defaultMaxBytes }).annotations({
    description:
      "Bodies over this many bytes (a number, or a size as text: `16MiB`) are not judged (`body over the 16 MiB limit (N bytes)`), never a violation; memory stays bounded by it. Default `BodyLimit.defaultMaxBytes` (16 MiB)."
  }),
  invocation: Schema.optional(Invocation).annotations({
    description: "How the run was started, copied into the report (never holds the key)."
  })
}

/**
 * A selection must leave a check to run: THE rule of the catalogue, over
 * `checks` and `excludeChecks` together.
 *
 * @since 0.1.0
 * @category schemas
 */
export const selectsACheck = (config: {
  readonly checks?: ReadonlyArray<string> | undefined
  readonly excludeChecks?: ReadonlyArray<string> | undefined
}): true | string => selectsSomething(config.checks, config.excludeChecks) || nothingSelectedMessage

/**
 * The suite's configuration: what callers write ({@link ContractConfig},
 * the Schema's encoded side) decoded to what the run reads (defaults
 * applied, every value checked, the key `Redacted`, the base URL in its
 * normal form). A class, so that a decoded config is told from options by
 * `instanceof`: every entry point takes either and decodes options only.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Config extends Schema.Class<Config>("Contract.Config")(
  ConfigRules.Struct(fields).pipe(Schema.filter(selectsACheck))
) {}

/**
 * What to check and how, as callers write it (every field but `baseUrl`
 * and `apiKey` optional; see {@link Config} for each field's rule).
 *
 * @since 0.1.0
 * @category models
 */
export interface ContractConfig extends Schema.Schema.Encoded<typeof Config> {}

const decodeOptions = decodeWith(Config)

/**
 * Decodes options once, failing with {@link InvalidConfig} before anything
 * is sent; a config decoded already is taken as it is.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (input: ContractConfig | Config): Effect.Effect<Config, InvalidConfig> =>
  input instanceof Config ? Effect.succeed(input) : decodeOptions(input)

/**
 * A config from values decoded already (a mock run's, with the mock's
 * target and key): only the rules over decoded values (the check
 * selection) are checked, nothing is decoded again; a refusal is
 * {@link InvalidConfig}, as from {@link decode}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDecoded = (values: ConstructorParameters<typeof Config>[0]): Effect.Effect<Config, InvalidConfig> =>
  Effect.try({
    try: () => new Config(values),
    catch: (error) => new InvalidConfig({ issues: ConfigRules.issues(error as ParseResult.ParseError) })
  })
