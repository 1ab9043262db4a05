/**
 * The program run IN this process, as `main.ts` runs it but with a Console
 * that captures lines, an environment given as a map (never the test
 * process's own) and signals the test sends: for every behaviour that is not
 * about the process itself (its exit, pipes, the bundle). Same result shape
 * as the spawned `run` in `program.ts`.
 */

import type * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cli from "../../src/Cli.js"
import * as Signals from "../../src/internal/signals.js"
import type { Run } from "./program.js"

const text = (args: ReadonlyArray<unknown>) => args.map((a) => (typeof a === "string" ? a : String(a))).join(" ")

export interface InProcessOptions {
  /** The whole environment the program sees (default: none). */
  readonly env?: Record<string, string> | undefined
  /** Where SIGINT/SIGTERM come from (default: none ever comes). */
  readonly signals?: Layer.Layer<Signals.Signals> | undefined
  /** The file system (default: Node's). */
  readonly fileSystem?: Layer.Layer<FileSystem.FileSystem> | undefined
  /** Called with each stdout line as it is printed (to await a program's startup line). */
  readonly onStdout?: ((line: string) => Effect.Effect<void>) | undefined
}

/** `postpress ...args` in-process, as an Effect: its exit code and output. */
export const inProcess = (args: ReadonlyArray<string>, options: InProcessOptions = {}): Effect.Effect<Run> =>
  Effect.suspend(() => {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const environment = Layer.mergeAll(
      options.fileSystem ?? NodeFileSystem.layer,
      NodePath.layer,
      NodeTerminal.layer,
      options.signals ?? Signals.none
    )
    return Effect.consoleWith((console) =>
      Cli.run(["node", "postpress", ...args]).pipe(
        Effect.withConsole({
          ...console,
          log: (...a: ReadonlyArray<unknown>) =>
            Effect.zipRight(
              Effect.sync(() => void stdout.push(text(a))),
              options.onStdout?.(text(a)) ?? Effect.void
            ),
          error: (...a: ReadonlyArray<unknown>) => Effect.sync(() => void stderr.push(text(a)))
        }),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))),
        Effect.provide(environment)
      )
    ).pipe(
      Effect.map((code) => ({
        code,
        signal: null,
        stdout: stdout.map((line) => `${line}\n`).join(""),
        stderr: stderr.map((line) => `${line}\n`).join("")
      }))
    )
  })

/** Runs `postpress ...args` in-process; `env` is the whole environment the program sees. */
export const runInProcess = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  Effect.runPromise(inProcess(args, { env }))
