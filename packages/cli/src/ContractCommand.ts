/**
 * `pnpm contract`: runs the contract suite against `--base-url` (key from
 * `POSTPRESS_API_KEY`, ids from `--account-id` or `POSTPRESS_ACCOUNT_IDS`),
 * or, without `--base-url`, against the embedded mock with its fixtures.
 *
 * Exit codes: 0 every check passed, 1 violations found, 2 usage error or
 * server unreachable (one clear line on stderr, never a stack trace).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { type ContractConfig, type Progress, runContract } from "../Contract.js"
import { type CheckName, checkNames, descriptions } from "../ContractCheck.js"
import { ContractError } from "../ContractError.js"
import { toJunitXml } from "../ContractJunit.js"
import { runAgainstMock } from "../ContractMock.js"
import { type ContractReport, formatHuman, toJson } from "../ContractReport.js"

const list = (name: string, description: string) =>
  Options.text(name).pipe(
    Options.withDescription(description),
    Options.optional,
    Options.map(
      Option.map((text) =>
        text
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      )
    )
  )

const options = {
  baseUrl: Options.text("base-url").pipe(
    Options.withPseudoName("URL"),
    Options.withDescription("Server to check (default: start the embedded mock and use its fixtures)"),
    Options.optional
  ),
  accountIds: Options.text("account-id").pipe(
    Options.withPseudoName("ID"),
    Options.withDescription("An account the key can read (repeatable; default POSTPRESS_ACCOUNT_IDS)"),
    Options.repeated
  ),
  foreignAccountIds: Options.text("foreign-account-id").pipe(
    Options.withPseudoName("ID"),
    Options.withDescription("An account of ANOTHER workspace (repeatable)"),
    Options.repeated
  ),
  seed: Options.integer("seed").pipe(Options.withDescription("Seed of generated inputs"), Options.optional),
  runs: Options.integer("runs").pipe(Options.withDescription("Hostile ids to send (default 50)"), Options.optional),
  checks: list("checks", `Only these checks, comma-separated: ${checkNames.join(", ")}`),
  excludeChecks: list("exclude-checks", "Skip these checks, comma-separated"),
  strict: Options.boolean("strict").pipe(Options.withDescription("Report unknown extra fields")),
  requireVariants: Options.boolean("require-variants").pipe(
    Options.withDescription("Fail unless all 14 account types were seen")
  ),
  junit: Options.text("junit").pipe(
    Options.withPseudoName("FILE"),
    Options.withDescription("Write a JUnit XML report"),
    Options.optional
  ),
  json: Options.text("json").pipe(
    Options.withPseudoName("FILE"),
    Options.withDescription("Write the JSON report"),
    Options.optional
  ),
  timeout: Options.text("timeout").pipe(
    Options.withDescription("Per-request timeout, e.g. 500ms, 5s, 1m (default 10s)"),
    Options.optional
  ),
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription("Requests in flight (default 8)"),
    Options.optional
  )
}

type Parsed = Command.Command.ParseConfig<typeof options>

const usage = (message: string) => new ContractError({ reason: "InvalidConfig", message })

const parseDuration = (text: string): Effect.Effect<number, ContractError> => {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim())
  if (match === null) return Effect.fail(usage(`--timeout must look like 500ms, 5s or 1m, got ${JSON.stringify(text)}`))
  const factor = match[2] === "m" ? 60_000 : match[2] === "s" ? 1000 : 1
  return Effect.succeed(Number(match[1]) * factor)
}

const checkList = (names: Option.Option<ReadonlyArray<string>>) =>
  Option.getOrUndefined(names) as ReadonlyArray<CheckName> | undefined

const progress = (event: Progress): void => {
  if (event._tag === "Start") {
    process.stderr.write(`contract: ${event.check} (${event.requests} requests)…\n`)
  } else if (event._tag === "Tick") {
    process.stderr.write(`contract: ${event.check} ${event.done}/${event.requests}\n`)
  } else {
    const verdict = event.failures === 0 ? "ok" : `${event.failures} failure(s)`
    process.stderr.write(`contract: ${event.check} done: ${verdict}\n`)
  }
}

const envList = (name: string): ReadonlyArray<string> =>
  (process.env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

const writeReports = (report: ContractReport, parsed: Parsed) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const write = (path: string, text: string) =>
      fs.writeFileString(path, text).pipe(Effect.mapError((error) => usage(`cannot write ${path}: ${error.message}`)))
    if (Option.isSome(parsed.json)) yield* write(parsed.json.value, toJson(report))
    if (Option.isSome(parsed.junit)) yield* write(parsed.junit.value, toJunitXml(report))
  })

let exitCode = 0

const handler = (parsed: Parsed) =>
  Effect.gen(function* () {
    const timeout = Option.isSome(parsed.timeout) ? yield* parseDuration(parsed.timeout.value) : undefined
    const common = {
      seed: Option.getOrUndefined(parsed.seed),
      runs: Option.getOrUndefined(parsed.runs),
      checks: checkList(parsed.checks),
      excludeChecks: checkList(parsed.excludeChecks),
      strict: parsed.strict,
      requireVariants: parsed.requireVariants,
      timeout: timeout === undefined ? undefined : `${timeout} millis`,
      concurrency: Option.getOrUndefined(parsed.concurrency),
      onProgress: progress
    } satisfies Partial<ContractConfig>
    const explicitIds = parsed.accountIds.length > 0 ? parsed.accountIds : envList("POSTPRESS_ACCOUNT_IDS")
    const report = yield* Option.match(parsed.baseUrl, {
      onNone: () => {
        process.stderr.write("contract: no --base-url; starting the embedded mock server\n")
        return runAgainstMock({
          ...common,
          ...(parsed.accountIds.length > 0 ? { accountIds: parsed.accountIds } : {}),
          ...(parsed.foreignAccountIds.length > 0 ? { foreignAccountIds: parsed.foreignAccountIds } : {})
        })
      },
      onSome: (baseUrl) => {
        const apiKey = process.env.POSTPRESS_API_KEY ?? ""
        if (apiKey.length === 0) return Effect.fail(usage("POSTPRESS_API_KEY must be set when --base-url is given"))
        return runContract({
          ...common,
          baseUrl,
          apiKey,
          accountIds: explicitIds,
          foreignAccountIds: parsed.foreignAccountIds
        })
      }
    })
    process.stdout.write(formatHuman(report))
    yield* writeReports(report, parsed)
    exitCode = report.passed ? 0 : 1
  })

const command = Command.make("contract", options, handler).pipe(
  Command.withDescription(
    [
      "Checks a server against the postpress accounts contract (GET /v1/accounts/{id}).",
      "The API key comes from POSTPRESS_API_KEY; without --base-url the embedded mock and its fixtures are used.",
      "Exit codes: 0 all checks pass, 1 violations found, 2 usage error or server unreachable.",
      "Checks:",
      ...checkNames.map((c) => `  ${c}: ${descriptions[c]}`)
    ].join("\n")
  )
)

const cli = Command.run(command, { name: "postpress contract", version: "0.1.0" })

const main = Effect.suspend(() => cli(process.argv)).pipe(
  Effect.map(() => exitCode),
  Effect.catchAll((error) => {
    // @effect/cli already printed the usage problem.
    if (ValidationError.isValidationError(error)) return Effect.succeed(2)
    if (error instanceof ContractError) {
      process.stderr.write(
        `contract: ${error.reason === "Unreachable" ? "server unreachable" : "usage error"}: ${error.message}\n`
      )
      return Effect.succeed(2)
    }
    process.stderr.write(`contract: ${String(error)}\n`)
    return Effect.succeed(2)
  }),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    const code = Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : 2
    process.exitCode = code
    onExit(code)
  }
})
