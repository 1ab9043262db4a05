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
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Files from "./internal/render/files.js"
import type { TrafficReport } from "./internal/report/trafficModel.js"
import * as Har from "./internal/sources/har/har.js"
import { type ContractProxyError, reportsNotWritten } from "./internal/sources/proxy/proxy.js"

export { ContractHarError, type HarOptions, judgeDocuments, parse, read } from "./internal/sources/har/har.js"

/**
 * {@link read}, then writes the JSON, JUnit and HTML reports that were asked for.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  files: ReadonlyArray<string>,
  options: Har.HarOptions & Files.ReportFiles
): Effect.Effect<TrafficReport, Har.ContractHarError | ContractProxyError, FileSystem.FileSystem> =>
  Har.read(files, options).pipe(
    Effect.tap((report) => Files.writeReports(report, options).pipe(Effect.mapError(reportsNotWritten)))
  )
