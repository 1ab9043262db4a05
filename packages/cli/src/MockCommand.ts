/**
 * `postpress mock`: runs the mock server until SIGINT/SIGTERM. Once
 * listening, stdout gets the machine's part ONLY and stderr one short line
 * for people (`mock on http://127.0.0.1:4010 — test key pp_mock_0_… — 15
 * accounts (14 types), 5 foreign; all fixtures: --print-fixtures`):
 * - by default ONE JSON line `{ url, apiKey, accountIds, foreignAccountIds }`
 *   (the first workspace's key and ids; the ids of the others, which that
 *   key must not read);
 * - `--print key`: the key alone; `--print ids`: its ids, one a line;
 *   `--print url`: the URL;
 * - `--print-fixtures`: the whole fixtures as the JSON line, `{ url,
 *   workspaces: [{ apiKey, accountIds, accounts: [{ id, type }] }] }`, to ask
 *   for an account type on purpose.
 * The keys are the mock's own test keys (seeded), never a real one.
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
import * as Printable from "@postpress/schema/Printable"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Program from "./internal/command.js"
import { decode, given, omit } from "./internal/decode.js"
import { InvalidFlag } from "./internal/errors.js"
import { ExitCode } from "./internal/exitCode.js"
import * as Grammar from "./internal/grammar.js"
import { errorLine, usageLine } from "./internal/output.js"
import * as Reports from "./internal/reports.js"
import { Signals } from "./internal/signals.js"
import * as Spec from "./internal/spec.js"

/** What `--print` may name. */
const printChoices = ["json", "key", "ids", "url"] as const

type Print = (typeof printChoices)[number] | "fixtures"

/** Keyed by `MockServer.Config`'s fields; the coverage files and the requirement are the command's own. */
const flags = {
  port: Spec.optional("port", "N", "Port on 127.0.0.1 (default 0: a free one, shown in the URL printed)."),
  seed: Spec.optional(
    "seed",
    "N",
    "Seed for the fixtures (workspaces, keys, accounts) and random faults (default 42)."
  ),
  workspaces: Spec.optional("workspaces", "N", "Number of workspaces, 2–8 (default 2)."),
  faultRate: Spec.optional("fault-rate", "P", "Probability (0–1) that an API request gets a random fault (default 0)."),
  faults: Spec.optional(
    "faults",
    "LIST",
    `Statuses random faults draw from, comma-separated (${ErrorCatalogue.errorStatuses.join(", ")}; default 503,504).`
  ),
  latency: Spec.optional(
    "latency",
    "DURATION",
    `Delay before every API answer, e.g. ${Grammar.durationExamples} (default 0).`
  ),
  retryAfter: Spec.optional(
    "retry-after",
    "SECONDS",
    "Seconds for a Retry-After header on fault responses (default: no header)."
  ),
  print: Spec.optional(
    "print",
    "WHAT",
    `What stdout gets once listening: ${printChoices.join(", ")} (default json: one line {url, apiKey, accountIds, foreignAccountIds}; key: the key alone; ids: its ids, one a line).`
  ),
  printFixtures: Spec.toggle(
    "print-fixtures",
    "Print every workspace's key and accounts (id, type) as the JSON line instead."
  ),
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
    "Exit 1 on stop when a gap of these kinds remains (comma-separated subset of types,errors,behaviours; default: none)."
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
  description: [
    "Run the postpress mock server until SIGINT/SIGTERM (fault headers: docs/mock.md).",
    "Once listening, stdout gets one JSON line (or what --print asks for), stderr one line for people;",
    "the keys are the mock's own test keys."
  ].join("\n"),
  flags,
  groups: [
    ["Server", ["--port", "--seed", "--workspaces"]],
    ["Output", ["--print", "--print-fixtures"]],
    ["Coverage", ["--require-coverage", "--coverage", "--coverage-html"]],
    ["Faults", ["--fault-rate", "--faults", "--latency", "--retry-after"]]
  ],
  examples: [
    ["A mock on port 4010", "postpress mock --port 4010"],
    ["Only its key on stdout, for a script", "postpress mock --port 4010 --print key > mock-key.txt &"],
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

/** `--print` and `--print-fixtures` as one choice (both given, unless `--print json`: a usage error). */
const printOf = (args: Program.Parsed<typeof config>): Effect.Effect<Print, InvalidFlag> => {
  const asked = Option.getOrElse(args.print, () => "json")
  if (!(printChoices as ReadonlyArray<string>).includes(asked)) {
    const reason = `expected one of ${printChoices.join(", ")}, got ${JSON.stringify(asked)}`
    return Effect.fail(new InvalidFlag({ flag: "--print", reason }))
  }
  if (!args.printFixtures) return Effect.succeed(asked as Print)
  return asked === "json"
    ? Effect.succeed("fixtures")
    : Effect.fail(new InvalidFlag({ flag: "--print-fixtures", reason: `either it or --print ${asked}, not both` }))
}

/** What stdout gets once the mock listens: the lines `--print` asks for. */
export const machineLines = (mock: Pick<Mock, "url" | "workspaces">, print: Print): ReadonlyArray<string> => {
  const [own, ...others] = mock.workspaces
  const apiKey = own?.apiKey ?? ""
  const accountIds = own?.accountIds ?? []
  switch (print) {
    case "key":
      return [apiKey]
    case "ids":
      return accountIds
    case "url":
      return [mock.url]
    case "fixtures":
      return [JSON.stringify({ url: mock.url, workspaces: mock.workspaces })]
    case "json":
      return [
        JSON.stringify({ url: mock.url, apiKey, accountIds, foreignAccountIds: others.flatMap((ws) => ws.accountIds) })
      ]
  }
}

/** The key's first characters, enough to recognise it (`pp_mock_0_…`), not to use it. */
const keyStart = (key: string): string => `${key.slice(0, 10)}…`

/**
 * The one line for people, on stderr: where, the (test) key's start, what it
 * serves, how to get more. The key itself is handed out once, on stdout (the
 * JSON line or `--print key`): logs that keep stderr never hold a usable key.
 */
export const humanLine = (mock: Pick<Mock, "url" | "workspaces">): string => {
  const [own, ...others] = mock.workspaces
  const accounts = own?.accounts ?? []
  const types = new Set(accounts.map((account) => account.type)).size
  const foreign = others.reduce((sum, ws) => sum + ws.accountIds.length, 0)
  return Printable.text(
    `mock on ${mock.url} — test key ${keyStart(own?.apiKey ?? "")} (--print key) — ${accounts.length} accounts (${types} types), ` +
      `${foreign} foreign; all fixtures: --print-fixtures`
  )
}

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
      const remain = Printable.plural(gaps.length, "coverage gap remains", "coverage gaps remain")
      yield* Console.error(errorLine(name, `${remain} (--require-coverage ${required.join(",")})`))
    }
    if (written._tag === "Right") yield* Reports.announce(written.right)
    return written._tag === "Left" ? ExitCode.usage : gaps.length > 0 ? ExitCode.coverageGap : ExitCode.ok
  })

const serve = (args: Program.Parsed<typeof config>) =>
  Effect.gen(function* () {
    const loaded = yield* modules
    const [MockServer, MockCoverage] = loaded
    const typed = yield* decode(Grammars, flags, omit(given(args), ["print", "printFixtures"]))
    const print = yield* printOf(args)
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
        yield* Effect.forEach(machineLines(mock, print), (line) => Console.log(line), { discard: true })
        yield* Console.error(humanLine(mock))
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
