/**
 * The program run IN this process, as `main.ts` runs it but with a Console
 * that captures lines and an environment given as a map (never the test
 * process's own): for every behaviour that is not about signals, pipes or the
 * bundle. Same result shape as the spawned `run` in `program.ts`.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cli from "../../src/Cli.js"
import * as Signals from "../../src/internal/signals.js"
import type { Run } from "./program.js"

const environment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

const text = (args: ReadonlyArray<unknown>) => args.map((a) => (typeof a === "string" ? a : String(a))).join(" ")

/**
 * Runs `postpress ...args` in-process; `env` is the whole environment the
 * program sees; `signals` delivers SIGINT/SIGTERM (default: none ever comes).
 */
export const runInProcess = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  signals: Layer.Layer<Signals.Signals> = Signals.none
): Promise<Run> => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  return Effect.runPromise(
    Effect.consoleWith((console) =>
      Cli.run(["node", "postpress", ...args]).pipe(
        Effect.withConsole({
          ...console,
          log: (...a: ReadonlyArray<unknown>) => Effect.sync(() => void stdout.push(text(a))),
          info: (...a: ReadonlyArray<unknown>) => Effect.sync(() => void stdout.push(text(a))),
          error: (...a: ReadonlyArray<unknown>) => Effect.sync(() => void stderr.push(text(a))),
          warn: (...a: ReadonlyArray<unknown>) => Effect.sync(() => void stderr.push(text(a)))
        }),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
        Effect.provide(Layer.merge(environment, signals))
      )
    )
  ).then((code) => ({
    code,
    signal: null,
    stdout: stdout.map((line) => `${line}\n`).join(""),
    stderr: stderr.map((line) => `${line}\n`).join("")
  }))
}
