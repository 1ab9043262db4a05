/**
 * The body of `postpress contract`, loaded only when the suite runs: the
 * engine, the mock and the report writers are most of the program's code.
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type { Progress } from "@postpress/contract-tests/Contract"
import { runContract } from "@postpress/contract-tests/Contract"
import { type CheckSelector, select } from "@postpress/contract-tests/ContractCheck"
import { ContractError } from "@postpress/contract-tests/ContractError"
import { render as toHtml } from "@postpress/contract-tests/ContractHtml"
import { toJunitXml } from "@postpress/contract-tests/ContractJunit"
import { runAgainstMock } from "@postpress/contract-tests/ContractMock"
import { type ContractReport, formatHuman, toJson } from "@postpress/contract-tests/ContractReport"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { ContractArgs } from "../ContractCommand.js"
import { writeLine } from "./exit.js"

const checkList = (names: Option.Option<ReadonlyArray<string>>) =>
  Option.getOrUndefined(names) as ReadonlyArray<CheckSelector> | undefined

const progress = (event: Progress): void => {
  if (event._tag === "Start") {
    writeLine(process.stderr, `contract: ${event.check} (${event.requests} requests)…`)
  } else if (event._tag === "Tick") {
    writeLine(process.stderr, `contract: ${event.check} ${event.done}/${event.requests}`)
  } else {
    const verdict = event.failures === 0 ? "ok" : `${event.failures} failure(s)`
    writeLine(process.stderr, `contract: ${event.check} done: ${verdict}`)
  }
}

const writeReports = (report: ContractReport, args: ContractArgs) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const write = (path: string, text: string) =>
      fs
        .writeFileString(path, text)
        .pipe(
          Effect.mapError(
            (error) => new ContractError({ reason: "InvalidConfig", message: `cannot write ${path}: ${error.message}` })
          )
        )
    if (Option.isSome(args.json)) yield* write(args.json.value, toJson(report))
    if (Option.isSome(args.junit)) yield* write(args.junit.value, toJunitXml(report))
    if (Option.isSome(args.html)) yield* write(args.html.value, toHtml(report))
  })

/** Runs the suite; the exit code, or a one-line usage/unreachable message and 2. */
export const run = (
  args: ContractArgs,
  env: { readonly apiKey: Redacted.Redacted<string> | undefined; readonly envIds: ReadonlyArray<string> }
): Effect.Effect<number, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    // Before any server starts: a misspelt check is a usage error, not a run.
    const { unknown } = select(checkList(args.checks), checkList(args.excludeChecks))
    if (unknown.length > 0) {
      return yield* new ContractError({ reason: "InvalidConfig", message: `unknown check(s): ${unknown.join(", ")}` })
    }
    const common = {
      seed: Option.getOrUndefined(args.seed),
      runs: Option.getOrUndefined(args.runs),
      checks: checkList(args.checks),
      excludeChecks: checkList(args.excludeChecks),
      strict: args.strict,
      requireVariants: args.requireVariants,
      timeout: Option.getOrUndefined(args.timeout),
      concurrency: Option.getOrUndefined(args.concurrency),
      rateLimit: Option.getOrUndefined(args.rateLimit),
      maxResponseTime: Option.getOrUndefined(args.maxResponseTime),
      failOnDrift: args.failOnDrift,
      onProgress: progress
    }
    const report = yield* Option.match(args.baseUrl, {
      onNone: () => {
        writeLine(process.stderr, "contract: no --base-url; starting the embedded mock server")
        return runAgainstMock({
          ...common,
          ...(args.accountIds.length > 0 ? { accountIds: args.accountIds } : {}),
          ...(args.foreignAccountIds.length > 0 ? { foreignAccountIds: args.foreignAccountIds } : {})
        })
      },
      onSome: (baseUrl) =>
        runContract({
          ...common,
          baseUrl,
          apiKey: env.apiKey ?? "",
          accountIds: args.accountIds.length > 0 ? args.accountIds : env.envIds,
          foreignAccountIds: args.foreignAccountIds
        })
    })
    process.stdout.write(formatHuman(report))
    yield* writeReports(report, args)
    return report.passed ? 0 : 1
  }).pipe(
    Effect.catchAll((error) =>
      Effect.sync(() => {
        const what = error.reason === "Unreachable" ? "server unreachable" : "usage error"
        writeLine(process.stderr, `contract: ${what}: ${error.message}`)
        return 2
      })
    )
  )
