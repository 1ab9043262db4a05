/**
 * `postpress contract`: runs the contract suite against `--base-url` (or
 * `POSTPRESS_BASE_URL`; key from `POSTPRESS_API_KEY`, ids from `--account-id`
 * or `POSTPRESS_ACCOUNT_IDS`), or, with neither, against the embedded mock
 * and its fixtures.
 *
 * Exit codes: the one table of `internal/exit.ts` (0 pass, 1 violations,
 * 2 usage error, 4 inconclusive, 130/143 interrupted by SIGINT/SIGTERM); an
 * error is one line `postpress contract: …` on stderr, never a stack trace.
 *
 * Subcommands (`postpress contract proxy`, `postpress contract har`) attach
 * to {@link command}; the options of the suite stay on `contract` itself.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import { checkGroups, checkNames, checksOf, descriptions } from "@postpress/contract-tests/ContractCheck"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as DurationFlag from "./internal/duration.js"
import { Exit, fail } from "./internal/exit.js"
import { Invocation } from "./internal/invocation.js"
import * as Flags from "./internal/options.js"
import * as Reports from "./internal/reports.js"
import * as TrafficCommands from "./internal/trafficCommands.js"

const selectable: ReadonlyArray<string> = [...checkNames, ...checkGroups]

/** Unknown names shown at most this many, each at most this long: the usage line stays one short line. */
const MAX_UNKNOWN_SHOWN = 3
const MAX_NAME_SHOWN = 40

/**
 * The usage line for unknown check names: ONE line of at most 200
 * characters whatever was typed, naming the groups and pointing to `--help`
 * for the checks (17 names would not fit).
 */
const unknownChecks = (flag: string, unknown: ReadonlyArray<string>): string => {
  const shown = unknown
    .slice(0, MAX_UNKNOWN_SHOWN)
    .map((n) => (n.length > MAX_NAME_SHOWN ? `${n.slice(0, MAX_NAME_SHOWN)}…` : n))
  const more = unknown.length > MAX_UNKNOWN_SHOWN ? ` and ${unknown.length - MAX_UNKNOWN_SHOWN} more` : ""
  return `--${flag}: unknown check${unknown.length > 1 ? "s" : ""} ${shown.join(", ")}${more}; groups: ${checkGroups.join(", ")}; the checks are listed by postpress contract --help`
}

/** `--NAME LIST`: comma-separated check names or groups; an unknown name is a usage error naming the groups. */
const list = (name: string, description: string) =>
  Options.text(name).pipe(
    Options.withPseudoName("LIST"),
    Options.withDescription(description),
    Options.mapEffect((text) => {
      const names = text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
      const unknown = names.filter((n) => !selectable.includes(n))
      return unknown.length === 0 ? Effect.succeed(names) : Flags.invalid(unknownChecks(name, unknown))
    }),
    Options.optional
  )

const file = (name: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName("FILE"), Options.withDescription(description), Options.optional)

const options = {
  baseUrl: Flags.baseUrl(
    "Server to check (default: $POSTPRESS_BASE_URL, else start the embedded mock and use its fixtures)"
  ),
  accountIds: Options.text("account-id").pipe(
    Options.withPseudoName("ID"),
    Options.withDescription("An account the key can read (repeatable; default $POSTPRESS_ACCOUNT_IDS)"),
    Options.repeated
  ),
  foreignAccountIds: Options.text("foreign-account-id").pipe(
    Options.withPseudoName("ID"),
    Options.withDescription("An account of ANOTHER workspace (repeatable)"),
    Options.repeated
  ),
  seed: Flags.seed("Seed of generated inputs (default: random, printed in the report)"),
  runs: Flags.count("runs", "Hostile ids to send (default 50)"),
  checks: list(
    "checks",
    `Only these checks or groups (${checkGroups.join(", ")}), comma-separated: ${checkNames.join(", ")}`
  ),
  excludeChecks: list("exclude-checks", `Skip these checks or groups (${checkGroups.join(", ")}), comma-separated`),
  strict: Options.boolean("strict").pipe(Options.withDescription("Report unknown extra fields")),
  requireVariants: Options.boolean("require-variants").pipe(
    Options.withDescription("Fail unless all 14 account types were seen")
  ),
  junit: file("junit", "Write a JUnit XML report"),
  json: file("json", "Write the JSON report"),
  timeout: Flags.timeout(`Per-request time limit, e.g. ${DurationFlag.examples} (default 10s)`),
  concurrency: Flags.count("concurrency", "Requests in flight (default 8)"),
  rateLimit: Flags.count(
    "rate-limit",
    "At most N requests in any one-second window, retries included (default: no limit)"
  ),
  maxResponseTime: Flags.duration("max-response-time", { positive: true }).pipe(
    Options.withDescription(`Answers slower than this fail the response_time check, e.g. ${DurationFlag.examples}`),
    Options.optional
  ),
  failOnDrift: Options.boolean("fail-on-drift").pipe(
    Options.withDescription("Fail when answers carry fields the spec does not know (drift); default: report them")
  ),
  html: file("html", "Write a self-contained HTML report"),
  maxBodySize: Flags.maxBodySize
}

