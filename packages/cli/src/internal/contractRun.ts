/**
 * The body of `postpress contract`, loaded only when the suite runs: the
 * engine, the mock and the report writers are most of the program's code.
 *
 * The verdict decides the exit code (ONE table, `exit.ts`): 0 pass, 1
 * violations (even if something else was inconclusive), 4 inconclusive
 * (nothing or not enough could be judged, the server unreachable included),
 * 2 usage error (nothing selected, a report path that cannot be written).
 * Report paths are checked before the first request, and every report is
 * written whatever the verdict: a server that cannot be reached, or whose
 * first answer is cut mid-body, still gets all of them, inconclusive, with
 * the reason. All output goes through `Console`.
 *
 * @internal
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { Progress } from "@postpress/contract-tests/Contract"
import { runContract } from "@postpress/contract-tests/Contract"
import { type CheckSelector, select } from "@postpress/contract-tests/ContractCheck"
import type { ContractError } from "@postpress/contract-tests/ContractError"
import { render as toHtml } from "@postpress/contract-tests/ContractHtml"
import { toJunitXml } from "@postpress/contract-tests/ContractJunit"
import { runAgainstMock } from "@postpress/contract-tests/ContractMock"
import { formatHuman, type Invocation as ReportInvocation, toJson } from "@postpress/contract-tests/ContractReport"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { ContractArgs } from "./contractOptions.js"
import { ExitCode, errorLine as exitLine, verdictCode } from "./exit.js"
import { Invocation } from "./invocation.js"
import * as Reports from "./reports.js"
import { version } from "./version.js"

const command = "contract"

const checkList = (names: Option.Option<ReadonlyArray<string>>) =>
  Option.getOrUndefined(names) as ReadonlyArray<CheckSelector> | undefined

const progressLine = (event: Progress): string => {
  if (event._tag === "Start") return `contract: ${event.check} (${event.requests} requests)…`
  if (event._tag === "Tick") return `contract: ${event.check} ${event.done}/${event.requests}`
  const verdict = event.failures === 0 ? "ok" : `${event.failures} failure(s)`
  return `contract: ${event.check} done: ${verdict}`
}

const errorLine = (message: string) => exitLine(command, message)

/** One line on stderr and the exit code of a run that could not start (nothing was sent). */
const refused = (error: ContractError): Effect.Effect<number> =>
  Effect.as(Console.error(errorLine(`usage error: ${error.message}`)), ExitCode.usage)

/** Runs the suite; resolves to the exit code (its lines already printed). */
export const run = (
  args: ContractArgs,
  env: { readonly apiKey: Redacted.Redacted<string> | undefined; readonly envIds: ReadonlyArray<string> }
): Effect.Effect<number, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    // Before any server starts or request is sent: a misspelt check or an empty selection is a usage error.
    const { unknown, selected } = select(checkList(args.checks), checkList(args.excludeChecks))
    if (unknown.length > 0)
      return yield* Effect.as(Console.error(errorLine(`unknown check(s): ${unknown.join(", ")}`)), ExitCode.usage)
    if (selected.size === 0) {
      return yield* Effect.as(
        Console.error(errorLine("no check selected: --checks and --exclude-checks leave nothing to run")),
        ExitCode.usage
      )
    }
    // The paths were checked (and their folders made) by the command before this module was loaded.
    const reportPaths = {
      json: Option.getOrUndefined(args.json),
      junit: Option.getOrUndefined(args.junit),
      html: Option.getOrUndefined(args.html)
    }

    // Progress comes from a plain callback: print it through the Console of this run.
    const console = yield* Effect.console
    const onProgress = (event: Progress) => Effect.runSync(console.error(progressLine(event)))
    const given = yield* Effect.serviceOption(Invocation)
    const accountIds = args.accountIds.length > 0 ? args.accountIds : env.envIds
    const invocation: ReportInvocation = {
      tool: "postpress",
      version: Option.match(given, { onNone: () => version, onSome: (info) => info.version }),
      // argv is what was typed (the key travels in POSTPRESS_API_KEY, never in argv).
      argv: Option.match(given, { onNone: () => [], onSome: (info) => info.argv }),
      accountIds
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
      maxBodyBytes: args.maxBodySize,
      invocation,
      onProgress
    }
    const outcome = yield* Effect.either(
      Option.match(args.baseUrl, {
        onNone: () =>
          Effect.zipRight(
            Console.error("contract: no --base-url; starting the embedded mock server"),
            runAgainstMock({
              ...common,
              ...(args.accountIds.length > 0 ? { accountIds: args.accountIds } : {}),
              ...(args.foreignAccountIds.length > 0 ? { foreignAccountIds: args.foreignAccountIds } : {})
            })
          ),
        onSome: (baseUrl) =>
          runContract({
            ...common,
            baseUrl,
            apiKey: env.apiKey ?? "",
            accountIds,
            foreignAccountIds: args.foreignAccountIds
          })
      })
    )
    if (outcome._tag === "Left") {
      const error = outcome.left
      return yield* error._tag === "ContractError"
        ? refused(error)
        : Effect.as(Console.error(errorLine(`the embedded mock could not start: ${error.message}`)), ExitCode.usage)
    }
    const report = outcome.right
    // A report written to stdout (`--json -`) keeps stdout to itself: the human report goes to stderr.
    const human = formatHuman(report).replace(/\n$/, "")
    yield* Object.values(reportPaths).includes("-") ? Console.error(human) : Console.log(human)
    // Every report is written whatever the verdict; one that cannot be written is exit 2.
    const written = yield* Effect.either(
      Reports.writeAll(command, [
        { flag: "--json", path: reportPaths.json, render: () => toJson(report) },
        { flag: "--junit", path: reportPaths.junit, render: () => toJunitXml(report) },
        { flag: "--html", path: reportPaths.html, render: () => toHtml(report) }
      ])
    )
    if (written._tag === "Left") return written.left.code
    return verdictCode(report.verdict)
  }).pipe(Effect.provide(Path.layer))
