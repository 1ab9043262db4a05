/**
 * Exit codes as values, ONE table for every command, and the one way out: a
 * command that wants a non-zero exit fails with {@link Exit} (after printing
 * its one line through {@link fail}), and `Cli.run` turns it into the process
 * exit code.
 *
 * The table (also in the root README and the cli README):
 *
 * | code | accounts get | contract, contract proxy, contract har | mock |
 * |---|---|---|---|
 * | 0 | account printed | pass | stopped cleanly, coverage met |
 * | 1 | API error (an HTTP error status) | violations found (even if something else was inconclusive) | coverage gap (`--require-coverage`) |
 * | 2 | usage error | usage error (bad flags, unwritable report path, port in use, missing key) | usage error, port in use |
 * | 3 | contract violation | – | – |
 * | 4 | transport error, timeout, outage (a gateway page), body over 16 MiB; an internal error | inconclusive: nothing or not enough could be judged; an internal error | – |
 * | 130/143 | SIGINT/SIGTERM | SIGINT/SIGTERM (suite only; proxy exits with its verdict) | – (exits with its coverage code) |
 *
 * Pattern for a command (see `AccountsCommand.ts`):
 *
 * ```ts
 * if (bad) return yield* fail("contract har", "--base-url: expected a URL; got \"x\"")          // exit 2
 * yield* Console.log(formatHuman(report))                                                        // stdout
 * if (report.verdict !== "pass") return yield* Effect.fail(new Exit({ code: verdictCode(report.verdict) }))
 * ```
 *
 * @internal
 */
import * as Printable from "@postpress/schema/Printable"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/**
 * Every exit code of the program, by meaning. Several meanings share a number
 * (the table above): use the name that says why.
 */
export const ExitCode = {
  ok: 0,
  /** contract, proxy, har: violations found. */
  violations: 1,
  /** accounts get: the API answered with an error status. */
  apiError: 1,
  /** mock --require-coverage: some documented behaviour was never served. */
  coverageGap: 1,
  /** Bad flags, unwritable report path, port in use, missing key: nothing was run. */
  usage: 2,
  /** accounts get: the body does not match the schema. */
  contractViolation: 3,
  /** contract, proxy, har: nothing or not enough could be judged. */
  inconclusive: 4,
  /** accounts get: transport error or timeout. */
  transport: 4,
  /** 128 + signal number, as shells report it. */
  sigint: 130,
  sigterm: 143
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The three verdicts of a run that judges something (suite, proxy, HAR). */
export type Verdict = "pass" | "fail" | "inconclusive"

/** pass → 0, fail → 1 (whatever else was inconclusive), inconclusive → 4. */
export const verdictCode = (verdict: Verdict): ExitCode =>
  verdict === "pass" ? ExitCode.ok : verdict === "fail" ? ExitCode.violations : ExitCode.inconclusive

/** Leave with `code`; the line (if any) has already been printed. */
export class Exit extends Data.TaggedError("Exit")<{ readonly code: number }> {}

/** 128 + the signal number, as shells report it. */
export const signalCodes = { SIGINT: ExitCode.sigint, SIGTERM: ExitCode.sigterm } as const

/**
 * The one prefix of every error line: `postpress contract proxy: …`. The
 * message is shown with every control character escaped (`Printable.text`):
 * an error line stays ONE line, and text from a server or an argument that
 * echoes it never drives the terminal.
 */
export const errorLine = (command: string, message: string): string =>
  `postpress${command === "" ? "" : ` ${command}`}: ${Printable.text(message)}`

/**
 * Prints `postpress <command>: <message>` as the one line on stderr (through
 * `Console`) and leaves with `code` (default 2, usage error).
 */
export const fail = (command: string, message: string, code: number = ExitCode.usage): Effect.Effect<never, Exit> =>
  Effect.zipRight(Console.error(errorLine(command, message)), Effect.fail(new Exit({ code })))

/** Leaves with `code` without printing (the output is already written). */
export const exitWith = (code: number): Effect.Effect<void, Exit> =>
  code === ExitCode.ok ? Effect.void : Effect.fail(new Exit({ code }))

/**
 * One write, newline included, straight to the stream.
 *
 * @deprecated Write through `Console` (`Console.log` / `Console.error`, or
 * {@link fail}), so the command can be tested in-process; kept until every
 * caller has moved.
 */
export const writeLine = (stream: NodeJS.WriteStream, line: string): void => {
  stream.write(`${line}\n`)
}
