/**
 * Report files (`--json`, `--junit`, `--html`, `--har`), shared by `contract`,
 * `contract proxy` and `contract har`, in two steps:
 *
 * 1. {@link prepare}, BEFORE the first request: creates the parent folders and
 *    checks that every path can be written, so a typo costs a usage line
 *    (exit 2) instead of a whole run.
 * 2. {@link writeAll}, after the run, whatever its verdict: writes every
 *    report; one that cannot be written does not stop the others.
 *
 * `-` as a path means stdout (at most one report may use it).
 *
 * Usage:
 *
 * ```ts
 * const reports = [
 *   { flag: "--json", path: Option.getOrUndefined(args.json) },
 *   { flag: "--junit", path: Option.getOrUndefined(args.junit) }
 * ]
 * yield* Reports.prepare("contract", reports)                     // exit 2 on a bad path
 * const report = yield* runTheSuite
 * yield* Reports.writeAll("contract", [
 *   { flag: "--json", path: Option.getOrUndefined(args.json), render: () => toJson(report) },
 *   { flag: "--junit", path: Option.getOrUndefined(args.junit), render: () => toJunitXml(report) }
 * ])
 * ```
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { type Exit, fail } from "./exit.js"

/** A report flag as given: `path` undefined when the flag was not. */
export interface ReportPath {
  readonly flag: string
  readonly path: string | undefined
}

/** A report to write after the run; `render` is only called for a given path. */
export interface ReportFile extends ReportPath {
  readonly render: () => string
}

/** The path that means "write to stdout". */
export const stdoutPath = "-"

const reasonOf = (error: unknown): string => {
  const platform = error as { readonly reason?: unknown; readonly description?: unknown; readonly message?: unknown }
  const text =
    typeof platform.description === "string" && platform.description !== ""
      ? platform.description
      : typeof platform.message === "string"
        ? platform.message
        : String(error)
  // Node's messages repeat the syscall and path ("EACCES: permission denied, open '/x'"): keep the code and words.
  return text.replace(/,\s*\w+\s+'[^']*'$/, "")
}

/**
 * Creates `folder` and the folders above it that are missing, one level at
 * a time. Not `mkdir -p`: Node's recursive mkdir never returns under a
 * file system that answers ENOENT for a folder whose parent exists (`/proc`:
 * it loops at 100% CPU), so each level is created on its own and the first
 * refusal is the answer.
 */
const makeFolders = (fs: FileSystem.FileSystem, path: Path.Path, folder: string): Effect.Effect<void, string> =>
  Effect.gen(function* () {
    const missing: Array<string> = []
    let at = folder
    let found = yield* Effect.option(fs.stat(at))
    while (found._tag === "None") {
      missing.unshift(at)
      const parent = path.dirname(at)
      if (parent === at) break
      at = parent
      found = yield* Effect.option(fs.stat(at))
    }
    if (found._tag === "Some" && found.value.type !== "Directory")
      return yield* Effect.fail("a folder on its path is a file")
    for (const level of missing) {
      yield* fs.makeDirectory(level).pipe(
        Effect.catchAll((error) =>
          Effect.flatMap(Effect.option(fs.stat(level)), (info) =>
            // Made meanwhile (two reports in one new folder): fine.
            info._tag === "Some" && info.value.type === "Directory"
              ? Effect.void
              : Effect.fail(`cannot create the folder ${level} (${reasonOf(error)})`)
          )
        )
      )
    }
  })

/**
 * Creates the parent folders of every given path and checks it can be
 * written, without creating or truncating the file itself. Fails with one line
 * `postpress <command>: cannot write --json reports/x.json: <why>` and exit 2.
 */
export const prepare = (
  command: string,
  reports: ReadonlyArray<ReportPath>
): Effect.Effect<void, Exit, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const given = reports.filter((r): r is ReportPath & { readonly path: string } => r.path !== undefined)
    const toStdout = given.filter((r) => r.path === stdoutPath)
    if (toStdout.length > 1) {
      return yield* fail(command, `only one report can go to stdout (-); got ${toStdout.map((r) => r.flag).join(", ")}`)
    }
    const seen = new Map<string, string>()
    for (const report of given) {
      if (report.path === stdoutPath) continue
      if (report.path.trim() === "") return yield* fail(command, `${report.flag}: expected a file path; got ""`)
      const absolute = path.resolve(report.path)
      const other = seen.get(absolute)
      if (other !== undefined) {
        return yield* fail(command, `${other} and ${report.flag} name the same file ${report.path}`)
      }
      seen.set(absolute, report.flag)
      const cannot = (why: string) => fail(command, `cannot write ${report.flag} ${report.path}: ${why}`)
      yield* makeFolders(fs, path, path.dirname(absolute)).pipe(Effect.catchAll(cannot))
      const info = yield* Effect.option(fs.stat(absolute))
      if (info._tag === "Some") {
        if (info.value.type === "Directory") return yield* cannot("it is a folder")
        yield* fs.access(absolute, { writable: true }).pipe(Effect.catchAll(() => cannot("permission denied")))
      } else {
        yield* fs
          .access(path.dirname(absolute), { writable: true })
          .pipe(Effect.catchAll(() => cannot(`permission denied in ${path.dirname(report.path)}`)))
      }
    }
  })

/**
 * Writes every given report (creating parent folders again, in case they
 * went away during a long run). A failure does not stop the others; if any
 * failed, ONE line names them all and the result is exit 2.
 */
export const writeAll = (
  command: string,
  reports: ReadonlyArray<ReportFile>
): Effect.Effect<void, Exit, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const failures: Array<string> = []
    for (const report of reports) {
      if (report.path === undefined) continue
      if (report.path === stdoutPath) {
        yield* Console.log(report.render().replace(/\n$/, ""))
        continue
      }
      const target = report.path
      const written = yield* makeFolders(fs, path, path.dirname(path.resolve(target))).pipe(
        Effect.zipRight(fs.writeFileString(target, report.render())),
        Effect.as(undefined),
        Effect.catchAll((error) =>
          Effect.succeed(`${report.flag} ${target}: ${typeof error === "string" ? error : reasonOf(error)}`)
        )
      )
      if (written !== undefined) failures.push(written)
    }
    if (failures.length > 0) return yield* fail(command, `cannot write ${failures.join("; ")}`)
  })
