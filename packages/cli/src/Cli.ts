/**
 * The `postpress` program: `accounts get`, `contract` (with `proxy` and
 * `har`) and `mock` under one root command, one grammar and one way out.
 *
 * Output rules, shared by every command:
 * - everything is written through `Console` (never to `process.stdout`), so a
 *   test runs the program in-process with its own `Console` and argv;
 * - a usage error is ONE line on stderr, `postpress <command>: …`, naming the
 *   flag and what it accepts, and exit 2 (see `internal/exit.ts` for the one
 *   exit-code table);
 * - `--help` is plain text, at most 100 columns (see `internal/help.ts`).
 *
 * `@effect/cli` parses; this module renders help and errors itself. Parsing
 * runs with `Console.error` muted (the parser prints multi-line errors of its
 * own, replaced here by one line); the chosen command then runs afterwards,
 * with the caller's `Console` untouched.
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import type * as Descriptor from "@effect/cli/CommandDescriptor"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import { Redaction } from "@postpress/schema"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as AccountsCommand from "./AccountsCommand.js"
import * as ContractCommand from "./ContractCommand.js"
import { Exit, ExitCode, errorLine, fail } from "./internal/exit.js"
import * as Help from "./internal/help.js"
import { beforeDoubleDash, Invocation } from "./internal/invocation.js"
import * as TrafficCommands from "./internal/trafficCommands.js"
import { version } from "./internal/version.js"
import * as MockCommand from "./MockCommand.js"

const summary = "the postpress accounts API from the shell"

const root = Command.make("postpress", {}, () =>
  fail("", "missing command (accounts get, contract, mock); see postpress --help")
).pipe(
  Command.withDescription(summary),
  Command.withSubcommands([AccountsCommand.command, ContractCommand.command, MockCommand.command])
)

interface Node {
  readonly descriptor: Descriptor.Command<unknown>
  readonly children: Readonly<Record<string, Node>>
}

/** A command of any type, read for its declarations (names, flags, descriptions) only. */
const node = (command: { readonly descriptor: unknown }, children: Readonly<Record<string, Node>> = {}): Node => ({
  descriptor: command.descriptor as Descriptor.Command<unknown>,
  children
})

/** Every command by name, for help and for naming the command in error lines. */
const tree: Readonly<Record<string, Node>> = {
  accounts: node(AccountsCommand.command, { get: node(AccountsCommand.getCommand) }),
  contract: node(ContractCommand.command, {
    proxy: node(TrafficCommands.proxyCommand),
    har: node(TrafficCommands.harCommand)
  }),
  mock: node(MockCommand.command)
}

/** The command path the arguments start with: `["contract", "proxy"]` for `contract proxy --target …`. */
const commandPath = (args: ReadonlyArray<string>): { readonly path: ReadonlyArray<string>; readonly node?: Node } => {
  const path: Array<string> = []
  let children = tree
  let node: Node | undefined
  for (const arg of args) {
    const next = children[arg]
    if (next === undefined) break
    path.push(arg)
    node = next
    children = next.children
  }
  return node === undefined ? { path } : { path, node }
}

/** Every command a user can run, with its description: the root help's list. */
const runnable = (): Array<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  const visit = (prefix: ReadonlyArray<string>, nodes: Readonly<Record<string, Node>>) => {
    for (const [name, node] of Object.entries(nodes)) {
      const path = [...prefix, name]
      const info = Help.declared(node.descriptor)
      // `accounts` alone does nothing: list what it groups.
      if (name !== "accounts") out.push([path.join(" "), info.description])
      visit(path, node.children)
    }
  }
  visit([], tree)
  return out
}

/** The help text for a command path (`[]`: the program's). */
export const helpText = (path: ReadonlyArray<string>): string => {
  const { node } = commandPath(path)
  return node === undefined ? Help.rootHelp(version, summary, runnable()) : Help.commandHelp(path, node.descriptor)
}

/** Flags the parser must never act on: its built-ins that we do not offer. */
const refusedBuiltIns = new Set(["--wizard", "--completions", "--log-level"])

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what we strip.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

const oneLine = (doc: HelpDoc.HelpDoc): string =>
  HelpDoc.toAnsiText(doc).replace(ANSI, "").replace(/\s+/g, " ").trim() || "invalid command line"

const valueKinds: Readonly<Record<string, string>> = {
  integer: "a whole number",
  float: "a number",
  boolean: "true or false"
}

