/**
 * The one shape of an error line, `postpress <command>: <message>`, and the
 * one way a command ends on one: print it on stderr (through `Console`, so a
 * test runs the command in-process) and return the exit code.
 *
 * @internal
 */
import * as Printable from "@postpress/schema/Printable"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { ExitCode } from "./exitCode.js"

/**
 * `postpress contract proxy: …`. The message is shown with every control
 * character escaped (`Printable.text`): an error line stays ONE line, and
 * text from a server or an argument that echoes it never drives the terminal.
 */
export const errorLine = (command: string, message: string): string =>
  `postpress${command === "" ? "" : ` ${command}`}: ${Printable.text(message)}`

/** Prints `postpress <command>: <message>` on stderr and returns `code` (default 2, usage error). */
export const refuse = (command: string, message: string, code: ExitCode = ExitCode.usage): Effect.Effect<ExitCode> =>
  Effect.as(Console.error(errorLine(command, message)), code)

/** A command's usage errors as their line and exit 2 (any error with a message). */
export const usageLine =
  (command: string) =>
  (error: { readonly message: string }): Effect.Effect<ExitCode> =>
    refuse(command, error.message)
