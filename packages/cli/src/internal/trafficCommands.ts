/**
 * `postpress contract proxy` and `postpress contract har`: judge real traffic
 * with the suite's own rules (`ContractTraffic.judge`), through a validating
 * proxy or from recorded HAR files, into the suite's reports.
 *
 * Exit codes (the one table in `exit.ts`): 0 pass, 1 violations, 2 usage
 * error (bad flag, a target that is not a URL, a port that cannot be bound,
 * an unwritable report path, a file that is unreadable or not a HAR),
 * 4 inconclusive (nothing judged: a dead target, an empty HAR, nothing under
 * --base-url) or a run that could not finish its reports honestly.
 *
 * The proxy stops on SIGINT/SIGTERM through the runtime's interruption: its
 * release drains (at most --drain), writes every report, prints the summary
 * and records its verdict code in `verdictExit.ts` for `main.ts`.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Printable from "@postpress/schema/Printable"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import { ExitCode, exitWith, fail, verdictCode } from "./exit.js"
import { Invocation } from "./invocation.js"
import * as Flags from "./options.js"
import * as Reports from "./reports.js"
import * as VerdictExit from "./verdictExit.js"

const file = (name: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName("FILE"), Options.withDescription(description), Options.optional)

const common = {
  strict: Options.boolean("strict").pipe(Options.withDescription("Report unknown fields as violations")),
  failOnDrift: Options.boolean("fail-on-drift").pipe(
    Options.withDescription("Unknown fields (drift) fail the verdict")
  ),
  json: file("json", "Write the JSON report (the suite's shape plus traffic counts)"),
  junit: file("junit", "Write a JUnit XML report"),
  html: file("html", "Write the HTML report"),
  maxBodySize: Flags.maxBodySize
}

// Optional here: with it, responses are also searched for this key, and it is masked everywhere.
const optionalKey = Config.option(Config.redacted("POSTPRESS_API_KEY"))

type TrafficReport = import("@postpress/contract-tests/ContractTraffic").TrafficReport

const loadModules = Effect.promise(() =>
  Promise.all([
    import("@postpress/contract-tests/ContractReport"),
    import("@postpress/contract-tests/ContractTraffic"),
    import("@postpress/contract-tests/ContractJunit"),
    import("@postpress/contract-tests/ContractHtml")
  ])
)

/** The report files of one traffic command, rendered from its report. */
const reportFiles = (
  args: {
    readonly json: Option.Option<string>
    readonly junit: Option.Option<string>
    readonly html: Option.Option<string>
  },
  modules: Effect.Effect.Success<typeof loadModules>,
  report: TrafficReport
): ReadonlyArray<Reports.ReportFile> => {
  const [ContractReport, , ContractJunit, ContractHtml] = modules
  return [
    { flag: "--json", path: Option.getOrUndefined(args.json), render: () => ContractReport.toJson(report) },
    { flag: "--junit", path: Option.getOrUndefined(args.junit), render: () => ContractJunit.toJunitXml(report) },
    { flag: "--html", path: Option.getOrUndefined(args.html), render: () => ContractHtml.render(report) }
  ]
}

/**
 * The human report and the summary lines of a traffic report, each line
 * escaped: bodies, reason phrases and media types came from a server, and a
 * terminal must show them, never obey them (escaping is idempotent).
 */
const summary = (
  command: string,
  modules: Effect.Effect.Success<typeof loadModules>,
  report: TrafficReport
): ReadonlyArray<string> => {
  const [ContractReport, ContractTraffic] = modules
  return [
    ...ContractReport.formatHuman(report).replace(/\n$/, "").split("\n").map(Printable.text),
    `postpress ${command}: ${ContractTraffic.summaryLine(report)}`,
    ...(report.source === "proxy"
      ? [`postpress ${command}: latency counts from each request's arrival at the proxy (time queued included)`]
      : [])
  ]
}

/** How the command was started, for the reports (argv is what was typed; the key is never in it). */
const invocation = Effect.map(Effect.serviceOption(Invocation), (given) =>
  Option.match(given, {
    onNone: () => undefined,
    onSome: (info) => ({ tool: info.tool, version: info.version, argv: info.argv, accountIds: [] })
  })
)

