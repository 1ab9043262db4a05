/**
 * The report files a run writes (JSON, JUnit, HTML), through the platform
 * `FileSystem`: the suite's CLI, the proxy and the HAR reader all write the
 * same renderings of the same model.
 *
 * @since 0.1.0
 */
import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { ContractReport } from "../report/model.js"
import { render as renderHtml } from "./html/report.js"
import { toJson } from "./json.js"
import { toJunitXml } from "./junit.js"

/**
 * The report files a run writes.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportFiles {
  /** The JSON report (the suite's shape plus `traffic`). */
  readonly json?: string | undefined
  /** The JUnit XML report. */
  readonly junit?: string | undefined
  /** The HTML report. */
  readonly html?: string | undefined
}

/**
 * One report file that could not be written: which, where, and why (the
 * platform's reason, e.g. `NotFound`, `PermissionDenied`, with its
 * description).
 *
 * @since 0.1.0
 * @category errors
 */
export const ReportFailure = Schema.Struct({
  report: Schema.Literal("json", "junit", "html"),
  path: Schema.String,
  /** The platform's `SystemError` reason (`NotFound`, `PermissionDenied`, …), or `BadArgument`. */
  reason: Schema.String,
  /** What the platform said (`ENOENT: no such file or directory, open '…'`). */
  detail: Schema.String
})

/**
 * @since 0.1.0
 * @category errors
 */
export interface ReportFailure extends Schema.Schema.Type<typeof ReportFailure> {}

/**
 * Some report files could not be written: one {@link ReportFailure} each.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReportsNotWritten extends Schema.TaggedError<ReportsNotWritten>()("ReportsNotWritten", {
  failures: Schema.NonEmptyArray(ReportFailure)
}) {
  override get message(): string {
    return `cannot write ${this.failures.map((failure) => `${failure.path}: ${failure.detail}`).join("; ")}`
  }
}

const failureOf =
  (report: ReportFailure["report"], path: string) =>
  (error: PlatformError.PlatformError): ReportFailure => ({
    report,
    path,
    reason: error._tag === "SystemError" ? error.reason : error._tag,
    detail: error.description || error.message
  })

/**
 * Writes the JSON, JUnit and HTML reports that were asked for; one that
 * cannot be written does not stop the others.
 *
 * @since 0.1.0
 * @category running
 */
export const writeReports = (
  report: ContractReport,
  files: ReportFiles
): Effect.Effect<void, ReportsNotWritten, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const renders = [
      ["json", files.json, toJson],
      ["junit", files.junit, toJunitXml],
      ["html", files.html, renderHtml]
    ] as const
    const failures = yield* Effect.forEach(renders, ([kind, path, render]) =>
      path === undefined
        ? Effect.succeedNone
        : Effect.suspend(() => fs.writeFileString(path, render(report))).pipe(
            Effect.as(Option.none<ReportFailure>()),
            Effect.catchAll((error) => Effect.succeedSome(failureOf(kind, path)(error)))
          )
    )
    const failed = Arr.getSomes(failures)
    if (Arr.isNonEmptyReadonlyArray(failed)) return yield* new ReportsNotWritten({ failures: failed })
  })
