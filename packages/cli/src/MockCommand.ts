/**
 * `postpress mock`: runs the mock server until SIGINT/SIGTERM and prints ONE
 * JSON line when listening, `{ url, workspaces: [{ apiKey, accountIds,
 * accounts: [{ id, type }] }] }`, so scripts can read the fixtures and ask
 * for an account type on purpose (the keys printed are the mock's own).
 *
 * Its flags decode into the testkit's ONE config Schema (`MockServer.Config`),
 * once: its rules, its messages after the flag (`--port: expected a port,
 * an integer from 0 to 65535 (0: a free one), got 70000`); the decoded
 * config is what `MockServer.make` takes as it is.
 *
 * Consumer-side coverage: with `--coverage FILE`, `--coverage-html FILE` or
 * `--require-coverage KINDS` the mock counts what it served; on the signal
 * (its normal end) it writes the reports, prints one line per gap on stderr
 * with the header that closes it, and exits 0, or 1 when a gap of a required
 * kind remains (2 when a report cannot be written).
 *
 * Usage errors (unknown flags, bad values, an unwritable report path,
 * checked before listening) and a listen failure (port taken) print one line
 * `postpress mock: …` and exit 2.
 *
 * @since 0.1.0
 */
import * as ErrorCatalogue from "@postpress/schema/ErrorCatalogue"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Program from "./internal/command.js"
import { decode, given } from "./internal/decode.js"
import { InvalidFlag } from "./internal/errors.js"
import { ExitCode } from "./internal/exitCode.js"
import * as Grammar from "./internal/grammar.js"
import { errorLine, usageLine } from "./internal/output.js"
import * as Reports from "./internal/reports.js"
import { Signals } from "./internal/signals.js"
import * as Spec from "./internal/spec.js"

/** Keyed by `MockServer.Config`'s fields; the coverage files and the requirement are the command's own. */
const flags = {
  port: Spec.optional("port", "N", "Port on 127.0.0.1; 0 picks a free one."),
  seed: Spec.optional(
    "seed",
    "N",
    "Seed for the fixtures (workspaces, keys, accounts) and random faults (default 42)."
  ),
  workspaces: Spec.optional("workspaces", "N", "Number of workspaces (2–8)."),
  faultRate: Spec.optional("fault-rate", "P", "Probability (0–1) that an API request gets a random fault."),
  faults: Spec.optional(
    "faults",
    "LIST",
    `Statuses random faults draw from, comma-separated (${ErrorCatalogue.errorStatuses.join(", ")}).`
  ),
  latency: Spec.optional("latency", "DURATION", `Delay before every API answer, e.g. ${Grammar.durationExamples}.`),
  retryAfter: Spec.optional("retry-after", "SECONDS", "Seconds for a Retry-After header on fault responses."),
  coverageFile: Spec.optional(
    "coverage",
    "FILE",
    "Record what the mock serves; on stop, write the coverage JSON (seen counts; missing types, errors, behaviours)."
  ),
  coverageHtml: Spec.optional(
    "coverage-html",
    "FILE",
    "Also write the coverage as an HTML page (grids of seen and missing)."
  ),
  requireCoverage: Spec.optional(
    "require-coverage",
    "KINDS",
    "Exit 1 on stop when a gap of these kinds remains (comma-separated subset of types,errors,behaviours); 0 when none."
  )
}

/** The flags' spelling; what the values may be is `MockServer.Config`'s. */
const Grammars = Schema.Struct({
  port: Schema.optional(Grammar.WholeNumber),
  seed: Schema.optional(Grammar.WholeNumber),
  workspaces: Schema.optional(Grammar.WholeNumber),
  faultRate: Schema.optional(Grammar.Decimal),
  faults: Schema.optional(Grammar.WholeNumberList),
  latency: Schema.optional(Grammar.DurationFromText({ positive: false })),
  retryAfter: Schema.optional(Grammar.WholeNumber)
})

/**
 * `postpress mock`, described once: help, parse errors and the README are rendered from this.
 *
 * @since 0.1.0
 * @category commands
 */
