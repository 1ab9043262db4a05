/**
 * Judge recorded traffic offline: HAR 1.2 files from browser devtools,
 * Playwright (`recordHar`), mitmproxy, Charles, or the validating proxy's own
 * `--har`, every `GET {baseUrl}/v1/accounts/{id}` entry judged by
 * {@link ContractTraffic.judge}, into the same report as the suite.
 *
 * - `baseUrl` selects the entries to judge: same origin by URL semantics
 *   (`https://API.postpress.ai:443/api` is `https://api.postpress.ai/api`),
 *   path under its path; the rest are counted as not judged, with up to 5 of
 *   the other origins seen. Without it, any `.../v1/accounts/{id}` entry is
 *   judged.
 * - `content.encoding: "base64"` is decoded; an entry without response text
 *   (devtools left it out, or the proxy did not keep a large body) or with a
 *   body over `maxBodyBytes` (default 16 MiB) is "not judged", never a pass;
 *   base64 that does not decode is "not judged: undecodable recording".
 * - Text is decoded already (HAR 1.2; devtools, Playwright and the proxy keep
 *   `Content-Encoding: gzip` beside decoded text) and is never decoded again;
 *   only a base64 body still compressed (its format's magic bytes) is
 *   decoded, bounded by `maxBodyBytes`. A coding that cannot be decoded is
 *   "not judged: cannot decode <coding>", never "not JSON".
 * - Answers that are not the API's (a gateway's HTML 503, a 304, a 429) are
 *   not judged and counted with their reason: a file holding only those is
 *   inconclusive, never a failure.
 * - Files that judged nothing (empty, or nothing under `baseUrl`) give an
 *   inconclusive report (`verdict: "inconclusive"`) that says why.
 * - An unreadable file, or one that is not a HAR, fails with
 *   {@link ContractHarError} and one clear message.
 *
 * ```ts
 * import { ContractHar } from "@postpress/contract-tests"
 * import { NodeFileSystem } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   ContractHar.read(["session.har"], { baseUrl: "https://api.postpress.ai/api" }).pipe(
 *     Effect.provide(NodeFileSystem.layer)
 *   )
 * )
 * console.log(report.verdict, report.traffic)
 * ```
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
import { type ContractProxyError, type ReportFiles, writeReports } from "./ContractProxy.js"
import type { Invocation } from "./ContractReport.js"
import type { TrafficReport } from "./ContractTraffic.js"
import { Har, judgeEntry } from "./internal/har/read.js"
import * as Secrets from "./internal/proxy/secrets.js"
import { makeTrafficTally } from "./internal/rules/traffic.js"

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

/**
 * {@link read}, then writes the JSON, JUnit and HTML reports that were asked for.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  files: ReadonlyArray<string>,
  options: HarOptions & ReportFiles
): Effect.Effect<TrafficReport, ContractHarError | ContractProxyError, FileSystem.FileSystem> =>
  read(files, options).pipe(Effect.tap((report) => writeReports(report, options)))