/**
 * A bug of ours is never "violations found": one line, exit 4 (nothing could be
 * judged reliably). The proxy's reports were written by its release already.
 */
const internalError = (command: string) => (defect: unknown) =>
  fail(command, `internal error: ${defect instanceof Error ? defect.message : String(defect)}`, ExitCode.inconclusive)

const proxyOptions = {
  target: Options.text("target").pipe(
    Options.withPseudoName("URL"),
    Options.withDescription("The API to forward to, with its base path (e.g. https://staging.example.com/api)")
  ),
  host: Options.text("host").pipe(Options.withDescription("Address to listen on"), Options.withDefault("127.0.0.1")),
  port: Options.integer("port").pipe(
    Options.withDescription("Port to listen on (0: a free one)"),
    Options.withDefault(0)
  ),
  har: file("har", "Record every exchange as HAR 1.2, every key masked (replay with `postpress contract har`)"),
  maxRequests: Flags.count("max-requests", "Stop after N exchanges judged or failed to reach the target"),
  upstreamTimeout: Flags.duration("upstream-timeout", { positive: true }).pipe(
    Options.withDescription("How long the target may stay silent before the client gets a 504 (default 30s)"),
    Options.withDefault(Duration.seconds(30))
  ),
  drain: Flags.duration("drain", { positive: false }).pipe(
    Options.withDescription("On SIGINT/SIGTERM, how long exchanges in flight may take to finish (default 10s)"),
    Options.withDefault(Duration.seconds(10))
  ),
  ...common
}

const proxy = (
  args: Command.Command.ParseConfig<typeof proxyOptions>
): Effect.Effect<void, unknown, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const command = "contract proxy"
    const apiKey = yield* Effect.orElse(optionalKey, () => fail(command, "POSTPRESS_API_KEY cannot be read"))
    if (Option.isSome(args.maxRequests) && args.maxRequests.value < 1) {
      return yield* fail(command, "--max-requests must be at least 1")
    }
    yield* Reports.prepare(command, [
      { flag: "--json", path: Option.getOrUndefined(args.json) },
      { flag: "--junit", path: Option.getOrUndefined(args.junit) },
      { flag: "--html", path: Option.getOrUndefined(args.html) },
      { flag: "--har", path: Option.getOrUndefined(args.har) }
    ])
    const modules = yield* loadModules
    const ContractProxy = yield* Effect.promise(() => import("@postpress/contract-tests/ContractProxy"))
    // The callbacks come from the proxy's sockets: they print through this fiber's Console.
    const runSync = Runtime.runSync(yield* Effect.runtime<FileSystem.FileSystem | Path.Path>())
    const context = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    // Runs in the proxy's release, also on SIGINT/SIGTERM: reports, summary, then the verdict's exit code.
    const onStopped = (report: TrafficReport) =>
      Effect.gen(function* () {
        const written = yield* Effect.exit(Reports.writeAll(command, reportFiles(args, modules, report)))
        const printed = yield* Effect.exit(
          Effect.forEach(summary(command, modules, report), (line) => Console.error(line), { discard: true })
        )
        // A report not written, or a summary not printed: the verdict cannot be trusted to have reached anyone.
        const code =
          written._tag === "Failure" || printed._tag === "Failure" ? ExitCode.inconclusive : verdictCode(report.verdict)
        yield* VerdictExit.record(code)
      }).pipe(Effect.provide(context))
    const report = yield* ContractProxy.run({
      target: args.target,
      host: args.host,
      port: args.port,
      strict: args.strict,
      failOnDrift: args.failOnDrift,
      apiKey: Option.getOrUndefined(apiKey),
      maxRequests: Option.getOrUndefined(args.maxRequests),
      maxBodyBytes: args.maxBodySize,
      upstreamTimeout: args.upstreamTimeout,
      drain: args.drain,
      har: Option.getOrUndefined(args.har),
      invocation: yield* invocation,
      onListening: (url) => runSync(Console.log(JSON.stringify({ url }))),
      onViolation: (line) => runSync(Console.error(`postpress ${command}: ${line}`)),
      onStopped
    }).pipe(
      Effect.catchAll((error) =>
        fail(
          command,
          error.message,
          error.reason === "BadTarget" || error.reason === "Listen" ? ExitCode.usage : ExitCode.inconclusive
        )
      ),
      Effect.catchAllDefect(internalError(command))
    )
    return yield* exitWith(VerdictExit.recordedCode() ?? verdictCode(report.verdict))
  })

