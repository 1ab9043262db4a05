/**
 * The `postpress` command line:
 * `postpress accounts get <id> [--base-url URL] [--timeout DURATION] [--max-retries N] [--pretty]`.
 *
 * The key only comes from `POSTPRESS_API_KEY` (a flag would end up in process
 * lists and shell history). Success prints the account JSON on stdout; every
 * failure prints ONE JSON line on stderr and exits 1 (API error), 2 (usage),
 * 3 (contract violation) or 4 (transport error or timeout).
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import { Account, AccountsApi } from "@postpress/schema"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AccountsClient from "./AccountsClient.js"
import { ExitCode, exitCodeOf, type Report, reportOf } from "./internal/report.js"
import { version } from "./internal/version.js"
import * as RetryPolicy from "./RetryPolicy.js"

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Parses `500ms`, `1s`, `1.5s`, `2m`, `1h` into milliseconds; `undefined` for
 * anything else or a zero duration.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseDuration = (input: string): number | undefined => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(input.trim())
  if (match === null) return undefined
  const ms = Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN)
  return Number.isFinite(ms) && ms > 0 ? ms : undefined
}

const invalid = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

const id = Args.text({ name: "id" }).pipe(
  Args.withDescription("The account id. Any string: it is sent percent-encoded as one path segment.")
)

const baseUrl = Options.text("base-url").pipe(
  Options.withDescription(`API base URL; default: $POSTPRESS_BASE_URL, else ${AccountsApi.defaultBaseUrl}.`),
  Options.optional
)

const timeout = Options.text("timeout").pipe(
  Options.withDescription(
    "Per-attempt time limit, e.g. 500ms, 10s, 2m (default 10s). The whole command is bounded by a deadline of 30s, or of the timeout if longer."
  ),
  Options.mapEffect((s) => {
    const ms = parseDuration(s)
    return ms === undefined
      ? invalid(`--timeout: expected a duration like 500ms, 1s, 2m; got ${JSON.stringify(s)}`)
      : Effect.succeed(ms)
  }),
  Options.optional
)

const maxRetries = Options.integer("max-retries").pipe(
  Options.withDescription(
    `Retries after the first attempt for 503/504, network errors and timeouts (default ${RetryPolicy.defaults.maxRetries}).`
  ),
  Options.mapEffect((n) => (n >= 0 ? Effect.succeed(n) : invalid(`--max-retries: expected an integer ≥ 0; got ${n}`))),
  Options.optional
)

const pretty = Options.boolean("pretty").pipe(Options.withDescription("Indent the account JSON."))

const contract = HelpDoc.blocks([
  HelpDoc.p("Environment: POSTPRESS_API_KEY (required; never a flag), POSTPRESS_BASE_URL (optional)."),
  HelpDoc.p("Success: the account as JSON on stdout, exit 0."),
  HelpDoc.p(
    'Failure: ONE line of JSON on stderr, e.g. {"_tag":"NotFound","status":404,"type":"errors/resource_not_found","attempts":1,"message":"..."}, and exit code 1 = API error (an HTTP error status, documented or not), 2 = usage error (bad flags or id, missing key), 3 = contract violation (a body that does not match the schema), 4 = transport error or timeout.'
  )
])

/** One write, newline included, straight to the stream: no Console, no logger. */
const writeLine = (stream: NodeJS.WriteStream, line: string) => Effect.sync(() => stream.write(`${line}\n`))

const fail = (report: Report, code: ExitCode) => Effect.as(writeLine(process.stderr, JSON.stringify(report)), code)

const usage = (message: string) => fail({ _tag: "UsageError", attempts: 0, message }, ExitCode.usage)

interface GetArgs {
  readonly id: string
  readonly baseUrl: Option.Option<string>
  readonly timeout: Option.Option<number>
  readonly maxRetries: Option.Option<number>
  readonly pretty: boolean
}

