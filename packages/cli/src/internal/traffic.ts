/**
 * What `contract proxy` and `contract har` share: the flags of judging and
 * of reports (described once), the optional key and the summary lines; with
 * `contract` too, the report files (`--json`, `--junit`, `--html`) rendered
 * from a report.
 *
 * @internal
 */
import type { ContractReport } from "@postpress/contract-tests/ContractReport"
import type { TrafficReport } from "@postpress/contract-tests/ContractTraffic"
import * as Printable from "@postpress/schema/Printable"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UnreadableVariable } from "./errors.js"
import { Invocation } from "./invocation.js"
import type * as Reports from "./reports.js"
import { file, maxBodySize, unknownTypes } from "./sharedFlags.js"
import * as Spec from "./spec.js"

/** The flags of judging and reports, keyed by the libraries' config fields. */
export const judgingFlags = {
  strict: Spec.toggle("strict", "Report unknown fields as violations"),
  failOnDrift: Spec.toggle("fail-on-drift", "Unknown fields (drift) fail the verdict"),
  unknownTypes,
  json: file("json", "Write the JSON report (the suite's shape plus traffic counts)"),
  junit: file("junit", "Write a JUnit XML report"),
  html: file("html", "Write the HTML report"),
  maxBodyBytes: maxBodySize
}

/** The report paths of a command, as typed. */
export interface ReportArgs {
  readonly json: Option.Option<string>
  readonly junit: Option.Option<string>
  readonly html: Option.Option<string>
}

/** The report paths to check before the run. */
export const reportPaths = (args: ReportArgs): ReadonlyArray<Reports.ReportPath> => [
  { flag: "--json", path: Option.getOrUndefined(args.json) },
  { flag: "--junit", path: Option.getOrUndefined(args.junit) },
  { flag: "--html", path: Option.getOrUndefined(args.html) }
]

/** Optional here: with it, answers are also searched for this key, and it is masked everywhere. */
export const optionalKey = Effect.mapError(
  Config.option(Config.redacted("POSTPRESS_API_KEY")),
  () => new UnreadableVariable({ variable: "POSTPRESS_API_KEY" })
)

/** The renderers, loaded on use (help and the other commands never load them). */
export const renderers = Effect.promise(() =>
  Promise.all([
    import("@postpress/contract-tests/ContractReport"),
    import("@postpress/contract-tests/ContractTraffic"),
    import("@postpress/contract-tests/ContractJunit"),
    import("@postpress/contract-tests/ContractHtml")
  ])
)

export type Renderers = Effect.Effect.Success<typeof renderers>

/** The report files of one command, rendered from its report. */
export const reportFiles = (
  args: ReportArgs,
  [ContractReport, , ContractJunit, ContractHtml]: Renderers,
  report: ContractReport
): ReadonlyArray<Reports.ReportFile> => [
  { flag: "--json", path: Option.getOrUndefined(args.json), render: () => ContractReport.toJson(report) },
  { flag: "--junit", path: Option.getOrUndefined(args.junit), render: () => ContractJunit.toJunitXml(report) },
  { flag: "--html", path: Option.getOrUndefined(args.html), render: () => ContractHtml.render(report) }
]

/**
 * The human report and the summary lines of a traffic report, each line
 * escaped: bodies, reason phrases and media types came from a server, and a
 * terminal must show them, never obey them (escaping is idempotent).
 */
export const summary = (
  command: string,
  [ContractReport, ContractTraffic]: Renderers,
  report: TrafficReport
): ReadonlyArray<string> => [
  ...ContractReport.formatHuman(report).replace(/\n$/, "").split("\n").map(Printable.text),
  `postpress ${command}: ${ContractTraffic.summaryLine(report)}`,
  ...(report.source === "proxy"
    ? [`postpress ${command}: latency counts from each request's arrival at the proxy (time queued included)`]
    : [])
]

/** How the command was started, for the reports (argv is what was typed; the key is never in it). */
export const invocation = Effect.map(Invocation, (info) => ({
  tool: info.tool,
  version: info.version,
  argv: info.argv,
  accountIds: []
}))