/**
 * `postpress contract proxy`.
 *
 * @internal
 */
export const proxyCommand = Command.make("proxy", proxyOptions, proxy).pipe(
  Command.withDescription(
    [
      "A validating proxy: forwards every request to --target unchanged and streams every answer back unchanged",
      "(1xx and trailers included), judging each GET {target}/v1/accounts/{id} exchange with the suite's rules",
      "(violations on stderr, every key masked). Answers that are not valid HTTP become a 502, silence past",
      "--upstream-timeout a 504, upgrades and CONNECT are refused; each with a finding. Compressed answers are judged",
      "decoded; gateway pages (a 503 without JSON), cache answers (304) and 429s are counted as not judged.",
      'Prints {"url":"http://HOST:PORT"} on stdout once listening. Stops on SIGINT/SIGTERM or after --max-requests:',
      "exchanges in flight get --drain to finish, reports are written, a summary is printed.",
      "POSTPRESS_API_KEY (optional) is also looked for in answers and masked.",
      "Exit codes: 0 pass, 1 violations, 2 usage error or cannot listen, 4 inconclusive (nothing judged, e.g. a dead target)."
    ].join("\n")
  )
)

const harOptions = {
  baseUrl: Flags.baseUrl(
    "Judge entries under this URL, same origin (default: $POSTPRESS_BASE_URL, else any .../v1/accounts/{id})"
  ),
  ...common
}

const harArgs = Args.text({ name: "FILE" }).pipe(Args.withDescription("HAR 1.2 files"), Args.atLeast(1))

const har = (
  args: Command.Command.ParseConfig<typeof harOptions> & { readonly files: ReadonlyArray<string> }
): Effect.Effect<void, unknown, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const command = "contract har"
    const apiKey = yield* Effect.orElse(optionalKey, () => fail(command, "POSTPRESS_API_KEY cannot be read"))
    yield* Reports.prepare(command, [
      { flag: "--json", path: Option.getOrUndefined(args.json) },
      { flag: "--junit", path: Option.getOrUndefined(args.junit) },
      { flag: "--html", path: Option.getOrUndefined(args.html) }
    ])
    const modules = yield* loadModules
    const ContractHar = yield* Effect.promise(() => import("@postpress/contract-tests/ContractHar"))
    const report = yield* ContractHar.read(args.files, {
      baseUrl: Option.getOrUndefined(args.baseUrl),
      strict: args.strict,
      failOnDrift: args.failOnDrift,
      apiKey: Option.getOrUndefined(apiKey),
      maxBodyBytes: args.maxBodySize,
      invocation: yield* invocation
    }).pipe(Effect.catchAll((error) => fail(command, error.message)))
    yield* Reports.writeAll(command, reportFiles(args, modules, report))
    for (const line of summary(command, modules, report)) yield* Console.log(line)
    return yield* exitWith(verdictCode(report.verdict))
  }).pipe(Effect.catchAllDefect(internalError("contract har")))

/**
 * `postpress contract har FILE...`.
 *
 * @internal
 */
export const harCommand = Command.make("har", { ...harOptions, files: harArgs }, har).pipe(
  Command.withDescription(
    [
      "Judges recorded traffic: HAR 1.2 files from browser devtools, Playwright, mitmproxy, Charles or `contract proxy --har`.",
      "Entries under --base-url (same origin by URL rules: case, default port, trailing slash) are judged with the suite's",
      "rules (base64 bodies decoded, still-compressed ones too); the others, entries without a body or over --max-body-size,",
      "gateway pages, cache answers and 429s are counted as not judged, with their reason.",
      "Exit codes: 0 pass, 1 violations, 2 unreadable or not a HAR, 4 inconclusive (nothing judged, e.g. an empty HAR)."
    ].join("\n")
  )
)
