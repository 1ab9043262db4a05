/**
 * The HAR reader's options as ONE Schema (`ContractHar.Config`): `read` and
 * `run` decode them once, and the CLI decodes its flags and arguments into
 * the same Schema, so each rule and its message are the ones of
 * `ConfigRules` of `@postpress/schema`, whoever passes the value.
 *
 * @since 0.1.0
 */
import { ConfigRules } from "@postpress/schema"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { decodeWith, type InvalidConfig } from "../../invalidConfig.js"
import { trafficJudging } from "../../judge/options.js"
import { Invocation } from "../../report/model.js"

/**
 * How entries are judged (everything but the files and the report paths):
 * what `judgeDocuments` takes.
 *
 * @since 0.1.0
 * @category config
 */
export const Judging = ConfigRules.Struct({
  baseUrl: Schema.optional(ConfigRules.BaseUrlInput).annotations({
    description: "Entries under it (same origin, path under its path) are judged (default: any `.../v1/accounts/{id}`)."
  }),
  ...trafficJudging,
  invocation: Schema.optional(Invocation).annotations({
    description: "How the run was started (the CLI passes its tool, version and argv), shown by the reports."
  })
}).annotations({ identifier: "ContractHar.Judging" })

const HarFiles = ConfigRules.rule({
  identifier: "HarFiles",
  is: (input): input is ReadonlyArray<string> =>
    Array.isArray(input) && input.length > 0 && input.every((file) => typeof file === "string" && file !== ""),
  expected: "at least one HAR file path"
})

/**
 * The HAR reader's options, decoded: the files, how to judge them, and the
 * reports to write. A class, so that a decoded config is told from options
 * by `instanceof`: `read` and `run` take either, and decode options only.
 *
 * @since 0.1.0
 * @category config
 */
export class Config extends Schema.Class<Config>("ContractHar.Config")(
  ConfigRules.Struct({
    files: HarFiles.annotations({ description: "The HAR 1.2 files, judged into one report." }),
    ...Judging.fields,
    json: Schema.optional(ConfigRules.FilePath).annotations({ description: "Write the JSON report here." }),
    junit: Schema.optional(ConfigRules.FilePath).annotations({ description: "Write the JUnit XML report here." }),
    html: Schema.optional(ConfigRules.FilePath).annotations({ description: "Write the HTML report here." })
  })
) {}

/**
 * The options as callers write them (`files` required, the rest optional).
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

/**
 * @since 0.1.0
 * @category config
 */
export type Judging = typeof Judging.Type

/**
 * @since 0.1.0
 * @category config
 */
export type JudgingOptions = typeof Judging.Encoded
