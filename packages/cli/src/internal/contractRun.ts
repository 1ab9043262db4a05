/**
 * The body of `postpress contract`, loaded only when the suite runs: the
 * engine, the mock and the report writers are most of the program's code.
 *
 * The flags decode ONCE into `Contract.Config` (the base URL first, by THE
 * rule, before the key is even looked for), which the suite takes as it is; the suite's events print progress on
 * stderr as they come; the verdict decides the exit code (the one table,
 * `exitCode.ts`): 0 pass, 1 violations (even if something else was
 * inconclusive), 4 inconclusive (nothing or not enough could be judged, the
 * server unreachable included), 2 usage error (a bad flag, nothing selected,
 * a report path that cannot be written). Report paths are checked before the
 * first request, and every report is written whatever the verdict.
 *
 * @internal
 */
import * as Contract from "@postpress/contract-tests/Contract"
import type * as ContractError from "@postpress/contract-tests/ContractError"
import type { Finished, SuiteEvent } from "@postpress/contract-tests/ContractEvent"
import { decodedConfigFor } from "@postpress/contract-tests/ContractMock"
import { type ContractReport, formatHuman } from "@postpress/contract-tests/ContractReport"
import * as ContractTransport from "@postpress/contract-tests/ContractTransport"
import * as BaseUrl from "@postpress/schema/BaseUrl"
import { plural } from "@postpress/schema/Printable"
import * as MockServer from "@postpress/testkit/MockServer"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Program from "./command.js"
import { flags, Grammars } from "./contractFlags.js"
import { decode, given, issueFlag, omit } from "./decode.js"
import { MissingVariable, UnreadableVariable, type UsageError } from "./errors.js"
import { type ExitCode, verdictCode } from "./exitCode.js"
import { Invocation } from "./invocation.js"
import { refuse } from "./output.js"
import * as Reports from "./reports.js"
import { baseUrlInput } from "./sharedFlags.js"
import type * as Spec from "./spec.js"
import * as Traffic from "./traffic.js"

const name = "contract"

type Args = Program.Parsed<ReturnType<typeof Spec.options<typeof flags>>>

const accountIdsVariable = "POSTPRESS_ACCOUNT_IDS"

const accountIdsFromEnv = Config.string(accountIdsVariable).pipe(
  Config.map((text) =>
    text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
  ),
  Config.withDefault([] as ReadonlyArray<string>),
  Effect.mapError(() => new UnreadableVariable({ variable: accountIdsVariable }))
)

/**
 * THE base-URL rule (`BaseUrl`, the one `Contract.Config` decodes its
 * `baseUrl` with), checked before anything else: `…/api?` would send the key astray.
 */
const BaseUrlOnly = Schema.Struct({ baseUrl: Schema.optional(BaseUrl.BaseUrl) })

/** The suite's config without its target, for a run against the embedded mock (which supplies both). */
const MockRun = Contract.Config.pipe(Schema.omit("baseUrl", "apiKey"))

const progressLine = (event: SuiteEvent): string | undefined => {
  switch (event._tag) {
    case "CheckStarted":
      return `contract: ${event.check} (${plural(event.requests, "request")})…`
    case "CheckProgress":
      return `contract: ${event.check} ${event.done}/${event.requests}`
    case "CheckDone":
      return `contract: ${event.check} done: ${event.failures === 0 ? "ok" : plural(event.failures, "failure")}`
    case "Violation":
      return undefined
  }
}

const showProgress = (event: SuiteEvent | Finished): Effect.Effect<void> => {
  const line = event._tag === "Finished" ? undefined : progressLine(event)
  return line === undefined ? Effect.void : Console.error(line)
}

/**
 * The suite's events against the embedded mock: it listens while the run
 * lasts. `config` is decoded already (and not decoded again); ids not given
 * are the mock's own.
 */
const againstMock = (
  config: typeof MockRun.Type,
  given: { readonly accountIds: boolean; readonly foreignAccountIds: boolean }
) =>
  Stream.unwrapScoped(
    Effect.flatMap(MockServer.make(config.seed === undefined ? {} : { seed: config.seed }), (mock) =>
      Effect.map(decodedConfigFor(mock, config, given), Contract.events)
    )
  )

