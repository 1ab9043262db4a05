/**
 * The one shape of an error line, `postpress <command>: <message>`, and the
 * one way a command ends on one: print it on stderr (through `Console`, so a
 * test runs the command in-process) and return the exit code; and JSON
 * printed for a terminal ({@link terminalJson}).
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

// DEL and the C1 controls: JSON.stringify escapes C0 (\u0000–\u001f) but leaves these raw, and a
// terminal may act on C1 (U+009B is CSI).
const rawControl = /[\u007f-\u009f]/g

/**
 * `value` as JSON for a terminal: `JSON.stringify`, with DEL and the C1
 * controls escaped too (`\u009b`), so no control byte a server sent reaches
 * the terminal raw while the JSON still parses to exactly the same value.
 */
export const terminalJson = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(rawControl, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
