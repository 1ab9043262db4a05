/**
 * `postpress mock`: runs the mock server until SIGINT/SIGTERM and prints ONE
 * JSON line when listening, `{ url, workspaces: [{ apiKey, accountIds,
 * accounts: [{ id, type }] }] }`, so scripts can read the fixtures and ask
 * for an account type on purpose (the keys printed are the mock's own).
 *
 * Consumer-side coverage: with `--coverage FILE`, `--coverage-html FILE` or
 * `--require-coverage KINDS` the mock counts what it served; when it stops
 * (the runtime's interruption on SIGINT/SIGTERM runs the finalizer) it writes
 * the reports, prints one line per gap on stderr with the header that closes
 * it, and exits 0, or 1 when a gap of a required kind remains.
 *
 * The exit code after the signal is recorded through `VerdictExit` (read
 * by main.ts's teardown), like the proxy's verdict. Output goes through
 * `Console`: the startup line on stdout, the summary and errors on stderr.
 *
 * Usage errors (unknown flags, bad values, an unwritable report path,
 * checked before listening by `Reports.prepare`) and a listen failure (port
 * taken) print one line `postpress mock: …` and exit 2. Stopping on
 * SIGINT/SIGTERM is the mock's normal end: exit 0 (or 1 for a required
 * coverage gap), not 130/143.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ErrorCatalogue from "@postpress/schema/ErrorCatalogue"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DurationFlag from "./internal/duration.js"
import { ExitCode, errorLine, fail } from "./internal/exit.js"
import * as Flags from "./internal/options.js"
import * as Reports from "./internal/reports.js"
import * as VerdictExit from "./internal/verdictExit.js"

const port = Options.integer("port").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(0),
  Options.withDescription("Port on 127.0.0.1; 0 picks a free one."),
  Options.mapEffect((p) =>
    p >= 0 && p <= 65535 ? Effect.succeed(p) : Flags.invalid(`--port must be 0–65535, got ${p}`)
  )
)

const workspaces = Options.integer("workspaces").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(2),
  Options.withDescription("Number of workspaces (2–8)."),
  Options.mapEffect((n) => (n >= 2 && n <= 8 ? Effect.succeed(n) : Flags.invalid(`--workspaces must be 2–8, got ${n}`)))
)

const faultRate = Options.float("fault-rate").pipe(
  Options.withPseudoName("P"),
  Options.withDefault(0),
  Options.withDescription("Probability (0–1) that an API request gets a random fault."),
  Options.mapEffect((r) => (r >= 0 && r <= 1 ? Effect.succeed(r) : Flags.invalid(`--fault-rate must be 0–1, got ${r}`)))
)

const faults = Options.text("faults").pipe(
  Options.withPseudoName("LIST"),
  Options.withDefault("503,504"),
  Options.withDescription(
    `Statuses random faults draw from, comma-separated (${ErrorCatalogue.errorStatuses.join(", ")}).`
  ),
  Options.mapEffect((text) => {
    const statuses = text.split(",").map((s) => Number(s.trim()))
    const bad = statuses.filter((s) => !ErrorCatalogue.isErrorStatus(s))
    return bad.length === 0 && statuses.length > 0
      ? Effect.succeed(statuses as ReadonlyArray<ErrorCatalogue.ErrorStatus>)
      : Flags.invalid(
          `--faults takes documented error statuses (${ErrorCatalogue.errorStatuses.join(", ")}), got ${text}`
        )
  })
)

const latency = Flags.duration("latency", { positive: false }).pipe(
  Options.withDefault(Duration.zero),
  Options.withDescription(`Delay before every API answer, e.g. ${DurationFlag.examples}.`)
)

const retryAfter = Options.integer("retry-after").pipe(
  Options.withPseudoName("SECONDS"),
  Options.optional,
  Options.withDescription("Seconds for a Retry-After header on fault responses."),
  Options.mapEffect((o) =>
    Option.isSome(o) && o.value < 0 ? Flags.invalid(`--retry-after must be ≥ 0, got ${o.value}`) : Effect.succeed(o)
  )
)

const seed = Flags.seed("Seed for the fixtures (workspaces, keys, accounts) and random faults (default 42).").pipe(
  Options.map(Option.getOrElse(() => 42))
)

const reportFile = (name: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName("FILE"), Options.withDescription(description), Options.optional)

const coverage = reportFile(
  "coverage",
  "Record what the mock serves; on stop, write the coverage JSON (seen counts; missing types, errors, behaviours)."
)

const coverageHtml = reportFile("coverage-html", "Also write the coverage as an HTML page (grids of seen and missing).")

const requireCoverage = Options.text("require-coverage").pipe(
  Options.withPseudoName("KINDS"),
  Options.optional,
  Options.withDescription(
    "Exit 1 on stop when a gap of these kinds remains (comma-separated subset of types,errors,behaviours); 0 when none."
  )
)

const options = {
  port,
  seed,
  workspaces,
  faultRate,
  faults,
  latency,
  retryAfter,
  coverage,
  coverageHtml,
  requireCoverage
}

/** The name in every error line: `postpress mock: …`. */
const name = "mock"

