/**
 * `postpress contract proxy`: a validating proxy in front of `--target`,
 * judging every exchange with the suite's rules. Its flags decode ONCE into
 * `ContractProxy.Config`, which the proxy takes as it is; its events (listening, violations, findings)
 * stream to the terminal as they come; the first SIGINT/SIGTERM is its
 * normal end: it stops (drain at most `--drain`), the reports are written,
 * the summary printed, and the exit code is the verdict's (0 pass, 1
 * violations, 4 inconclusive or a report not written; 2 before it starts).
 *
 * @internal
 */
import type { ProxyEvent } from "@postpress/contract-tests/ContractEvent"
import { ConfigRules } from "@postpress/schema"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Program from "./command.js"
import { decode, given, issueFlag, omit } from "./decode.js"
import { ExitCode, verdictCode } from "./exitCode.js"
import * as Grammar from "./grammar.js"
import { errorLine, refuse, usageLine } from "./output.js"
import { version } from "./packageVersion.js"
import * as Reports from "./reports.js"
import { file } from "./sharedFlags.js"
import { Signals } from "./signals.js"
import * as Spec from "./spec.js"
import * as Traffic from "./traffic.js"

/** Keyed by `ContractProxy.Config`'s fields. */
const flags = {
  target: Spec.required(
    "target",
    "URL",
    "The API to forward to, with its base path (e.g. https://staging.example.com/api)"
  ),
  host: Spec.optional("host", "TEXT", "Address to listen on (default 127.0.0.1)"),
  port: Spec.optional("port", "N", "Port to listen on (default 0: a free one)"),
  har: file("har", "Record every exchange as HAR 1.2, every key masked (replay with `postpress contract har`)"),
  maxRequests: Spec.optional(
    "max-requests",
    "N",
    "Stop after N exchanges judged or failed to reach the target (default: no limit)"
  ),
  upstreamTimeout: Spec.optional(
    "upstream-timeout",
    "DURATION",
    "How long the target may stay silent before the client gets a 504 (default 30s)"
  ),
  drain: Spec.optional(
    "drain",
    "DURATION",
    "On SIGINT/SIGTERM, how long exchanges in flight may take to finish (default 10s)"
  ),
  ...Traffic.judgingFlags
}

/** The metrics' flags: not the proxy's config (the CLI exports what the library measures). */
const metricsFlags = {
  metricsPort: Spec.optional(
    "metrics-port",
    "N",
    "Serve Prometheus metrics at http://HOST:N/metrics, a listener of its own (0: a free one, named on stderr; default: no metrics)"
  ),
  metricsHost: Spec.optional("metrics-host", "HOST", "Address of the metrics listener (default 127.0.0.1)")
}

const MetricsGrammar = Schema.Struct({
  metricsPort: Schema.optional(Schema.compose(Grammar.WholeNumber, ConfigRules.Port)),
  metricsHost: Schema.optionalWith(ConfigRules.Host, { default: () => "127.0.0.1" })
})

/** The flags' spelling; what the values may be is `ContractProxy.Config`'s. */
const Grammars = Schema.Struct({
  port: Schema.optional(Grammar.WholeNumber),
  maxRequests: Schema.optional(Grammar.WholeNumber),
  upstreamTimeout: Schema.optional(Grammar.DurationFromText({ positive: true })),
  drain: Schema.optional(Grammar.DurationFromText({ positive: false }))
})

/** `postpress contract proxy`, described once. */
export const doc = Spec.doc(["contract", "proxy"], {
  description: [
    "Run a validating proxy: it forwards every request to --target unchanged and streams every answer back unchanged",
    "(1xx and trailers included), judging each GET {target}/v1/accounts/{id} exchange with the suite's rules",
    "(violations on stderr, every key masked).",
    "",
    "Answers that are not valid HTTP become a 502, silence past",
    "--upstream-timeout a 504, upgrades and CONNECT are refused; each with a finding. Compressed answers are judged",
    "decoded; gateway pages (a 503 without JSON), cache answers (304) and 429s are counted as not judged.",
    "",
    'Prints {"url":"http://HOST:PORT"} on stdout once listening. Stops on SIGINT/SIGTERM or after --max-requests:',
    "exchanges in flight get --drain to finish, reports are written, a summary is printed.",
    "POSTPRESS_API_KEY (optional) is also looked for in answers and masked."
  ].join("\n"),
  flags: { ...flags, ...metricsFlags },
  groups: [
    ["Target", ["--target", "--host", "--port"]],
    ["Judging", ["--strict", "--unknown-types", "--fail-on-drift", "--max-requests", "--max-body-size"]],
    ["Reports", ["--json", "--junit", "--html", "--har"]],
    ["Metrics", ["--metrics-port", "--metrics-host"]]
  ],
  environment: [
    ["POSTPRESS_API_KEY", "optional: also looked for in answers, and masked everywhere"],
    [
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "optional: push metrics over OTLP/HTTP (also OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, OTEL_METRIC_EXPORT_INTERVAL, OTEL_SERVICE_NAME)"
    ]
  ],
  examples: [
    [
      "Judge your app's traffic to staging",
      "postpress contract proxy --target https://staging.example.com/api --port 8080 --har traffic.har"
    ]
  ]
})

