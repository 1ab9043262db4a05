/**
 * `postpress contract har FILE...`: judges recorded traffic with the
 * suite's rules. Its flags and files decode ONCE into `ContractHar.Config`,
 * which the reader takes as it is; the exit code is the verdict's (0 pass, 1 violations, 4 inconclusive), 2 for
 * a file that cannot be read or is not a HAR, or any other usage error.
 *
 * @internal
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Program from "./command.js"
import { decode, given, issueFlag, omit } from "./decode.js"
import { verdictCode } from "./exitCode.js"
import { usageLine } from "./output.js"
import * as Reports from "./reports.js"
import { baseUrlFlag, baseUrlInput } from "./sharedFlags.js"
import * as Spec from "./spec.js"
import * as Traffic from "./traffic.js"

/** Keyed by `ContractHar.Config`'s fields. */
const flags = {
  baseUrl: baseUrlFlag(
    "Judge entries under this URL, same origin (default: $POSTPRESS_BASE_URL, else any .../v1/accounts/{id})"
  ),
  ...Traffic.judgingFlags
}

const files = Spec.oneOrMore("FILE", "HAR 1.2 files")

/** `postpress contract har`, described once. */
export const doc = Spec.doc(["contract", "har"], {
  description: [
    "Judge recorded traffic: HAR 1.2 files from browser devtools, Playwright, mitmproxy, Charles or `contract proxy --har`.",
    "Entries under --base-url (same origin by URL rules: case, default port, trailing slash) are judged with the suite's",
    "rules (base64 bodies decoded, still-compressed ones too); the others, entries without a body or over --max-body-size,",
    "gateway pages, cache answers and 429s are counted as not judged, with their reason."
  ].join("\n"),
  flags,
  args: [files],
  groups: [
    ["Target", ["--base-url"]],
    ["Judging", ["--strict", "--unknown-types", "--fail-on-drift", "--max-body-size"]],
    ["Reports", ["--json", "--junit", "--html"]]
  ],
  environment: [
    ["POSTPRESS_BASE_URL", "the base URL when --base-url is not given"],
    ["POSTPRESS_API_KEY", "optional: also looked for in answers, and masked everywhere"]
  ],
  examples: [
    ["Judge a browser recording", "postpress contract har --base-url https://api.postpress.ai/api recording.har"]
  ]
})

const name = "contract har"

const config = { ...Spec.options(flags), files: files.args }

const judge = (args: Program.Parsed<typeof config>) =>
  Effect.gen(function* () {
    const apiKey = yield* Traffic.optionalKey
    const baseUrl = yield* baseUrlInput(args.baseUrl)
    const [ContractHar, renderers] = yield* Effect.all([
      Effect.promise(() => import("@postpress/contract-tests/ContractHar")),
      Traffic.renderers
    ])
    // The CLI writes the reports itself (`-` is stdout, folders are made): the library is not asked to.
    const input = {
      ...omit(given(args), ["json", "junit", "html", "baseUrl"]),
      ...(baseUrl.value === undefined ? {} : { baseUrl: baseUrl.value }),
      ...(Option.isSome(apiKey) ? { apiKey: apiKey.value } : {}),
      invocation: yield* Traffic.invocation
    }
    const harConfig = yield* decode(ContractHar.Config, flags, input, {
      sources: { ...baseUrl.sources, files: "FILE" }
    })
    yield* Reports.prepare(Traffic.reportPaths(args))
    const report = yield* ContractHar.read(harConfig)
    const written = yield* Reports.writeAll(Traffic.reportFiles(args, renderers, report))
    yield* Effect.forEach(Traffic.summary(name, renderers, report), (line) => Console.log(line), { discard: true })
    yield* Reports.announce(written, Reports.humanStream(Traffic.reportPaths(args)))
    return verdictCode(report.verdict)
  }).pipe(
    Effect.catchTags({
      InvalidConfig: (error) => usageLine(name)(issueFlag(error.issues, flags, { sources: { files: "FILE" } }))
    }),
    Effect.catchAll(usageLine(name))
  )

/** `postpress contract har FILE...`. */
export const command = Program.make("har", config, judge)