const serve = (args: Command.Command.ParseConfig<typeof options>) =>
  Effect.gen(function* () {
    // Loaded on use: the mock server is not needed by the other commands.
    const [MockServer, MockCoverage, ContractHtml] = yield* Effect.promise(() =>
      Promise.all([
        import("@postpress/testkit/MockServer"),
        import("@postpress/testkit/MockCoverage"),
        import("@postpress/contract-tests/ContractHtml")
      ])
    )
    const required = Option.isNone(args.requireCoverage) ? [] : MockCoverage.parseKinds(args.requireCoverage.value)
    if (typeof required === "string") return yield* fail(name, `--require-coverage: ${required}`)
    const coverageFile = Option.getOrUndefined(args.coverage)
    const coverageHtml = Option.getOrUndefined(args.coverageHtml)
    // Before listening: a report path that cannot be written is a usage error now, not a lost report at the end.
    yield* Reports.prepare(name, [
      { flag: "--coverage", path: coverageFile },
      { flag: "--coverage-html", path: coverageHtml }
    ])
    const recording = coverageFile !== undefined || coverageHtml !== undefined || required.length > 0
    const layer = MockServer.layer({
      port: args.port,
      seed: args.seed,
      workspaces: args.workspaces,
      faultRate: args.faultRate,
      faults: args.faults,
      latency: args.latency,
      retryAfter: Option.getOrUndefined(args.retryAfter),
      coverage: recording
    })

    /**
     * On stop (the release of the running mock, so it runs when SIGINT/SIGTERM
     * interrupts the program): the reports, one line per gap, and the exit
     * code the coverage asks for, recorded for main.ts instead of 130/143.
     */
    const finish = (info: typeof MockServer.MockServer.Service) =>
      Effect.gen(function* () {
        const report = yield* Effect.orDie(info.coverage)
        const written = yield* Reports.writeAll(name, [
          { flag: "--coverage", path: coverageFile, render: () => MockCoverage.toJson(report) },
          { flag: "--coverage-html", path: coverageHtml, render: () => ContractHtml.coverage(report, info.workspaces) }
        ]).pipe(
          Effect.as(true),
          Effect.catchAll(() => Effect.succeed(false))
        )
        for (const line of MockCoverage.summaryLines(report, info.workspaces)) yield* Console.error(line)
        const gaps = MockCoverage.gaps(report, required)
        if (gaps.length > 0) {
          yield* Console.error(
            errorLine(
              name,
              `${gaps.length} coverage gap${gaps.length === 1 ? " remains" : "s remain"} (--require-coverage ${required.join(",")})`
            )
          )
        }
        yield* VerdictExit.record(!written ? ExitCode.usage : gaps.length > 0 ? ExitCode.coverageGap : ExitCode.ok)
      })

    return yield* Effect.gen(function* () {
      const info = yield* MockServer.MockServer
      // The mock ends on SIGINT/SIGTERM by design: its exit code is the coverage's (0 when nothing is required).
      yield* Effect.addFinalizer(() => (recording ? finish(info) : VerdictExit.record(ExitCode.ok)))
      yield* Console.log(JSON.stringify({ url: info.url, workspaces: info.workspaces }))
      return yield* Effect.never
    }).pipe(
      Effect.scoped,
      Effect.provide(layer),
      Effect.catchTags({
        MockInvalidOptions: (error) => fail(name, error.detail),
        MockCannotListen: (error) => fail(name, error.detail)
      })
    )
  })

/**
 * `postpress mock`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("mock", options, serve).pipe(
  Command.withDescription("Run the postpress mock server (see the testkit README for the fault headers).")
)
