/**
 * HAR documents into one traffic report: parse (`Schema.parseJson` of a
 * HAR 1.2 Schema), judge every entry under the base URL with the one judge,
 * tally. The `ContractHar` face decodes the options and adds `run`, which
 * also writes the reports.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { DecodeIssue } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Secrets from "../../judge/secrets.js"
import { makeTrafficTally } from "../../report/tally.js"
import type { TrafficReport } from "../../report/trafficModel.js"
import type { Config, Judging } from "./config.js"
import { HarUnreadable, NotAHar } from "./errors.js"
import { Har, judgeEntry } from "./read.js"

const decodeHar = Schema.decodeUnknownEither(Schema.parseJson(Har), { errors: "all" })

/** Found values are shown this long at most: the message is one line of a couple of hundred characters. */
const ACTUAL_CHARS = 40

/** Why a document is not a HAR: its text is not JSON (the first half of `parseJson`), or its JSON is not HAR 1.2. */
const notAHar = (path: string, error: ParseResult.ParseError): NotAHar => {
  const { issue } = error
  if (issue._tag === "Transformation" && issue.kind === "Encoded") {
    const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
    return new NotAHar({ path, notJson: first?.message ?? "unreadable JSON" })
  }
  const inner = issue._tag === "Transformation" ? ParseResult.parseError(issue.issue) : error
  const [first, ...rest] = DecodeIssue.fromParseError(inner)
  return new NotAHar({
    path,
    issue:
      first === undefined
        ? undefined
        : {
            at: DecodeIssue.formatPath(first.path),
            expected: first.expected,
            actual: first.actual.slice(0, ACTUAL_CHARS),
            more: rest.length
          }
  })
}

/**
 * Parses one HAR document's text (`path` names it in errors).
 *
 * @internal
 */
export const parse = (path: string, text: string): Either.Either<typeof Har.Type, NotAHar> =>
  Either.mapLeft(decodeHar(text), (error) => notAHar(path, error))

/**
 * Judges HAR documents already in memory (`{ file, text }`; `file` names
 * them in errors), all into one report, with decoded options.
 *
 * @internal
 */
export const judgeDocuments = (
  documents: ReadonlyArray<{ readonly file: string; readonly text: string }>,
  options: Judging
): Effect.Effect<TrafficReport, NotAHar> =>
  Effect.gen(function* () {
    const began = yield* Clock.currentTimeMillis
    const hars = yield* Effect.forEach(documents, (doc) => parse(doc.file, doc.text))
    const secrets = Secrets.make(options.apiKey === undefined ? undefined : Redacted.value(options.apiKey))
    const tally = makeTrafficTally({
      baseUrl: options.baseUrl ?? documents.map((d) => d.file).join(", "),
      strict: options.strict,
      failOnDrift: options.failOnDrift,
      startedAt: new Date(began).toISOString(),
      source: "har",
      secrets,
      maxBodyBytes: options.maxBodyBytes,
      invocation: options.invocation
    })
    const judgeOptions = {
      baseUrl: options.baseUrl,
      strict: options.strict,
      maxBodyBytes: options.maxBodyBytes,
      unknownTypes: options.unknownTypes
    }
    yield* Effect.forEach(
      hars.flatMap((har) => har.log.entries),
      (entry) => judgeEntry(entry, tally, secrets, judgeOptions),
      { discard: true }
    )
    return tally.finish((yield* Clock.currentTimeMillis) - began)
  })

/** The system's code (`ENOENT`, `EACCES`) when there is one: what people search for. */
const codeOf = (error: { readonly message: string; readonly cause?: unknown }): string => {
  const code = (error.cause as { readonly code?: unknown } | undefined)?.code
  return typeof code === "string" ? code : error.message
}

/**
 * Reads and judges the config's HAR files, all into one report.
 *
 * @internal
 */
export const read = (config: Config): Effect.Effect<TrafficReport, HarUnreadable | NotAHar, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const documents = yield* Effect.forEach(config.files, (file) =>
      fs.readFileString(file).pipe(
        Effect.mapError((error) => new HarUnreadable({ path: file, code: codeOf(error) })),
        Effect.map((text) => ({ file, text }))
      )
    )
    return yield* judgeDocuments(documents, config)
  })
