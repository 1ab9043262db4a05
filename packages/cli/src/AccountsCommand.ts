/**
 * `postpress accounts get <id> [--base-url URL] [--timeout DURATION] [--max-retries N] [--pretty]`.
 *
 * The key only comes from `POSTPRESS_API_KEY` (a flag would end up in process
 * lists and shell history), read through `Config.redacted` and kept redacted
 * until the client builds the request header. Success prints the account JSON
 * on stdout. A failed request prints ONE JSON line on stderr and exits 1 (API
 * error), 3 (contract violation) or 4 (transport error, timeout, or an outage:
 * a gateway's page instead of the API's answer); a usage error (exit 2) is one
 * text line `postpress accounts get: …`, the rule of every command. All output
 * goes through `Console`, and none of it carries a raw control character from
 * a server: JSON is written by `terminalJson` (every control escaped, the
 * values unchanged), text lines escape them (`Printable.text`).
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import type * as Client from "@postpress/client/AccountsClient"
import { defaultBaseUrl } from "@postpress/schema/BaseUrl"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { ExitCode, exitCodeOf, type Report, reportOf, terminalJson } from "./internal/accountsReport.js"
import * as DurationFlag from "./internal/duration.js"
import { Exit, fail as failWith } from "./internal/exit.js"
import { Invocation } from "./internal/invocation.js"
import * as Flags from "./internal/options.js"

const id = Args.text({ name: "id" }).pipe(
  Args.withDescription("The account id. Any string: it is sent percent-encoded as one path segment.")
)

const options = {
  id,
  baseUrl: Flags.baseUrl(`API base URL (default: $POSTPRESS_BASE_URL, else ${defaultBaseUrl}).`),
  timeout: Flags.timeout(
    `Per-attempt time limit, e.g. ${DurationFlag.examples} (default 10s). The whole command is bounded by a deadline of 30s, or of the timeout if longer.`
  ),
  maxRetries: Options.integer("max-retries").pipe(
    Options.withPseudoName("N"),
    Options.withDescription(
      "Retries after the first attempt for 502/503/504, 429, network errors and timeouts (default 2)."
    ),
    Options.mapEffect((n) =>
      n >= 0 ? Effect.succeed(n) : Flags.invalid(`--max-retries: expected a whole number ≥ 0; got ${n}`)
    ),
    Options.optional
  ),
  pretty: Options.boolean("pretty").pipe(Options.withDescription("Indent the account JSON."))
}

/** @since 0.1.0 */
export type GetArgs = Command.Command.ParseConfig<typeof options>

const description = HelpDoc.blocks([
  HelpDoc.p("Retrieve one account by id and print it as JSON on stdout."),
  HelpDoc.p(
    'A failed request prints ONE line of JSON on stderr, e.g. {"_tag":"NotFound","status":404,"attempts":1,...}.'
  )
])

/**
 * Prints `report` as the one JSON line on stderr and leaves with `code`.
 *
 * @since 0.1.0
 * @category errors
 */
export const fail = (report: Report, code: number): Effect.Effect<never, Exit> =>
  Effect.zipRight(Console.error(terminalJson(report)), Effect.fail(new Exit({ code })))

/**
 * A usage error of `postpress accounts get`: one text line, exit 2.
 *
 * @since 0.1.0
 * @category errors
 */
export const usage = (message: string): Effect.Effect<never, Exit> => failWith("accounts get", message, ExitCode.usage)

const get = (args: GetArgs): Effect.Effect<void, Exit, Invocation> =>
  Effect.gen(function* () {
    const { argv } = yield* Invocation
    // @effect/cli takes an unknown flag for the positional id: a typo must not become a request.
    if (args.id.startsWith("-") && !argv.includes("--")) {
      return yield* usage(
        `unknown option ${args.id} (an id that starts with "-" goes after "--": postpress accounts get -- ${args.id})`
      )
    }
    const apiKey = yield* Effect.orElse(Config.redacted("POSTPRESS_API_KEY"), () =>
      usage("POSTPRESS_API_KEY is not set")
    )
    // THE base-URL rule, named after where the text came from (the flag, or POSTPRESS_BASE_URL).
    const baseUrl = Option.isNone(args.baseUrl) ? undefined : Flags.checkBaseUrl(args.baseUrl.value, argv)
    if (baseUrl !== undefined && Either.isLeft(baseUrl)) return yield* usage(baseUrl.left)
    // Loaded on use: `postpress contract` and `postpress mock` never pay for the client.
    const [AccountsClient, Account, Schema] = yield* Effect.promise(() =>
      Promise.all([
        import("@postpress/client/AccountsClient"),
        import("@postpress/schema/Account"),
        import("effect/Schema")
      ])
    )
    const timeout = Option.getOrUndefined(args.timeout)
    const client: Client.Options = {
      apiKey,
      ...(baseUrl === undefined ? {} : { baseUrl: baseUrl.right }),
      ...Option.match(args.maxRetries, { onNone: () => ({}), onSome: (n) => ({ maxRetries: n }) }),
      ...(timeout === undefined ? {} : { timeout, deadline: Duration.max(timeout, Duration.seconds(30)) })
    }
    const result = yield* AccountsClient.retrieve(args.id).pipe(
      Effect.provide(AccountsClient.layer(client)),
      Effect.either
    )
    if (result._tag === "Left") {
      const code = exitCodeOf(result.left)
      // A usage error is a text line whatever found it (the client refuses an id it cannot send).
      return yield* code === ExitCode.usage ? usage(result.left.message) : fail(reportOf(result.left), code)
    }
    const json = Schema.encodeSync(Account.Account)(result.right)
    yield* Console.log(terminalJson(json, args.pretty ? 2 : undefined))
  })

/**
 * `postpress accounts get`.
 *
 * @since 0.1.0
 * @category commands
 */
export const getCommand = Command.make("get", options, get).pipe(Command.withDescription(description))

/**
 * `postpress accounts`: the account commands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("accounts", {}, () =>
  failWith("accounts", "missing command (get); see postpress accounts --help")
).pipe(Command.withDescription("Accounts of your postpress workspace."), Command.withSubcommands([getCommand]))
