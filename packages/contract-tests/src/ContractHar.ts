/**
 * Judge recorded traffic offline: HAR 1.2 files from browser devtools,
 * Playwright (`recordHar`), mitmproxy, Charles, or the validating proxy's own
 * `--har`, every `GET {baseUrl}/v1/accounts/{id}` entry judged by
 * {@link ContractTraffic.judge}, into the same report as the suite.
 *
 * - `baseUrl` (a prefix) selects the entries to judge; the rest are counted
 *   as not judged. Without it, any `.../v1/accounts/{id}` entry is judged.
 * - `content.encoding: "base64"` is decoded; an entry without response text
 *   (devtools left it out, or the proxy did not keep a large body) is "not
 *   judged", never a pass.
 * - An unreadable file, or one that is not a HAR, fails with
 *   {@link ContractHarError} and one clear message.
 *
 * ```ts
 * import { ContractHar } from "@postpress/contract-tests"
 * import { Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   ContractHar.read(["session.har"], { baseUrl: "https://api.postpress.ai/api" })
 * )
 * console.log(report.passed, report.traffic)
 * ```
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import { DecodeIssue } from "@postpress/schema"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type ContractProxyError, writeReports } from "./ContractProxy.js"
import type { TrafficReport } from "./ContractTraffic.js"
import { Har, judgeEntry } from "./internal/har/read.js"
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
  /** Entries whose URL starts with it are judged (default: any `.../v1/accounts/{id}`). */
  readonly baseUrl?: string | undefined
  /** Reject unknown fields (default: accept them and report them as drift). */
  readonly strict?: boolean | undefined
  /** Unknown fields fail the verdict. */
  readonly failOnDrift?: boolean | undefined
  /** A key to look for in responses and to mask, besides each request's own. */
  readonly apiKey?: Redacted.Redacted<string> | undefined
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
  const first =
    issues[0] === undefined
      ? ""
      : ` (${DecodeIssue.formatIssue(issues[0])}${issues.length > 1 ? `, and ${issues.length - 1} more` : ""})`
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
    const tally = makeTrafficTally({
      baseUrl: options.baseUrl ?? documents.map((d) => d.file).join(", "),
      strict: options.strict === true,
      apiKey: options.apiKey,
      failOnDrift: options.failOnDrift,
      startedAt: new Date(began).toISOString()
    })
    const judgeOptions = { baseUrl: options.baseUrl, strict: options.strict === true, apiKey: options.apiKey }
    for (const har of hars) for (const entry of har.log.entries) judgeEntry(entry, tally, judgeOptions)
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
): Effect.Effect<TrafficReport, ContractHarError> =>
  Effect.forEach(files, (file) =>
    Effect.tryPromise({
      try: () => Fs.readFile(file, "utf8"),
      catch: (error) =>
        new ContractHarError({
          reason: "Unreadable",
          file,
          message: `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`
        })
    }).pipe(Effect.map((text) => ({ file, text })))
  ).pipe(Effect.flatMap((documents) => judgeDocuments(documents, options)))

/**
 * {@link read}, then writes the JSON and JUnit reports that were asked for.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  files: ReadonlyArray<string>,
  options: HarOptions & { readonly json?: string | undefined; readonly junit?: string | undefined }
): Effect.Effect<TrafficReport, ContractHarError | ContractProxyError> =>
  read(files, options).pipe(Effect.tap((report) => writeReports(report, options)))
