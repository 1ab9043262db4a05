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
 * - The options are ONE Schema, {@link Config}, decoded once (the CLI
 *   decodes its flags and arguments into it and passes the `Config`, which
 *   `read` and `run` take as it is): a value it refuses is
 *   `InvalidConfig`. An unreadable file is `HarUnreadable`, one that is not
 *   a HAR `NotAHar`, each with one clear line as its message.
 *
 * ```ts
 * import { ContractHar } from "@postpress/contract-tests"
 * import { NodeFileSystem } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * const report = await Effect.runPromise(
 *   ContractHar.read({ files: ["session.har"], baseUrl: "https://api.postpress.ai/api" }).pipe(
 *     Effect.provide(NodeFileSystem.layer)
 *   )
 * )
 * console.log(report.verdict, report.traffic)
 * ```
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import { decodeWith, type InvalidConfig } from "./internal/invalidConfig.js"
import * as Files from "./internal/render/files.js"
import type { TrafficReport } from "./internal/report/trafficModel.js"
import * as HarConfig from "./internal/sources/har/config.js"
import type { HarUnreadable, NotAHar } from "./internal/sources/har/errors.js"
import * as Har from "./internal/sources/har/har.js"
import type { Har as HarDocument } from "./internal/sources/har/read.js"

export { InvalidConfig } from "./internal/invalidConfig.js"
export { ReportsNotWritten } from "./internal/render/files.js"
export { Config, Judging, type JudgingOptions, type Options } from "./internal/sources/har/config.js"
export { HarIssue, HarUnreadable, NotAHar } from "./internal/sources/har/errors.js"

/**
 * Why HAR files could not be judged into reports.
 *
 * @since 0.1.0
 * @category errors
 */
export type ContractHarError = InvalidConfig | HarUnreadable | NotAHar | Files.ReportsNotWritten

const decodeJudging = decodeWith(HarConfig.Judging)

/**
 * Parses one HAR document's text (`file` names it in the error): the
 * fields the judge reads, exporters' own `_`-fields and optional ones aside.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse: (file: string, text: string) => Either.Either<typeof HarDocument.Type, NotAHar> = Har.parse

/**
 * Judges HAR documents already in memory (`{ file, text }`; `file` names
 * them in errors), all into one report.
 *
 * @since 0.1.0
 * @category judging
 */
export const judgeDocuments = (
  documents: ReadonlyArray<{ readonly file: string; readonly text: string }>,
  options: HarConfig.JudgingOptions = {}
): Effect.Effect<TrafficReport, InvalidConfig | NotAHar> =>
  Effect.flatMap(decodeJudging(options), (judging) => Har.judgeDocuments(documents, judging))

/**
 * Reads and judges the HAR files, all into one report.
 *
 * @since 0.1.0
 * @category judging
 */
export const read = (
  options: HarConfig.Options | HarConfig.Config
): Effect.Effect<TrafficReport, InvalidConfig | HarUnreadable | NotAHar, FileSystem.FileSystem> =>
  Effect.flatMap(HarConfig.decode(options), Har.read)

/**
 * {@link read}, then writes the JSON, JUnit and HTML reports the config names.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  options: HarConfig.Options | HarConfig.Config
): Effect.Effect<TrafficReport, ContractHarError, FileSystem.FileSystem> =>
  Effect.flatMap(HarConfig.decode(options), (config) =>
    Har.read(config).pipe(Effect.tap((report) => Files.writeReports(report, config)))
  )