/** Rewrites the parser's message as one line that names the flag and what it accepts. */
const clearer = (
  options: ReadonlyArray<string>,
  path: ReadonlyArray<string>,
  node: Node | undefined,
  message: string
): string => {
  const seeHelp = `see ${["postpress", ...path].join(" ")} --help`
  const notA = /^'(.*)' is not a (\w+)/.exec(message)
  if (notA !== null) {
    const [, value = "", kind = ""] = notA
    const index = options.findIndex((arg, i) => arg === value && options[i - 1]?.startsWith("-"))
    const inline = options.find((arg) => arg.startsWith("-") && arg.endsWith(`=${value}`))
    const flag = index > 0 ? options[index - 1] : inline?.split("=")[0]
    const expected = `expected ${valueKinds[kind] ?? `a ${kind}`}; got ${JSON.stringify(value)}`
    return flag === undefined ? expected : `${flag}: ${expected}`
  }
  const missing = /^Expected to find option: '(.*)'/.exec(message)
  if (missing !== null) return `missing ${missing[1]} (${seeHelp})`
  const noValue = /^Expected a value following option: '(.*)'/.exec(message)
  if (noValue !== null) return `${noValue[1]}: expected a value (${seeHelp})`
  const missingArgument = /^Missing argument <?([^>]*)>?/.exec(message)
  if (missingArgument !== null) return `missing ${missingArgument[1]} (${seeHelp})`
  if (node === undefined) {
    return `unknown command ${options[0] ?? ""} (accounts get, contract, mock; see postpress --help)`
  }
  // The parser reports an unknown flag as "invalid subcommand" (a command that has subcommands) or takes
  // it for a value, then complains about what follows: name the flags the command does not declare.
  const known = new Set(["--help", "-h", ...Help.declared(node.descriptor).flags.map((flag) => flag.name)])
  const unknown = options
    .slice(path.length)
    .filter((arg) => /^--?[A-Za-z]/.test(arg) && !known.has(arg.split("=")[0] ?? arg))
  if (unknown.length > 0) return `unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(" ")} (${seeHelp})`
  const unknownArgument = /^Received unknown argument: '(.*)'/.exec(message)
  if (unknownArgument !== null) return `unexpected argument ${unknownArgument[1]} (${seeHelp})`
  if (message.startsWith("Invalid subcommand") || message.startsWith("Missing command")) {
    return `invalid arguments: ${options.slice(path.length).join(" ")} (${seeHelp})`
  }
  return message
}

/**
 * Runs the program on `argv` (as in `process.argv`: executable and script
 * first) and returns the exit code. Fails only by interruption: every other
 * outcome, defects included, ends as an exit code with at most one line on
 * stderr.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, CliApp.CliApp.Environment> => {
  const args = argv.slice(2)
  const options = beforeDoubleDash(args)
  const { path, node } = commandPath(args)
  const prefix = path.join(" ")
  return Effect.gen(function* () {
    const refused = options.find((arg) => refusedBuiltIns.has(arg.split("=")[0] ?? arg))
    if (refused !== undefined) {
      return yield* fail(prefix, `unknown option ${refused} (see ${["postpress", ...path].join(" ")} --help)`)
    }
    if (options.includes("--help") || options.includes("-h")) {
      yield* Console.log(helpText(path))
      return ExitCode.ok
    }
    if (options.includes("--version")) {
      yield* Console.log(version)
      return ExitCode.ok
    }
    // Parse with the parser's own error printing muted; run the chosen command afterwards.
    let chosen: Effect.Effect<void, unknown, unknown> | undefined
    const parsing = Command.transformHandler(root, (effect) =>
      Effect.sync(() => {
        chosen = effect as Effect.Effect<void, unknown, unknown>
      })
    )
    const parsed = yield* Command.run(parsing, { name: "postpress", version })(argv).pipe(
      (effect) => Effect.consoleWith((console) => Effect.withConsole(effect, { ...console, error: () => Effect.void })),
      Effect.either
    )
    if (parsed._tag === "Left") {
      const error = parsed.left
      return yield* ValidationError.isValidationError(error)
        ? fail(prefix, clearer(options, path, node, oneLine(error.error)))
        : fail(prefix, String(error))
    }
    if (chosen !== undefined) yield* chosen as Effect.Effect<void, unknown, CliApp.CliApp.Environment>
    return ExitCode.ok
  }).pipe(
    Effect.provideService(Invocation, { tool: "postpress", version, argv: args }),
    Effect.catchAll((error) =>
      error instanceof Exit
        ? Effect.succeed(error.code)
        : Effect.as(Console.error(errorLine(prefix, String(error))), ExitCode.usage as number)
    ),
    // A bug of ours is no verdict: exit 4 (never 1, which says "violations found"), and no key in the line.
    Effect.catchAllDefect((defect) =>
      Effect.as(
        Console.error(
          errorLine(
            prefix,
            `internal error: ${Redaction.scrub(defect instanceof Error ? defect.message : "unknown", [process.env.POSTPRESS_API_KEY ?? ""])}`
          )
        ),
        ExitCode.inconclusive as number
      )
    )
  )
}
