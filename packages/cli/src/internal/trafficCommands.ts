/**
 * `postpress contract proxy` and `postpress contract har`: judge real traffic
 * with the suite's own rules (`ContractTraffic.judge`), through a validating
 * proxy or from recorded HAR files, into the suite's reports.
 *
 * Exit codes: 0 no violation, 1 violations, 2 usage error, a target that is
 * not a URL, a port that cannot be bound, or a file that is unreadable or
 * not a HAR (one clear line on stderr).
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Exit, writeLine } from "./exit.js"
import * as Flags from "./options.js"

const file = (name: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName("FILE"), Options.withDescription(description), Options.optional)

const common = {
  strict: Options.boolean("strict").pipe(Options.withDescription("Report unknown fields as violations")),
  failOnDrift: Options.boolean("fail-on-drift").pipe(
    Options.withDescription("Unknown fields (drift) fail the verdict")
  ),
  json: file("json", "Write the JSON report (the suite's shape plus traffic counts)"),
  junit: file("junit", "Write a JUnit XML report")
}

// Optional here: with it, responses are also searched for this key, and it is masked everywhere.
const optionalKey = Config.option(Config.redacted("POSTPRESS_API_KEY"))

const fail = (prefix: string, message: string, code = 2) =>
  Effect.zipRight(
    Effect.sync(() => writeLine(process.stderr, `${prefix}: ${message}`)),
    Effect.fail(new Exit({ code }))
  )

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
  har: file("har", "Record every exchange as HAR 1.2, key masked (replay with `postpress contract har`)"),
  maxRequests: Flags.count("max-requests", "Stop after N judged exchanges"),
  ...common
}

// Uninterruptible as a whole: the proxy listens for SIGINT/SIGTERM itself and
// then stops in order (drain, reports, summary); the runtime's interruption on
// the same signal must not cut that short.
const proxy = (args: Command.Command.ParseConfig<typeof proxyOptions>) =>
  Effect.uninterruptible(
    Effect.gen(function* () {
      const apiKey = yield* Effect.orElse(optionalKey, () => fail("contract proxy", "POSTPRESS_API_KEY cannot be read"))
      if (Option.isSome(args.maxRequests) && args.maxRequests.value < 1) {
        return yield* fail("contract proxy", "--max-requests must be at least 1")
      }
      const [ContractProxy, ContractReport, ContractTraffic] = yield* Effect.promise(() =>
        Promise.all([
          import("@postpress/contract-tests/ContractProxy"),
          import("@postpress/contract-tests/ContractReport"),
          import("@postpress/contract-tests/ContractTraffic")
        ])
      )
      const report = yield* ContractProxy.run({
        target: args.target,
        host: args.host,
        port: args.port,
        strict: args.strict,
        failOnDrift: args.failOnDrift,
        apiKey: Option.getOrUndefined(apiKey),
        maxRequests: Option.getOrUndefined(args.maxRequests),
        har: Option.getOrUndefined(args.har),
        json: Option.getOrUndefined(args.json),
        junit: Option.getOrUndefined(args.junit),
        onListening: (url) => writeLine(process.stdout, JSON.stringify({ url })),
        onViolation: (line) => writeLine(process.stderr, `contract proxy: ${line}`)
      }).pipe(Effect.catchAll((error) => fail("contract proxy", error.message)))
      process.stderr.write(ContractReport.formatHuman(report))
      writeLine(process.stderr, `contract proxy: ${ContractTraffic.summaryLine(report)}`)
      const code = report.passed ? 0 : 1
      // The proxy ends on SIGINT/SIGTERM by design: its code is the verdict, not 130/143.
      process.exitCode = code
      if (code !== 0) return yield* Effect.fail(new Exit({ code }))
    })
  )

/**
 * `postpress contract proxy`.
 *
 * @internal
 */
export const proxyCommand = Command.make("proxy", proxyOptions, proxy).pipe(
  Command.withDescription(
    [
      "A validating proxy: forwards every request to --target unchanged and streams every answer back unchanged,",
      "judging each GET {target}/v1/accounts/{id} exchange with the suite's rules (violations on stderr, key masked).",
      'Prints {"url":"http://HOST:PORT"} on stdout once listening. Stops on SIGINT/SIGTERM or after --max-requests',
      "judged exchanges: in-flight exchanges finish, reports are written, a summary is printed.",
      "POSTPRESS_API_KEY (optional) is also looked for in answers and masked.",
      "Exit codes: 0 no violation, 1 violations, 2 usage error or cannot listen."
    ].join("\n")
  )
)

const harOptions = {
  baseUrl: Flags.baseUrl(
    "Judge entries whose URL starts with this (default: $POSTPRESS_BASE_URL, else any .../v1/accounts/{id})"
  ),
  ...common
}

const harArgs = Args.text({ name: "FILE" }).pipe(Args.withDescription("HAR 1.2 files"), Args.atLeast(1))

const har = (args: Command.Command.ParseConfig<typeof harOptions> & { readonly files: ReadonlyArray<string> }) =>
  Effect.gen(function* () {
    const apiKey = yield* Effect.orElse(optionalKey, () => fail("contract har", "POSTPRESS_API_KEY cannot be read"))
    const [ContractHar, ContractReport, ContractTraffic] = yield* Effect.promise(() =>
      Promise.all([
        import("@postpress/contract-tests/ContractHar"),
        import("@postpress/contract-tests/ContractReport"),
        import("@postpress/contract-tests/ContractTraffic")
      ])
    )
    const report = yield* ContractHar.run(args.files, {
      baseUrl: Option.getOrUndefined(args.baseUrl),
      strict: args.strict,
      failOnDrift: args.failOnDrift,
      apiKey: Option.getOrUndefined(apiKey),
      json: Option.getOrUndefined(args.json),
      junit: Option.getOrUndefined(args.junit)
    }).pipe(Effect.catchAll((error) => fail("contract har", error.message)))
    process.stdout.write(ContractReport.formatHuman(report))
    writeLine(process.stdout, `contract har: ${ContractTraffic.summaryLine(report)}`)
    if (!report.passed) return yield* Effect.fail(new Exit({ code: 1 }))
  })

/**
 * `postpress contract har FILE...`.
 *
 * @internal
 */
export const harCommand = Command.make("har", { ...harOptions, files: harArgs }, har).pipe(
  Command.withDescription(
    [
      "Judges recorded traffic: HAR 1.2 files from browser devtools, Playwright, mitmproxy, Charles or `contract proxy --har`.",
      "Entries under --base-url are judged with the suite's rules (base64 bodies decoded); entries without a body are",
      "counted as not judged. Exit codes: 0 no violation, 1 violations, 2 unreadable or not a HAR."
    ].join("\n")
  )
)
