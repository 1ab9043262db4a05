/**
 * `postpress accounts get <id> [--base-url URL] [--timeout DURATION] [--max-retries N] [--pretty]
 * [--unknown-types fail|keep]`.
 *
 * The key only comes from `POSTPRESS_API_KEY` (a flag would end up in process
 * lists and shell history), read through `Config.redacted` and kept redacted
 * until the client builds the request header. The flags decode into the
 * client's ONE config Schema (`AccountsClient.Config`): its rules and their
 * messages, named after the flag (or `POSTPRESS_BASE_URL`).
 *
 * Success prints the account JSON on stdout. A failed request prints ONE
 * JSON line on stderr and exits 1 (API error), 3 (contract violation) or 4
 * (transport error, timeout, or an outage: a gateway's page instead of the
 * API's answer); a usage error (exit 2) is one text line `postpress accounts
 * get: …`, the rule of every command; SIGINT/SIGTERM abort the request and
 * exit 130/143. None of the output carries a raw control character from a
 * server: JSON is written by `terminalJson` (every control escaped, the
 * values unchanged), text lines escape them (`Printable.text`).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import type * as AccountsClientModule from "@postpress/client/AccountsClient"
import { defaultBaseUrl } from "@postpress/schema/BaseUrl"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { exitCodeOf, reportOf } from "./internal/accountsReport.js"
import * as Program from "./internal/command.js"
import { decode, given } from "./internal/decode.js"
import { BadCommandLine, MissingVariable } from "./internal/errors.js"
import { ExitCode } from "./internal/exitCode.js"
import * as Grammar from "./internal/grammar.js"
import { Invocation } from "./internal/invocation.js"
import { refuse, terminalJson, usageLine } from "./internal/output.js"
import { baseUrlFlag, baseUrlInput } from "./internal/sharedFlags.js"
import { orInterrupted } from "./internal/signals.js"
import * as Spec from "./internal/spec.js"

const id = Spec.argument("id", "The account id. Any string: it is sent percent-encoded as one path segment.")

/** Keyed by `AccountsClient.Config`'s fields (`pretty` is the command's own). */
const flags = {
  baseUrl: baseUrlFlag(`API base URL (default: $POSTPRESS_BASE_URL, else ${defaultBaseUrl}).`),
  timeout: Spec.optional(
    "timeout",
    "DURATION",
    `Per-attempt time limit, e.g. ${Grammar.durationExamples} (default 10s). The whole command is bounded by a deadline of 30s, or of the timeout if longer.`
  ),
  maxRetries: Spec.optional(
    "max-retries",
    "N",
    "Retries after the first attempt for 502/503/504, 429, network errors and timeouts (default 2)."
  ),
  pretty: Spec.toggle("pretty", "Indent the account JSON."),
  unknownTypes: Spec.optional(
    "unknown-types",
    "fail|keep",
    "An account whose type is none of the 14: fail (exit 3, the default) or keep it and print it as received (exit 0)."
  )
}

/** The flags' spelling; what the values may be is the client's Config. */
const Grammars = Schema.Struct({
  timeout: Schema.optional(Grammar.DurationFromText({ positive: true })),
  maxRetries: Schema.optional(Grammar.WholeNumber)
})

/**
 * `postpress accounts get`, described once: help, parse errors and the README are rendered from this.
 *
 * @since 0.1.0
 * @category commands
 */
export const getDoc = Spec.doc(["accounts", "get"], {
  description: [
    "Retrieve one account by id and print it as JSON on stdout.",
    'A failed request prints ONE line of JSON on stderr, e.g. {"_tag":"NotFound","status":404,"attempts":1,...}.'
  ].join("\n"),
  flags,
  args: [id],
  groups: [
    ["Target", ["--base-url", "--timeout", "--max-retries"]],
    ["Output", ["--pretty", "--unknown-types"]]
  ],
  environment: [
    ["POSTPRESS_API_KEY", "the API key (required; never a flag, so it stays out of shell history)"],
    ["POSTPRESS_BASE_URL", "the API base URL when --base-url is not given"]
  ],
  examples: [
    ["Print one account, indented", "postpress accounts get --pretty acc_123"],
    ["An id that starts with a dash", "postpress accounts get -- -odd-id"],
    [
      "Print an account even of a type the spec does not define yet",
      "postpress accounts get --unknown-types keep acc_123"
    ]
  ]
})

