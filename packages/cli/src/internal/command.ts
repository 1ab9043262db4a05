/**
 * A `postpress` command is a program `(args) => Effect<ExitCode, never>`:
 * it prints its own lines and returns its exit code. `@effect/cli` types a
 * handler's result as `void`, so the code travels through {@link Outcome}, a
 * `Deferred` that `Cli.run` makes for each run and awaits after the chosen
 * command's handler: one value per run, no module state.
 *
 * @internal
 */
import * as Command from "@effect/cli/Command"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import type { ExitCode } from "./exitCode.js"

/** Where the command that ran leaves its exit code. */
export class Outcome extends Context.Tag("@postpress/cli/Outcome")<Outcome, Deferred.Deferred<ExitCode>>() {}

/** The parsed arguments of a command declared with `config`. */
export type Parsed<Config extends Command.Command.Config> = Command.Command.ParseConfig<Config>

/** Declares the command `name` over `config`, running `program` and handing its exit code to {@link Outcome}. */
export const make = <Name extends string, const Config extends Command.Command.Config, R>(
  name: Name,
  config: Config,
  program: (args: Parsed<Config>) => Effect.Effect<ExitCode, never, R>
) =>
  Command.make(name, config, (args) =>
    Effect.flatMap(program(args as Parsed<Config>), (code) =>
      Effect.flatMap(Outcome, (outcome) => Deferred.succeed(outcome, code))
    )
  )
