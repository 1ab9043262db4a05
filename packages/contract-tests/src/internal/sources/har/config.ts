/**
 * The HAR reader's options as ONE Schema (`ContractHar.Config`): `read` and
 * `run` decode them once, and the CLI decodes its flags and arguments into
 * the same Schema, so each rule and its message are the ones of
 * `configRules` and `BaseUrl`, whoever passes the value.
 *
 * @since 0.1.0
 */
import { BaseUrl, BodyLimit } from "@postpress/schema"
import * as Schema from "effect/Schema"
import { ApiKey, ByteSize, FilePath, Flag } from "../../configRules.js"
import { Invocation } from "../../report/model.js"

/**
 * How entries are judged (everything but the files and the report paths):
 * what `judgeDocuments` takes.
 *
 * @since 0.1.0
 * @category config
 */
export const Judging = Schema.Struct({
  baseUrl: Schema.optional(BaseUrl.BaseUrl).annotations({
    description: "Entries under it (same origin, path under its path) are judged (default: any `.../v1/accounts/{id}`)."
  }),
  strict: Schema.optionalWith(Flag, { default: () => false }).annotations({
    description: "Reject unknown fields (default: accept them and report them as drift)."
  }),
  failOnDrift: Schema.optionalWith(Flag, { default: () => false }).annotations({
    description: "Unknown fields fail the verdict."
  }),
  apiKey: Schema.optional(ApiKey).annotations({
    description: "A key to look for in responses and to mask, besides every key the entries carry."
  }),
  maxBodyBytes: Schema.optionalWith(ByteSize, { default: () => BodyLimit.defaultMaxBytes }).annotations({
    description: "Bodies over this are not judged (default 16 MiB; `16MiB` as text too)."
  }),
  invocation: Schema.optional(Invocation).annotations({
    description: "How the run was started (the CLI passes its tool, version and argv), shown by the reports."
  })
}).annotations({ identifier: "ContractHar.Judging" })

/**
 * The HAR reader's options, decoded: the files, how to judge them, and the
 * reports to write.
 *
 * @since 0.1.0
 * @category config
 */
export const Config = Schema.Struct({
  files: Schema.Array(FilePath)
    .pipe(Schema.minItems(1, { message: () => "expected at least one HAR file" }))
    .annotations({ description: "The HAR 1.2 files, judged into one report." }),
  ...Judging.fields,
  json: Schema.optional(FilePath).annotations({ description: "Write the JSON report here." }),
  junit: Schema.optional(FilePath).annotations({ description: "Write the JUnit XML report here." }),
  html: Schema.optional(FilePath).annotations({ description: "Write the HTML report here." })
}).annotations({ identifier: "ContractHar.Config" })

/**
 * @since 0.1.0
 * @category config
 */
export type Config = typeof Config.Type

/**
 * The options as callers write them (`files` required, the rest optional).
 *
 * @since 0.1.0
 * @category config
 */
export type Options = typeof Config.Encoded

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
