/**
 * The `postpress` program: `accounts get`, `contract` (with `proxy` and
 * `har`) and `mock` under one root command, one grammar and one way out.
 *
 * One way out: every command is an `Effect<ExitCode, never>` that prints its
 * own lines and returns its code; {@link run} returns it, and `main.ts`
 * exits with it. A defect (a bug of ours) becomes ONE line, scrubbed of the
 * key (`Redaction`), and exit 4, never a verdict.
 *
 * Output rules, shared by every command:
 * - everything is written through `Console` (never to `process.stdout`), so a
 *   test runs the program in-process with its own `Console`, argv and signals;
 * - a usage error is ONE line on stderr, `postpress <command>: …`, naming the
 *   flag and what it accepts, and exit 2 (the exit codes: `internal/exitCode.ts`);
 * - `--help` is plain text, at most 100 columns, rendered from the one
 *   description of the commands (`internal/spec.ts`, `internal/help.ts`).
 *
 * `@effect/cli` parses the command line (its shape only: values are judged
 * by the config Schemas); what it refuses is explained from the error's tag
 * and the commands' description (`internal/parseError.ts`).
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import { Redaction } from "@postpress/schema"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as AccountsCommand from "./AccountsCommand.js"
import * as ContractCommand from "./ContractCommand.js"
import * as Program from "./internal/command.js"
import { ExitCode } from "./internal/exitCode.js"
import * as Help from "./internal/help.js"
import { Invocation } from "./internal/invocation.js"
import { refuse } from "./internal/output.js"
import * as ParseError from "./internal/parseError.js"
import type { Signals } from "./internal/signals.js"
import * as Spec from "./internal/spec.js"
import { version } from "./internal/version.js"
import * as MockCommand from "./MockCommand.js"
import * as SchemaCommand from "./SchemaCommand.js"

/**
 * The program, described once: every command's description hangs below.
 *
 * @since 0.1.0
 * @category commands
 */
export const doc: Spec.CommandDoc = Spec.doc([], {
  description: "the postpress accounts API from the shell",
  subcommands: [AccountsCommand.doc, ContractCommand.doc, MockCommand.doc, SchemaCommand.doc],
  environment: [
    ["POSTPRESS_API_KEY", "the API key; never a flag, so it stays out of shell history and process lists"],
    ["POSTPRESS_BASE_URL", "the API base URL when --base-url is not given"]
  ],
  examples: [
    ["", "postpress accounts get --pretty acc_123"],
    ["", "postpress contract --base-url https://staging.example.com/api --account-id acc_1"],
    ["", "postpress mock --port 4010"],
    ["", "postpress schema diff old/openapi.json openapi.json"]
  ]
})

const root = Program.make("postpress", {}, () =>
  refuse("", `missing command (${Spec.choices(doc).join(", ")}); see postpress --help`)
).pipe(
  Command.withSubcommands([
    AccountsCommand.command,
    ContractCommand.command,
    MockCommand.command,
    SchemaCommand.command
  ])
)

/**
 * The help text for a command path (`[]`: the program's).
 *
 * @since 0.1.0
 * @category help
 */
export const helpText = (path: ReadonlyArray<string>, detail: Help.Detail = "brief"): string => {
  const at = Spec.locate(doc, path)
  return at.path.length === 0 ? Help.rootHelp(version, doc) : Help.commandHelp(at, detail)
}

/**
 * What the program needs to run: what `@effect/cli` needs (file system,
 * path, terminal) and the signals.
 *
 * @since 0.1.0
 * @category running
 */
export type Environment = CliApp.CliApp.Environment | Signals

/** The chosen command run to its exit code, or the line for a command line the parser refused. */
const dispatch = (
  args: ReadonlyArray<string>,
  at: Spec.CommandDoc
): Effect.Effect<ExitCode, never, Environment | Invocation> =>
  Effect.gen(function* () {
    const name = at.path.join(" ")
    const parsed = yield* Effect.either(
      Descriptor.parse(root.descriptor, ["postpress", ...args], CliConfig.make({ showBuiltIns: false }))
    )
    if (parsed._tag === "Left") return yield* refuse(name, ParseError.explain(parsed.left, at, args))
    const directive = parsed.right
    if (directive._tag === "BuiltIn") return yield* refuse(name, ParseError.explainBuiltIn(at, args))
    if (directive.leftover.length > 0) return yield* refuse(name, ParseError.leftover(at, args, directive.leftover))
    const outcome = yield* Deferred.make<ExitCode>()
    yield* root.handler(directive.value).pipe(Effect.provideService(Program.Outcome, outcome))
    return yield* Deferred.await(outcome)
  })

/** A bug of ours is no verdict: exit 4 (never 1, which says "violations found"), one line, no key in it. */
const internalError = (name: string) => (defect: unknown) =>
  Effect.flatMap(Effect.orElseSucceed(Config.option(Config.string("POSTPRESS_API_KEY")), Option.none), (key) =>
    refuse(
      name,
      `internal error: ${Redaction.scrub(defect instanceof Error ? defect.message : String(defect), Option.toArray(key))}`,
      ExitCode.internalError
    )
  )

/**
 * Runs the program on `argv` (as in `process.argv`: executable and script
 * first) and returns the exit code. Never fails: every outcome, defects
 * included, ends as an exit code with its lines printed.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode, never, Environment> => {
  const args = argv.slice(2)
  const typed = ParseError.beforeDoubleDash(args)
  const at = Spec.locate(doc, args)
  const name = at.path.join(" ")
  return Effect.gen(function* () {
    const refused = ParseError.refusedBuiltIn(at, typed)
    if (refused !== undefined) return yield* refuse(name, refused)
    if (typed.includes(Help.allFlag) || typed.includes("--help") || typed.includes("-h")) {
      yield* Console.log(helpText(at.path, typed.includes(Help.allFlag) ? "all" : "brief"))
      return ExitCode.ok
    }
    if (typed.includes("--version")) {
      yield* Console.log(version)
      return ExitCode.ok
    }
    return yield* dispatch(args, at)
  }).pipe(
    Effect.provideService(Invocation, { tool: "postpress", version, argv: args }),
    Effect.catchAllDefect(internalError(name))
  )
}