export const doc = Spec.doc(["mock"], {
  description: "Run the postpress mock server (see the testkit README for the fault headers).",
  flags,
  groups: [
    ["Server", ["--port", "--seed", "--workspaces"]],
    ["Faults", ["--fault-rate", "--faults", "--latency", "--retry-after"]],
    ["Coverage", ["--require-coverage", "--coverage", "--coverage-html"]]
  ],
  examples: [
    ["A mock on port 4010", "postpress mock --port 4010"],
    ["One answer in ten a 503 or 504", "postpress mock --fault-rate 0.1"],
    [
      "In CI: exit 1 on stop if the tests never met a type, error or behaviour",
      "postpress mock --port 4010 --coverage mock-coverage.json \\\n    --require-coverage types,errors,behaviours"
    ]
  ]
})

/** The name in every error line: `postpress mock: …`. */
const name = "mock"

const config = Spec.options(flags)

// Loaded on use: the mock server is not needed by the other commands.
const modules = Effect.promise(() =>
  Promise.all([
    import("@postpress/testkit/MockServer"),
    import("@postpress/testkit/MockCoverage"),
    import("@postpress/contract-tests/ContractHtml")
  ])
)

type Modules = Effect.Effect.Success<typeof modules>
type Mock = Effect.Effect.Success<ReturnType<Modules[0]["make"]>>

/**
 * On the signal, with coverage asked for: the reports, one line per gap, and
 * the code the coverage asks for (2 when a report could not be written).
 */
const finish = (
  [, MockCoverage, ContractHtml]: Modules,
  mock: Mock,
  args: Program.Parsed<typeof config>,
  required: ReadonlyArray<"types" | "errors" | "behaviours">
): Effect.Effect<ExitCode, never, Reports.Files> =>
  Effect.gen(function* () {
    const report = yield* Effect.orDie(mock.coverage)
    const written = yield* Effect.either(
      Reports.writeAll([
        {
          flag: "--coverage",
          path: Option.getOrUndefined(args.coverageFile),
          render: () => MockCoverage.toJson(report)
        },
        {
          flag: "--coverage-html",
          path: Option.getOrUndefined(args.coverageHtml),
          render: () => ContractHtml.coverage(report, mock.workspaces)
        }
      ])
    )
    if (written._tag === "Left") yield* Console.error(errorLine(name, written.left.message))
    for (const line of MockCoverage.summaryLines(report, mock.workspaces)) yield* Console.error(line)
    const gaps = MockCoverage.gaps(report, required)
    if (gaps.length > 0) {
      const remain = `${gaps.length} coverage gap${gaps.length === 1 ? " remains" : "s remain"}`
      yield* Console.error(errorLine(name, `${remain} (--require-coverage ${required.join(",")})`))
    }
    return written._tag === "Left" ? ExitCode.usage : gaps.length > 0 ? ExitCode.coverageGap : ExitCode.ok
  })

const serve = (args: Program.Parsed<typeof config>) =>
  Effect.gen(function* () {
    const loaded = yield* modules
    const [MockServer, MockCoverage] = loaded
    const typed = yield* decode(Grammars, flags, given(args))
    const required = args.requireCoverage._tag === "None" ? [] : MockCoverage.parseKinds(args.requireCoverage.value)
    if (typeof required === "string") return yield* new InvalidFlag({ flag: "--require-coverage", reason: required })
    const recording = args.coverageFile._tag === "Some" || args.coverageHtml._tag === "Some" || required.length > 0
    const config = yield* decode(MockServer.Config, flags, { ...typed, coverage: recording })
    // Before listening: a report path that cannot be written is a usage error now, not a lost report at the end.
    yield* Reports.prepare([
      { flag: "--coverage", path: Option.getOrUndefined(args.coverageFile) },
      { flag: "--coverage-html", path: Option.getOrUndefined(args.coverageHtml) }
    ])
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const mock = yield* MockServer.make(config)
        yield* Console.log(JSON.stringify({ url: mock.url, workspaces: mock.workspaces }))
        // The mock ends on SIGINT/SIGTERM by design: its exit code is the coverage's (0 when nothing is required).
        yield* Effect.flatMap(Signals, (signals) => signals.received)
        return recording ? yield* finish(loaded, mock, args, required) : ExitCode.ok
      })
    )
  }).pipe(
    Effect.catchTags({
      MockInvalidOptions: (error) => usageLine(name)({ message: error.detail }),
      MockCannotListen: (error) => usageLine(name)({ message: error.detail })
    }),
    Effect.catchAll(usageLine(name))
  )

/**
 * `postpress mock`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Program.make("mock", config, serve)
