/**
 * `pnpm mock`: runs the mock server until SIGINT/SIGTERM and prints ONE JSON
 * line when listening, `{ url, workspaces: [{ apiKey, accountIds }] }`, so
 * scripts can read the fixtures (the keys printed are the mock's own).
 *
 * Usage errors (unknown flags, bad values) print a message and exit 2; a
 * listen failure (port taken) exits 1.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { ErrorCatalogue } from "@postpress/schema"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as MockServer from "../MockServer.js"

const invalid = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

const port = Options.integer("port").pipe(
  Options.withDefault(0),
  Options.withDescription("Port on 127.0.0.1; 0 picks a free one."),
  Options.mapEffect((p) => (p >= 0 && p <= 65535 ? Effect.succeed(p) : invalid(`--port must be 0–65535, got ${p}`)))
)

const seed = Options.integer("seed").pipe(
  Options.withDefault(42),
  Options.withDescription("Seed for the fixtures (workspaces, keys, accounts) and random faults.")
)

const workspaces = Options.integer("workspaces").pipe(
  Options.withDefault(2),
  Options.withDescription("Number of workspaces (2–8)."),
  Options.mapEffect((n) => (n >= 2 && n <= 8 ? Effect.succeed(n) : invalid(`--workspaces must be 2–8, got ${n}`)))
)

const faultRate = Options.float("fault-rate").pipe(
  Options.withDefault(0),
  Options.withDescription("Probability (0–1) that an API request gets a random fault."),
  Options.mapEffect((r) => (r >= 0 && r <= 1 ? Effect.succeed(r) : invalid(`--fault-rate must be 0–1, got ${r}`)))
)

const faults = Options.text("faults").pipe(
  Options.withDefault("503,504"),
  Options.withDescription(
    `Statuses random faults draw from, comma-separated (${ErrorCatalogue.errorStatuses.join(", ")}).`
  ),
  Options.mapEffect((text) => {
    const statuses = text.split(",").map((s) => Number(s.trim()))
    const bad = statuses.filter((s) => !ErrorCatalogue.isErrorStatus(s))
    return bad.length === 0 && statuses.length > 0
      ? Effect.succeed(statuses as ReadonlyArray<ErrorCatalogue.ErrorStatus>)
      : invalid(`--faults takes documented error statuses (${ErrorCatalogue.errorStatuses.join(", ")}), got ${text}`)
  })
)

const parseLatency = (text: string): Option.Option<Duration.Duration> => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|millis|seconds?)?\s*$/.exec(text)
  if (match === null) return Duration.decodeUnknown(text)
  const n = Number(match[1])
  return Option.some(match[2]?.startsWith("s") ? Duration.seconds(n) : Duration.millis(n))
}

const latency = Options.text("latency").pipe(
  Options.withDefault("0ms"),
  Options.withDescription("Delay before every API answer, e.g. 50ms, 1s, '250 millis'."),
  Options.mapEffect((text) =>
    Option.match(parseLatency(text), {
      onNone: () => invalid(`--latency: cannot read ${JSON.stringify(text)} as a duration (e.g. 50ms, 1s)`),
      onSome: Effect.succeed
    })
  )
)

const retryAfter = Options.integer("retry-after").pipe(
  Options.optional,
  Options.withDescription("Seconds for a Retry-After header on fault responses."),
  Options.mapEffect((o) =>
    Option.isSome(o) && o.value < 0 ? invalid(`--retry-after must be ≥ 0, got ${o.value}`) : Effect.succeed(o)
  )
)

const command = Command.make("mock", { port, seed, workspaces, faultRate, faults, latency, retryAfter }, (options) =>
  Effect.gen(function* () {
    const info = yield* MockServer.MockServer
    yield* Console.log(JSON.stringify({ url: info.url, workspaces: info.workspaces }))
    return yield* Effect.never
  }).pipe(
    Effect.provide(
      MockServer.layer({
        port: options.port,
        seed: options.seed,
        workspaces: options.workspaces,
        faultRate: options.faultRate,
        faults: options.faults,
        latency: options.latency,
        retryAfter: Option.getOrUndefined(options.retryAfter)
      })
    )
  )
).pipe(Command.withDescription("Run the postpress mock server (see the package README for the fault headers)."))

const cli = Command.run(command, { name: "postpress mock", version: "0.1.0" })

cli(process.argv).pipe(
  Effect.catchAll((error) =>
    Effect.sync(() => {
      // @effect/cli has already printed usage errors; a listen failure gets one line, no stack.
      if (ValidationError.isValidationError(error)) {
        process.exitCode = 2
      } else {
        const cause = (error as { cause?: { message?: unknown } }).cause
        process.stderr.write(`mock: cannot start: ${String(cause?.message ?? error.message)}\n`)
        process.exitCode = 1
      }
    })
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
