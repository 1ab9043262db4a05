/**
 * HAR documents into one traffic report: parse (a HAR 1.2 Schema), judge
 * every entry under the base URL with the one judge, tally. The `ContractHar`
 * face documents it and adds `run`, which also writes the reports.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { BodyLimit, DecodeIssue } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Secrets from "../../judge/secrets.js"
import type { Invocation } from "../../report/model.js"
import { makeTrafficTally } from "../../report/tally.js"
import type { TrafficReport } from "../../report/trafficModel.js"
import { Har, judgeEntry } from "./read.js"

/**
 * A file that cannot be read or is not a HAR.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractHarError extends Schema.TaggedError<ContractHarError>()("ContractHarError", {
  reason: Schema.Literal("Unreadable", "NotHar"),
  file: Schema.String,
  message: Schema.String
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface HarOptions {
  /** Entries under it (same origin, path under its path) are judged (default: any `.../v1/accounts/{id}`). */
  readonly baseUrl?: string | undefined
  /** Reject unknown fields (default: accept them and report them as drift). */
  readonly strict?: boolean | undefined
  /** Unknown fields fail the verdict. */
  readonly failOnDrift?: boolean | undefined
  /** A key to look for in responses and to mask, besides every key the entries carry. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Bodies over this are not judged (default 16 MiB). */
  readonly maxBodyBytes?: number | undefined
  /** How the run was started (the CLI passes its tool, version and argv), shown by the reports. */
  readonly invocation?: Invocation | undefined
}

/** The system's code (`ENOENT`, `EACCES`) when there is one: what people search for. */
const codeOf = (error: { readonly message: string; readonly cause?: unknown }): string => {
  const code = (error.cause as { readonly code?: unknown } | undefined)?.code
  return typeof code === "string" ? code : error.message
}

const decodeHar = Schema.decodeUnknownEither(Har, { errors: "all" })

/**
 * Parses one HAR document's text.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (file: string, text: string): Either.Either<typeof Har.Type, ContractHarError> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left(
      new ContractHarError({
        reason: "NotHar",
        file,
        message: `${file}: not a HAR file (not JSON: ${error instanceof Error ? error.message : String(error)})`
      })
    )
  }
  const decoded = decodeHar(json)
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  const issues = DecodeIssue.fromParseError(decoded.left)
  // One short line (≤ 200 characters): the schema's type of a whole object is hundreds of characters long.
  const expected = (type: string) =>
    type.startsWith("{")
      ? "an object"
      : type.startsWith("ReadonlyArray<")
        ? "an array"
        : type.length > 60
          ? `${type.slice(0, 57)}...`
          : type
  const first =
    issues[0] === undefined
      ? ""
      : ` (${DecodeIssue.formatPath(issues[0].path)}: expected ${expected(issues[0].expected)}, got ${issues[0].actual.slice(0, 40)}${issues.length > 1 ? `, and ${issues.length - 1} more` : ""})`
  return Either.left(new ContractHarError({ reason: "NotHar", file, message: `${file}: not a HAR 1.2 file${first}` }))
}

/**
 * Judges HAR documents already in memory (`{ file, text }`; `file` names
 * them in errors), all into one report.
 *
 * @since 0.1.0
 * @category judging
 */
export const judgeDocuments = (
  documents: ReadonlyArray<{ readonly file: string; readonly text: string }>,
  options: HarOptions = {}
): Effect.Effect<TrafficReport, ContractHarError> =>
  Effect.gen(function* () {
    const began = yield* Clock.currentTimeMillis
    const hars = []
    for (const doc of documents) hars.push(yield* parse(doc.file, doc.text))
    const secrets = Secrets.make(options.apiKey === undefined ? undefined : Redacted.value(options.apiKey))
    const maxBodyBytes = options.maxBodyBytes ?? BodyLimit.defaultMaxBytes
    const tally = makeTrafficTally({
      baseUrl: options.baseUrl ?? documents.map((d) => d.file).join(", "),
      strict: options.strict === true,
      failOnDrift: options.failOnDrift,
      startedAt: new Date(began).toISOString(),
      source: "har",
      secrets,
      maxBodyBytes,
      invocation: options.invocation
    })
    const judgeOptions = { baseUrl: options.baseUrl, strict: options.strict === true, maxBodyBytes }
    for (const har of hars) {
      for (const entry of har.log.entries) yield* judgeEntry(entry, tally, secrets, judgeOptions)
    }
    return tally.finish((yield* Clock.currentTimeMillis) - began)
  })

/**
 * Reads and judges HAR files, all into one report.
 *
 * @since 0.1.0
 * @category judging
 */
export const read = (
  files: ReadonlyArray<string>,
  options: HarOptions = {}
): Effect.Effect<TrafficReport, ContractHarError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    return yield* Effect.forEach(files, (file) =>
      fs.readFileString(file).pipe(
        Effect.mapError(
          (error) =>
            new ContractHarError({
              reason: "Unreadable",
              file,
              message: `${file}: cannot read (${codeOf(error)})`
            })
        ),
        Effect.map((text) => ({ file, text }))
      )
    )
  }).pipe(Effect.flatMap((documents) => judgeDocuments(documents, options)))
