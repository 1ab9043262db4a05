/**
 * `postpress mock`: runs the mock server until SIGINT/SIGTERM and prints ONE
 * JSON line when listening, `{ url, workspaces: [{ apiKey, accountIds }] }`,
 * so scripts can read the fixtures (the keys printed are the mock's own).
 *
 * Usage errors (unknown flags, bad values) print one line and exit 2; a
 * listen failure (port taken) exits 1; SIGINT/SIGTERM close the server and
 * exit 130/143.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ErrorCatalogue from "@postpress/schema/ErrorCatalogue"
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

const options = { port, seed, workspaces, faultRate, faults, latency, retryAfter }

const serve = (args: Command.Command.ParseConfig<typeof options>): Effect.Effect<never, Exit> =>
  Effect.gen(function* () {
    // Loaded on use: the mock server is not needed by the other commands.
    const MockServer = yield* Effect.promise(() => import("@postpress/contract-tests/MockServer"))
    const layer = MockServer.layer({
      port: args.port,
      seed: args.seed,
      workspaces: args.workspaces,
      faultRate: args.faultRate,
      faults: args.faults,
      latency: args.latency,
      retryAfter: Option.getOrUndefined(args.retryAfter)
    })
    return yield* Effect.gen(function* () {
      const info = yield* MockServer.MockServer
      writeLine(process.stdout, JSON.stringify({ url: info.url, workspaces: info.workspaces }))
      return yield* Effect.never
    }).pipe(
      Effect.provide(layer),
      Effect.catchAll((error) => {
        const cause = (error as { cause?: { message?: unknown } }).cause
        writeLine(process.stderr, `mock: cannot start: ${String(cause?.message ?? error.message)}`)
        return Effect.fail(new Exit({ code: 1 }))
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
  Command.withDescription("Run the postpress mock server (see the contract-tests README for the fault headers).")
)
