/**
 * The `postpress` program: `accounts get`, `contract` and `mock` under one
 * root command, one grammar and one way out.
 *
 * Output rules, shared by every command: a usage error is ONE line on stderr
 * and exit 2 (a JSON object for `postpress accounts …`, whose failures are all
 * JSON lines; `postpress: …` text otherwise); `--help` is plain text unless
 * stdout is a terminal and `NO_COLOR` is unset.
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as AccountsCommand from "./AccountsCommand.js"
import * as ContractCommand from "./ContractCommand.js"
import { Exit, writeLine } from "./internal/exit.js"
import { version } from "./internal/version.js"
import * as MockCommand from "./MockCommand.js"

const root = Command.make("postpress", {}, () =>
  Effect.zipRight(
    Effect.sync(() => writeLine(process.stderr, "postpress: missing command (accounts, contract, mock); see --help")),
    Effect.fail(new Exit({ code: 2 }))
  )
).pipe(
  Command.withDescription(
    "The postpress accounts API from the shell: retrieve accounts, check a server against the contract, run the mock server."
  ),
  Command.withSubcommands([AccountsCommand.command, ContractCommand.command, MockCommand.command])
)

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what we strip.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

/** Colours only for a person at a terminal who has not asked for none. */
const plainOutput = (): boolean => !process.stdout.isTTY || (process.env.NO_COLOR ?? "") !== ""

const oneLine = (doc: HelpDoc.HelpDoc): string =>
  HelpDoc.toAnsiText(doc).replace(ANSI, "").replace(/\s+/g, " ").trim() || "invalid command line"

const commands: Readonly<Record<string, Command.Command<string, never, unknown, unknown>>> = {
  accounts: AccountsCommand.command as Command.Command<string, never, unknown, unknown>,
  contract: ContractCommand.command as Command.Command<string, never, unknown, unknown>,
  mock: MockCommand.command as Command.Command<string, never, unknown, unknown>
}

/**
 * @effect/cli reports an unknown flag of a command that has subcommands as
 * "Invalid subcommand for postpress"; name the flags it did not know instead
 * (those its help text does not mention).
 */
const clearer = (argv: ReadonlyArray<string>, message: string): string => {
  const name = argv[2] ?? ""
  const command = commands[name]
  if (command === undefined || !message.startsWith("Invalid subcommand for")) return message
  const help = HelpDoc.toAnsiText(Command.getHelp(command, CliConfig.defaultConfig)).replace(ANSI, "")
  const unknown = argv
    .slice(3)
    .filter(
      (arg) => arg.startsWith("-") && !new RegExp(`(^|\\s)${escapeRegExp(arg.split("=")[0] ?? arg)}(\\s|$)`).test(help)
    )
  return unknown.length === 0
    ? `invalid arguments for postpress ${name}: ${argv.slice(3).join(" ")} (see postpress ${name} --help)`
    : `unknown option${unknown.length > 1 ? "s" : ""} for postpress ${name}: ${unknown.join(" ")} (see postpress ${name} --help)`
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const usageLine = (argv: ReadonlyArray<string>, message: string): Effect.Effect<number> =>
  argv[2] === "accounts"
    ? Effect.match(AccountsCommand.usage(message), { onFailure: (e) => e.code, onSuccess: () => 2 })
    : Effect.sync(() => {
        writeLine(process.stderr, `postpress: ${message}`)
        return 2
      })

/**
 * Runs the program on `argv` (as in `process.argv`) and returns the exit
 * code. Fails only by interruption: every other outcome, defects included,
 * ends as an exit code with at most one line on stderr.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  Command.run(root, { name: "postpress", version })(argv).pipe(
    // @effect/cli prints usage errors itself, as multi-line text: silence that
    // and print one line instead; strip ANSI styling from help unless wanted.
    (effect) =>
      Effect.consoleWith((console) =>
        Effect.withConsole(effect, {
          ...console,
          error: () => Effect.void,
          log: (...args) =>
            console.log(
              ...args.map((a) =>
                // console.log ends the line itself: no trailing blank line after the version or the help.
                typeof a === "string" ? (plainOutput() ? a.replace(ANSI, "") : a).replace(/\n+$/, "") : a
              )
            )
        })
      ),
    Effect.as(0),
    Effect.catchAll((error) =>
      error instanceof Exit
        ? Effect.succeed(error.code)
        : usageLine(
            argv,
            ValidationError.isValidationError(error) ? clearer(argv, oneLine(error.error)) : String(error)
          )
    ),
    Effect.catchAllDefect((defect) => {
      const message = defect instanceof Error ? defect.message : "internal error"
      return Effect.sync(() => {
        writeLine(process.stderr, `postpress: internal error: ${message}`)
        return 1
      })
    })
  )
