/**
 * The options of `postpress contract` and their parsed form: the command
 * (`ContractCommand.ts`) and the run it loads on use (`contractRun.ts`)
 * both read them from here.
 *
 * @since 0.1.0
 */
import type * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { checkGroups, checkNames } from "@postpress/contract-tests/ContractCheck"
import * as Effect from "effect/Effect"
import * as DurationFlag from "./duration.js"
import * as Flags from "./options.js"

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

/**
 * The flags of `postpress contract` (the suite's; `proxy` and `har` have their own).
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
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
