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
 * Usage errors (unknown flags, bad values, an unwritable report path) and a
 * listen failure (port taken) print one line and exit 2; without coverage
 * flags SIGINT/SIGTERM close the server and exit 130/143.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as ErrorCatalogue from "@postpress/schema/ErrorCatalogue"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DurationFlag from "./internal/duration.js"
import { Exit, writeLine } from "./internal/exit.js"
import * as Flags from "./internal/options.js"

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
  Options.file(name).pipe(Options.withPseudoName("FILE"), Options.withDescription(description), Options.optional)

const coverage = reportFile(
  "coverage",
  'Record what the mock serves and write the coverage JSON on stop: { "seen": {...}, "missing": { "types", "errors", "behaviours" } }.'
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

/** One line on stderr. `Cli.run` silences `Console.error` (it hides @effect/cli's own usage text), so not through it. */
const errorLine = (line: string): Effect.Effect<void> => Effect.sync(() => writeLine(process.stderr, line))

const usage = (message: string, code = 2): Effect.Effect<never, Exit> =>
  Effect.zipRight(errorLine(`postpress mock: ${message}`), Effect.fail(new Exit({ code })))

/** The report's directory must exist and be writable before the mock starts, not only when it stops. */
const checkWritable = (flag: string, file: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isNone(file)) return
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const directory = path.dirname(path.resolve(file.value))
    const ok = yield* Effect.orElseSucceed(Effect.as(fs.access(directory, { writable: true }), true), () => false)
    const isDirectory = yield* Effect.orElseSucceed(
      Effect.map(fs.stat(file.value), (info) => info.type === "Directory"),
      () => false
    )
    if (!ok || isDirectory) return yield* usage(`--${flag} ${file.value}: cannot write there`)
  })

const serve = (args: Command.Command.ParseConfig<typeof options>) =>
  Effect.gen(function* () {
    // Loaded on use: the mock server is not needed by the other commands.
    const [MockServer, MockCoverage] = yield* Effect.promise(() =>
      Promise.all([import("@postpress/contract-tests/MockServer"), import("@postpress/contract-tests/MockCoverage")])
    )
    const required = Option.isNone(args.requireCoverage) ? [] : MockCoverage.parseKinds(args.requireCoverage.value)
    if (typeof required === "string") return yield* usage(`--require-coverage: ${required}`)
    yield* checkWritable("coverage", args.coverage)
    yield* checkWritable("coverage-html", args.coverageHtml)
    const recording = Option.isSome(args.coverage) || Option.isSome(args.coverageHtml) || required.length > 0
    const fs = yield* FileSystem.FileSystem
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

    /** On stop: the reports, one line per gap, and the exit code the coverage asks for. */
    const finish = (info: typeof MockServer.MockServer.Service) =>
      Effect.gen(function* () {
        const report = info.coverage()
        const write = (file: Option.Option<string>, text: string) =>
          Option.isNone(file)
            ? Effect.succeed(true)
            : fs.writeFileString(file.value, text).pipe(
                Effect.as(true),
                Effect.catchAll((error) =>
                  Effect.as(errorLine(`postpress mock: cannot write ${file.value}: ${error.message}`), false)
                )
              )
        const written = [
          yield* write(args.coverage, MockCoverage.toJson(report)),
          yield* write(args.coverageHtml, MockCoverage.toHtml(report, info.workspaces))
        ]
        for (const line of MockCoverage.summaryLines(report, info.workspaces)) yield* errorLine(line)
        const gaps = MockCoverage.gaps(report, required)
        if (gaps.length > 0) {
          yield* errorLine(
            `postpress mock: ${gaps.length} coverage gap${gaps.length === 1 ? "" : "s"} remain (--require-coverage ${required.join(",")})`
          )
        }
        const code = written.includes(false) ? 2 : gaps.length > 0 ? 1 : 0
        // The mock stops on SIGINT/SIGTERM by design: its code is the coverage, not 130/143.
        // main.ts's teardown reads it for a program that ended by interruption.
        process.exitCode = code
      })

    return yield* Effect.gen(function* () {
      const info = yield* MockServer.MockServer
      if (recording) yield* Effect.addFinalizer(() => finish(info))
      yield* Console.log(JSON.stringify({ url: info.url, workspaces: info.workspaces }))
      return yield* Effect.never
    }).pipe(
      Effect.scoped,
      Effect.provide(layer),
      Effect.catchAll((error) => usage(error.message.replace(/^mock server: /, "")))
    )
  })

/**
 * `postpress mock`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("mock", options, serve).pipe(
  Command.withDescription("Run the postpress mock server (see the contract-tests README for the fault headers).")
)