type Events = Stream.Stream<
  SuiteEvent | Finished,
  ContractError.InvalidConfig | UsageError | MockServer.MockServerError,
  ContractTransport.ContractTransport | Reports.Files
>

/** Names where a value came from when it was not a flag. */
interface Naming {
  readonly sources: Readonly<Record<string, string>>
}

/** The suite's config without a base URL: checked, then run against the embedded mock and its fixtures. */
const mockEvents = (input: Record<string, unknown>, naming: Naming, ids: Parameters<typeof againstMock>[1]): Events =>
  Stream.unwrap(
    Effect.map(decode(MockRun, flags, input, naming), (config) =>
      Stream.concat(
        Stream.drain(Stream.fromEffect(Console.error("contract: no --base-url; starting the embedded mock server"))),
        againstMock(config, ids)
      )
    )
  )

/** The suite's config against a server: the key is required, then the whole config is checked. */
const serverEvents = (input: Record<string, unknown>, naming: Naming, baseUrl: string): Events =>
  Stream.unwrap(
    Effect.gen(function* () {
      const apiKey = yield* Effect.mapError(
        Config.redacted("POSTPRESS_API_KEY"),
        () =>
          new MissingVariable({ variable: "POSTPRESS_API_KEY", when: "--base-url (or POSTPRESS_BASE_URL) is given" })
      )
      return Contract.events(yield* decode(Contract.Config, flags, { ...input, baseUrl, apiKey }, naming))
    })
  )

/** Decodes the flags, runs the suite and prints as it goes; resolves to the exit code. */
export const run = (args: Args): Effect.Effect<ExitCode, UsageError, Reports.Files | Invocation> =>
  Effect.gen(function* () {
    const typed = yield* decode(Grammars, flags, given(args))
    const baseUrl = yield* baseUrlInput(args.baseUrl)
    yield* decode(BaseUrlOnly, flags, { baseUrl: baseUrl.value }, { sources: baseUrl.sources })
    // Before the first request: a report path that cannot be written costs one line, not a whole run.
    yield* Reports.prepare(Traffic.reportPaths(args))
    const envIds = yield* accountIdsFromEnv
    const accountIds = args.accountIds.length > 0 ? args.accountIds : envIds
    const { tool, version, argv } = yield* Invocation
    const input = {
      ...omit(given(args), ["json", "junit", "html", "baseUrl", "accountIds"]),
      ...typed,
      ...(accountIds.length > 0 ? { accountIds } : {}),
      // argv is what was typed (the key travels in POSTPRESS_API_KEY, never in argv).
      invocation: { tool, version, argv, accountIds }
    }
    const naming = { sources: args.accountIds.length > 0 ? {} : { accountIds: accountIdsVariable } }
    const events =
      baseUrl.value === undefined
        ? mockEvents(input, naming, {
            accountIds: accountIds.length > 0,
            foreignAccountIds: args.foreignAccountIds.length > 0
          })
        : serverEvents(input, naming, baseUrl.value)
    return yield* Contract.reportOf(Stream.tap(events, showProgress)).pipe(
      Effect.provide(ContractTransport.layerNode),
      Effect.flatMap((report) => finish(report, args)),
      Effect.catchTags({
        InvalidConfig: (error) => Effect.fail(issueFlag(error.issues, flags, naming)),
        MockCannotListen: (error) => refuse(name, `the embedded mock could not start: ${error.detail}`),
        MockInvalidOptions: (error) => refuse(name, `the embedded mock could not start: ${error.detail}`)
      })
    )
  })

/** The human report, every report file (whatever the verdict), then the verdict's code (2 if a file failed). */
const finish = (report: ContractReport, args: Traffic.ReportArgs): Effect.Effect<ExitCode, never, Reports.Files> =>
  Effect.gen(function* () {
    // A report written to stdout (`--json -`) keeps stdout to itself: the human report goes to stderr.
    const human = formatHuman(report).replace(/\n$/, "")
    const humanStream = Reports.humanStream(Traffic.reportPaths(args))
    yield* humanStream === "stderr" ? Console.error(human) : Console.log(human)
    const written = yield* Effect.either(Reports.writeAll(Traffic.reportFiles(args, yield* Traffic.renderers, report)))
    if (written._tag === "Left") return yield* refuse(name, written.left.message)
    yield* Reports.announce(written.right, humanStream)
    return verdictCode(report.verdict)
  })
