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
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import { checkGroups, checksOf, descriptions } from "@postpress/contract-tests/ContractCheck"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type ContractArgs, options } from "./internal/contractOptions.js"
import { Exit, fail } from "./internal/exit.js"
import { Invocation } from "./internal/invocation.js"
import * as Flags from "./internal/options.js"
import * as Reports from "./internal/reports.js"
import * as TrafficCommands from "./internal/trafficCommands.js"

export type { ContractArgs } from "./internal/contractOptions.js"

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