const name = "contract proxy"

const config = Spec.options({ ...flags, ...metricsFlags })

/** What an event shows: the URL as one JSON line on stdout, violations and findings on stderr. */
const show = (event: ProxyEvent): Effect.Effect<void> => {
  switch (event._tag) {
    case "Listening":
      return Console.log(JSON.stringify({ url: event.url }))
    case "Violation":
    case "Finding":
      return Console.error(`postpress ${name}: ${event.line}`)
    case "LimitReached":
      return Effect.void
  }
}

/** OTLP push is asked for by the standard variables (the exporter reads them itself). */
const otlpAsked = Config.map(
  Config.all([
    Config.option(Config.nonEmptyString("OTEL_EXPORTER_OTLP_ENDPOINT")),
    Config.option(Config.nonEmptyString("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"))
  ]),
  (endpoints) => endpoints.some(Option.isSome)
)

/** The exporters, loaded only when metrics are asked for (by a flag or the OTLP variables). */
const serveMetrics = (port: number | undefined, host: string) =>
  Effect.gen(function* () {
    const push = yield* Effect.orDie(otlpAsked)
    if (port === undefined && !push) return
    const Metrics = yield* Effect.promise(() => import("./metrics.js"))
    const served = yield* Metrics.start({ port, host, push, serviceVersion: version })
    if (served.url !== undefined) yield* Console.error(`postpress ${name}: metrics at ${served.url}`)
  })

const serve = (args: Program.Parsed<typeof config>) =>
  Effect.gen(function* () {
    const typed = yield* decode(Grammars, flags, omit(given(args), ["metricsPort", "metricsHost"]))
    const metricsAsked = yield* decode(
      MetricsGrammar,
      metricsFlags,
      given({ metricsPort: args.metricsPort, metricsHost: args.metricsHost })
    )
    const apiKey = yield* Traffic.optionalKey
    const [ContractProxy, renderers] = yield* Effect.all([
      Effect.promise(() => import("@postpress/contract-tests/ContractProxy")),
      Traffic.renderers
    ])
    // The CLI writes the reports itself (`-` is stdout, folders are made): the library is not asked to.
    const input = {
      ...omit(given(args), ["json", "junit", "html", "metricsPort", "metricsHost"]),
      ...typed,
      ...(Option.isSome(apiKey) ? { apiKey: apiKey.value } : {}),
      invocation: yield* Traffic.invocation
    }
    const proxyConfig = yield* decode(ContractProxy.Config, flags, input)
    yield* Reports.prepare([...Traffic.reportPaths(args), { flag: "--har", path: Option.getOrUndefined(args.har) }])
    const signals = yield* Signals
    // Metrics start before the proxy listens and make their last export once it has stopped.
    const report = yield* Effect.scoped(
      Effect.gen(function* () {
        yield* serveMetrics(metricsAsked.metricsPort, metricsAsked.metricsHost)
        return yield* ContractProxy.run(proxyConfig, { until: signals.received, onEvent: show })
      })
    )
    // A report not written, or a summary not printed: the verdict cannot be trusted to have reached anyone.
    const written = yield* Effect.either(Reports.writeAll(Traffic.reportFiles(args, renderers, report)))
    if (written._tag === "Left") yield* Console.error(errorLine(name, written.left.message))
    yield* Effect.forEach(Traffic.summary(name, renderers, report), (line) => Console.error(line), { discard: true })
    if (written._tag === "Left") return ExitCode.inconclusive
    yield* Reports.announce([...written.right, ...Option.toArray(args.har)])
    return verdictCode(report.verdict)
  }).pipe(
    Effect.catchTags({
      InvalidConfig: (error) => usageLine(name)(issueFlag(error.issues, flags)),
      CannotListen: usageLine(name),
      MetricsNotServed: usageLine(name),
      // The session ran, but its HAR could not be written: its verdict did not reach everyone.
      HarNotWritten: (error) => refuse(name, error.message, ExitCode.inconclusive),
      ReportsNotWritten: (error) => refuse(name, error.message, ExitCode.inconclusive)
    }),
    Effect.catchAll(usageLine(name))
  )

/** `postpress contract proxy`. */
export const command = Program.make("proxy", config, serve)
