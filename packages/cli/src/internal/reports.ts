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
 * A run that wrote reports ends by saying where: {@link writtenLine}
 * (`reports: report.json, junit.xml`), the paths as given, escaped.
 *
 * Both fail with typed errors (`errors.ts`); the command prints the line.
 *
 * @internal
 */
import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { ConfigRules } from "@postpress/schema"
import * as Printable from "@postpress/schema/Printable"
import * as Arr from "effect/Array"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { ReportFailure, ReportPathRefused, ReportPathsClash, ReportsNotWritten } from "./errors.js"

/** What reading and writing report files needs. */
export type Files = FileSystem.FileSystem | Path.Path

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

const systemReasons: Readonly<Record<PlatformError.SystemErrorReason, string>> = {
  AlreadyExists: "it already exists",
  BadResource: "not a file that can be written",
  Busy: "busy",
  InvalidData: "invalid data",
  NotFound: "no such file or folder",
  PermissionDenied: "permission denied",
  TimedOut: "timed out",
  UnexpectedEof: "unexpected end of file",
  Unknown: "unknown error",
  WouldBlock: "would block",
  WriteZero: "nothing could be written"
}

/** Why the platform refused, from its structured reason (never by reading its message). */
const reasonOf = (error: PlatformError.PlatformError): string =>
  error._tag === "SystemError" ? systemReasons[error.reason] : (error.description ?? "bad argument")

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

/** One report path checked: its folders made, the file (if any) writable. */
const check = (
  fs: FileSystem.FileSystem,
  path: Path.Path,
  report: ReportPath & { readonly path: string }
): Effect.Effect<void, ReportPathRefused> => {
  const absolute = path.resolve(report.path)
  const cannot = (reason: string) => new ReportPathRefused({ flag: report.flag, path: report.path, reason })
  return Effect.gen(function* () {
    yield* Effect.mapError(makeFolders(fs, path, path.dirname(absolute)), cannot)
    const info = yield* Effect.option(fs.stat(absolute))
    if (info._tag === "None") {
      const folder = path.dirname(report.path)
      return yield* Effect.mapError(fs.access(path.dirname(absolute), { writable: true }), () =>
        cannot(`permission denied in ${folder}`)
      )
    }
    if (info.value.type === "Directory") return yield* Effect.fail(cannot("it is a folder"))
    yield* Effect.mapError(fs.access(absolute, { writable: true }), () => cannot("permission denied"))
  })
}

/**
 * Creates the parent folders of every given path and checks it can be
 * written, without creating or truncating the file itself; fails with the
 * first path refused (`cannot write --json reports/x.json: <why>`).
 */
export const prepare = (
  reports: ReadonlyArray<ReportPath>
): Effect.Effect<void, ReportPathRefused | ReportPathsClash, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const given = reports.filter((r): r is ReportPath & { readonly path: string } => r.path !== undefined)
    const toStdout = given.filter((r) => r.path === stdoutPath)
    if (toStdout.length > 1) {
      return yield* new ReportPathsClash({ flags: toStdout.map((r) => r.flag), path: stdoutPath })
    }
    const files = given.filter((r) => r.path !== stdoutPath)
    // THE file-path rule (a blank path is none), its words the libraries' too.
    for (const report of files) {
      const refused = Either.flip(Schema.decodeUnknownEither(ConfigRules.FilePath)(report.path))
      if (Either.isRight(refused)) {
        const [issue] = ConfigRules.issues(refused.right)
        return yield* new ReportPathRefused({ flag: report.flag, path: report.path, reason: issue.message })
      }
    }
    // Two flags naming one file: the second would overwrite the first.
    for (const [index, report] of files.entries()) {
      const first = files.slice(0, index).find((other) => path.resolve(other.path) === path.resolve(report.path))
      if (first !== undefined)
        return yield* new ReportPathsClash({ flags: [first.flag, report.flag], path: report.path })
    }
    yield* Effect.forEach(files, (report) => check(fs, path, report), { discard: true })
  })

/** Where the human report goes: stdout, unless a report is written there (`--json -`). */
export const humanStream = (reports: ReadonlyArray<ReportPath>): "stdout" | "stderr" =>
  reports.some((report) => report.path === stdoutPath) ? "stderr" : "stdout"

/**
 * The line that ends a run which wrote report files: their paths as given
 * (`-`, stdout, is no file), each escaped (`Printable.text`: a path is
 * typed text and reaches a terminal); `undefined` when none was written.
 */
export const writtenLine = (paths: ReadonlyArray<string>): string | undefined => {
  const files = paths.filter((path) => path !== stdoutPath)
  return files.length === 0 ? undefined : `reports: ${files.map((path) => Printable.text(path)).join(", ")}`
}

/** Prints {@link writtenLine} on stderr, or (`stream: "stdout"`) on stdout, when there is one. */
export const announce = (paths: ReadonlyArray<string>, stream: "stdout" | "stderr" = "stderr"): Effect.Effect<void> => {
  const line = writtenLine(paths)
  return line === undefined ? Effect.void : stream === "stdout" ? Console.log(line) : Console.error(line)
}

/** The paths of the given reports that are files (for {@link announce}), in order. */
export const givenPaths = (reports: ReadonlyArray<ReportPath>): ReadonlyArray<string> =>
  reports.flatMap((report) => (report.path === undefined || report.path === stdoutPath ? [] : [report.path]))

/**
 * Writes every given report (creating parent folders again, in case they
 * went away during a long run). A failure does not stop the others; if any
 * failed, {@link ReportsNotWritten} names them all. Succeeds with the paths
 * written as files, in order (for {@link announce}).
 */
export const writeAll = (
  reports: ReadonlyArray<ReportFile>
): Effect.Effect<ReadonlyArray<string>, ReportsNotWritten, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const write = (report: ReportFile & { readonly path: string }): Effect.Effect<void, ReportFailure> =>
      report.path === stdoutPath
        ? Console.log(report.render().replace(/\n$/, ""))
        : makeFolders(fs, path, path.dirname(path.resolve(report.path))).pipe(
            Effect.zipRight(Effect.mapError(fs.writeFileString(report.path, report.render()), reasonOf)),
            Effect.mapError((reason) => new ReportFailure({ flag: report.flag, path: report.path, reason }))
          )
    const given = reports.filter((r): r is ReportFile & { readonly path: string } => r.path !== undefined)
    const [failures] = yield* Effect.partition(given, write)
    if (Arr.isNonEmptyReadonlyArray(failures)) return yield* new ReportsNotWritten({ failures })
    return givenPaths(given)
  })