const encodeAccount = Schema.encodeSync(Account.Account)

const get = (args: GetArgs): Effect.Effect<ExitCode> =>
  Effect.gen(function* () {
    const env = yield* Effect.either(AccountsClient.config)
    if (env._tag === "Left") return yield* usage("POSTPRESS_API_KEY is not set")
    const timeoutMs = Option.getOrUndefined(args.timeout)
    const options: AccountsClient.Options = {
      apiKey: env.right.apiKey,
      baseUrl: Option.getOrElse(args.baseUrl, () => env.right.baseUrl),
      ...Option.match(args.maxRetries, { onNone: () => ({}), onSome: (n) => ({ maxRetries: n }) }),
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs, deadline: Math.max(timeoutMs, 30_000) })
    }
    const result = yield* AccountsClient.retrieve(args.id).pipe(
      Effect.provide(AccountsClient.layer(options)),
      Effect.either
    )
    if (result._tag === "Left") return yield* fail(reportOf(result.left), exitCodeOf(result.left))
    const json = encodeAccount(result.right)
    yield* writeLine(process.stdout, args.pretty ? JSON.stringify(json, null, 2) : JSON.stringify(json))
    return ExitCode.ok
  })

/**
 * Runs the CLI on `argv` (as in `process.argv`) and returns the exit code.
 * Never fails: every outcome, defects included, ends as an exit code with at
 * most one JSON line on stderr.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  Effect.suspend(() => {
    let code: number = ExitCode.ok
    const getCommand = Command.make("get", { id, baseUrl, timeout, maxRetries, pretty }, (args) =>
      Effect.map(get(args), (c) => {
        code = c
      })
    ).pipe(Command.withDescription(HelpDoc.blocks([HelpDoc.p("Retrieve one account by id."), contract])))
    const missingCommand = (what: string) => () =>
      Effect.map(usage(`${what}: missing command; see --help`), (c) => {
        code = c
      })
    const accounts = Command.make("accounts", {}, missingCommand("postpress accounts")).pipe(
      Command.withDescription("Accounts of your postpress workspace."),
      Command.withSubcommands([getCommand])
    )
    const root = Command.make("postpress", {}, missingCommand("postpress")).pipe(
      Command.withDescription(HelpDoc.blocks([HelpDoc.p("The postpress API from the shell."), contract])),
      Command.withSubcommands([accounts])
    )
    const cli = Command.run(root, { name: "postpress", version })
    return cli(argv).pipe(
      // @effect/cli prints usage errors itself, as multi-line text on stderr;
      // silence that and print our one JSON line instead.
      // Help text is styled with ANSI codes; keep them for terminals only.
      (effect) =>
        Effect.consoleWith((console) =>
          Effect.withConsole(effect, {
            ...console,
            error: () => Effect.void,
            log: (...args) =>
              console.log(
                ...(process.stdout.isTTY ? args : args.map((a) => (typeof a === "string" ? a.replace(ANSI, "") : a)))
              )
          })
        ),
      Effect.flatMap(() => Effect.sync(() => code)),
      Effect.catchAll((error) =>
        usage(ValidationError.isValidationError(error) ? helpText(error.error) : String(error))
      ),
      Effect.catchAllCause((cause) => {
        const squashed = Cause.squash(cause)
        const message = squashed instanceof Error ? squashed.message : "internal error"
        return fail({ _tag: "InternalError", attempts: 0, message }, ExitCode.apiError)
      })
    )
  })

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what we strip.
const ANSI = /\u001b\[[0-9;]*m/g

const helpText = (doc: HelpDoc.HelpDoc): string =>
  HelpDoc.toAnsiText(doc).replace(ANSI, "").replace(/\s+/g, " ").trim() || "invalid command line"

/**
 * The layer `run` needs on Node (file system, path, terminal).
 *
 * @since 0.1.0
 * @category running
 */
export type Environment = CliApp.CliApp.Environment