/**
 * The parsed options of `postpress contract`.
 *
 * @since 0.1.0
 * @category models
 */
export type ContractArgs = Command.Command.ParseConfig<typeof options>

/**
 * Prints `postpress contract: <message>` as the one line on stderr and leaves with 2.
 *
 * @since 0.1.0
 * @category errors
 */
export const usage = (message: string): Effect.Effect<never, Exit> => fail("contract", message)

const accountIdsFromEnv = Config.string("POSTPRESS_ACCOUNT_IDS").pipe(
  Config.map((text) =>
    text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
  ),
  Config.withDefault([] as ReadonlyArray<string>)
)

const handler = (args: ContractArgs): Effect.Effect<void, Exit, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    // THE base-URL rule, before anything else: `…/api?` would send the key to the wrong path.
    if (Option.isSome(args.baseUrl)) {
      const argv = Option.match(yield* Effect.serviceOption(Invocation), { onNone: () => [], onSome: (i) => i.argv })
      const checked = Flags.checkBaseUrl(args.baseUrl.value, argv)
      if (Either.isLeft(checked)) return yield* usage(checked.left)
    }
    // Before the first request: a report path that cannot be written costs one line, not a whole run.
    yield* Reports.prepare("contract", [
      { flag: "--json", path: Option.getOrUndefined(args.json) },
      { flag: "--junit", path: Option.getOrUndefined(args.junit) },
      { flag: "--html", path: Option.getOrUndefined(args.html) }
    ])
    const envIds = yield* Effect.orElse(accountIdsFromEnv, () => usage("POSTPRESS_ACCOUNT_IDS cannot be read"))
    const apiKey = Option.isSome(args.baseUrl)
      ? yield* Effect.orElse(Config.redacted("POSTPRESS_API_KEY"), () =>
          usage("POSTPRESS_API_KEY must be set when --base-url (or POSTPRESS_BASE_URL) is given")
        )
      : undefined
    // Loaded on use, so `--help` and the other commands never load the suite.
    const { run } = yield* Effect.promise(() => import("./internal/contractRun.js"))
    const code = yield* run(args, { apiKey, envIds })
    if (code !== 0) return yield* Effect.fail(new Exit({ code }))
  })

/**
 * `postpress contract`. Subcommands (`proxy`, `har`) attach here with
 * `Command.withSubcommands([...])`; `Cli.ts` takes whatever this is.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("contract", options, handler).pipe(
  Command.withDescription(
    [
      "Checks a server against the postpress accounts contract (GET /v1/accounts/{id}).",
      "The API key comes from POSTPRESS_API_KEY; without --base-url or POSTPRESS_BASE_URL the embedded mock and its fixtures are used.",
      ...checkGroups.flatMap((group) => [
        `Checks, group ${group}:`,
        ...checksOf(group).map((c) => `  ${c}: ${descriptions[c]}`)
      ])
    ].join("\n")
  ),
  Command.withSubcommands([TrafficCommands.proxyCommand, TrafficCommands.harCommand])
)
