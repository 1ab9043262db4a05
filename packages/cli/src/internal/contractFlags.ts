/**
 * The flags of `postpress contract`, keyed by `Contract.Config`'s fields
 * (the one table from the Schema's paths to the flags), and their spelling:
 * read by the command (`ContractCommand.ts`) and by the run it loads on use
 * (`contractRun.ts`).
 *
 * @internal
 */
import { checkGroups, checkNames } from "@postpress/contract-tests/ContractCheck"
import * as Schema from "effect/Schema"
import * as Grammar from "./grammar.js"
import { baseUrlFlag, file, maxBodySize, unknownTypes } from "./sharedFlags.js"
import * as Spec from "./spec.js"

/** The flags of `postpress contract` (the suite's; `proxy` and `har` have their own). */
export const flags = {
  baseUrl: baseUrlFlag(
    "Server to check (default: $POSTPRESS_BASE_URL, else start the embedded mock and use its fixtures)"
  ),
  accountIds: Spec.repeated(
    "account-id",
    "ID",
    "An account the key can read (repeatable; default $POSTPRESS_ACCOUNT_IDS)"
  ),
  foreignAccountIds: Spec.repeated("foreign-account-id", "ID", "An account of ANOTHER workspace (repeatable)"),
  seed: Spec.optional("seed", "N", "Seed of generated inputs (default: random, printed in the report)"),
  runs: Spec.optional("runs", "N", "Hostile ids to send (default 50)"),
  checks: Spec.optional(
    "checks",
    "LIST",
    `Only these checks or groups (${checkGroups.join(", ")}), comma-separated (default: all): ${checkNames.join(", ")}`
  ),
  excludeChecks: Spec.optional(
    "exclude-checks",
    "LIST",
    `Skip these checks or groups (${checkGroups.join(", ")}), comma-separated (default: none)`
  ),
  strict: Spec.toggle("strict", "Report unknown extra fields"),
  unknownTypes,
  requireVariants: Spec.toggle("require-variants", "Fail unless all 14 account types were seen"),
  junit: file("junit", "Write a JUnit XML report"),
  json: file("json", "Write the JSON report"),
  timeout: Spec.optional(
    "timeout",
    "DURATION",
    `Per-request time limit, e.g. ${Grammar.durationExamples} (default 10s)`
  ),
  concurrency: Spec.optional("concurrency", "N", "Requests in flight (default 8)"),
  rateLimit: Spec.optional(
    "rate-limit",
    "N",
    "At most N requests in any one-second window, retries included (default: no limit)"
  ),
  maxResponseTime: Spec.optional(
    "max-response-time",
    "DURATION",
    `Answers slower than this fail the response_time check, e.g. ${Grammar.durationExamples} (default: not checked)`
  ),
  failOnDrift: Spec.toggle(
    "fail-on-drift",
    "Fail when answers carry fields the spec does not know (drift); default: report them"
  ),
  html: file("html", "Write a self-contained HTML report"),
  maxBodyBytes: maxBodySize
}

/** The flags' spelling; what the values may be is `Contract.Config`'s. */
export const Grammars = Schema.Struct({
  seed: Schema.optional(Grammar.WholeNumber),
  runs: Schema.optional(Grammar.WholeNumber),
  checks: Schema.optional(Grammar.CommaList),
  excludeChecks: Schema.optional(Grammar.CommaList),
  timeout: Schema.optional(Grammar.DurationFromText({ positive: true })),
  concurrency: Schema.optional(Grammar.WholeNumber),
  rateLimit: Schema.optional(Grammar.WholeNumber),
  maxResponseTime: Schema.optional(Grammar.DurationFromText({ positive: true }))
})
