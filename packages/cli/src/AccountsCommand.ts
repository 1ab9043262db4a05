/**
 * `postpress accounts get <id> [--base-url URL] [--timeout DURATION] [--max-retries N] [--pretty]`.
 *
 * The key only comes from `POSTPRESS_API_KEY` (a flag would end up in process
 * lists and shell history), read through `Config.redacted` and kept redacted
 * until the client builds the request header. Success prints the account JSON
 * on stdout; every failure prints ONE JSON line on stderr and exits 1 (API
 * error), 2 (usage), 3 (contract violation) or 4 (transport error or timeout).
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import type * as Client from "@postpress/client/AccountsClient"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ExitCode, exitCodeOf, type Report, reportOf } from "./internal/accountsReport.js"
import * as DurationFlag from "./internal/duration.js"
import { Exit, writeLine } from "./internal/exit.js"
import * as Flags from "./internal/options.js"

const defaultBaseUrl = "https://api.postpress.ai/api"

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
    Options.withDescription("Retries after the first attempt for 503/504, network errors and timeouts (default 2)."),
    Options.mapEffect((n) =>
      n >= 0 ? Effect.succeed(n) : Flags.invalid(`--max-retries: expected an integer ≥ 0; got ${n}`)
    ),
    Options.optional
  ),
  pretty: Options.boolean("pretty").pipe(Options.withDescription("Indent the account JSON."))
}

/** @since 0.1.0 */
export type GetArgs = Command.Command.ParseConfig<typeof options>

const exitCodes = HelpDoc.blocks([
  HelpDoc.p("Environment: POSTPRESS_API_KEY (required; never a flag), POSTPRESS_BASE_URL (optional)."),
  HelpDoc.p("Success: the account as JSON on stdout, exit 0."),
  HelpDoc.p(
    'Failure: ONE line of JSON on stderr, e.g. {"_tag":"NotFound","status":404,"type":"errors/resource_not_found","attempts":1,"message":"..."}, and exit code 1 = API error (an HTTP error status, documented or not, 429 included), 2 = usage error (bad flags or id, missing key), 3 = contract violation (a body that does not match the schema), 4 = transport error or timeout.'
  )
])

/**
 * Prints `report` as the one JSON line on stderr and leaves with `code`.
 *
 * @since 0.1.0
 * @category errors
 */
export const fail = (report: Report, code: number): Effect.Effect<never, Exit> =>
  Effect.zipRight(
    Effect.sync(() => writeLine(process.stderr, JSON.stringify(report))),
    Effect.fail(new Exit({ code }))
  )

/**
 * A usage error of `postpress accounts`, as its one JSON line.
 *
 * @since 0.1.0
 * @category errors
 */
export const usage = (message: string): Effect.Effect<never, Exit> =>
  fail({ _tag: "UsageError", attempts: 0, message }, ExitCode.usage)

const get = (args: GetArgs): Effect.Effect<void, Exit> =>
  Effect.gen(function* () {
    // @effect/cli takes an unknown flag for the positional id: a typo must not become a request.
    if (args.id.startsWith("-") && !process.argv.includes("--")) {
      return yield* usage(`unknown option ${args.id} (an id that starts with "-" goes after "--": get -- ${args.id})`)
    }
    const apiKey = yield* Effect.orElse(Config.redacted("POSTPRESS_API_KEY"), () =>
      usage("POSTPRESS_API_KEY is not set")
    )
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
      ...Option.match(args.baseUrl, { onNone: () => ({}), onSome: (baseUrl) => ({ baseUrl }) }),
      ...Option.match(args.maxRetries, { onNone: () => ({}), onSome: (n) => ({ maxRetries: n }) }),
      ...(timeout === undefined ? {} : { timeout, deadline: Duration.max(timeout, Duration.seconds(30)) })
    }
    const result = yield* AccountsClient.retrieve(args.id).pipe(
      Effect.provide(AccountsClient.layer(client)),
      Effect.either
    )
    if (result._tag === "Left") return yield* fail(reportOf(result.left), exitCodeOf(result.left))
    const json = Schema.encodeSync(Account.Account)(result.right)
    writeLine(process.stdout, args.pretty ? JSON.stringify(json, null, 2) : JSON.stringify(json))
  })

/**
 * `postpress accounts get`.
 *
 * @since 0.1.0
 * @category commands
 */
export const getCommand = Command.make("get", options, get).pipe(
  Command.withDescription(HelpDoc.blocks([HelpDoc.p("Retrieve one account by id."), exitCodes]))
)

/**
 * `postpress accounts`: the account commands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("accounts", {}, () =>
  usage("postpress accounts: missing command; see --help")
).pipe(Command.withDescription("Accounts of your postpress workspace."), Command.withSubcommands([getCommand]))
