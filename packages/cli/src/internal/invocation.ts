/**
 * How the program was invoked, as a service: commands read their command line
 * from here (never from `process.argv`), so a test runs them in-process with
 * any argv, and reports can say how to rerun them.
 *
 * @internal
 */
import * as Context from "effect/Context"

/** The program's name, version and the arguments after the executable (never env vars, so never the key). */
export interface InvocationInfo {
  readonly tool: string
  readonly version: string
  /** What the user typed after `postpress`: `["contract", "--base-url", "…"]`. */
  readonly argv: ReadonlyArray<string>
}

/** The invocation of the running program, provided by `Cli.run`. */
export class Invocation extends Context.Tag("@postpress/cli/Invocation")<Invocation, InvocationInfo>() {}

/** The arguments a user typed, before a `--` that ends the options (all of them if there is none). */
export const beforeDoubleDash = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const end = argv.indexOf("--")
  return end === -1 ? argv : argv.slice(0, end)
}