const name = "accounts get"

type GetArgs = Program.Parsed<ReturnType<typeof Spec.options<typeof flags>> & { readonly id: typeof id.args }>

const retrieve = (args: GetArgs) =>
  Effect.gen(function* () {
    const { argv } = yield* Invocation
    // @effect/cli takes an unknown flag for the positional id: a typo must not become a request.
    if (args.id.startsWith("-") && !argv.includes("--")) {
      return yield* new BadCommandLine({
        explanation: `unknown option ${args.id} (an id that starts with "-" goes after "--": postpress accounts get -- ${args.id})`
      })
    }
    const apiKey = yield* Effect.mapError(
      Config.redacted("POSTPRESS_API_KEY"),
      () => new MissingVariable({ variable: "POSTPRESS_API_KEY" })
    )
    const typed = yield* decode(Grammars, flags, given(args))
    const baseUrl = yield* baseUrlInput(args.baseUrl)
    // Loaded on use: `postpress contract` and `postpress mock` never pay for the client.
    const [AccountsClient, Account] = yield* Effect.promise(() =>
      Promise.all([import("@postpress/client/AccountsClient"), import("@postpress/schema/Account")])
    )
    const config = yield* decode(
      AccountsClient.Config,
      flags,
      {
        apiKey,
        ...(baseUrl.value === undefined ? {} : { baseUrl: baseUrl.value }),
        ...(typed.maxRetries === undefined ? {} : { maxRetries: typed.maxRetries }),
        ...(Option.isNone(args.unknownTypes) ? {} : { unknownTypes: args.unknownTypes.value }),
        // The command's deadline: 30 s, or the per-attempt timeout if longer.
        ...(typed.timeout === undefined
          ? {}
          : { timeout: typed.timeout, deadline: Duration.max(typed.timeout, Duration.seconds(30)) })
      },
      { sources: baseUrl.sources }
    )
    // Kept unknown types make a client of its own tag: what it returns is typed by the option. The decoded
    // config is passed as it is (the client does not decode it again), narrowed by its `unknownTypes`.
    const client: AccountsClientModule.KeepingConfig | AccountsClientModule.FailingConfig = config
    const result = yield* Effect.either(
      client.unknownTypes === "keep"
        ? Effect.flatMap(AccountsClient.TolerantAccountsClient, (tolerant) => tolerant.retrieve(args.id)).pipe(
            Effect.provide(AccountsClient.layer(client))
          )
        : AccountsClient.retrieve(args.id).pipe(Effect.provide(AccountsClient.layer(client)))
    )
    if (result._tag === "Left") {
      const code = exitCodeOf(result.left)
      // A usage error is a text line whatever found it (the client refuses an id it cannot send).
      if (code === ExitCode.usage) return yield* refuse(name, result.left.message)
      return yield* Effect.as(Console.error(terminalJson(reportOf(result.left))), code)
    }
    // An account of an unknown type is printed as received (its raw fields).
    yield* Console.log(
      terminalJson(Schema.encodeSync(Account.AccountOrUnknown)(result.right), args.pretty ? 2 : undefined)
    )
    return ExitCode.ok
  }).pipe(Effect.catchAll(usageLine(name)))

/**
 * `postpress accounts get`.
 *
 * @since 0.1.0
 * @category commands
 */
export const getCommand = Program.make("get", { ...Spec.options(flags), id: id.args }, (args) =>
  orInterrupted(retrieve(args))
)

/**
 * `postpress accounts`, described once.
 *
 * @since 0.1.0
 * @category commands
 */
export const doc = Spec.doc(["accounts"], {
  description: "Accounts of your postpress workspace.",
  subcommands: [getDoc],
  examples: [["Print one account", "postpress accounts get acc_123"]]
})

/**
 * `postpress accounts`: the account commands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Program.make("accounts", {}, () =>
  refuse("accounts", `missing command (${Spec.choices(doc).join(", ")}); see postpress accounts --help`)
).pipe(Command.withSubcommands([getCommand]))
