/**
 * `postpress contract`: runs the contract suite against `--base-url` (or
 * `POSTPRESS_BASE_URL`; key from `POSTPRESS_API_KEY`, ids from `--account-id`
 * or `POSTPRESS_ACCOUNT_IDS`), or, with neither, against the embedded mock
 * and its fixtures. Its flags decode into the suite's ONE config Schema
 * (`Contract.Config`): its rules, its messages, named after the flag.
 *
 * Exit codes: the one table of `internal/exitCode.ts` (0 pass, 1 violations,
 * 2 usage error, 4 inconclusive, 130/143 interrupted by SIGINT/SIGTERM); an
 * error is one line `postpress contract: …` on stderr, never a stack trace.
 *
 * Subcommands (`postpress contract proxy`, `postpress contract har`) attach
 * to {@link command}; the options of the suite stay on `contract` itself.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import { checkGroups, checksOf, descriptions } from "@postpress/contract-tests/ContractCheck"
import * as Effect from "effect/Effect"
import * as Program from "./internal/command.js"
import { flags } from "./internal/contractFlags.js"
import * as HarCommand from "./internal/harCommand.js"
import { usageLine } from "./internal/output.js"
import * as ProxyCommand from "./internal/proxyCommand.js"
import { orInterrupted } from "./internal/signals.js"
import * as Spec from "./internal/spec.js"

/**
 * `postpress contract`, described once (with its subcommands): help, parse
 * errors and the README are rendered from this.
 *
 * @since 0.1.0
 * @category commands
 */
export const doc = Spec.doc(["contract"], {
  description: [
    "Check a server against the postpress accounts contract (GET /v1/accounts/{id}).",
    "",
    "The API key comes from POSTPRESS_API_KEY; without --base-url or POSTPRESS_BASE_URL the embedded mock and its fixtures are used.",
    ...checkGroups.flatMap((group) => [
      `Checks, group ${group}:`,
      ...checksOf(group).map((c) => `  ${c}: ${descriptions[c]}`)
    ])
  ].join("\n"),
  flags,
  groups: [
    ["Target", ["--base-url", "--account-id", "--foreign-account-id"]],
    ["Reports", ["--json", "--junit", "--html"]],
    [
      "Checks",
      ["--checks", "--exclude-checks", "--strict", "--unknown-types", "--require-variants", "--fail-on-drift"]
    ],
    ["Generated inputs", ["--seed", "--runs"], "help-all"],
    ["Limits", ["--timeout", "--concurrency", "--rate-limit", "--max-response-time", "--max-body-size"], "help-all"]
  ],
  environment: [
    ["POSTPRESS_API_KEY", "the API key (required with --base-url; never a flag)"],
    ["POSTPRESS_BASE_URL", "the server when --base-url is not given"],
    ["POSTPRESS_ACCOUNT_IDS", "comma-separated account ids when --account-id is not given"]
  ],
  examples: [
    ["Against the embedded mock", "postpress contract"],
    [
      "In CI, against staging",
      "postpress contract --base-url https://staging.example.com/api --account-id acc_1 \\\n" +
        "    --junit reports/contract.xml --json reports/contract.json --html reports/contract.html"
    ],
    ["Only the security checks", "postpress contract --base-url URL --account-id acc_1 --checks security"]
  ],
  subcommands: [ProxyCommand.doc, HarCommand.doc]
})

const name = "contract"

const config = Spec.options(flags)

const suite = (args: Program.Parsed<typeof config>) =>
  Effect.gen(function* () {
    // Loaded on use, so `--help` and the other commands never load the suite.
    const ContractRun = yield* Effect.promise(() => import("./internal/contractRun.js"))
    return yield* ContractRun.run(args)
  }).pipe(Effect.catchAll(usageLine(name)))

/**
 * `postpress contract`, with `proxy` and `har` below it.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Program.make(name, config, (args) => orInterrupted(suite(args))).pipe(
  Command.withSubcommands([ProxyCommand.command, HarCommand.command])
)
