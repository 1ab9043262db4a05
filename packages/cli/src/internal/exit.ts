/**
 * Exit codes as values: a command that wants a non-zero exit fails with
 * {@link Exit}, and `Cli.run` turns it into the process exit code, so every
 * command shares one way out (and one place that knows about signals).
 *
 * @internal
 */
import * as Data from "effect/Data"

/** Leave with `code`; `line` (if any) has already been printed. */
export class Exit extends Data.TaggedError("Exit")<{ readonly code: number }> {}

/** 128 + the signal number, as shells report it. */
export const signalCodes = { SIGINT: 130, SIGTERM: 143 } as const

/** One write, newline included, straight to the stream: no Console, no logger. */
export const writeLine = (stream: NodeJS.WriteStream, line: string): void => {
  stream.write(`${line}\n`)
}
