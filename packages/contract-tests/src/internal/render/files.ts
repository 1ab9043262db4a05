/**
 * The report files a run writes (JSON, JUnit, HTML), through the platform
 * `FileSystem`: the suite's CLI, the proxy and the HAR reader all write the
 * same renderings of the same model.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { messageOf } from "../messageOf.js"
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
 * Some report files could not be written: `failures` holds one
 * `path: why` each.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReportsNotWritten extends Schema.TaggedError<ReportsNotWritten>()("ReportsNotWritten", {
  failures: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `cannot write ${this.failures.join("; ")}`
  }
}

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
    const failures: Array<string> = []
    const renders = [
      [files.json, () => toJson(report)],
      [files.junit, () => toJunitXml(report)],
      [files.html, () => renderHtml(report)]
    ] as const
    for (const [path, render] of renders) {
      if (path === undefined) continue
      const failed = yield* Effect.suspend(() => fs.writeFileString(path, render())).pipe(
        Effect.as(undefined),
        Effect.catchAllCause((cause) =>
          Effect.succeed(`${path}: ${messageOf(cause._tag === "Fail" ? cause.error : cause)}`)
        )
      )
      if (failed !== undefined) failures.push(failed)
    }
    if (failures.length > 0) return yield* new ReportsNotWritten({ failures })
  })
